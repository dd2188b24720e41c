import { EnvReader } from './env-reader';
import { OpsApiLimits, readOpsApiLimits } from './ops-api-limits.config';

export interface RulesCliConfig {
  /** Base URL of the ops API. */
  apiUrl: string;
  /** Bearer key; only the commands that talk to the API need it. */
  apiKey?: string;
  requestTimeoutMs: number;
  /** The API's limits, read from the same variables: a file over a bound is refused before it is sent. */
  limits: OpsApiLimits;
}

/** The rules CLI (apps/ops-cli/src/rules.command.ts): where the ops API is and which key to use. */
export function loadRulesCliConfig(env: Readonly<Record<string, string | undefined>>): RulesCliConfig {
  const reader = new EnvReader(env);
  const config: RulesCliConfig = {
    apiUrl: reader.url('OPS_API_URL', 'http://127.0.0.1:8080', ['http:', 'https:']).replace(/\/+$/, ''),
    apiKey: reader.optionalString('OPS_API_KEY'),
    // A replay reads Kafka and may take a while; the API bounds it with DRY_RUN_REPLAY_TIMEOUT_MS.
    requestTimeoutMs: reader.integer('OPS_API_TIMEOUT_MS', 300_000, { min: 1_000, max: 3_600_000 }),
    limits: readOpsApiLimits(reader),
  };
  reader.assertValid();
  return config;
}
