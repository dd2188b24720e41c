import { NeuralNetworkSettings } from '@nlpjs/neural';
import { LabelledUtterance, Taxonomy, UNCLASSIFIED_SECTOR } from '../taxonomy/taxonomy';
import {
  FeatureVector,
  PhraseFeatures,
  SparseFeatures,
  SpanishTextAnalyzer,
  TextAnalyzerOptions,
  isBigramFeature,
  toFeatureVector,
} from '../text/text-analyzer';
import { DeletionIndex } from '../text/typo-corrector';
import { deterministicShuffle } from './deterministic-shuffle';
import { EncodedFeatures, FeatureVocabulary } from './feature-vocabulary';
import { LinearHead, StackedHeads, StackedTable, scoreHead } from './linear-heads';
import { EncodedMessage, MessageEncoder } from './message-encoder';
import { NaiveBayes, NaiveBayesSettings } from './naive-bayes';
import { DEFAULT_TRAINING_SETTINGS, LabelScore, LabelledFeatures, NeuralLabelModel } from './neural-label-model';
import { EncodedExample, SoftmaxRegression, SoftmaxRegressionSettings } from './softmax-regression';

export interface TextModelOptions {
  analyzer?: Partial<TextAnalyzerOptions>;
  /** Settings of the @nlpjs/neural networks. */
  training?: NeuralNetworkSettings;
  /** Settings of the logistic regressions (sector and intent jointly, and the emergency one). */
  regression?: Partial<SoftmaxRegressionSettings>;
  /** Settings of the naive Bayes model (sector and intent jointly). */
  naiveBayes?: Partial<NaiveBayesSettings>;
  /**
   * How many times each emergency utterance is repeated in the emergency heads' training set.
   * Emergencies are a few percent of the corpus; without the extra weight the heads learn to say
   * "routine" almost always, and recall is the one figure that must not drop.
   */
  emergencyOversampling?: number;
  /**
   * Combinations of words (stem bigrams and phrase n-grams) seen in fewer training utterances than
   * this are left out of the vocabulary: a combination of one utterance teaches little (three in
   * four bigrams are such), and every feature kept is a row of weights read for each message that
   * has it. Single words, their negations, requests and character n-grams are all kept, so that a
   * sector added with a handful of examples still learns from each of their words.
   */
  minCombinationCount?: number;
}

const DEFAULT_MIN_COMBINATION_COUNT = 2;

/**
 * A filter that keeps, of a message's features, every word-level one but the bigrams seen in
 * fewer than `minCount` training utterances, and the phrase n-grams seen in at least that many.
 * Values are left as the analyser gave them (each family's weight shared among all its features),
 * as at inference, where unknown features are skipped the same way.
 */
function withoutRareCombinations(
  analyses: readonly { features: SparseFeatures; phrases: PhraseFeatures }[],
  minCount: number,
): (features: SparseFeatures, phrases: PhraseFeatures) => { features: SparseFeatures; phrases: PhraseFeatures } {
  if (minCount <= 1) return (features, phrases) => ({ features, phrases });
  const bigrams = new Map<string, number>();
  const codes = new Map<number, number>();
  for (const { features, phrases } of analyses) {
    for (const name of features.names) if (isBigramFeature(name)) bigrams.set(name, (bigrams.get(name) ?? 0) + 1);
    for (const code of phrases.codes) codes.set(code, (codes.get(code) ?? 0) + 1);
  }
  return (features, phrases) => {
    const names: string[] = [];
    const values: number[] = [];
    features.names.forEach((name, index) => {
      if (isBigramFeature(name) && (bigrams.get(name) ?? 0) < minCount) return;
      names.push(name);
      values.push(features.values[index]);
    });
    return { features: { names, values }, phrases: { codes: phrases.codes.filter((code) => (codes.get(code) ?? 0) >= minCount), value: phrases.value } };
  };
}

