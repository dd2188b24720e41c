/**
 * `npm run -s migrate:queue-keys -- [--dry-run] [--json]`: moves the queue state of a deployment
 * from the layout before routing domains (`<prefix>i:<id>`, `<prefix>q:<queue>`, …) to the
 * domain layout (`<prefix>{<domain>}:i:<id>`, …; libs/redis-queues/src/queue-keys.ts), deleting
 * the old keys. See docs/redis-key-layout.md.
 *
 * The domain of each queue is the one the published ruleset gives it (`default` for a queue it
 * does not name, and for every queue when no ruleset was ever published). Configuration: the
 * router's REDIS_URL and REDIS_KEY_PREFIX. The old layout only ever existed on a single Redis, so
 * a Redis Cluster configuration (REDIS_CLUSTER_NODES) is refused.
 *
 *   --dry-run   changes nothing: whether old keys remain, how many of each kind, and the domain
 *               each old queue would go to
 *   --json      one JSON document on stdout
 *
 * Stop every router and engine first: they must not read or write queue state while it moves.
 * Idempotent and restartable: run it again after an interruption. Exit codes: 0 done (or nothing
 * to do), 1 failed (Redis unreachable, invalid published ruleset, old keys left after the run),
 * 2 usage or configuration.
 */
import Redis from 'ioredis';
import { ConfigError, loadRouterConfig } from '@conmutador/config';
import { countLegacyQueueKeys, hasLegacyQueueKeys, LegacyKeyCount, LegacyMigrationReport, migrateLegacyQueueKeys } from '@conmutador/redis-queues';
import { compileRuleset } from '@conmutador/rules';
import { RulesetStore } from '@conmutador/ruleset-store';

export type ExitCode = 0 | 1 | 2;

export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

const standardOutput: CliOutput = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

export const MIGRATE_QUEUE_KEYS_USAGE = `usage: npm run -s migrate:queue-keys -- [--dry-run] [--json]

  moves the Redis queue state from the old key layout (<prefix>i:<id>, <prefix>q:<queue>, …) to the
  routing-domain layout (<prefix>{<domain>}:…), each queue to the domain of the published ruleset.
  Stop every router and engine first. Idempotent: after an interruption, run it again.

  --dry-run   change nothing: report what remains of the old layout and each queue's domain
  --json      machine-readable output on stdout
  env: REDIS_URL (default redis://127.0.0.1:6379), REDIS_KEY_PREFIX (default cmr:)`;

interface MigrateOptions {
  dryRun: boolean;
  json: boolean;
}

class UsageError extends Error {}

function parseArguments(argv: readonly string[]): MigrateOptions | 'help' {
  const options: MigrateOptions = { dryRun: false, json: false };
  for (const argument of argv) {
    if (argument === '--help' || argument === '-h') return 'help';
    if (argument === '--dry-run') options.dryRun = true;
    else if (argument === '--json') options.json = true;
    else throw new UsageError(`unknown argument "${argument}"`);
  }
  return options;
}

/** Where the queues' domains come from. */
interface DomainSource {
  /** The published version, or null when none was ever published. */
  version: number | null;
  /** Which keys it was read from: the ruleset store's, or the ruleset keys before their own migration. */
  from: 'ruleset-store' | 'old-ruleset-keys' | 'none';
  domains: string[];
  domainOf: (queue: string) => string;
}

/**
 * The published ruleset, compiled. Rulesets have their own move to the `{rules}` keys, which
 * every service makes at start-up; should it not have happened yet, the pointer and the version
 * are read, never written, where they were before, so queues still get their domains.
 */
async function readDomainSource(redis: Redis, prefix: string): Promise<DomainSource> {
  let published = await new RulesetStore(redis, prefix).current();
  let from: DomainSource['from'] = 'ruleset-store';
  if (published === null) {
    const version = Number((await redis.get(`${prefix}rules:current`)) ?? '');
    const document = Number.isSafeInteger(version) && version > 0 ? await redis.hget(`${prefix}rules:v:${version}`, 'document') : null;
    if (document !== null) {
      published = { version, document: JSON.parse(document) as unknown };
      from = 'old-ruleset-keys';
    }
  }
  if (published === null) return { version: null, from: 'none', domains: ['default'], domainOf: () => 'default' };
  const compiled = compileRuleset(published.document, published.version);
  return { version: published.version, from, domains: compiled.domains(), domainOf: (queue) => compiled.domainOf(queue) };
}

