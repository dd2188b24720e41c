import { EncodedFeatures } from './feature-vocabulary';
import { LinearHead, scoreHead } from './linear-heads';
import { EncodedExample } from './softmax-regression';

export interface NaiveBayesSettings {
  /** Additive (Lidstone) smoothing of the feature counts. */
  smoothing: number;
  /**
   * Log-likelihoods are divided by this before the softmax: naive Bayes counts correlated
   * features (a stem, its bigrams and its character n-grams) as independent evidence, so its raw
   * posteriors are all but 0 or 1; tempered, they average sensibly with other models'.
   */
  temperature: number;
  /** Ignore how often each label occurs in training (every label equally likely a priori). */
  uniformPrior: boolean;
}

/** Chosen by 5-fold and cross-batch cross-validation on the training corpus. */
export const DEFAULT_NAIVE_BAYES_SETTINGS: NaiveBayesSettings = { smoothing: 0.1, temperature: 10, uniformPrior: true };

/**
 * Multinomial naive Bayes over weighted sparse features: each label's feature distribution is
 * the smoothed sum of the feature values of its examples. Generative, so a feature seen a few
 * times under one label keeps its full weight where a discriminative model would share it out: a
 * differently-biased second opinion. Training is counting, hence deterministic and fast.
 */
export class NaiveBayes {
  private constructor(
    readonly labels: readonly string[],
    /** Row-major log-likelihoods by feature id: feature i is [i * labels.length, (i + 1) * labels.length). */
    private readonly logLikelihoods: Float32Array,
    private readonly logPriors: Float64Array,
    private readonly temperature: number,
  ) {}

  /** `vocabularySize`: the number of feature ids (every id in the examples is below it). */
  static train(examples: readonly EncodedExample[], vocabularySize: number, settings: Partial<NaiveBayesSettings> = {}): NaiveBayes {
    const { smoothing, temperature, uniformPrior } = { ...DEFAULT_NAIVE_BAYES_SETTINGS, ...settings };
    if (!(smoothing > 0)) throw new RangeError(`naive Bayes smoothing must be positive, got ${smoothing}`);
    if (!(temperature > 0)) throw new RangeError(`naive Bayes temperature must be positive, got ${temperature}`);
    const labels: string[] = [];
    const labelIndex = new Map<string, number>();
    for (const { label } of examples) {
      if (!labelIndex.has(label)) {
        labelIndex.set(label, labels.length);
        labels.push(label);
      }
    }
    const labelCount = labels.length;
    const counts = new Float64Array(vocabularySize * labelCount);
    const totals = new Float64Array(labelCount);
    const examplesPerLabel = new Float64Array(labelCount);
    for (const { features, label } of examples) {
      const target = labelIndex.get(label) as number;
      examplesPerLabel[target] += 1;
      for (let position = 0; position < features.ids.length; position += 1) {
        counts[features.ids[position] * labelCount + target] += features.values[position];
        totals[target] += features.values[position];
      }
    }
    const logLikelihoods = new Float32Array(counts.length);
    for (let feature = 0; feature < vocabularySize; feature += 1) {
      for (let label = 0; label < labelCount; label += 1) {
        const cell = feature * labelCount + label;
        logLikelihoods[cell] = Math.log((counts[cell] + smoothing) / (totals[label] + smoothing * vocabularySize));
      }
    }
    const logPriors = new Float64Array(labelCount);
    if (!uniformPrior) for (let label = 0; label < labelCount; label += 1) logPriors[label] = Math.log(examplesPerLabel[label] / examples.length);
    return new NaiveBayes(labels, logLikelihoods, logPriors, temperature);
  }

  /** The model for scoring: log-likelihoods and log-priors, then a tempered softmax. */
  toHead(): LinearHead {
    return { labels: this.labels, weights: this.logLikelihoods, biases: this.logPriors, squashing: { kind: 'softmax', temperature: this.temperature } };
  }

  /** Tempered posterior of every label, in `labels` order. */
  probabilities(features: EncodedFeatures): Float64Array {
    return scoreHead(this.toHead(), features);
  }
}