/**
 * The networks stop after this many epochs. In the ensemble an early-stopped network generalises
 * as well as one trained until it fits the corpus (5-fold and cross-batch cross-validation on the
 * training corpus) and trains in a third of the time.
 */
const NETWORK_EPOCHS = 8;

/**
 * Weight of naive Bayes in the sector score (the network and the regression weigh 1). Naive Bayes
 * is biased against broad classes: `unclassified` spreads over many topics, so each of its
 * features is unlikely and the model seldom picks it. At half weight it still helps on the
 * sectors without pulling chit-chat into them (cross-validation on the training corpus).
 */
const BAYES_SECTOR_WEIGHT = 0.5;

const EMERGENCY_LABEL = 'emergency';
const ROUTINE_LABEL = 'routine';

export interface TrainingReport {
  utterances: number;
  features: number;
  /** Time spent training in this process: 0 for a model read back from a file (trained at build time). */
  milliseconds: number;
  epochs: { sector: number; emergency: number; intents: Record<string, number> };
}

/** A sector/intent pair, the label of the joint models. */
export interface JointLabel {
  sector: string;
  /** Empty for `unclassified` (and for a sector trained without intents). */
  intent: string;
}

/**
 * Everything a trained {@link TextModel} classifies with, as plain values and typed arrays: what a
 * model file holds (model-file-format.ts). {@link TextModel.fromSnapshot} rebuilds a model that
 * answers exactly as the one {@link TextModel.snapshot} was taken from.
 */
export interface TextModelSnapshot {
  /** The analyser's options, defaults filled in. */
  readonly analyzerOptions: TextAnalyzerOptions;
  /** The typo corrector's vocabulary (the training words in order of first appearance, and how often each was seen) and its index. */
  readonly typoVocabulary: { readonly words: readonly string[]; readonly frequencies: Int32Array; readonly index: DeletionIndex };
  /** The feature vocabulary: word-level feature names and phrase n-gram codes, each with its id, in the vocabulary's order. */
  readonly wordLevelFeatures: { readonly names: readonly string[]; readonly ids: Int32Array };
  readonly phraseNgrams: { readonly codes: Int32Array; readonly ids: Int32Array };
  readonly sectors: readonly string[];
  readonly jointLabels: readonly JointLabel[];
  /** The stacked heads, in {@link HEAD} order. */
  readonly heads: StackedTable;
  readonly intentNetworks: readonly { readonly sector: string; readonly head: LinearHead }[];
  /** What training reported, less its duration (a file's bytes must not depend on how busy the machine was). */
  readonly report: Omit<TrainingReport, 'milliseconds'>;
}

/** Every model's scores for one message (see {@link TextModel.scoresOf}). */
interface MessageScores {
  /** Per sector (in `sectors` order): the sector network's score. */
  sectorNetwork: Float64Array;
  /** The encoded message: its word-level features known in training first, then its known phrase n-grams. */
  encoded: EncodedFeatures;
  emergencyNetwork: number;
  /** Per joint label: the logistic regression's and naive Bayes' probabilities. */
  jointRegression: Float64Array;
  jointBayes: Float64Array;
  emergencyRegression: number;
}

/**
 * The text side of the classifier: an ensemble of three differently-biased models over the same
 * features, whose scores are averaged.
 * - @nlpjs/neural networks over the word-level features (stems, bigrams, negations, word
 *   n-grams): a sector network (every sector, `unclassified` included), one intent network per
 *   sector (trained on that sector's utterances only) and an emergency head;
 * - a multinomial logistic regression over every feature (phrase n-grams too), trained on
 *   sector/intent pairs: its sector score is the sum over the sector's pairs, its intent score
 *   within a sector the pair's share of that sum;
 * - a multinomial naive Bayes over the same features and pairs, read the same way.
 * The emergency score averages the network's emergency head with a logistic regression trained
 * on the emergency label of every utterance whatever its sector (a customer can faint in a bank
 * branch).
 *
 * After training, every model is a linear layer over one shared feature vocabulary plus its own
 * squashing; the layers are stacked into one table, so a message is looked up once and walked
 * once for all models.
 */
