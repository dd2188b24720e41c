import { readFileSync } from 'node:fs';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { RouterServiceConfig } from '@conmutador/config';
import { RedisClient } from '@conmutador/redis-client';
import { compileRuleset } from '@conmutador/rules';
import { PublishedVersionWatcher, RulesetStore } from '@conmutador/ruleset-store';
import { REDIS_CLIENT, ROUTER_CONFIG } from './router.tokens';
import { RoutingPolicyHolder } from './routing-policy.holder';

/**
 * Keeps this replica on the published ruleset. A publication is announced on a Redis channel and
 * the pointer is also polled, so every replica switches within the poll interval even if it
 * missed the announcement. The new version is compiled before it replaces the old one: a version
 * that does not compile (which the ops API refuses to publish) leaves the previous one in force.
 */
@Injectable()
export class RulesetSyncService implements OnApplicationShutdown {
  private readonly store: RulesetStore;
  private watcher?: PublishedVersionWatcher;
  private loading: Promise<void> = Promise.resolve();

  constructor(
    @Inject(ROUTER_CONFIG) private readonly config: RouterServiceConfig,
    @Inject(REDIS_CLIENT) redis: RedisClient,
    private readonly holder: RoutingPolicyHolder,
    @InjectPinoLogger(RulesetSyncService.name) private readonly logger: PinoLogger,
  ) {
    this.store = new RulesetStore(redis, config.redis.keyPrefix);
  }

  /** Called before consuming starts: no event is routed by anything but a published ruleset. */
  async start(): Promise<void> {
    const seed = JSON.parse(readFileSync(this.config.router.defaultRulesetFile, 'utf8')) as unknown;
    // Validate the seed before offering it: a broken default file must stop the boot, not be published.
    compileRuleset(seed, 0);
    const moved = await this.store.migrateLegacyKeys();
    if (moved) this.logger.info(moved, 'moved the rulesets to the cluster-safe key layout');
    const { version, seeded } = await this.store.seedIfEmpty(seed, 'system');
    if (seeded) this.logger.info({ version }, 'no ruleset was published; published the default one');
    this.watcher = new PublishedVersionWatcher(this.store, (next) => this.switchTo(next), {
      pollIntervalMs: this.config.router.rulesetPollMs,
      onError: (error) => this.logger.warn({ err: error }, 'ruleset watch failed; retrying'),
    });
    const current = await this.watcher.start();
    await this.load(current ?? version);
  }

  onApplicationShutdown(): void {
    this.watcher?.stop();
  }

  private switchTo(version: number): void {
    // Loads run one after another, so versions are applied in the order they were seen.
    this.loading = this.loading
      .then(() => this.load(version))
      .catch((error: unknown) => {
        this.logger.error({ err: error, version }, 'published ruleset could not be loaded; keeping the previous one');
      });
  }

  private async load(version: number): Promise<void> {
    const stored = await this.store.get(version);
    if (!stored) throw new Error(`ruleset version ${version} is published but missing`);
    const compiled = compileRuleset(stored.document, version);
    const previous = this.holder.version;
    this.holder.replace(compiled, compiled.overflows());
    this.logger.info({ version, previous, warnings: compiled.warnings.length }, 'ruleset in force');
  }
}
