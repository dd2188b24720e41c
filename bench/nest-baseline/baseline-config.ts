/**
 * The baseline app's settings, read once from the environment when the process starts. Topic
 * names must be known before the controller class is decorated (`@EventPattern` takes a constant),
 * so they are read at import time, as a NestJS app would read them from a config file.
 */
export interface BaselineConfig {
  brokers: string[];
  redisUrl: string;
  keyPrefix: string;
  inboundTopic: string;
  routedTopic: string;
  groupId: string;
  mappingsFile: string;
  rulesetFile: string;
}

function required(key: string): string {
  const value = process.env[key];
  if (!value) throw new Error(`${key} is required`);
  return value;
}

export const BASELINE_CONFIG: BaselineConfig = {
  brokers: required('BASELINE_KAFKA_BROKERS').split(','),
  redisUrl: required('BASELINE_REDIS_URL'),
  keyPrefix: required('BASELINE_REDIS_KEY_PREFIX'),
  inboundTopic: required('BASELINE_INBOUND_TOPIC'),
  routedTopic: required('BASELINE_ROUTED_TOPIC'),
  groupId: required('BASELINE_GROUP'),
  mappingsFile: process.env.BASELINE_MAPPINGS_FILE ?? 'deploy/config/classifier-mappings.json',
  rulesetFile: process.env.BASELINE_RULESET_FILE ?? 'deploy/rules/default-ruleset.json',
};

export const ROUTED_PUBLISHER = Symbol('ROUTED_PUBLISHER');
export const BASELINE_CLASSIFIER = Symbol('BASELINE_CLASSIFIER');