export class TextModel {
  private readonly sectorIndex: ReadonlyMap<string, number>;
  /** For every joint label, the index of its sector in `sectors`. */
  private readonly jointSectorOf: Int32Array;
  /** For every sector, its intents' joint label indices. */
  private readonly jointIntents: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** For every label of the sector network, the index of its sector in `sectors`. */
  private readonly networkSectorOf: Int32Array;
  private readonly networkEmergencyIndex: number;
  private readonly regressionEmergencyIndex: number;
  /**
   * One-message memo: `classify` asks for the emergency score, the sectors and the intent of the
   * same analysis; the models run once. (Its joint scores are views of the stacked heads' buffer,
   * which the next message's scoring overwrites: only the memo may keep them.)
   */
  private memo: { analysis: EncodedMessage; scores: MessageScores } | undefined;

  private constructor(
    private readonly encoder: MessageEncoder,
    /** Every sector any model can answer, in a fixed order. */
    private readonly sectors: readonly string[],
    private readonly jointLabels: readonly JointLabel[],
    private readonly heads: StackedHeads,
    /** Per sector with intents, its intent network (scored only for the chosen sector). */
    private readonly intentNetworks: ReadonlyMap<string, LinearHead>,
    readonly report: TrainingReport,
  ) {
    this.sectorIndex = new Map(sectors.map((sector, index) => [sector, index]));
    this.jointSectorOf = Int32Array.from(jointLabels, ({ sector }) => this.sectorIndex.get(sector) ?? -1);
    const jointIntents = new Map<string, Map<string, number>>();
    jointLabels.forEach(({ sector, intent }, index) => {
      if (intent === '') return;
      let intents = jointIntents.get(sector);
      if (!intents) jointIntents.set(sector, (intents = new Map()));
      intents.set(intent, index);
    });
    this.jointIntents = jointIntents;
    this.networkSectorOf = Int32Array.from(heads.labels[HEAD.sectorNetwork], (sector) => this.sectorIndex.get(sector) ?? -1);
    this.networkEmergencyIndex = heads.labels[HEAD.emergencyNetwork].indexOf(EMERGENCY_LABEL);
    this.regressionEmergencyIndex = heads.labels[HEAD.emergencyRegression].indexOf(EMERGENCY_LABEL);
  }

