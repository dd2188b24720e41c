import { EncodedFeatures, linearScoresInto } from './feature-vocabulary';

/**
 * What a trained model is at scoring time: a linear layer over a vocabulary's feature ids, then a
 * squashing of the sums into the model's scores (softmax, rectification…).
 */
export interface LinearHead {
  readonly labels: readonly string[];
  /** Row-major by feature id: the weights of feature i are [i * labels.length, (i + 1) * labels.length). */
  readonly weights: Float32Array;
  readonly biases: Float64Array;
  /** In place: linear sums (biases included) → scores. Must not keep the weights alive. */
  readonly finish: (sums: Float64Array) => void;
}

/**
 * The scores of one head for one message, in its `labels` order, from the message's first
 * `featureCount` features (all of them by default).
 */
export function scoreHead(head: LinearHead, features: EncodedFeatures, featureCount = features.ids.length): Float64Array {
  const out = new Float64Array(head.labels.length);
  linearScoresInto(out, features, head.weights, head.biases, head.labels.length, featureCount);
  head.finish(out);
  return out;
}

/**
 * Several heads over one vocabulary, their columns side by side in one table, so that a message's
 * features are walked once for all of them (one cache-friendly row per feature instead of one
 * row per feature per model). Keeps only the stacked copy of the weights.
 */
export class StackedHeads {
  private readonly weights: Float32Array;
  private readonly biases: Float64Array;
  private readonly finishes: readonly ((sums: Float64Array) => void)[];
  readonly labels: readonly (readonly string[])[];
  private readonly width: number;
  /** Every head's sums, then scores, for the latest message: one buffer and its views, reused. */
  private readonly sums: Float64Array;
  private readonly headScores: readonly Float64Array[];

  constructor(vocabularySize: number, heads: readonly LinearHead[]) {
    const offsets: number[] = [];
    let width = 0;
    for (const head of heads) {
      offsets.push(width);
      width += head.labels.length;
    }
    const weights = new Float32Array(vocabularySize * width);
    const biases = new Float64Array(width);
    heads.forEach((head, index) => {
      const columns = head.labels.length;
      const offset = offsets[index];
      const rows = Math.min(vocabularySize, head.weights.length / Math.max(1, columns));
      for (let row = 0; row < rows; row += 1) {
        for (let column = 0; column < columns; column += 1) weights[row * width + offset + column] = head.weights[row * columns + column];
      }
      biases.set(head.biases, offset);
    });
    this.weights = weights;
    this.biases = biases;
    this.width = width;
    this.finishes = heads.map((head) => head.finish);
    this.labels = heads.map((head) => head.labels);
    this.sums = new Float64Array(width);
    this.headScores = offsets.map((offset, index) => this.sums.subarray(offset, offset + this.labels[index].length));
  }

  /**
   * Every head's scores for one message: `result[h]` holds head h's, in its `labels` order. The
   * arrays are the same on every call, overwritten by the next one: a message's scoring then
   * allocates nothing, and the text model keeps the scores of one message at a time anyway.
   */
  score(features: EncodedFeatures): readonly Float64Array[] {
    linearScoresInto(this.sums, features, this.weights, this.biases, this.width);
    for (let head = 0; head < this.headScores.length; head += 1) this.finishes[head](this.headScores[head]);
    return this.headScores;
  }
}
