import { CommonConfig, readCommonConfig } from './common.config';
import { EnvReader } from './env-reader';

export interface RedisClusterNode {
  host: string;
  port: number;
}

export interface RedisConfig {
  /** One Redis (REDIS_URL). Not used when `cluster` is set. */
  url: string;
  /** A Redis Cluster instead (REDIS_CLUSTER_NODES): the nodes to discover it from. */
  cluster?: { nodes: RedisClusterNode[] };
  /** Every key the engine writes starts with this, so deployments and tests can share a server. */
  keyPrefix: string;
  /**
   * How many replicas must acknowledge a chunk's writes (Redis `WAIT`) before its Kafka offsets
   * are committed; 0 commits on the primary's word alone.
   */
  waitReplicas: number;
  /** The longest that wait; a chunk not acknowledged by then is retried, its offsets uncommitted. */
  waitTimeoutMs: number;
}

export interface RouterServiceConfig extends CommonConfig {
  redis: RedisConfig;
  router: {
    /** How long a finished interaction is remembered, so late duplicates stay no-ops. */
    finishedInteractionTtlSeconds: number;
    /** How often each replica looks for due escalation steps. */
    escalationPollMs: number;
    /** Published when no ruleset exists yet (first start of a deployment). */
    defaultRulesetFile: string;
    /** Backstop poll of the published version; announcements usually arrive sooner. */
    rulesetPollMs: number;
    /**
     * The classifier's taxonomy extensions (CLASSIFIER_EXTENSIONS_FILE, the same variable): their
     * sectors, with the default ones, are the sectors a transfer may name.
     */
    taxonomyExtensionFiles: string[];
  };
}

/**
 * `host:port[,host:port…]` (REDIS_CLUSTER_NODES); an IPv6 host in brackets (`[::1]:7000`). Empty
 * means not set.
 */
export function parseRedisClusterNodes(raw: string): { value: RedisClusterNode[] | undefined } | { problems: string[] } {
  if (raw.trim() === '') return { value: undefined };
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) return { problems: [`must list at least one host:port, got ${JSON.stringify(raw)}`] };
  const problems: string[] = [];
  const nodes: RedisClusterNode[] = [];
  entries.forEach((entry, index) => {
    const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9._-]+)):(\d{1,5})$/.exec(entry);
    const port = Number(match?.[3]);
    if (!match || port < 1 || port > 65_535) {
      problems.push(`entry ${index + 1} must be host:port with a port between 1 and 65535, got ${JSON.stringify(entry)}`);
      return;
    }
    nodes.push({ host: match[1] ?? match[2], port });
  });
  return problems.length > 0 ? { problems } : { value: nodes };
}

export function readRedisConfig(reader: EnvReader): RedisConfig {
  // REDIS_URL has a default: only a value actually given counts as choosing a single Redis.
  const urlGiven = reader.optionalString('REDIS_URL') !== undefined;
  const url = reader.url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']);
  const nodes = reader.parsed('REDIS_CLUSTER_NODES', undefined, (raw) => {
    const parsed = parseRedisClusterNodes(raw);
    if ('value' in parsed && parsed.value !== undefined && urlGiven) {
      return { problems: ['and REDIS_URL are both set: set REDIS_URL for one Redis or REDIS_CLUSTER_NODES for a Redis Cluster, not both'] };
    }
    return parsed;
  });
  return {
    url,
    ...(nodes === undefined ? {} : { cluster: { nodes } }),
    keyPrefix: reader.string('REDIS_KEY_PREFIX', 'cmr:'),
    waitReplicas: reader.integer('REDIS_WAIT_REPLICAS', 0, { min: 0, max: 5 }),
    waitTimeoutMs: reader.integer('REDIS_WAIT_TIMEOUT_MS', 1_000, { min: 10, max: 60_000 }),
  };
}

/** The router's own sections: the router service's and the one-process engine's. */
export function readRouterServiceSections(reader: EnvReader): Pick<RouterServiceConfig, 'redis' | 'router'> {
  return {
    redis: readRedisConfig(reader),
    router: {
      finishedInteractionTtlSeconds: reader.integer('ROUTER_FINISHED_TTL_SECONDS', 7 * 24 * 3600, { min: 60, max: 90 * 24 * 3600 }),
      escalationPollMs: reader.integer('ROUTER_ESCALATION_POLL_MS', 250, { min: 20, max: 60_000 }),
      defaultRulesetFile: reader.string('ROUTER_DEFAULT_RULESET_FILE', 'deploy/rules/default-ruleset.json'),
      rulesetPollMs: reader.integer('ROUTER_RULESET_POLL_MS', 500, { min: 50, max: 60_000 }),
      taxonomyExtensionFiles: reader.list('CLASSIFIER_EXTENSIONS_FILE'),
    },
  };
}

export function loadRouterConfig(env: Readonly<Record<string, string | undefined>>): RouterServiceConfig {
  const reader = new EnvReader(env);
  const config: RouterServiceConfig = {
    ...readCommonConfig(reader, 'router', 8082),
    ...readRouterServiceSections(reader),
  };
  reader.assertValid();
  return config;
}