  static train(utterances: readonly LabelledUtterance[], taxonomy: Taxonomy, options: TextModelOptions = {}): TextModel {
    const started = process.hrtime.bigint();
    const training = { ...DEFAULT_TRAINING_SETTINGS, iterations: NETWORK_EPOCHS, ...options.training };
    const analyzer = new SpanishTextAnalyzer(options.analyzer);
    analyzer.learnVocabulary(utterances.map((u) => u.text));

    const vocabulary = new FeatureVocabulary();
    const analyses = deterministicShuffle(utterances).map((utterance) => ({ utterance, ...analyzer.analyse(utterance.text) }));
    const keep = withoutRareCombinations(analyses, options.minCombinationCount ?? DEFAULT_MIN_COMBINATION_COUNT);
    const analysed = analyses.map(({ utterance, ...analysis }) => {
      const { features, phrases } = keep(analysis.features, analysis.phrases);
      // The networks learn the word-level features only: phrase n-grams slow them down and add nothing to the ensemble.
      return { utterance, networkFeatures: toFeatureVector(features), encoded: vocabulary.addAndEncode(features, phrases) };
    });

    const sectorNetwork = NeuralLabelModel.train(
      analysed.map(({ utterance, networkFeatures }) => ({ features: networkFeatures, label: utterance.sector })),
      training,
    );

    const intentNetworks = new Map<string, LinearHead>();
    const intentEpochs: Record<string, number> = {};
    for (const [sector, intents] of taxonomy) {
      if (sector === UNCLASSIFIED_SECTOR || intents.length === 0) continue;
      const examples: LabelledFeatures[] = analysed
        .filter(({ utterance }) => utterance.sector === sector && intents.includes(utterance.intent))
        .map(({ utterance, networkFeatures }) => ({ features: networkFeatures, label: utterance.intent }));
      if (examples.length === 0) continue;
      const model = NeuralLabelModel.train(examples, training);
      intentNetworks.set(sector, model.onVocabulary(vocabulary));
      intentEpochs[sector] = model.epochs;
    }

    const oversampling = Math.max(1, Math.round(options.emergencyOversampling ?? 3));
    const emergencyExamples: { networkFeatures: FeatureVector; encoded: EncodedFeatures; label: string }[] = [];
    for (const { utterance, networkFeatures, encoded } of analysed) {
      const label = utterance.emergency ? EMERGENCY_LABEL : ROUTINE_LABEL;
      const copies = utterance.emergency ? oversampling : 1;
      for (let copy = 0; copy < copies; copy += 1) emergencyExamples.push({ networkFeatures, encoded, label });
    }
    const shuffledEmergencies = deterministicShuffle(emergencyExamples, 0xe3e7);
    const emergencyNetwork = NeuralLabelModel.train(
      shuffledEmergencies.map(({ networkFeatures, label }) => ({ features: networkFeatures, label })),
      training,
    );
    const emergencyRegression = SoftmaxRegression.train(
      shuffledEmergencies.map(({ encoded, label }) => ({ features: encoded, label })),
      vocabulary.size,
      options.regression,
    );

    // Joint sector/intent labels; a sector's utterances whose intent is not one of its intents
    // (`unclassified`, or a sector without intents) count for the sector alone.
    const jointKeys = new Map<string, JointLabel>();
    const jointExamples: EncodedExample[] = analysed.map(({ utterance, encoded }) => {
      const intent = (taxonomy.get(utterance.sector) ?? []).includes(utterance.intent) ? utterance.intent : '';
      const key = `${utterance.sector}/${intent}`;
      if (!jointKeys.has(key)) jointKeys.set(key, { sector: utterance.sector, intent });
      return { features: encoded, label: key };
    });
    const jointRegression = SoftmaxRegression.train(jointExamples, vocabulary.size, options.regression);
    const jointBayes = NaiveBayes.train(jointExamples, vocabulary.size, options.naiveBayes);
    // Both models list their labels in first-appearance order, the order of jointKeys.
    const jointLabels = jointRegression.labels.map((key) => jointKeys.get(key) as JointLabel);

    const sectors = [...new Set([...taxonomy.keys(), ...sectorNetwork.labels, ...jointLabels.map(({ sector }) => sector)])];
    const heads = StackedHeads.stack(vocabulary.size, [
      sectorNetwork.onVocabulary(vocabulary),
      emergencyNetwork.onVocabulary(vocabulary),
      emergencyRegression.toHead(),
      jointRegression.toHead(),
      jointBayes.toHead(),
    ]);
    const report: TrainingReport = {
      utterances: utterances.length,
      features: vocabulary.size,
      milliseconds: Number(process.hrtime.bigint() - started) / 1e6,
      epochs: { sector: sectorNetwork.epochs, emergency: emergencyNetwork.epochs, intents: intentEpochs },
    };
    return new TextModel(new MessageEncoder(analyzer, vocabulary), sectors, jointLabels, heads, intentNetworks, report);
  }

