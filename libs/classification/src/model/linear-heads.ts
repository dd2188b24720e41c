import { EncodedFeatures, linearScoresInto, softmaxInPlace } from './feature-vocabulary';

/**
 * How a head turns its linear sums (biases included) into scores. Data rather than a function,
 * so that a model written to a file comes back with the same squashing.
 * - `softmax`: `exp(sum / temperature)` normalised (the regressions, naive Bayes);
 * - `rectified`: the scores of {@link NeuralLabelModel.rank}: sums rectified and scaled by
 *   `alpha` like nlp.js's outputs, then each divided by their total, or by 1 when the total is
 *   below 1 (the networks).
 */
export type Squashing = { readonly kind: 'softmax'; readonly temperature: number } | { readonly kind: 'rectified'; readonly alpha: number };

/**
 * What a trained model is at scoring time: a linear layer over a vocabulary's feature ids, then a
 * squashing of the sums into the model's scores.
 */
export interface LinearHead {
  readonly labels: readonly string[];
  /** Row-major by feature id: the weights of feature i are [i * labels.length, (i + 1) * labels.length). */
  readonly weights: Float32Array;
  readonly biases: Float64Array;
  readonly squashing: Squashing;
}

/** In place: linear sums → the scores of a squashing. */
export function squashInPlace(squashing: Squashing, sums: Float64Array): void {
  if (squashing.kind === 'softmax') softmaxInPlace(sums, squashing.temperature);
  else rectifiedScores(sums, squashing.alpha);
}

/** In place: linear sums → the scores of a `rectified` squashing. */
function rectifiedScores(sums: Float64Array, alpha: number): void {
  let total = 0;
  for (let label = 0; label < sums.length; label += 1) {
    sums[label] = sums[label] <= 0 ? 0 : alpha * sums[label];
    total += sums[label];
  }
  const denominator = Math.max(1, total);
  for (let label = 0; label < sums.length; label += 1) sums[label] = Math.min(1, sums[label] / denominator);
}

/**
 * The scores of one head for one message, in its `labels` order, from the message's first
 * `featureCount` features (all of them by default).
 */
export function scoreHead(head: LinearHead, features: EncodedFeatures, featureCount = features.ids.length): Float64Array {
  const out = new Float64Array(head.labels.length);
  linearScoresInto(out, features, head.weights, head.biases, head.labels.length, featureCount);
  squashInPlace(head.squashing, out);
  return out;
}

/** The stacked heads' table: everything {@link StackedHeads} scores with, and what a model file keeps of it. */
export interface StackedTable {
  /** Row-major by feature id, the heads' columns side by side: `width` columns per feature. */
  readonly weights: Float32Array;
  /** `width` of them. */
  readonly biases: Float64Array;
  /** In column order. */
  readonly heads: readonly { readonly labels: readonly string[]; readonly squashing: Squashing }[];
}

/**
 * Several heads over one vocabulary, their columns side by side in one table, so that a message's
 * features are walked once for all of them (one cache-friendly row per feature instead of one
 * row per feature per model). Keeps only the stacked copy of the weights.
 */
export class StackedHeads {
  private readonly weights: Float32Array;
  private readonly biases: Float64Array;
  private readonly squashings: readonly Squashing[];
  readonly labels: readonly (readonly string[])[];
  private readonly width: number;
  /** Every head's sums, then scores, for the latest message: one buffer and its views, reused. */
  private readonly sums: Float64Array;
  private readonly headScores: readonly Float64Array[];

  /** Stacks trained heads over a vocabulary of `vocabularySize` feature ids. */
  static stack(vocabularySize: number, heads: readonly LinearHead[]): StackedHeads {
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
    return new StackedHeads({ weights, biases, heads: heads.map(({ labels, squashing }) => ({ labels, squashing })) });
  }

  /** Scores with a table as it is (stacked by {@link stack}, or read back from a model file); keeps it, no copy. */
  constructor(readonly table: StackedTable) {
    const { weights, biases, heads } = table;
    const offsets: number[] = [];
    let width = 0;
    for (const head of heads) {
      offsets.push(width);
      width += head.labels.length;
    }
    if (biases.length !== width || weights.length % Math.max(1, width) !== 0) {
      throw new RangeError(`stacked heads: ${width} columns, but ${biases.length} biases and ${weights.length} weights`);
    }
    this.weights = weights;
    this.biases = biases;
    this.width = width;
    this.squashings = heads.map((head) => head.squashing);
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
    for (let head = 0; head < this.headScores.length; head += 1) squashInPlace(this.squashings[head], this.headScores[head]);
    return this.headScores;
  }
}
