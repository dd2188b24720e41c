export interface RoutingInput {
  sector: string;
  intent: string;
  emergency: boolean;
  channel: string;
  tenant: string;
  customerSegment?: string;
}

/** Where an interaction goes and why. */
export interface RoutingDecision {
  queue: string;
  priority: number;
  requiredSkills: string[];
  ruleId: string;
  rulesetVersion: number;
}

export interface RoutingPolicy {
  decide(input: RoutingInput): RoutingDecision;
  /** The queue a transfer to a sector lands in. */
  queueForSector(sector: string): string;
}
