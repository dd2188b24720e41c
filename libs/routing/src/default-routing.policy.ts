import { MAX_PRIORITY, PRIORITY_SCORE_STRIDE } from './queue-ordering';
import { DEFAULT_ROUTING_DOMAIN, RoutingDecision, RoutingInput, RoutingPolicy } from './routing-decision';

export const GENERAL_TRIAGE_QUEUE = 'general_triage';
export const DEFAULT_RULESET_VERSION = 0;

/** Priority bands of the built-in policy: emergencies above everything else in their sector. */
export const PRIORITY = {
  emergency: MAX_PRIORITY,
  vip: 200,
  corporate: 150,
  standard: 100,
  unclassified: 50,
} as const;

/**
 * The routing in force before ops publish any ruleset: one skill queue per sector, emergencies
 * first within it, premium segments ahead of standard, and everything unclassified to triage.
 */
export class DefaultRoutingPolicy implements RoutingPolicy {
  readonly version = DEFAULT_RULESET_VERSION;

  decide(input: RoutingInput): RoutingDecision {
    if (input.sector === 'unclassified') {
      return {
        queue: GENERAL_TRIAGE_QUEUE,
        priority: input.emergency ? PRIORITY.emergency : PRIORITY.unclassified,
        requiredSkills: ['triage'],
        ruleId: input.emergency ? 'default.triage.emergency' : 'default.triage',
        rulesetVersion: DEFAULT_RULESET_VERSION,
        escalations: [],
        msPerPriorityPoint: PRIORITY_SCORE_STRIDE,
      };
    }
    const segmentPriority = input.customerSegment === 'vip' ? PRIORITY.vip : input.customerSegment === 'corporate' ? PRIORITY.corporate : PRIORITY.standard;
    return {
      queue: input.sector,
      priority: input.emergency ? PRIORITY.emergency : segmentPriority,
      requiredSkills: input.intent && input.intent !== 'other' ? [input.sector, `${input.sector}.${input.intent}`] : [input.sector],
      ruleId: input.emergency ? `default.${input.sector}.emergency` : `default.${input.sector}`,
      rulesetVersion: DEFAULT_RULESET_VERSION,
      escalations: [],
      msPerPriorityPoint: PRIORITY_SCORE_STRIDE,
    };
  }

  msPerPriorityPoint(): number {
    return PRIORITY_SCORE_STRIDE;
  }

  /** It has no domains: every queue is in the default one. */
  domainOf(): string {
    return DEFAULT_ROUTING_DOMAIN;
  }

  /** This policy names a queue after whatever sector it is given, so any name is one of its queues. */
  hasQueue(): boolean {
    return true;
  }
}
