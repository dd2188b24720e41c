import { Classification, ClassificationInput, Evidence, InteractionClassifier } from './classification';
import { EmergencyAssessment, EmergencyDetector } from './emergency/emergency-detector';
import { ClassifierMappings, findEntryPointMapping, findIvrPathMapping } from './mappings';
import { EncodedMessage } from './model/message-encoder';
import { TextModel } from './model/text-model';
import { OTHER_INTENT, Taxonomy, UNCLASSIFIED_INTENT, UNCLASSIFIED_SECTOR } from './taxonomy/taxonomy';

/** A classifier whose ops mappings can be swapped at run time, without retraining or restart. */
export interface ConfigurableClassifier extends InteractionClassifier {
  replaceMappings(mappings: ClassifierMappings): void;
  /** Every sector it can answer, with its intents (defaults plus extensions). */
  readonly sectors: ReadonlyMap<string, readonly string[]>;
}

export interface CombinedClassifierParts {
  model: TextModel;
  taxonomy: Taxonomy;
  mappings: ClassifierMappings;
  /** Below this text confidence the sector falls back to `unclassified`. */
  minConfidence: number;
  emergencyDetector?: EmergencyDetector;
}

interface MappedTarget {
  sector: string;
  intent?: string;
  emergency?: boolean;
}

/** The intent, in a sector that has it, of an interaction that is an emergency (insurance). */
const EMERGENCY_INTENT = 'emergency';

/** How many competing sectors the evidence names next to the winner. */
const RUNNERS_UP_IN_EVIDENCE = 2;

/**
 * Decides in the order the evidence deserves:
 * 1. an ops mapping of the IVR path, else of the entry point, fixes the sector (and the intent
 *    and emergency flag when the mapping sets them);
 * 2. the text gives the sector when no mapping did, the intent within the sector when the
 *    mapping left it open, and the emergency flag in every case (an emergency line mapping can
 *    only add urgency, never remove it);
 * 3. below `minConfidence`, or with no usable text, the sector is `unclassified`.
 */
export class CombinedClassifier implements ConfigurableClassifier {
  private mappings: ClassifierMappings;
  private readonly model: TextModel;
  private readonly minConfidence: number;
  private readonly emergencyDetector: EmergencyDetector;
  readonly sectors: ReadonlyMap<string, readonly string[]>;

  constructor(parts: CombinedClassifierParts) {
    if (!(parts.minConfidence >= 0 && parts.minConfidence <= 1)) {
      throw new RangeError(`minConfidence must be between 0 and 1, got ${parts.minConfidence}`);
    }
    this.model = parts.model;
    this.sectors = parts.taxonomy;
    this.mappings = parts.mappings;
    this.minConfidence = parts.minConfidence;
    this.emergencyDetector = parts.emergencyDetector ?? new EmergencyDetector();
  }

  replaceMappings(mappings: ClassifierMappings): void {
    // One reference swap: a classify() in progress keeps the mappings it started with.
    this.mappings = mappings;
  }

  classify(input: ClassificationInput): Classification {
    const mappings = this.mappings;
    const evidence: Evidence[] = [];
    let mapped: MappedTarget | undefined;
    const ivr = findIvrPathMapping(mappings.ivrPaths, input.entryPoint, input.ivrPath);
    if (ivr) {
      mapped = ivr;
      evidence.push({ source: 'ivr_path', detail: `IVR path ${ivr.path.join('>')} → ${ivr.sector}`, weight: 1 });
    } else {
      const entry = findEntryPointMapping(mappings.entryPoints, input.entryPoint, input.tenant);
      if (entry) {
        mapped = entry;
        evidence.push({ source: 'entry_point', detail: `entry point ${entry.entryPoint} → ${entry.sector}`, weight: 1 });
      }
    }

    const text = typeof input.text === 'string' ? input.text : '';
    const analysis = text.trim().length > 0 ? this.model.analyse(text) : undefined;
    const emergency = analysis ? this.assessEmergency(analysis) : undefined;

    const result = mapped ? this.classifyMapped(mapped, analysis, evidence) : this.classifyText(analysis, evidence);
    // An emergency line's mapping says it is one, whatever the text's assessment.
    if (analysis && emergency && !mapped?.intent) this.alignEmergencyIntent(result, analysis, mapped?.emergency ? 'emergency' : emergency.level, evidence);
    if (mapped?.emergency) {
      result.emergency = true;
    } else if (emergency?.level === 'emergency') {
      result.emergency = true;
      evidence.push({ source: 'emergency', detail: emergency.reason, weight: round(emergency.weight) });
    } else if (emergency?.level === 'possible') {
      result.possibleEmergency = true;
      evidence.push({ source: 'possible_emergency', detail: emergency.reason, weight: round(emergency.modelScore) });
    }
    result.evidence = evidence;
    return result;
  }

