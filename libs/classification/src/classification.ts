/** What the classifier looks at. All optional: a voice call may bring only its entry point. */
export interface ClassificationInput {
  channel?: string;
  entryPoint?: string;
  ivrPath?: string[];
  text?: string;
  customer?: { segment?: string; region?: string };
  tenant?: string;
}

/**
 * Only what the classifier looks at, from a larger object (an inbound arrival, a replayed one):
 * the rest of the event (ids, times, attributes) stays out of the classifier's input.
 */
export function classificationInputOf(source: ClassificationInput): ClassificationInput {
  return {
    channel: source.channel,
    entryPoint: source.entryPoint,
    ivrPath: source.ivrPath,
    text: source.text,
    customer: source.customer,
    tenant: source.tenant,
  };
}

/** One signal that decided (or weighed on) the outcome, kept for the decision trace. */
export interface Evidence {
  /** `entry_point`, `ivr_path`, `text`, `emergency`, `fallback`, … */
  source: string;
  detail: string;
  weight: number;
}

export interface Classification {
  sector: string;
  intent: string;
  emergency: boolean;
  /**
   * The emergency evidence fell in the uncertain band: not enough to call an emergency, too much
   * to call it routine. Set only when `emergency` is false; the default ruleset sends such
   * interactions to emergency triage with raised priority, so a human sees them early.
   */
  possibleEmergency?: boolean;
  /** Confidence in `sector`, 0..1. */
  confidence: number;
  evidence: Evidence[];
}

export interface InteractionClassifier {
  classify(input: ClassificationInput): Classification;
}
