import { NeuralNetworkSettings } from '@nlpjs/neural';
import { LabelledUtterance, Taxonomy, UNCLASSIFIED_SECTOR } from '../taxonomy/taxonomy';
import { SpanishTextAnalyzer, TextAnalysis, TextAnalyzerOptions, toFeatureVector } from '../text/text-analyzer';
import { deterministicShuffle } from './deterministic-shuffle';
import { DEFAULT_TRAINING_SETTINGS, LabelScore, LabelledFeatures, NeuralLabelModel } from './neural-label-model';

export interface TextModelOptions {
  analyzer?: Partial<TextAnalyzerOptions>;
  training?: NeuralNetworkSettings;
  /**
   * How many times each emergency utterance is repeated in the emergency head's training set.
   * Emergencies are a few percent of the corpus; without the extra weight the head learns to say
   * "routine" almost always, and recall is the one figure that must not drop.
   */
  emergencyOversampling?: number;
}

const EMERGENCY_LABEL = 'emergency';
const ROUTINE_LABEL = 'routine';

export interface TrainingReport {
  utterances: number;
  features: number;
  milliseconds: number;
  epochs: { sector: number; emergency: number; intents: Record<string, number> };
}

/**
 * The text side of the classifier: three families of @nlpjs/neural networks over the same features.
 * - a sector network (every sector, `unclassified` included);
 * - one intent network per sector, trained on that sector's utterances only, so the intent is
 *   always one of the chosen sector's intents;
 * - an emergency head, trained on the emergency label of every utterance whatever its sector
 *   (a customer can faint in a bank branch).
 */
export class TextModel {
  private constructor(
    private readonly analyzer: SpanishTextAnalyzer,
    private readonly sectorModel: NeuralLabelModel,
    private readonly intentModels: ReadonlyMap<string, NeuralLabelModel>,
    private readonly emergencyModel: NeuralLabelModel,
    readonly report: TrainingReport,
  ) {}

  static train(utterances: readonly LabelledUtterance[], taxonomy: Taxonomy, options: TextModelOptions = {}): TextModel {
    const started = process.hrtime.bigint();
    const training = { ...DEFAULT_TRAINING_SETTINGS, ...options.training };
    const analyzer = new SpanishTextAnalyzer(options.analyzer);
    analyzer.learnVocabulary(utterances.map((u) => u.text));

    const analysed = deterministicShuffle(utterances).map((utterance) => ({ utterance, features: toFeatureVector(analyzer.analyse(utterance.text).features) }));
    const featureCount = new Set(analysed.flatMap(({ features }) => Object.keys(features))).size;

    const sectorModel = NeuralLabelModel.train(
      analysed.map(({ utterance, features }) => ({ features, label: utterance.sector })),
      training,
    );

    const intentModels = new Map<string, NeuralLabelModel>();
    const intentEpochs: Record<string, number> = {};
    for (const [sector, intents] of taxonomy) {
      if (sector === UNCLASSIFIED_SECTOR || intents.length === 0) continue;
      const examples: LabelledFeatures[] = analysed
        .filter(({ utterance }) => utterance.sector === sector && intents.includes(utterance.intent))
        .map(({ utterance, features }) => ({ features, label: utterance.intent }));
      if (examples.length === 0) continue;
      const model = NeuralLabelModel.train(examples, training);
      intentModels.set(sector, model);
      intentEpochs[sector] = model.epochs;
    }

    const oversampling = Math.max(1, Math.round(options.emergencyOversampling ?? 3));
    const emergencyExamples: LabelledFeatures[] = [];
    for (const { utterance, features } of analysed) {
      const label = utterance.emergency ? EMERGENCY_LABEL : ROUTINE_LABEL;
      const copies = utterance.emergency ? oversampling : 1;
      for (let copy = 0; copy < copies; copy += 1) emergencyExamples.push({ features, label });
    }
    const emergencyModel = NeuralLabelModel.train(deterministicShuffle(emergencyExamples, 0xe3e7), training);

    const report: TrainingReport = {
      utterances: utterances.length,
      features: featureCount,
      milliseconds: Number(process.hrtime.bigint() - started) / 1e6,
      epochs: { sector: sectorModel.epochs, emergency: emergencyModel.epochs, intents: intentEpochs },
    };
    return new TextModel(analyzer, sectorModel, intentModels, emergencyModel, report);
  }

  analyse(text: string): TextAnalysis {
    return this.analyzer.analyse(text);
  }

  /** Features of the text the sector network was trained on; zero means it recognises nothing. */
  countKnownFeatures(analysis: TextAnalysis): number {
    return this.sectorModel.countKnownFeatures(analysis.features);
  }

  /** Sectors best first, and how many features of the text the sector network knows. */
  rankSectors(analysis: TextAnalysis): { ranking: LabelScore[]; knownFeatures: number } {
    return this.sectorModel.rankWithCoverage(analysis.features);
  }

  /** The most likely intent within `sector`, or undefined when the sector has no trained intents. */
  bestIntent(sector: string, analysis: TextAnalysis): LabelScore | undefined {
    return this.intentModels.get(sector)?.rank(analysis.features)[0];
  }

  /** 0..1: how strongly the emergency head leans towards "life, health or property at risk now". */
  emergencyScore(analysis: TextAnalysis): number {
    return this.emergencyModel.scoreOf(analysis.features, EMERGENCY_LABEL);
  }
}