  /**
   * The model as data, sharing its arrays (nothing is copied: the caller must not change them).
   * Written to a model file at build time so that services load instead of training.
   */
  snapshot(): TextModelSnapshot {
    const { analyzer, vocabulary } = this.encoder;
    const typoVocabulary = analyzer.vocabulary;
    const typoIndex = analyzer.typoIndex;
    if (!typoVocabulary || !typoIndex) throw new Error('text model: the analyser has no learnt vocabulary');
    const wordLevel = [...vocabulary.wordLevelFeatures()];
    const phrases = [...vocabulary.phraseNgrams()];
    const { milliseconds: _milliseconds, ...report } = this.report;
    return {
      analyzerOptions: { ...analyzer.settings, familyWeights: { ...analyzer.settings.familyWeights } },
      typoVocabulary: { words: [...typoVocabulary.keys()], frequencies: Int32Array.from(typoVocabulary.values()), index: typoIndex },
      wordLevelFeatures: { names: wordLevel.map(([name]) => name), ids: Int32Array.from(wordLevel, ([, id]) => id) },
      // Phrase n-gram codes are below 37⁵ < 2³¹ (phraseNgramCode): exact in 32 bits.
      phraseNgrams: { codes: Int32Array.from(phrases, ([code]) => code), ids: Int32Array.from(phrases, ([, id]) => id) },
      sectors: this.sectors,
      jointLabels: this.jointLabels,
      heads: this.heads.table,
      intentNetworks: [...this.intentNetworks].map(([sector, head]) => ({ sector, head })),
      report,
    };
  }

  /** The model a snapshot was taken from, answering exactly as it did. Throws on a snapshot whose parts do not fit together. */
  static fromSnapshot(snapshot: TextModelSnapshot): TextModel {
    const analyzer = new SpanishTextAnalyzer(snapshot.analyzerOptions);
    const { words, frequencies, index: deletionIndex } = snapshot.typoVocabulary;
    if (frequencies.length !== words.length) throw new RangeError('text model snapshot: typo vocabulary words and frequencies differ in number');
    const typoVocabulary = new Map<string, number>();
    for (let index = 0; index < words.length; index += 1) typoVocabulary.set(words[index], frequencies[index]);
    analyzer.useVocabulary(typoVocabulary, deletionIndex);
    const { wordLevelFeatures, phraseNgrams } = snapshot;
    const vocabulary = FeatureVocabulary.restore(wordLevelFeatures.names, wordLevelFeatures.ids, phraseNgrams.codes, phraseNgrams.ids);
    const heads = new StackedHeads(snapshot.heads);
    const { sectors, jointLabels } = snapshot;
    const known = new Set(sectors);
    const checks: [boolean, string][] = [
      [heads.labels.length === HEAD_COUNT, `${heads.labels.length} stacked heads, not ${HEAD_COUNT}`],
      [snapshot.heads.weights.length === vocabulary.size * snapshot.heads.biases.length, 'stacked weights do not match the vocabulary'],
      [
        heads.labels[HEAD.jointRegression]?.length === jointLabels.length && heads.labels[HEAD.jointBayes]?.length === jointLabels.length,
        'joint heads do not match the joint labels',
      ],
      [
        [...(heads.labels[HEAD.sectorNetwork] ?? []), ...jointLabels.map(({ sector }) => sector)].every((sector) => known.has(sector)),
        'a label names an unknown sector',
      ],
      [
        snapshot.intentNetworks.every(({ head }) => head.weights.length === vocabulary.size * head.labels.length && head.biases.length === head.labels.length),
        'an intent network does not match the vocabulary',
      ],
    ];
    const problem = checks.find(([holds]) => !holds)?.[1];
    if (problem) throw new RangeError(`text model snapshot: ${problem}`);
    const intentNetworks = new Map(snapshot.intentNetworks.map(({ sector, head }) => [sector, head]));
    return new TextModel(new MessageEncoder(analyzer, vocabulary), sectors, jointLabels, heads, intentNetworks, { ...snapshot.report, milliseconds: 0 });
  }

  /** The message as the other methods take it: its words and its features seen in training. */
  analyse(text: string): EncodedMessage {
    return this.encoder.encode(text);
  }

  /** Word-level features of the text seen in training (what the networks know); zero means the model recognises nothing of it. */
  countKnownFeatures(analysis: EncodedMessage): number {
    return this.scoresOf(analysis).encoded.wordLevelCount;
  }

