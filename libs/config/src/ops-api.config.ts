import { ClassifierSettings, readClassifierSettings } from './classifier.config';
import { CommonConfig, readCommonConfig } from './common.config';
import { EnvReader } from './env-reader';
import { OpsApiLimits, readOpsApiLimits } from './ops-api-limits.config';
import { RedisConfig, readRedisConfig } from './router.config';

/** Lowest to highest: each role may do everything the roles before it may. */
export const OPS_ROLES = ['viewer', 'editor', 'admin'] as const;
export type OpsRole = (typeof OPS_ROLES)[number];

export interface OpsApiKey {
  /** Who acts: recorded as the actor of every change made with this key. */
  name: string;
  role: OpsRole;
  key: string;
}

export interface OpsApiServiceConfig extends CommonConfig {
  redis: RedisConfig;
  auth: {
    apiKeys: OpsApiKey[];
  };
  limits: OpsApiLimits;
  dryRun: {
    /** The longest window of `interactions.inbound` one dry run may replay. */
    maxReplayHours: number;
    /** A replay window holding more records than this is refused before anything is read. */
    maxReplayRecords: number;
    replayTimeoutMs: number;
    /** Replayed arrivals are classified as the classifier service would: the same settings. */
    classifier: ClassifierSettings;
  };
}

/** A key is a bearer secret: long enough that guessing is hopeless. */
const MIN_KEY_LENGTH = 16;
const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

/**
 * `name:role:key[,name:role:key…]`. The key is everything after the second colon, so it may hold
 * colons itself. Problems name the entry by position (and by name once the name is sound) but
 * never repeat what was written: a misplaced field could be someone's secret.
 */
export function parseOpsApiKeys(raw: string): { value: OpsApiKey[] } | { problems: string[] } {
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  if (entries.length === 0) return { problems: ['must list at least one name:role:key entry (roles: viewer, editor, admin)'] };
  const problems: string[] = [];
  const keys: OpsApiKey[] = [];
  entries.forEach((entry, index) => {
    const first = entry.indexOf(':');
    const second = first < 0 ? -1 : entry.indexOf(':', first + 1);
    const where = `entry ${index + 1}`;
    if (second < 0) return void problems.push(`${where} must be name:role:key`);
    const [name, role, key] = [entry.slice(0, first), entry.slice(first + 1, second), entry.slice(second + 1)];
    if (!KEY_NAME.test(name)) return void problems.push(`${where}: the name must be letters, digits, '.', '_', '@' or '-' (at most 64)`);
    const named = `${where} ("${name}")`;
    if (!(OPS_ROLES as readonly string[]).includes(role)) return void problems.push(`${named}: the role must be one of ${OPS_ROLES.join(', ')}`);
    if (key.length < MIN_KEY_LENGTH) return void problems.push(`${named}: the key must be at least ${MIN_KEY_LENGTH} characters`);
    const sameName = keys.findIndex((other) => other.name === name);
    if (sameName >= 0) return void problems.push(`${named}: the name is already used by entry ${sameName + 1}`);
    const sameKey = keys.findIndex((other) => other.key === key);
    if (sameKey >= 0) return void problems.push(`${named}: the key is already used by entry ${sameKey + 1}`);
    keys.push({ name, role: role as OpsRole, key });
  });
  return problems.length > 0 ? { problems } : { value: keys };
}

export function loadOpsApiConfig(env: Readonly<Record<string, string | undefined>>): OpsApiServiceConfig {
  const reader = new EnvReader(env);
  const config: OpsApiServiceConfig = {
    ...readCommonConfig(reader, 'ops-api', 8080),
    redis: readRedisConfig(reader),
    auth: {
      apiKeys: reader.parsed('OPS_API_KEYS', [], parseOpsApiKeys),
    },
    limits: readOpsApiLimits(reader),
    dryRun: {
      maxReplayHours: reader.number('DRY_RUN_MAX_REPLAY_HOURS', 24, { min: 0.1, max: 168 }),
      maxReplayRecords: reader.integer('DRY_RUN_MAX_REPLAY_RECORDS', 200_000, { min: 1, max: 5_000_000 }),
      replayTimeoutMs: reader.integer('DRY_RUN_REPLAY_TIMEOUT_MS', 120_000, { min: 1_000, max: 1_800_000 }),
      classifier: readClassifierSettings(reader),
    },
  };
  reader.assertValid();
  return config;
}
