import { CommonConfig, readCommonConfig } from './common.config';
import { EnvReader } from './env-reader';

export interface RedisConfig {
  url: string;
  /** Every key the engine writes starts with this, so deployments and tests can share a server. */
  keyPrefix: string;
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

export function readRedisConfig(reader: EnvReader): RedisConfig {
  return {
    url: reader.url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    keyPrefix: reader.string('REDIS_KEY_PREFIX', 'cmr:'),
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