  /**
   * A sector with an `emergency` intent (insurance: an accident or a loss happening now) has it
   * exactly when the interaction is an emergency: the emergency assessment, which reads time,
   * negation and who is at risk, decides between it and the sector's other intents, not the
   * intent heads, which see the same words in "an accident last month" and "an accident now".
   * A possible emergency keeps the heads' choice.
   */
  private alignEmergencyIntent(result: Classification, analysis: EncodedMessage, level: EmergencyAssessment['level'], evidence: Evidence[]): void {
    if (!this.sectors.get(result.sector)?.includes(EMERGENCY_INTENT)) return;
    if (level === 'emergency' && result.intent !== EMERGENCY_INTENT) {
      evidence.push({ source: 'emergency', detail: `intent ${EMERGENCY_INTENT}: the interaction is an emergency (text said ${result.intent})`, weight: 1 });
      result.intent = EMERGENCY_INTENT;
    } else if (level === 'routine' && result.intent === EMERGENCY_INTENT) {
      const next = this.model.bestIntent(result.sector, analysis, EMERGENCY_INTENT);
      if (!next) return;
      evidence.push({ source: 'emergency', detail: `intent ${next.label}: nothing is at risk now (text said ${EMERGENCY_INTENT})`, weight: round(next.score) });
      result.intent = next.label;
    }
  }

  private assessEmergency(analysis: EncodedMessage): EmergencyAssessment {
    const asWritten = analysis.normalisedWords.join(' ');
    // Most messages have no typo: their corrected text is then the very same string.
    const corrected = analysis.hasCorrections ? analysis.words.join(' ') : asWritten;
    return this.emergencyDetector.assess(asWritten, corrected, this.model.emergencyScore(analysis));
  }

  private classifyMapped(mapped: MappedTarget, analysis: EncodedMessage | undefined, evidence: Evidence[]): Classification {
    let intent = mapped.intent;
    if (intent === undefined) {
      const fromText = analysis && this.model.countKnownFeatures(analysis) > 0 ? this.model.bestIntent(mapped.sector, analysis) : undefined;
      if (fromText) {
        intent = fromText.label;
        evidence.push({ source: 'text', detail: `intent ${fromText.label} within mapped sector ${mapped.sector}`, weight: round(fromText.score) });
      } else {
        intent = mapped.sector === UNCLASSIFIED_SECTOR ? UNCLASSIFIED_INTENT : OTHER_INTENT;
      }
    }
    return { sector: mapped.sector, intent, emergency: false, confidence: 1, evidence };
  }

  private classifyText(analysis: EncodedMessage | undefined, evidence: Evidence[]): Classification {
    if (!analysis) {
      return this.unclassified(0, evidence, 'no mapping covers this entry point or IVR path, and there is no text');
    }
    const { ranking, knownFeatures } = this.model.rankSectors(analysis);
    if (knownFeatures === 0) {
      return this.unclassified(0, evidence, 'no mapping, and no word of the text is known to the model');
    }
    const best = ranking[0];
    const unclassifiedScore = ranking.find((s) => s.label === UNCLASSIFIED_SECTOR)?.score ?? 0;
    const runnersUp = ranking
      .slice(1, 1 + RUNNERS_UP_IN_EVIDENCE)
      .map((s) => `${s.label} ${s.score.toFixed(2)}`)
      .join(', ');
    if (best.label === UNCLASSIFIED_SECTOR) {
      evidence.push({ source: 'text', detail: `text names no sector (unclassified ${best.score.toFixed(2)}; then ${runnersUp})`, weight: round(best.score) });
      return { sector: UNCLASSIFIED_SECTOR, intent: UNCLASSIFIED_INTENT, emergency: false, confidence: round(best.score), evidence };
    }
    if (best.score < this.minConfidence) {
      evidence.push({ source: 'text', detail: `best guess ${best.label} ${best.score.toFixed(2)} (then ${runnersUp})`, weight: round(best.score) });
      return this.unclassified(unclassifiedScore, evidence, `text confidence ${best.score.toFixed(2)} is below the minimum ${this.minConfidence}`);
    }
    evidence.push({ source: 'text', detail: `sector ${best.label} ${best.score.toFixed(2)} (then ${runnersUp})`, weight: round(best.score) });
    const intentScore = this.model.bestIntent(best.label, analysis);
    let intent = OTHER_INTENT;
    if (intentScore) {
      intent = intentScore.label;
      evidence.push({ source: 'text', detail: `intent ${intentScore.label} ${intentScore.score.toFixed(2)}`, weight: round(intentScore.score) });
    }
    return { sector: best.label, intent, emergency: false, confidence: round(best.score), evidence };
  }

  private unclassified(confidence: number, evidence: Evidence[], why: string): Classification {
    evidence.push({ source: 'fallback', detail: why, weight: 0 });
    return { sector: UNCLASSIFIED_SECTOR, intent: UNCLASSIFIED_INTENT, emergency: false, confidence: round(confidence), evidence };
  }
}

/** Evidence and confidence travel in logs and events; three decimals are plenty. */
function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
