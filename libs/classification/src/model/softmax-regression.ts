import { deterministicShuffle } from './deterministic-shuffle';
import { EncodedFeatures, softmaxInPlace } from './feature-vocabulary';
import { LinearHead, scoreHead } from './linear-heads';

export interface EncodedExample {
  features: EncodedFeatures;
  label: string;
}

export interface SoftmaxRegressionSettings {
  /** Passes over the examples. */
  epochs: number;
  /** AdaGrad base step. */
  learningRate: number;
  /** L2 penalty, applied to the weights each example touches. */
  l2: number;
  /** Seed of the per-epoch example order. */
  seed: number;
}

/** Chosen by 5-fold and cross-batch cross-validation on the training corpus. */
export const DEFAULT_SOFTMAX_SETTINGS: SoftmaxRegressionSettings = { epochs: 12, learningRate: 0.1, l2: 0.0003, seed: 0x50f7 };

/**
 * Multinomial logistic regression over encoded sparse features, trained with AdaGrad (a step
 * per weight that shrinks with the gradients it has seen, so rare features still learn) and an
 * L2 penalty. Deterministic: weights start at zero and the examples are visited in a seeded
 * order. Its outputs are probabilities, easy to average with other models'.
 */
export class SoftmaxRegression {
  private constructor(
    readonly labels: readonly string[],
    /** Row-major by feature id: the weights of feature i are [i * labels.length, (i + 1) * labels.length). */
    private readonly weights: Float32Array,
    private readonly biases: Float64Array,
  ) {}

  /** `vocabularySize`: the number of feature ids (every id in the examples is below it). */
  static train(examples: readonly EncodedExample[], vocabularySize: number, settings: Partial<SoftmaxRegressionSettings> = {}): SoftmaxRegression {
    const { epochs, learningRate, l2, seed } = { ...DEFAULT_SOFTMAX_SETTINGS, ...settings };
    const labels: string[] = [];
    const labelIndex = new Map<string, number>();
    const targets = examples.map(({ label }) => {
      let target = labelIndex.get(label);
      if (target === undefined) {
        target = labels.length;
        labels.push(label);
        labelIndex.set(label, target);
      }
      return target;
    });
    const labelCount = labels.length;
    const weights = new Float64Array(vocabularySize * labelCount);
    const squaredGradients = new Float64Array(vocabularySize * labelCount);
    const biases = new Float64Array(labelCount);
    const biasSquaredGradients = new Float64Array(labelCount);
    const probabilities = new Float64Array(labelCount);
    const EPSILON = 1e-8;
    // A local, not a global read per weight: under jest the globals of the test's vm context sit
    // behind an interceptor that keeps `Math.sqrt` from being inlined, and this loop, the bulk of
    // training, ran twelve times slower there than in a plain process.
    const { sqrt } = Math;
    const order = examples.map((_, index) => index);
    for (let epoch = 0; epoch < epochs && labelCount > 1; epoch += 1) {
      for (const index of deterministicShuffle(order, seed + epoch)) {
        const { ids, values } = examples[index].features;
        // The same sums as linearScoresInto, kept apart so that scoring only ever sees Float32 tables.
        probabilities.set(biases);
        for (let position = 0; position < ids.length; position += 1) {
          const base = ids[position] * labelCount;
          for (let label = 0; label < labelCount; label += 1) probabilities[label] += values[position] * weights[base + label];
        }
        softmaxInPlace(probabilities);
        for (let label = 0; label < labelCount; label += 1) {
          const error = probabilities[label] - (label === targets[index] ? 1 : 0);
          for (let position = 0; position < ids.length; position += 1) {
            const cell = ids[position] * labelCount + label;
            const gradient = error * values[position] + l2 * weights[cell];
            squaredGradients[cell] += gradient * gradient;
            weights[cell] -= (learningRate * gradient) / sqrt(squaredGradients[cell] + EPSILON);
          }
          biasSquaredGradients[label] += error * error;
          biases[label] -= (learningRate * error) / sqrt(biasSquaredGradients[label] + EPSILON);
        }
      }
    }
    return new SoftmaxRegression(labels, Float32Array.from(weights), biases);
  }

  /** The model for scoring: its weights, then a softmax. */
  toHead(): LinearHead {
    return { labels: this.labels, weights: this.weights, biases: this.biases, squashing: { kind: 'softmax', temperature: 1 } };
  }

  /** Probability of every label, in `labels` order. */
  probabilities(features: EncodedFeatures): Float64Array {
    return scoreHead(this.toHead(), features);
  }
}
