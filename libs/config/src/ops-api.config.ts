import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
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
    /** From OPS_API_KEYS; fixed for the life of the process. */
    apiKeys: OpsApiKey[];
    /** OPS_API_KEYS_FILE, as read at boot; re-read when it changes, its keys used beside apiKeys. */
    keysFile?: {
      path: string;
      keys: OpsApiKey[];
      /** How often the file is looked at (a stat) for a change. */
      pollMs: number;
    };
    /** More than `limit` failed authentications (401s) from one client within `windowMs` block it for `blockMs`. */
    failedAttempts: { limit: number; windowMs: number; blockMs: number };
    /**
     * Proxies trusted to say who the client is (X-Forwarded-For), in Express's `trust proxy` terms:
     * addresses, CIDR ranges, `loopback`, `linklocal`, `uniquelocal`. Empty: the client is the
     * connection's address, which behind a proxy is the proxy's, for everyone.
     */
    trustedProxies: string[];
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

interface KeyEntryText {
  /** How a problem names the entry: `entry 3`, `line 7`. */
  where: string;
  text: string;
}

/**
 * The entries of one source of keys. The key is everything after the second colon, so it may
 * hold colons itself. Problems name the entry by position (and by name once the name is sound)
 * but never repeat what was written: a misplaced field could be someone's secret. A name or key
 * already used by another source (`elsewhere`) is a problem too: each key must say who acts.
 */
function parseKeyEntries(
  entries: readonly KeyEntryText[],
  elsewhere?: { keys: readonly OpsApiKey[]; source: string },
): { value: OpsApiKey[] } | { problems: string[] } {
  const problems: string[] = [];
  const keys: (OpsApiKey & { where: string })[] = [];
  for (const { where, text } of entries) {
    const first = text.indexOf(':');
    const second = first < 0 ? -1 : text.indexOf(':', first + 1);
    if (second < 0) {
      problems.push(`${where} must be name:role:key`);
      continue;
    }
    const [name, role, key] = [text.slice(0, first), text.slice(first + 1, second), text.slice(second + 1)];
    const named = `${where} ("${name}")`;
    const sameName = keys.find((other) => other.name === name);
    const sameKey = keys.find((other) => other.key === key);
    if (!KEY_NAME.test(name)) problems.push(`${where}: the name must be letters, digits, '.', '_', '@' or '-' (at most 64)`);
    else if (!(OPS_ROLES as readonly string[]).includes(role)) problems.push(`${named}: the role must be one of ${OPS_ROLES.join(', ')}`);
    else if (key.length < MIN_KEY_LENGTH) problems.push(`${named}: the key must be at least ${MIN_KEY_LENGTH} characters`);
    else if (sameName) problems.push(`${named}: the name is already used by ${sameName.where}`);
    else if (sameKey) problems.push(`${named}: the key is already used by ${sameKey.where}`);
    else if (elsewhere?.keys.some((other) => other.name === name)) problems.push(`${named}: the name is already used in ${elsewhere.source}`);
    else if (elsewhere?.keys.some((other) => other.key === key)) problems.push(`${named}: the key is already used in ${elsewhere.source}`);
    else keys.push({ name, role: role as OpsRole, key, where });
  }
  return problems.length > 0 ? { problems } : { value: keys.map(({ name, role, key }) => ({ name, role, key })) };
}

/** `name:role:key[,name:role:key…]` (OPS_API_KEYS). */
export function parseOpsApiKeys(raw: string): { value: OpsApiKey[] } | { problems: string[] } {
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  if (entries.length === 0) return { problems: ['must list at least one name:role:key entry (roles: viewer, editor, admin)'] };
  return parseKeyEntries(entries.map((text, index) => ({ where: `entry ${index + 1}`, text })));
}

/**
 * The keys file (OPS_API_KEYS_FILE): the entries of OPS_API_KEYS, one per line (or several on a
 * line, comma-separated); blank lines and lines starting with `#` are skipped. Problems name the
 * line. Read at boot and again whenever the file changes, so keys rotate without a restart.
 */
