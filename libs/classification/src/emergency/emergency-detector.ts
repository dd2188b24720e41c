import { CueDiscount, isAboutAnimalsAlone, namesAPerson, saysItIsOver, saysNoOneIsHurt } from './cue-context';
import { RiskCueMatch, RiskKind, findRiskCues } from './risk-cues';

export interface EmergencyThresholds {
  /** Emergency head score at or above which the head alone, with no cue, makes an emergency. */
  model: number;
  /** Lower bar for the head when a supporting cue ("ambulancia", "accidente") is also present. */
  modelWithSupportingCue: number;
  /** The head's least support for supporting cues of two kinds to make an emergency together. */
  modelWithTwoCues: number;
  /** Head score at or above which, with nothing else, the message is a possible emergency. */
  possible: number;
  /**
   * Head score below which a strong cue makes a possible emergency, not an emergency: the head,
   * which learnt the corpus's false alarms, all but rules the cue's reading out ("el tracking no
   * se mueve", "ando sin aire con estas cuotas"). A human still sees it early.
   */
  strongCueVeto: number;
}

/**
 * Leans towards recall at the possible level and towards precision at the emergency level: a
 * missed emergency waits behind routine calls, so whatever the evidence half-shows reaches
 * emergency triage as a possible emergency; calling it an emergency takes a cue about a person,
 * now, or a head that is nearly sure. `modelWithSupportingCue` was chosen on the training corpus
 * with cross-validation (5-fold and cross-batch); the others on the hard development set.
 * `strongCueVeto`: of the 927 strong-cue emergencies of the development sets, one had a head below
 * 0.1; of the strong-cue false alarms of the training corpus, 77 in 83 did.
 */
export const DEFAULT_EMERGENCY_THRESHOLDS: EmergencyThresholds = {
  model: 0.8,
  modelWithSupportingCue: 0.2,
  modelWithTwoCues: 0.1,
  possible: 0.25,
  strongCueVeto: 0.1,
};

/** Risks to property as much as to people. */
const PROPERTY_KINDS: ReadonlySet<RiskKind> = new Set<RiskKind>(['fire_or_gas', 'flood_or_collapse']);

/** The three answers: an emergency, possibly one (a human should look soon), or routine. */
export type EmergencyLevel = 'emergency' | 'possible' | 'routine';

/**
 * Discounts that say a cue is no person's risk now (it is over, an object's or an animal's, a
 * figure of speech): when every cue found has one, the words that raised the heads are explained
 * away. A cue told in the past, asked about as a case, or said of no one named says neither.
 */
const EXPLAINS_AWAY: ReadonlySet<CueDiscount> = new Set<CueDiscount>(['over', 'not_a_person', 'figurative']);

export interface EmergencyAssessment {
  level: EmergencyLevel;
  /** The emergency head's score, 0..1. */
  modelScore: number;
  /** Cues found (negated and figurative ones excluded; discounted ones with their discount). */
  cues: RiskCueMatch[];
  /** Why, in words, for the evidence trail. */
  reason: string;
  /** How much the deciding signal weighs, 0..1. */
  weight: number;
}

