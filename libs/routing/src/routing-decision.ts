/** What routing rules can look at. */
export interface RoutingInput {
  sector: string;
  intent: string;
  emergency: boolean;
  /** The classifier could not rule an emergency out. */
  possibleEmergency?: boolean;
  /** The classifier's confidence in `sector`, 0..1. */
  confidence: number;
  channel: string;
  tenant: string;
  customerSegment?: string;
  customerRegion?: string;
  attributes?: Record<string, string | number | boolean>;
  /** The moment the decision is for; rules on time of day, weekday and holidays read it in America/Bogota. */
  at: Date;
}

/** Acts after `afterSeconds` of waiting (counted from the original arrival). */
export interface EscalationStep {
  afterSeconds: number;
  raisePriorityBy?: number;
  moveToQueue?: string;
  addSkills?: string[];
}

/** Where an interaction goes and why. */
export interface RoutingDecision {
  queue: string;
  priority: number;
  requiredSkills: string[];
  ruleId: string;
  rulesetVersion: number;
  escalations: EscalationStep[];
  /** Ordering of `queue`: how many ms of waiting one priority point is worth (see queue-ordering.ts). */
  msPerPriorityPoint: number;
}

export interface RoutingPolicy {
  readonly version: number;
  decide(input: RoutingInput): RoutingDecision;
  /** The ordering of a queue, for moves into it. */
  msPerPriorityPoint(queue: string): number;
  /** Whether the policy defines this queue: a transfer may only name one it does. */
  hasQueue(queue: string): boolean;
  /** The routing domain whose state the queue shares (its Redis hash tag). */
  domainOf(queue: string): string;
}

/** The domain of a queue that names none: a ruleset without domains has this one. */
export const DEFAULT_ROUTING_DOMAIN = 'default';