export function parseOpsApiKeysFile(text: string, configured: readonly OpsApiKey[]): { value: OpsApiKey[] } | { problems: string[] } {
  const entries = text.split(/\r?\n/).flatMap((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return [];
    return trimmed
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry.length > 0)
      .map((entry) => ({ where: `line ${index + 1}`, text: entry }));
  });
  const parsed = parseKeyEntries(entries, { keys: configured, source: 'OPS_API_KEYS' });
  if ('value' in parsed && parsed.value.length === 0 && configured.length === 0) {
    return { problems: ['lists no name:role:key entry, and OPS_API_KEYS lists none either: nobody could call the API'] };
  }
  return parsed;
}

/** {@link parseOpsApiKeysFile} on the file at `path`; problems start with the path. */
export function readOpsApiKeysFile(path: string, configured: readonly OpsApiKey[]): { value: OpsApiKey[] } | { problems: string[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { problems: [`(${path}) cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`] };
  }
  const parsed = parseOpsApiKeysFile(text, configured);
  return 'problems' in parsed ? { problems: parsed.problems.map((problem) => `(${path}) ${problem}`) } : parsed;
}

function readAuthConfig(reader: EnvReader): OpsApiServiceConfig['auth'] {
  const keysFilePath = reader.optionalString('OPS_API_KEYS_FILE');
  // With a keys file, OPS_API_KEYS may be empty: every key can then rotate.
  const apiKeys = reader.parsed('OPS_API_KEYS', [], (raw) => (keysFilePath !== undefined && raw.trim() === '' ? { value: [] } : parseOpsApiKeys(raw)));
  return {
    apiKeys,
    ...(keysFilePath === undefined
      ? {}
      : {
          keysFile: {
            path: keysFilePath,
            keys: reader.parsed('OPS_API_KEYS_FILE', [], () => readOpsApiKeysFile(keysFilePath, apiKeys)),
            pollMs: reader.integer('OPS_API_KEYS_FILE_POLL_MS', 2_000, { min: 100, max: 300_000 }),
          },
        }),
    // Ten typos a minute is generous for a person; a guesser is then held to ten every five minutes.
    failedAttempts: {
      limit: reader.integer('OPS_API_AUTH_FAILURE_LIMIT', 10, { min: 1, max: 10_000 }),
      windowMs: reader.integer('OPS_API_AUTH_FAILURE_WINDOW_MS', 60_000, { min: 1_000, max: 86_400_000 }),
      blockMs: reader.integer('OPS_API_AUTH_BLOCK_MS', 300_000, { min: 1_000, max: 86_400_000 }),
    },
    trustedProxies: reader.parsed('OPS_API_TRUSTED_PROXIES', [], parseTrustedProxies),
  };
}

const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** Comma-separated addresses, CIDR ranges or range names; checked here, since Express would only throw at its first request. */
export function parseTrustedProxies(raw: string): { value: string[] } | { problems: string[] } {
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const bad = entries.filter((entry) => {
    if (PROXY_RANGE_NAMES.includes(entry)) return false;
    const [address, prefix, ...rest] = entry.split('/');
    const family = isIP(address);
    if (family === 0 || rest.length > 0) return true;
    return prefix !== undefined && !(/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
  });
  if (bad.length > 0) {
    return {
      problems: [
        `must be addresses, CIDR ranges or ${PROXY_RANGE_NAMES.join(', ')}, comma-separated; not ${bad.map((entry) => JSON.stringify(entry)).join(', ')}`,
      ],
    };
  }
  return { value: entries };
}

export function loadOpsApiConfig(env: Readonly<Record<string, string | undefined>>): OpsApiServiceConfig {
  const reader = new EnvReader(env);
  const config: OpsApiServiceConfig = {
    ...readCommonConfig(reader, 'ops-api', 8080),
    redis: readRedisConfig(reader),
    auth: readAuthConfig(reader),
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
