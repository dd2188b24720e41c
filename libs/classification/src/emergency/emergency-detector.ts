import { RiskCueMatch, findRiskCues } from './risk-cues';

export interface EmergencyThresholds {
  /** Emergency head score at or above which the text alone makes an emergency. */
  model: number;
  /** Lower bar for the head when a supporting cue ("ambulancia", "accidente") is also present. */
  modelWithSupportingCue: number;
}

/**
 * Leans towards recall: a missed emergency waits behind routine calls, a false alarm costs an
 * agent a few seconds. Chosen on the training corpus with cross-validation (5-fold and
 * cross-batch), not on the dev set: the highest recall that kept precision at or above 90 %,
 * for the mean of the two emergency heads.
 */
export const DEFAULT_EMERGENCY_THRESHOLDS: EmergencyThresholds = { model: 0.45, modelWithSupportingCue: 0.2 };

export interface EmergencyAssessment {
  emergency: boolean;
  /** The emergency head's score, 0..1. */
  modelScore: number;
  /** Cues found (negated and figurative ones excluded). */
  cues: RiskCueMatch[];
  /** Why, in words, for the evidence trail. */
  reason: string;
  /** How much the deciding signal weighs, 0..1. */
  weight: number;
}

/**
 * Combines the emergency head with the risk cues: a strong cue decides on its own; a supporting
 * cue decides when the head also leans towards emergency; otherwise the head decides alone.
 */
export class EmergencyDetector {
  constructor(private readonly thresholds: EmergencyThresholds = DEFAULT_EMERGENCY_THRESHOLDS) {}

  /**
   * `asWritten` is the normalised text; `corrected` the same after typo correction. A cue found
   * only in the corrected text counts as supporting, never strong: a correction is a guess
   * ("atrasado" is one letter away from "atrapado").
   */
  assess(asWritten: string, corrected: string, modelScore: number): EmergencyAssessment {
    const cues = findRiskCues(asWritten);
    if (corrected !== asWritten) {
      for (const match of findRiskCues(corrected)) {
        if (!cues.some((c) => c.phrase === match.phrase)) cues.push({ ...match, strength: 'supporting' });
      }
    }
    const strong = cues.find((c) => c.strength === 'strong');
    if (strong) {
      return { emergency: true, modelScore, cues, weight: 1, reason: `risk cue "${strong.phrase}" (${strong.kind}); emergency head ${modelScore.toFixed(2)}` };
    }
    const supporting = cues.find((c) => c.strength === 'supporting');
    if (supporting && modelScore >= this.thresholds.modelWithSupportingCue) {
      return {
        emergency: true,
        modelScore,
        cues,
        weight: Math.max(modelScore, 0.5),
        reason: `risk cue "${supporting.phrase}" (${supporting.kind}) with emergency head ${modelScore.toFixed(2)}`,
      };
    }
    if (modelScore >= this.thresholds.model) {
      return { emergency: true, modelScore, cues, weight: modelScore, reason: `emergency head ${modelScore.toFixed(2)}` };
    }
    return { emergency: false, modelScore, cues, weight: 0, reason: `emergency head ${modelScore.toFixed(2)}, no strong risk cue` };
  }
}