  /**
   * Sectors best first, each scored with the weighted mean of the three models' scores (0..1; naive
   * Bayes at half weight), and how many word-level features of the text were seen in training.
   */
  rankSectors(analysis: EncodedMessage): { ranking: LabelScore[]; knownFeatures: number } {
    const scores = this.scoresOf(analysis);
    const combined = Float64Array.from(scores.sectorNetwork);
    for (let joint = 0; joint < this.jointLabels.length; joint += 1) {
      combined[this.jointSectorOf[joint]] += scores.jointRegression[joint] + BAYES_SECTOR_WEIGHT * scores.jointBayes[joint];
    }
    const ranking = this.sectors
      .map((label, index) => ({ label, score: Math.min(1, combined[index] / (2 + BAYES_SECTOR_WEIGHT)) }))
      .sort((a, b) => b.score - a.score || (a.label < b.label ? -1 : 1));
    return { ranking, knownFeatures: scores.encoded.wordLevelCount };
  }

  /**
   * The most likely intent within `sector` (mean of the sector's intent network and of the joint
   * models' share of each intent within the sector), or undefined when the sector has no trained
   * intents. `excluded`: an intent left out of the choice.
   */
  bestIntent(sector: string, analysis: EncodedMessage, excluded?: string): LabelScore | undefined {
    const network = this.intentNetworks.get(sector);
    if (!network) return undefined;
    const scores = this.scoresOf(analysis);
    // The networks know only the word-level features, which come first.
    const networkScores = scoreHead(network, scores.encoded, scores.encoded.wordLevelCount);
    const { labels } = network;
    const jointIntents = this.jointIntents.get(sector);
    let regressionTotal = 0;
    let bayesTotal = 0;
    for (const joint of jointIntents?.values() ?? []) {
      regressionTotal += scores.jointRegression[joint];
      bayesTotal += scores.jointBayes[joint];
    }
    let best: LabelScore | undefined;
    for (let index = 0; index < labels.length; index += 1) {
      const label = labels[index];
      if (label === excluded) continue;
      let total = networkScores[index];
      let models = 1;
      const joint = jointIntents?.get(label);
      if (joint !== undefined && regressionTotal > 0 && bayesTotal > 0) {
        total += scores.jointRegression[joint] / regressionTotal + scores.jointBayes[joint] / bayesTotal;
        models = 3;
      }
      const combined = Math.min(1, total / models);
      if (best === undefined || combined > best.score || (combined === best.score && label < best.label)) best = { label, score: combined };
    }
    return best;
  }

  /** 0..1: how strongly the emergency heads lean towards "life, health or property at risk now" (their mean). */
  emergencyScore(analysis: EncodedMessage): number {
    const scores = this.scoresOf(analysis);
    return (scores.emergencyNetwork + scores.emergencyRegression) / 2;
  }

  private scoresOf(analysis: EncodedMessage): MessageScores {
    if (this.memo?.analysis === analysis) return this.memo.scores;
    const encoded = analysis.features;
    const heads = this.heads.score(encoded);
    const sectorNetwork = new Float64Array(this.sectors.length);
    heads[HEAD.sectorNetwork].forEach((score, index) => (sectorNetwork[this.networkSectorOf[index]] = score));
    const scores: MessageScores = {
      sectorNetwork,
      encoded,
      emergencyNetwork: this.networkEmergencyIndex < 0 ? 0 : heads[HEAD.emergencyNetwork][this.networkEmergencyIndex],
      emergencyRegression: this.regressionEmergencyIndex < 0 ? 0 : heads[HEAD.emergencyRegression][this.regressionEmergencyIndex],
      jointRegression: heads[HEAD.jointRegression],
      jointBayes: heads[HEAD.jointBayes],
    };
    this.memo = { analysis, scores };
    return scores;
  }
}

/** Positions of the heads in the stack. */
const HEAD = { sectorNetwork: 0, emergencyNetwork: 1, emergencyRegression: 2, jointRegression: 3, jointBayes: 4 } as const;
const HEAD_COUNT = Object.keys(HEAD).length;
