import { NeuralNetwork, NeuralNetworkSettings, NeuralTrainingItem } from '@nlpjs/neural';
import { FeatureVector, SparseFeatures, toFeatureVector } from '../text/text-analyzer';
import { FeatureVocabulary } from './feature-vocabulary';
import { LinearHead } from './linear-heads';

export interface LabelledFeatures {
  features: FeatureVector;
  label: string;
}

export interface LabelScore {
  label: string;
  /** 0..1; see {@link NeuralLabelModel.rank}. */
  score: number;
}

/**
 * nlp.js's own defaults (20 000 epochs at learning rate 0.6) take minutes on a few thousand
 * utterances and memorise them. A lower rate generalises better to unseen wordings (chosen by
 * 5-fold cross-validation on the training corpus), and the error threshold stops training once
 * the corpus is fitted, usually after a few dozen epochs. (The text model's ensemble stops its
 * networks earlier still; see `NETWORK_EPOCHS` in text-model.ts.)
 */
export const DEFAULT_TRAINING_SETTINGS: NeuralNetworkSettings = { iterations: 250, learningRate: 0.2, errorThresh: 0.0005, deltaErrorThresh: 0.000001 };

/**
 * A one-layer @nlpjs/neural network over sparse text features, one output per label. Training is
 * deterministic: weights start at zero and the examples are visited in the given order.
 *
 * After training, the weights are read back through nlp.js's own export (`toJSON`) into a
 * feature → weights table, and scoring walks the message's features once for all labels. This
 * computes exactly what `NeuralNetwork.run` computes (rectified, scaled weighted sum per output)
 * without its per-call object building, which matters at tens of microseconds per message.
 */
export class NeuralLabelModel {
  private readonly featureIndex: ReadonlyMap<string, number>;
  /** Row-major: the weights of feature i are [i * labels.length, (i + 1) * labels.length). */
  private readonly weights: Float32Array;
  private readonly biases: Float64Array;
  private readonly alpha: number;

  private constructor(
    private readonly network: NeuralNetwork,
    readonly labels: readonly string[],
    readonly epochs: number,
  ) {
    const exported = network.toJSON();
    const features = exported.features ?? [];
    const exportedLabels = exported.intents ?? [];
    const rows = exported.perceptrons ?? [];
    this.featureIndex = new Map(features.map((feature, index) => [feature, index]));
    this.weights = new Float32Array(features.length * labels.length);
    this.biases = new Float64Array(labels.length);
    labels.forEach((label, labelIndex) => {
      const row = rows[exportedLabels.indexOf(label)];
      if (!row) return;
      for (let feature = 0; feature < features.length; feature += 1) this.weights[feature * labels.length + labelIndex] = row[feature];
      this.biases[labelIndex] = row[features.length];
    });
    this.alpha = network.settings.alpha;
  }

  static train(examples: readonly LabelledFeatures[], settings: NeuralNetworkSettings = DEFAULT_TRAINING_SETTINGS): NeuralLabelModel {
    const network = new NeuralNetwork({ ...DEFAULT_TRAINING_SETTINGS, ...settings, log: false });
    const labels: string[] = [];
    const items: NeuralTrainingItem[] = examples.map(({ features, label }) => {
      if (!labels.includes(label)) labels.push(label);
      // nlp.js mutates the training items it is given; hand it copies.
      return { input: { ...features }, output: { [label]: 1 } };
    });
    const status = items.length > 0 ? network.train(items) : { iterations: 0 };
    return new NeuralLabelModel(network, labels, status.iterations);
  }

  /** How many of the features were seen in training: zero means the model knows nothing of this text. */
  countKnownFeatures(features: SparseFeatures): number {
    let count = 0;
    for (const name of features.names) if (this.featureIndex.has(name)) count += 1;
    return count;
  }

  /** The raw output of every label, in `labels` order (what nlp.js's `run` returns). */
  outputs(features: SparseFeatures): Float64Array {
    return this.evaluate(features).outputs;
  }

  /** Outputs, and how many of the features the model knows, in one pass. */
  evaluate(features: SparseFeatures): { outputs: Float64Array; knownFeatures: number } {
    const labelCount = this.labels.length;
    const sums = Float64Array.from(this.biases);
    let knownFeatures = 0;
    const { names, values } = features;
    for (let position = 0; position < names.length; position += 1) {
      const index = this.featureIndex.get(names[position]);
      if (index === undefined) continue;
      knownFeatures += 1;
      const value = values[position];
      const base = index * labelCount;
      for (let label = 0; label < labelCount; label += 1) sums[label] += value * this.weights[base + label];
    }
    for (let label = 0; label < labelCount; label += 1) sums[label] = sums[label] <= 0 ? 0 : this.alpha * sums[label];
    return { outputs: sums, knownFeatures };
  }

  /**
   * The same network with its weights laid out by the ids of a shared vocabulary (features the
   * network never saw get zero weights, as nlp.js ignores them), for scoring encoded messages:
   * several models then share one lookup of the message's features.
   */
  onVocabulary(vocabulary: FeatureVocabulary): LinearHead {
    const labelCount = this.labels.length;
    const weights = new Float32Array(vocabulary.size * labelCount);
    for (const [feature, index] of this.featureIndex) {
      const id = vocabulary.idOf(feature);
      if (id === undefined) continue;
      for (let label = 0; label < labelCount; label += 1) weights[id * labelCount + label] = this.weights[index * labelCount + label];
    }
    return { labels: this.labels, weights, biases: Float64Array.from(this.biases), squashing: { kind: 'rectified', alpha: this.alpha } };
  }

  /** The same outputs through nlp.js itself; kept to check that the fast path agrees with it. */
  outputsFromNetwork(features: SparseFeatures): Record<string, number> {
    return { ...(this.network.run(toFeatureVector(features)) ?? {}) };
  }

  /**
   * Every label with a score, best first. The outputs are rectified activations trained towards 1
   * for the right label and 0 for the others; each is divided by their sum, or by 1 when the sum
   * is below 1, so that a text that activates nothing strongly gets low scores everywhere instead
   * of being inflated into certainty.
   */
  rank(features: SparseFeatures): LabelScore[] {
    return this.rankWithCoverage(features).ranking;
  }

  /** The ranking, and how many of the features the model knows (zero: it knows nothing of this text). */
  rankWithCoverage(features: SparseFeatures): { ranking: LabelScore[]; knownFeatures: number } {
    if (this.labels.length === 0) return { ranking: [], knownFeatures: 0 };
    const { outputs, knownFeatures } = this.evaluate(features);
    let total = 0;
    for (const output of outputs) total += output;
    const denominator = Math.max(1, total);
    const ranking = this.labels
      .map((label, index) => ({ label, score: Math.min(1, outputs[index] / denominator) }))
      .sort((a, b) => b.score - a.score || (a.label < b.label ? -1 : 1));
    return { ranking, knownFeatures };
  }

  /** The score of one label (see {@link rank}), without sorting the others. */
  scoreOf(features: SparseFeatures, label: string): number {
    const index = this.labels.indexOf(label);
    if (index < 0) return 0;
    const outputs = this.outputs(features);
    let total = 0;
    for (const output of outputs) total += output;
    return Math.min(1, outputs[index] / Math.max(1, total));
  }
}