/**
 * Combines the emergency head with the risk cues and what their context says:
 * 1. a strong cue about a person, now, decides on its own, unless the head all but rules it out;
 * 2. supporting cues of two different kinds decide together ("40 de fiebre" and "no me
 *    reconoce") when the head gives them a little support, and one supporting cue decides when
 *    the head leans towards emergency;
 * 3. the head decides alone when it is nearly sure, unless every cue it could rest on was
 *    discounted as over, about an object or an animal, or figurative: then the words that raised
 *    it are explained away;
 * 4. what is left uncertain is a possible emergency: a strong cue told in the past with nothing
 *    saying it is over, a supporting cue the head does not back, a head in the possible band.
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
    const live = cues.filter((c) => c.discount === undefined);
    const head = `emergency head ${modelScore.toFixed(2)}`;
    const strong = live.find((c) => c.strength === 'strong');
    // "nadie corre peligro": a person's strong cue in such a message, with no person named ("el
    // techo está sangrando agua"), is not taken at its word; a fire or a flood is property at
    // risk all the same.
    const propertyAtRisk = live.some((c) => c.strength === 'strong' && PROPERTY_KINDS.has(c.kind));
    if (strong && !propertyAtRisk && !namesAPerson(asWritten) && saysNoOneIsHurt(asWritten)) {
      return this.answer('possible', modelScore, cues, 0, `risk cue "${strong.phrase}" (${strong.kind}), but the message says nobody is hurt; ${head}`);
    }
    if (strong && modelScore < this.thresholds.strongCueVeto) {
      return this.answer('possible', modelScore, cues, 0, `risk cue "${strong.phrase}" (${strong.kind}), but the head all but rules it out; ${head}`);
    }
    if (strong) return this.answer('emergency', modelScore, cues, 1, `risk cue "${strong.phrase}" (${strong.kind}); ${head}`);
    const supporting = live.filter((c) => c.strength === 'supporting');
    const kinds = new Set(supporting.map((c) => c.kind));
    // With no strong cue, a message that says nobody is hurt is a possible emergency at most.
    // (Read only when it could change the answer: most messages have neither.)
    if ((supporting.length > 0 || modelScore >= this.thresholds.possible) && saysNoOneIsHurt(asWritten)) {
      return this.answer('possible', modelScore, cues, 0, `${head}, but the message says nobody is hurt`);
    }
    if (kinds.size >= 2 && modelScore >= this.thresholds.modelWithTwoCues) {
      const [first, second] = [...kinds];
      const phrases = supporting.map((c) => `"${c.phrase}"`).join(', ');
      return this.answer('emergency', modelScore, cues, Math.max(modelScore, 0.6), `risk cues ${phrases} (${first} and ${second}); ${head}`);
    }
    if (supporting.length > 0 && modelScore >= this.thresholds.modelWithSupportingCue) {
      const [cue] = supporting;
      return this.answer('emergency', modelScore, cues, Math.max(modelScore, 0.5), `risk cue "${cue.phrase}" (${cue.kind}) with ${head}`);
    }
    const explainedAway = cues.length > 0 && live.length === 0 && cues.every((c) => c.discount !== undefined && EXPLAINS_AWAY.has(c.discount));
    // With no cue about a person, a message about an animal is the animal's: the head alone
    // raises it to possible at most, so a human still looks when the head is sure.
    const aboutAnAnimal = live.length === 0 && modelScore >= this.thresholds.possible && isAboutAnimalsAlone(asWritten);
    if (modelScore >= this.thresholds.model && !explainedAway) {
      if (aboutAnAnimal) return this.answer('possible', modelScore, cues, 0, `${head}, but the message names an animal and no person`);
      if (live.length === 0 && saysItIsOver(asWritten)) return this.answer('possible', modelScore, cues, 0, `${head}, but the message says it is over`);
      return this.answer('emergency', modelScore, cues, modelScore, head);
    }

    // A resolution read by words can be partial ("volvió en sí" of one who still cannot speak):
    // a head that is nearly sure keeps such a message in front of a human.
    if (explainedAway && modelScore >= this.thresholds.model && cues.some((c) => c.discount === 'over')) {
      return this.answer('possible', modelScore, cues, 0, `${head}, though the risk words are told as over`);
    }
    const uncertain = cues.find((c) => (c.discount === 'past' || c.discount === 'hypothetical') && c.strength === 'strong');
    if (uncertain) {
      const told = uncertain.discount === 'past' ? 'told in the past' : 'asked about as a case that may come';
      return this.answer('possible', modelScore, cues, 0, `risk cue "${uncertain.phrase}" (${uncertain.kind}) ${told}; ${head}`);
    }
    if (supporting.length > 0) {
      const phrases = supporting.map((c) => `"${c.phrase}" (${c.kind})`).join(', ');
      return this.answer('possible', modelScore, cues, 0, `risk cue ${phrases} without the head's support; ${head}`);
    }
    if (modelScore >= this.thresholds.possible && !explainedAway && !aboutAnAnimal)
      return this.answer('possible', modelScore, cues, 0, `${head}, in the uncertain band`);
    const why = explainedAway
      ? `risk words ${cues.map((c) => `"${c.phrase}" (${c.discount})`).join(', ')}`
      : aboutAnAnimal
        ? 'the message names an animal and no person'
        : 'no strong risk cue';
    return this.answer('routine', modelScore, cues, 0, `${head}, ${why}`);
  }

  private answer(level: EmergencyLevel, modelScore: number, cues: RiskCueMatch[], weight: number, reason: string): EmergencyAssessment {
    return { level, modelScore, cues, weight, reason };
  }
}
