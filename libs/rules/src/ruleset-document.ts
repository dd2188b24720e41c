import { EscalationStep } from '@conmutador/routing';

/**
 * A routing ruleset as ops write it (JSON). Rules are tried in document order and the first
 * enabled rule whose condition holds decides; `fallback` decides when none does.
 */
export interface RulesetDocument {
  description?: string;
  queues: QueueDefinition[];
  rules: RuleDefinition[];
  fallback: RuleAction;
}

export interface QueueDefinition {
  name: string;
  description?: string;
  /**
   * Priority points an interaction gains per minute of waiting, relative to newer arrivals, so
   * low priority is never starved. 0 (the default) is strict priority.
   */
  agingPointsPerMinute?: number;
  /** The contact-center site that serves the queue, e.g. "bogota". */
  site?: string;
  /** Surge threshold: with this many already waiting, new arrivals go to `overflowTo`. */
  maxWaiting?: number;
  overflowTo?: string;
  /**
   * The routing domain whose state the queue shares (one Redis Cluster slot): usually one per
   * client operation. Default `default`. Overflow and escalation moves stay inside a domain.
   */
  domain?: string;
}

export { DEFAULT_ROUTING_DOMAIN } from '@conmutador/routing';

export interface RuleDefinition {
  /** Stable id, reported as the decision's `ruleId`. */
  id: string;
  description?: string;
  /** Condition in the rules expression language (see the README). */
  when: string;
  then: RuleAction;
  /** Default true; a disabled rule is validated but never matches. */
  enabled?: boolean;
}

export interface RuleAction {
  queue: string;
  /** 0..1023, higher is served first. */
  priority: number;
  requiredSkills?: string[];
  /** Acting after N seconds of waiting counted from the original arrival, in increasing order. */
  escalations?: EscalationStep[];
}

export const FALLBACK_RULE_ID = 'fallback';
