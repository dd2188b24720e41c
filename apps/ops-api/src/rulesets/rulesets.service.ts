import { BadRequestException, ConflictException, Inject, Injectable } from '@nestjs/common';
import { OPS_API_LIMIT_KEYS, OpsApiServiceConfig } from '@conmutador/config';
import {
  checkRulesetBounds,
  compileRuleset,
  CompiledRuleset,
  describeBoundViolation,
  diffRulesets,
  diffStats,
  hasErrors,
  RulesetDiff,
  RulesetIssue,
  RulesetValidationError,
  validateRuleset,
} from '@conmutador/rules';
import {
  PublicationAudit,
  PublicationChange,
  PublishedRuleset,
  RulesetAuditChanges,
  RulesetAuditEntry,
  RulesetConflictError,
  RulesetNotFoundError,
  RulesetStore,
  RulesetSummary,
  StoredRuleset,
} from '@conmutador/ruleset-store';
import { RedisQueueStore } from '@conmutador/redis-queues';
import { OPS_API_CONFIG } from '../ops-api.tokens';
import { InvalidRulesetException } from './invalid-ruleset.exception';

const MAX_PUBLICATION_ATTEMPTS = 3;

/** What an audit entry keeps of a change: the version compared from (null: none) and the diff in numbers. */
function changesFrom(base: PublishedRuleset | null, document: unknown): RulesetAuditChanges {
  return { from: base?.version ?? null, ...diffStats(diffRulesets(base?.document ?? {}, document)) };
}

/**
 * The rules of the ruleset lifecycle that the store leaves to its callers: nothing over a bound
 * is looked at, nothing with an error is saved, and nothing is put in force (publish or rollback)
 * unless it compiles now, with the same library the routers compile it with.
 */
@Injectable()
export class RulesetsService {
  constructor(
    private readonly store: RulesetStore,
    private readonly queues: RedisQueueStore,
    @Inject(OPS_API_CONFIG) private readonly config: OpsApiServiceConfig,
  ) {}

  validate(document: unknown): { valid: boolean; issues: RulesetIssue[] } {
    this.assertWithinBounds(document);
    const issues = validateRuleset(document);
    return { valid: !hasErrors(issues), issues };
  }

  async create(document: unknown, note: string | undefined, actor: string): Promise<{ version: number; status: 'draft'; warnings: RulesetIssue[] }> {
    this.assertWithinBounds(document);
    const issues = validateRuleset(document);
    if (hasErrors(issues)) throw new InvalidRulesetException(issues);
    const { version } = await this.store.createDraft(document, actor, note, changesFrom(await this.store.current(), document));
    return { version, status: 'draft', warnings: issues };
  }

  /**
   * A 400 naming each bound exceeded and its setting, before validation: validating costs more
   * the larger the document, and what is over a bound would not be saved anyway.
   */
  private assertWithinBounds(document: unknown): void {
    const violations = checkRulesetBounds(document, this.config.limits);
    if (violations.length === 0) return;
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: violations.map((violation) => describeBoundViolation(violation, OPS_API_LIMIT_KEYS[violation.bound])).join('; '),
      bounds: violations,
    });
  }

  list(): Promise<RulesetSummary[]> {
    return this.store.list();
  }

  async get(version: number): Promise<StoredRuleset> {
    const ruleset = await this.store.get(version);
    if (!ruleset) throw new RulesetNotFoundError(version);
    return ruleset;
  }

  async published(): Promise<PublishedRuleset | null> {
    return this.store.current();
  }

  /** The version compiled as the routers would; a document that no longer passes is a 422. */
  async compiled(version: number): Promise<CompiledRuleset> {
    return this.compile((await this.get(version)).document, version);
  }

  compile(document: unknown, version: number): CompiledRuleset {
    try {
      return compileRuleset(document, version);
    } catch (error) {
      if (error instanceof RulesetValidationError) throw new InvalidRulesetException(error.issues, `ruleset version ${version}`);
      throw error;
    }
  }

  async publish(version: number, actor: string): Promise<PublicationChange> {
    const compiled = await this.compiled(version);
    await this.assertQueuesKeepTheirDomains(compiled, version);
    return this.putInForce(compiled.document, (audit) => this.store.publish(version, actor, audit));
  }

  async rollback(version: number, actor: string): Promise<PublicationChange> {
    // The validator may have grown stricter since this version was in force; routers would refuse it.
    const compiled = await this.compiled(version);
    await this.assertQueuesKeepTheirDomains(compiled, version);
    return this.putInForce(compiled.document, (audit) => this.store.rollback(version, actor, audit));
  }

  /**
   * A queue's state lives in its routing domain's keys, so a queue that ever held an
   * interaction keeps its domain: put in another, its waiting interactions would be stranded and
   * an arrival seen again could be queued twice. Moving work means a new queue in the other
   * domain, and transfers to it.
   */
  private async assertQueuesKeepTheirDomains(compiled: CompiledRuleset, version: number): Promise<void> {
    const held = await this.queues.queueDomains();
    const moved = compiled.queues
      .map((queue) => ({ name: queue.name, domain: compiled.domainOf(queue.name), heldIn: held.get(queue.name) }))
      .filter(({ domain, heldIn }) => heldIn !== undefined && heldIn !== domain);
    if (moved.length === 0) return;
    throw new ConflictException({
      statusCode: 409,
      error: 'Conflict',
      reason: 'queue_domain_changed',
      message: moved.map(
        ({ name, domain, heldIn }) =>
          `ruleset version ${version} puts queue "${name}" in domain "${domain}", but its state lives in domain "${heldIn}": a queue keeps its domain; add a new queue in "${domain}" and transfer to it`,
      ),
    });
  }

  /**
   * The audit entry counts what changes from the version in force, which only the store's script
   * knows for sure: the counts are made against the version read here, and the script refuses
   * the switch if another one came first. Then the counts are made again, a few times at most
   * (two admins publishing in the same instant), before the API answers 409.
   */
  private async putInForce(document: unknown, switchTo: (audit: PublicationAudit) => Promise<PublicationChange>): Promise<PublicationChange> {
    for (let attempt = 1; ; attempt++) {
      const inForce = await this.store.current();
      try {
        return await switchTo({ expectedPrevious: inForce?.version ?? null, changes: changesFrom(inForce, document) });
      } catch (error) {
        const moved = error instanceof RulesetConflictError && error.reason === 'published_version_moved';
        if (!moved || attempt >= MAX_PUBLICATION_ATTEMPTS) throw error;
      }
    }
  }

  async diff(from: number, to: number): Promise<{ from: number; to: number; diff: RulesetDiff }> {
    const [before, after] = await Promise.all([this.compiled(from), this.compiled(to)]);
    return { from, to, diff: diffRulesets(before.document, after.document) };
  }

  audit(limit: number): Promise<RulesetAuditEntry[]> {
    return this.store.audit(limit);
  }
}