function describeSource(source: DomainSource): string {
  if (source.version === null) return 'no published ruleset: every queue goes to domain "default"';
  const where = source.from === 'old-ruleset-keys' ? ' (read from the ruleset keys before their migration)' : '';
  return `ruleset version ${source.version}${where}, domains: ${source.domains.join(', ')}`;
}

function describeCount(count: LegacyKeyCount): string {
  return [
    `  interactions ${count.interactions}, traces ${count.traces}`,
    `  queues ${count.queues} (${count.queueEntries} waiting), queue stats ${count.queueStats}, queue index ${count.queueIndexEntries}`,
    `  timers ${count.timers}, outbox entries ${count.outboxEntries}, profiles ${count.profiles}`,
  ].join('\n');
}

function describeReport(report: LegacyMigrationReport): string {
  return [
    `  interactions ${report.interactions}, traces ${report.traces}`,
    `  queues ${report.queues} (${report.queueEntries} waiting), queue stats ${report.queueStats}, queue index ${report.queueIndexEntries}`,
    `  timers ${report.timers}, outbox entries ${report.outboxEntries}, profiles ${report.profiles}`,
    `  old keys dropped for a new key already there: ${report.existingTargetsKept}`,
    `  domains: ${report.domains.length > 0 ? report.domains.join(', ') : '(none)'}`,
  ].join('\n');
}

async function run(redis: Redis, prefix: string, options: MigrateOptions, output: CliOutput): Promise<ExitCode> {
  const source = await readDomainSource(redis, prefix);
  const ruleset = { version: source.version, from: source.from, domains: source.domains };
  const legacyKeys = await hasLegacyQueueKeys(redis, prefix);

  if (options.dryRun) {
    const count = await countLegacyQueueKeys(redis, prefix);
    const plan = count.queueNames.map((queue) => ({ queue, domain: source.domainOf(queue) }));
    if (options.json) {
      output.out(JSON.stringify({ dryRun: true, prefix, ruleset, legacyKeys, count, plan }, null, 2));
      return 0;
    }
    output.out(`prefix ${JSON.stringify(prefix)}; ${describeSource(source)}`);
    if (!legacyKeys) {
      output.out('no key of the old layout remains: nothing to migrate');
      return 0;
    }
    output.out(`dry run: keys of the old layout remain\n${describeCount(count)}`);
    for (const { queue, domain } of plan) output.out(`  queue ${queue} -> domain ${domain}`);
    return 0;
  }

  if (!legacyKeys) {
    if (options.json) output.out(JSON.stringify({ dryRun: false, prefix, ruleset, legacyKeys, report: null, remaining: false }, null, 2));
    else output.out(`prefix ${JSON.stringify(prefix)}: no key of the old layout remains, nothing to migrate`);
    return 0;
  }
  const report = await migrateLegacyQueueKeys(redis, prefix, source.domainOf);
  const remaining = await hasLegacyQueueKeys(redis, prefix);
  if (options.json) {
    output.out(JSON.stringify({ dryRun: false, prefix, ruleset, legacyKeys, report, remaining }, null, 2));
  } else {
    output.out(`prefix ${JSON.stringify(prefix)}; ${describeSource(source)}\nmoved to the domain layout:\n${describeReport(report)}`);
  }
  if (remaining) {
    output.err(
      'migrate-queue-keys: keys of the old layout appeared during the run: is a router or engine of the old release still running? Stop it and run again.',
    );
    return 1;
  }
  return 0;
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, output: CliOutput = standardOutput): Promise<ExitCode> {
  let options;
  try {
    options = parseArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.err(`migrate-queue-keys: ${error.message}\n\n${MIGRATE_QUEUE_KEYS_USAGE}`);
    return 2;
  }
  if (options === 'help') {
    output.out(MIGRATE_QUEUE_KEYS_USAGE);
    return 0;
  }
  let config;
  try {
    config = loadRouterConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    output.err(`migrate-queue-keys: ${error.message}`);
    return 2;
  }
  if (config.redis.cluster) {
    output.err('migrate-queue-keys: the old key layout only ever existed on a single Redis: set REDIS_URL to it, not REDIS_CLUSTER_NODES');
    return 2;
  }
  const redis = new Redis(config.redis.url, { connectionName: 'conmutador-migrate-queue-keys', maxRetriesPerRequest: 2 });
  // Connection trouble fails the command under way, which reports it; the event itself is not news.
  redis.on('error', () => undefined);
  try {
    return await run(redis, config.redis.keyPrefix, options, output);
  } catch (error) {
    output.err(`migrate-queue-keys: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    redis.disconnect();
  }
}

if (require.main === module) {
  main(process.argv.slice(2), process.env).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`migrate-queue-keys: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
