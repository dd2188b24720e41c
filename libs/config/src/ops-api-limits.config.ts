import { EnvReader } from './env-reader';

/**
 * What one request to the ops API may carry. The ruleset bounds are checked before a document is
 * validated or saved (checkRulesetBounds of libs/rules), by the API and by the rules CLI alike,
 * so a file the API would refuse never leaves the pipeline.
 */
export interface OpsApiLimits {
  /** A larger JSON body is refused (413) before it is parsed. */
  maxBodyBytes: number;
  maxRules: number;
  maxQueues: number;
  /** Per action (a rule's `then`, or the fallback). */
  maxEscalationSteps: number;
  /** Characters of one rule's condition. */
  maxConditionLength: number;
}

/** The variable behind each limit: refusals name it, so whoever hits a bound knows what to change. */
export const OPS_API_LIMIT_KEYS: Readonly<Record<keyof OpsApiLimits, string>> = {
  maxBodyBytes: 'OPS_API_MAX_BODY_BYTES',
  maxRules: 'OPS_API_MAX_RULES',
  maxQueues: 'OPS_API_MAX_QUEUES',
  maxEscalationSteps: 'OPS_API_MAX_ESCALATION_STEPS',
  maxConditionLength: 'OPS_API_MAX_CONDITION_LENGTH',
};

export function readOpsApiLimits(reader: EnvReader): OpsApiLimits {
  return {
    // 5,000 queues and 2,000 rules with their skills are about 1 MB of compact JSON; 5 MiB also
    // leaves room for pretty-printed files and for dry runs of 5,000 given interactions.
    maxBodyBytes: reader.integer(OPS_API_LIMIT_KEYS.maxBodyBytes, 5 * 1024 * 1024, { min: 1_024, max: 100 * 1024 * 1024 }),
    // Validation compares each rule with the ones before it, on the request path.
    maxRules: reader.integer(OPS_API_LIMIT_KEYS.maxRules, 2_000, { min: 1, max: 20_000 }),
    maxQueues: reader.integer(OPS_API_LIMIT_KEYS.maxQueues, 5_000, { min: 1, max: 100_000 }),
    maxEscalationSteps: reader.integer(OPS_API_LIMIT_KEYS.maxEscalationSteps, 20, { min: 1, max: 1_000 }),
    // At most 4,000: the validator's own ceiling on a condition (libs/rules, ruleset-schema.ts).
    maxConditionLength: reader.integer(OPS_API_LIMIT_KEYS.maxConditionLength, 2_000, { min: 16, max: 4_000 }),
  };
}
