import { hostname } from 'node:os';
import { join } from 'node:path';
import { ChainableCommander, Cluster, Redis } from 'ioredis';
import { defineLuaCommands } from '@conmutador/redis-lua';
import { DEFAULT_ROUTING_DOMAIN, MAX_PRIORITY, SCORE_EPOCH_MS, clampPriority } from '@conmutador/routing';
import {
  EnqueueCommand,
  FiredEscalation,
  InteractionSnapshot,
  MoveCommand,
  QueueCommand,
  QueueCommandResult,
  QueueOutcome,
  QueueStats,
  TraceEntry,
} from './queue-commands';
import { compactEvidence, expandEvidence } from './decision-evidence';
import { DomainKeys, domainRegistryKey } from './queue-keys';
import { PROFILE_FIELDS, emergencyLevelField, enqueuedPlacement, routingProfile, toPlacement } from './queue-replies';

/** Script name → file. The version suffix lets two releases run side by side during a rollout. */
const SCRIPTS = {
  enqueueInteractionsV3: { file: 'enqueueInteractions-n.lua', keys: 'variable' },
  dequeueInteractionV4: { file: 'dequeueInteraction-n.lua', keys: 'variable' },
  moveInteractionV4: { file: 'moveInteraction-n.lua', keys: 'variable' },
  refuseTransferV2: { file: 'refuseTransfer-n.lua', keys: 'variable' },
  handOverInteractionV1: { file: 'handOverInteraction-n.lua', keys: 'variable' },
  adoptInteractionV1: { file: 'adoptInteraction-n.lua', keys: 'variable' },
  fireEscalationV1: { file: 'fireEscalation-n.lua', keys: 'variable' },
  markPublishedV3: { file: 'markPublished-n.lua', keys: 'variable' },
  readTraceV2: { file: 'readTrace-3.lua', keys: 3 },
} as const;

type ScriptName = keyof typeof SCRIPTS;
type Scripted<T> = T & Record<ScriptName, (...args: (string | number)[]) => T>;
type RedisConnection = Redis | Cluster;
const OUTBOX_GROUP = 'relay';

/**
 * Arrivals per enqueue script call. A call places a run of consecutive arrivals, so the client
 * builds and settles one command for many; short runs keep each script run (which other Redis
 * clients wait for) near a millisecond.
 */
export const ENQUEUE_BATCH = 32;

/**
 * How many times a script may answer "a queue it needs was not declared" (code 5) before the
 * chunk fails and is retried whole. Each answer names the queues, so one more attempt normally
 * settles it; more happen only while escalations keep moving the same interaction.
 */
const MAX_ATTEMPTS = 6;
const ASK_AGAIN = 5;
/** A script's answer when the interaction left its domain (a transfer): find it again. */
const LEFT_THE_DOMAIN = 6;
/**
 * Interactions whose domain and queue this process last saw, so that the answer to an
 * interaction it placed needs no lookup in every domain. A bounded memory, not a truth: a script
 * that finds the interaction elsewhere answers so (codes 5 and 6) and the store looks it up.
 */
const REMEMBERED_WHEREABOUTS = 200_000;

/** Errors raised by the script itself; anything else (connection, OOM, READONLY) is worth retrying. */
const COMMAND_ERROR = /^(ERR|WRONGTYPE)\b/;
/** A Redis Cluster answer meaning "not here, not now": the slot moved or is moving. */
const CLUSTER_REDIRECTION = /^(MOVED|ASK|TRYAGAIN|CLUSTERDOWN)\b/;

type TraceEvidence = NonNullable<TraceEntry['classification']>['evidence'];

/** Where an interaction is, as last read or answered: its domain, and its queue when known. */
interface Whereabouts {
  domain: string;
  queue: string | null;
  /** From this process's memory rather than a read just now: an unknown answer there is not final. */
  remembered?: boolean;
}

/** One script call in a domain's pipeline: a run of arrivals, or one command (or one step of it). */
type ScriptCall =
  | { kind: 'arrivals'; domain: string; indices: number[]; declared: string[] }
  | { kind: 'apply' | 'hand-over'; domain: string; index: number; declared: string[] }
  | { kind: 'adopt'; domain: string; index: number; declared: string[]; fromDomain: string; carried: string[] };

export interface RedisQueueStoreOptions {
  /**
   * Replicas that must acknowledge a chunk's writes (Redis WAIT) before it counts as applied, so
   * a failover cannot lose what Kafka offsets already passed. 0: do not wait.
   */
  replicaAcks?: number;
  replicaAckTimeoutMs?: number;
}

function union(names: Iterable<string | null | undefined>): string[] {
  return [...new Set([...names].filter((name): name is string => !!name))];
}

/** Items grouped by a key, in their order: one pipeline or script call per group. */
function groupBy<T>(items: Iterable<T>, keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/**
 * Skill queues in Redis, one routing domain per hash tag (queue-keys.ts), on one Redis or a
 * Redis Cluster. Every effect is one Lua script (atomic, idempotent by event id) that declares
 * every key it touches; a chunk's commands travel in one pipeline per domain, so one round trip
 * per domain however many events, plus one to find interactions the chunk does not place itself.
 *
 * Commands apply in the order given. A chunk runs in segments in which each interaction appears
 * once, because a script learns where an interaction is only from the previous one's reply.
 */
export class RedisQueueStore {
  private readonly consumerName = `${hostname()}-${process.pid}`;
  private readonly keysByDomain = new Map<string, DomainKeys>();
  /** Every domain known to have held an interaction (the registry, as last read or written). */
  private knownDomains?: Set<string>;
  private readonly domainByQueue = new Map<string, string>();
  private readonly outboxGroupsReady = new Set<string>();
  /** Map order is insertion order: the first entry is the one seen longest ago. */
  private readonly remembered = new Map<string, Whereabouts>();
  private readonly replicaAcks: number;
  private readonly replicaAckTimeoutMs: number;

  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
    private readonly finishedTtlSeconds: number,
    options: RedisQueueStoreOptions = {},
  ) {
    defineLuaCommands(redis, join(__dirname, 'commands'), SCRIPTS);
    this.replicaAcks = options.replicaAcks ?? 0;
    this.replicaAckTimeoutMs = options.replicaAckTimeoutMs ?? 1_000;
  }

  /** The key names of a domain (the default one when none is given). */
  keysOf(domain: string = DEFAULT_ROUTING_DOMAIN): DomainKeys {
    let keys = this.keysByDomain.get(domain);
    if (!keys) this.keysByDomain.set(domain, (keys = new DomainKeys(this.prefix, domain)));
    return keys;
  }

  // ---------------------------------------------------------------- domains

  /** Every domain that ever held an interaction; `refresh` re-reads the registry. */
  async domains(refresh = false): Promise<string[]> {
    if (!this.knownDomains || refresh) {
      const listed = await this.redis.smembers(domainRegistryKey(this.prefix));
      this.knownDomains = new Set([...(this.knownDomains ?? []), ...listed]);
    }
    return [...this.knownDomains].sort();
  }

  /** Records domains before anything is written in them, so every reader finds them. */
  private async registerDomains(domains: string[]): Promise<void> {
    const known = new Set(await this.domains());
    const fresh = union(domains).filter((domain) => !known.has(domain));
    if (fresh.length === 0) return;
    await this.redis.sadd(domainRegistryKey(this.prefix), ...fresh);
    for (const domain of fresh) this.knownDomains!.add(domain);
  }

  /**
   * Where each interaction is: its hash is looked up in every known domain, one pipelined read
   * per domain. A hash left behind by a transfer across domains (st = m) counts only when no
   * domain holds the interaction itself. An id found nowhere, or only left behind, makes the
   * registry be read again, in case another replica opened a domain since.
   */
  async locate(interactionIds: string[]): Promise<Map<string, Whereabouts>> {
    const found = new Map<string, Whereabouts>();
    const wanted = union(interactionIds);
    if (wanted.length === 0) return found;
    const searched = new Set<string>();
    const leftBehind = new Map<string, Whereabouts>();
    for (const refresh of [false, true]) {
      const domains = (await this.domains(refresh)).filter((domain) => !searched.has(domain));
      const missing = wanted.filter((id) => !found.has(id));
      if (domains.length === 0 || missing.length === 0) break;
      await Promise.all(
        domains.map(async (domain) => {
          searched.add(domain);
          const keys = this.keysOf(domain);
          const pipeline = this.redis.pipeline();
          for (const id of missing) pipeline.hmget(keys.interaction(id), 'st', 'q');
          const rows = await this.exec(pipeline);
          rows.forEach((row, position) => {
            const [state, queue] = row as (string | null)[];
            if (!state) return;
            const target = state === 'm' ? leftBehind : found;
            target.set(missing[position], { domain, queue });
          });
        }),
      );
      if (missing.every((id) => found.has(id))) break;
    }
    for (const [id, whereabouts] of leftBehind) if (!found.has(id)) found.set(id, whereabouts);
    return found;
  }

  // ---------------------------------------------------------------- effects

  /**
   * Applies the commands (in order for each interaction) and answers one result per command.
   * Connection trouble rejects the whole call (the caller retries the chunk); a script error
   * fails only its own command.
   */
  async execute(commands: QueueCommand[]): Promise<QueueCommandResult[]> {
    const results = new Array<QueueCommandResult>(commands.length);
    if (commands.length === 0) return results;
    await this.registerDomains(commands.map((command) => this.targetDomain(command)));
    // Segments in which each interaction appears once: a later command for the same interaction
    // starts the next segment, so every effect applies in the order given.
    const segments: number[][] = [[]];
    let inSegment = new Set<string>();
    commands.forEach((command, index) => {
      if (inSegment.has(command.interactionId)) {
        segments.push([]);
        inSegment = new Set();
      }
      inSegment.add(command.interactionId);
      segments[segments.length - 1].push(index);
    });
    const whereabouts = new Map<string, Whereabouts>();
    for (const segment of segments) await this.executeSegment(segment, commands, results, whereabouts);
    return results;
  }

  private targetDomain(command: QueueCommand): string {
    return command.kind === 'enqueue' || command.kind === 'move' ? (command.domain ?? DEFAULT_ROUTING_DOMAIN) : DEFAULT_ROUTING_DOMAIN;
  }

  private async executeSegment(
    segment: number[],
    commands: QueueCommand[],
    results: QueueCommandResult[],
    whereabouts: Map<string, Whereabouts>,
  ): Promise<void> {
    for (const index of segment) {
      const { interactionId } = commands[index];
      const known = whereabouts.has(interactionId) ? undefined : this.remembered.get(interactionId);
      if (known) whereabouts.set(interactionId, { ...known, remembered: true });
    }
    const unknownIds = segment
      .map((index) => commands[index])
      // An arrival goes to its queue's domain, where the interaction (or the tombstone it left on
      // a transfer to another domain) is if it ever arrived: a queue never changes domain (the ops
      // API refuses to publish that), so arrivals need no lookup.
      .filter((command) => !whereabouts.has(command.interactionId) && command.kind !== 'enqueue')
      .map((command) => command.interactionId);
    for (const [id, found] of await this.locate(unknownIds)) whereabouts.set(id, found);

    let calls = this.plan(segment, commands, results, whereabouts);
    for (let attempt = 1; calls.length > 0; attempt++) {
      if (attempt > MAX_ATTEMPTS) throw new Error(`queue state kept moving under ${calls.length} script call(s); the chunk will be retried`);
      const replies = await this.run(calls, commands);
      const lost: number[] = [];
      calls = this.settle(calls, replies, commands, results, whereabouts, lost);
      if (lost.length === 0) continue;
      // Not where this process remembered it, or gone to another domain: look it up, plan again.
      const ids = lost.map((index) => commands[index].interactionId);
      for (const id of ids) {
        whereabouts.delete(id);
        this.remembered.delete(id);
      }
      for (const [id, found] of await this.locate(ids)) whereabouts.set(id, found);
      calls.push(...this.plan(lost, commands, results, whereabouts));
    }
  }

  private remember(interactionId: string, whereabouts: Whereabouts | undefined): void {
    this.remembered.delete(interactionId);
    if (!whereabouts) return;
    this.remembered.set(interactionId, { domain: whereabouts.domain, queue: whereabouts.queue });
    if (this.remembered.size > REMEMBERED_WHEREABOUTS) this.remembered.delete(this.remembered.keys().next().value as string);
  }

  /** The script calls for one segment, per domain in its order; unknown interactions are answered here. */
  private plan(segment: number[], commands: QueueCommand[], results: QueueCommandResult[], whereabouts: Map<string, Whereabouts>): ScriptCall[] {
    const calls: ScriptCall[] = [];
    const openRuns = new Map<string, Extract<ScriptCall, { kind: 'arrivals' }>>();
    for (const index of segment) {
      const command = commands[index];
      const where = whereabouts.get(command.interactionId);
      if (command.kind === 'enqueue') {
        const domain = where?.domain ?? this.targetDomain(command);
        let run = openRuns.get(domain);
        if (!run || run.indices.length === ENQUEUE_BATCH) {
          calls.push((run = { kind: 'arrivals', domain, indices: [], declared: [] }));
          openRuns.set(domain, run);
        }
        run.indices.push(index);
        for (const queue of [command.queue, command.overflow?.queue, where?.queue]) if (queue && !run.declared.includes(queue)) run.declared.push(queue);
        continue;
      }
      if (!where) {
        results[index] = { outcome: QueueOutcome.UnknownInteraction };
        continue;
      }
      // Any other command ends the domain's run of arrivals: effects apply in the order given.
      openRuns.delete(where.domain);
      if (command.kind === 'move' && this.targetDomain(command) !== where.domain) {
        calls.push({ kind: 'hand-over', domain: where.domain, index, declared: union([where.queue]) });
      } else {
        calls.push({ kind: 'apply', domain: where.domain, index, declared: union([where.queue, command.kind === 'move' ? command.targetQueue : null]) });
      }
    }
    return calls;
  }

  /** Sends the calls, one pipeline per domain, all domains at once; answers [error, reply] per call. */
  private async run(calls: ScriptCall[], commands: QueueCommand[]): Promise<[Error | null, unknown][]> {
    const byDomain = groupBy(
      calls.map((_, position) => position),
      (position) => calls[position].domain,
    );
    const replies = new Array<[Error | null, unknown]>(calls.length);
    await Promise.all(
      [...byDomain].map(async ([domain, positions]) => {
        const pipeline = this.redis.pipeline() as Scripted<ChainableCommander>;
        for (const position of positions) this.send(pipeline, calls[position], commands);
        if (this.replicaAcks > 0) pipeline.wait(this.replicaAcks, this.replicaAckTimeoutMs);
        const answered = await pipeline.exec();
        if (!answered) throw new Error('redis pipeline was discarded');
        this.checkRedirections(answered);
        if (this.replicaAcks > 0) this.checkReplicaAcks(domain, answered[answered.length - 1]);
        positions.forEach((position, order) => (replies[position] = answered[order] as [Error | null, unknown]));
      }),
    );
    return replies;
  }

  /**
   * A slot moved (a failover, a resharding) while the pipeline was on its way. ioredis re-sends a
   * pipeline only when every reply is the same redirection, which a pipeline ending in WAIT never
   * is: so the client's slot map is refreshed here and the chunk fails, to be retried whole.
   */
  private checkRedirections(answered: [Error | null, unknown][]): void {
    const redirected = answered.find(([error]) => error && CLUSTER_REDIRECTION.test(error.message));
    if (!redirected) return;
    if (this.redis instanceof Cluster) this.redis.refreshSlotsCache();
    throw redirected[0]!;
  }

  /** Fewer replicas than asked acknowledged the writes: the chunk fails and is retried (its effects are idempotent). */
  private checkReplicaAcks(domain: string, [error, acknowledged]: [Error | null, unknown]): void {
    if (error) throw error;
    if (Number(acknowledged) < this.replicaAcks) {
      throw new Error(
        `only ${Number(acknowledged)} of ${this.replicaAcks} Redis replica(s) acknowledged domain "${domain}" within ${this.replicaAckTimeoutMs} ms`,
      );
    }
  }

  private send(pipeline: Scripted<ChainableCommander>, call: ScriptCall, commands: QueueCommand[]): void {
    const keys = this.keysOf(call.domain);
    const declaredKeys = call.declared.flatMap((queue) => [keys.queue(queue), keys.queueStats(queue)]);
    if (call.kind === 'arrivals') {
      const arrivals = call.indices.map((index) => commands[index] as EnqueueCommand);
      this.sendArrivals(pipeline, keys, call.declared, declaredKeys, arrivals);
      return;
    }
    const command = commands[call.index];
    const hash = keys.interaction(command.interactionId);
    const trace = keys.trace(command.interactionId);
    if (call.kind === 'hand-over') {
      const fixed = [hash, trace, keys.timers, keys.profiles, ...declaredKeys];
      const target = this.targetDomain(command);
      pipeline.handOverInteractionV1(fixed.length, ...fixed, command.eventId, command.interactionId, target, this.finishedTtlSeconds, ...call.declared);
      return;
    }
    if (call.kind === 'adopt') {
      const move = command as MoveCommand;
      const fixed = [hash, trace, keys.timers, keys.profiles, keys.queueIndex, ...declaredKeys];
      pipeline.adoptInteractionV1(
        fixed.length,
        ...fixed,
        ...this.moveArguments(move).slice(0, 10),
        call.fromDomain,
        ...call.carried,
        call.declared.length,
        ...call.declared,
        ...this.profileOverrides(move),
      );
      return;
    }
    switch (command.kind) {
      case 'dequeue': {
        const fixed = [hash, trace, keys.timers, keys.profiles, ...declaredKeys];
        pipeline.dequeueInteractionV4(
          fixed.length,
          ...fixed,
          command.eventId,
          command.interactionId,
          command.reason,
          this.finishedTtlSeconds,
          Math.floor(command.occurredAtMs),
          ...call.declared,
        );
        return;
      }
      case 'move': {
        const fixed = [hash, keys.queueIndex, keys.timers, trace, keys.profiles, ...declaredKeys];
        pipeline.moveInteractionV4(
          fixed.length,
          ...fixed,
          ...this.moveArguments(command),
          call.declared.length,
          ...call.declared,
          ...this.profileOverrides(command),
        );
        return;
      }
      case 'refuse-transfer': {
        const fixed = [hash, trace, keys.profiles, ...declaredKeys];
        pipeline.refuseTransferV2(
          fixed.length,
          ...fixed,
          command.eventId,
          command.interactionId,
          Math.floor(command.nowMs),
          command.problems.join('; '),
          command.rulesetVersion,
          command.targetQueue ?? '',
          command.targetSector ?? '',
          ...call.declared,
        );
        return;
      }
      case 'enqueue':
        throw new Error('arrivals travel in runs');
    }
  }

  /** ARGV[1..10] of moveInteraction-n.lua and adoptInteraction-n.lua. */
  private moveArguments(command: MoveCommand): (string | number)[] {
    return [
      command.eventId,
      command.interactionId,
      command.targetQueue,
      command.priority === undefined ? '' : clampPriority(command.priority),
      SCORE_EPOCH_MS,
      command.msPerPriorityPoint,
      MAX_PRIORITY,
      JSON.stringify(command.escalations),
      command.reason,
      command.nowMs,
    ];
  }

  private profileOverrides(command: MoveCommand): (string | number)[] {
    const overrides: (string | number)[] = [];
    if (command.ruleId !== undefined) overrides.push('r', command.ruleId);
    if (command.requiredSkills !== undefined) overrides.push('k', command.requiredSkills.join(','));
    if (command.rulesetVersion !== undefined) overrides.push('v', command.rulesetVersion);
    return overrides;
  }

  /** One script call for a run of arrivals (see the script's header for the layout). */
  private sendArrivals(pipeline: Scripted<ChainableCommander>, keys: DomainKeys, declared: string[], declaredKeys: string[], arrivals: EnqueueCommand[]): void {
    const keyList = [keys.queueIndex, keys.timers, keys.profiles, ...declaredKeys];
    const values: (string | number)[] = [SCORE_EPOCH_MS, MAX_PRIORITY, declared.length, ...declared];
    for (const command of arrivals) {
      const { snapshot } = command;
      keyList.push(keys.interaction(command.interactionId));
      values.push(
        command.eventId,
        command.interactionId,
        command.queue,
        clampPriority(command.priority),
        Math.floor(command.enqueuedAtMs),
        command.msPerPriorityPoint,
        command.overflow?.queue ?? '',
        command.overflow?.maxWaiting ?? 0,
        command.overflow?.msPerPriorityPoint ?? command.msPerPriorityPoint,
        command.escalations.map((step) => step.afterSeconds).join(','),
        Math.floor(command.nowMs),
        routingProfile(snapshot, command.escalations),
        // Short hash fields, `e` only when set: every waiting interaction carries them, so bytes count.
        emergencyLevelField(snapshot),
        String(snapshot.confidence),
        snapshot.tenant,
        snapshot.channel,
        compactEvidence(command.classification?.evidence ?? []),
      );
    }
    pipeline.enqueueInteractionsV3(keyList.length, ...keyList, ...values);
  }

  /**
   * Records what each reply settled, and answers the calls still to make: those that asked for
   * more queues (declared now), and the second step of transfers across domains.
   */
  private settle(
    calls: ScriptCall[],
    replies: [Error | null, unknown][],
    commands: QueueCommand[],
    results: QueueCommandResult[],
    whereabouts: Map<string, Whereabouts>,
    lost: number[],
  ): ScriptCall[] {
    const next: ScriptCall[] = [];
    const settleOne = (call: ScriptCall, index: number, reply: unknown[]): void => {
      const command = commands[index];
      const code = Number(reply[0]);
      if (code === LEFT_THE_DOMAIN || (code === 3 && call.kind !== 'adopt' && whereabouts.get(command.interactionId)?.remembered)) {
        lost.push(index);
        return;
      }
      if (code === ASK_AGAIN) {
        const declared = union([...call.declared, ...reply.slice(3).map(String)]);
        next.push(call.kind === 'arrivals' ? { ...call, indices: [index], declared } : { ...call, declared });
        return;
      }
      if (call.kind === 'hand-over' && (Number(reply[0]) === 0 || Number(reply[0]) === 1) && String(reply[2]).startsWith('{')) {
        const move = command as MoveCommand;
        next.push({
          kind: 'adopt',
          domain: this.targetDomain(move),
          index,
          declared: [move.targetQueue],
          fromDomain: call.domain,
          carried: reply.slice(2, 5).map(String),
        });
        return;
      }
      const result = this.toResult(command, reply, call.domain);
      results[index] = result;
      if (!('placement' in result)) return;
      const where = { domain: call.domain, queue: result.placement.queue };
      whereabouts.set(command.interactionId, where);
      // A finished interaction is rarely heard of again: no need to remember it.
      this.remember(command.interactionId, command.kind === 'dequeue' && result.outcome === QueueOutcome.Applied ? undefined : where);
    };
    calls.forEach((call, position) => {
      const [error, reply] = replies[position];
      const indices = call.kind === 'arrivals' ? call.indices : [call.index];
      if (error) {
        for (const index of indices) results[index] = this.failure(error);
        return;
      }
      if (call.kind === 'arrivals') indices.forEach((index, order) => settleOne(call, index, (reply as unknown[][])[order]));
      else settleOne(call, call.index, reply as unknown[]);
    });
    // Arrivals asking again in one domain travel together again.
    const retriedRuns = new Map<string, Extract<ScriptCall, { kind: 'arrivals' }>>();
    return next.flatMap((call): ScriptCall[] => {
      if (call.kind !== 'arrivals') return [call];
      const run = retriedRuns.get(call.domain);
      if (!run) {
        retriedRuns.set(call.domain, call);
        return [call];
      }
      run.indices.push(...call.indices);
      run.declared = union([...run.declared, ...call.declared]);
      return [];
    });
  }

  /** A script error fails its command; anything else (connection, OOM, READONLY) is thrown, so the chunk is retried. */
  private failure(error: Error): QueueCommandResult {
    if (!COMMAND_ERROR.test(error.message)) throw error;
    return { outcome: 'failed', error: error.message };
  }

  private toResult(command: QueueCommand, reply: unknown[], domain: string): QueueCommandResult {
    switch (Number(reply[0])) {
      case -1:
        // The arrival script caught a Redis error on this one arrival.
        return this.failure(new Error(String(reply[1])));
      case 0:
        return {
          outcome: QueueOutcome.Applied,
          domain,
          placement: command.kind === 'enqueue' ? enqueuedPlacement(command, reply) : toPlacement(reply),
        };
      case 1:
        return { outcome: reply[1] === 'p' ? QueueOutcome.Duplicate : QueueOutcome.AppliedUnpublished, domain, placement: toPlacement(reply) };
      case 3:
        return { outcome: QueueOutcome.UnknownInteraction };
      default:
        return { outcome: QueueOutcome.NoEffect };
    }
  }

  private async exec(pipeline: ChainableCommander): Promise<unknown[]> {
    const replies = (await pipeline.exec()) ?? [];
    return replies.map(([error, value]) => {
      if (error) throw error;
      return value;
    });
  }

  /**
   * After Kafka acknowledged the decisions: their causes become plain duplicates. `domain` is
   * where the decision left the interaction (the results say); without it, it is looked up.
   */
  async markPublished(refs: { interactionId: string; eventId: string; domain?: string }[]): Promise<void> {
    if (refs.length === 0) return;
    const unplaced = refs.filter((ref) => !ref.domain).map((ref) => ref.interactionId);
    const located = unplaced.length > 0 ? await this.locate(unplaced) : new Map<string, Whereabouts>();
    const domainOf = (ref: (typeof refs)[number]): string => ref.domain ?? located.get(ref.interactionId)?.domain ?? '';
    // A decision whose interaction is found nowhere has nothing to mark.
    const byDomain = groupBy(
      refs.filter((ref) => domainOf(ref) !== ''),
      domainOf,
    );
    const scripted = this.redis as Scripted<RedisConnection>;
    await Promise.all(
      [...byDomain].map(([domain, marked]) => {
        const keys = this.keysOf(domain);
        return scripted.markPublishedV3(marked.length, ...marked.map((ref) => keys.interaction(ref.interactionId)), ...marked.map((ref) => ref.eventId));
      }),
    );
  }

  // ---------------------------------------------------------------- escalations

  /**
   * Fires due escalation steps (each exactly once across replicas); returns how many fired. Per
   * domain: one read of the due timers, then one script per timer (each declares its own
   * interaction's keys), all in one pipeline.
   */
  async fireDueEscalations(nowMs: number, limit = 500): Promise<number> {
    const domains = await this.domains(true);
    const fired = await Promise.all(domains.map((domain) => this.fireDueEscalationsIn(domain, Math.floor(nowMs), limit)));
    return fired.reduce((sum, count) => sum + count, 0);
  }

  private async fireDueEscalationsIn(domain: string, nowMs: number, limit: number): Promise<number> {
    const keys = this.keysOf(domain);
    const due = await this.redis.zrangebyscore(keys.timers, '-inf', nowMs, 'LIMIT', 0, limit);
    let pending = due.map((member) => ({ member, declared: [] as string[] }));
    let fired = 0;
    for (let attempt = 1; pending.length > 0 && attempt <= MAX_ATTEMPTS; attempt++) {
      const pipeline = this.redis.pipeline() as Scripted<ChainableCommander>;
      for (const { member, declared } of pending) {
        const interactionId = member.slice(0, member.lastIndexOf('|'));
        const fixed = [keys.timers, keys.outbox, keys.interaction(interactionId), keys.trace(interactionId), keys.profiles, keys.queueIndex];
        const declaredKeys = declared.flatMap((queue) => [keys.queue(queue), keys.queueStats(queue)]);
        pipeline.fireEscalationV1(fixed.length + declaredKeys.length, ...fixed, ...declaredKeys, member, nowMs, SCORE_EPOCH_MS, MAX_PRIORITY, ...declared);
      }
      const replies = (await this.exec(pipeline)) as unknown[][];
      pending = pending.flatMap((call, position) => {
        const reply = replies[position];
        if (Number(reply[0]) === 1) fired += 1;
        return Number(reply[0]) === ASK_AGAIN ? [{ member: call.member, declared: union([...call.declared, ...reply.slice(3).map(String)]) }] : [];
      });
    }
    // A timer still pending (its interaction kept moving) stays due: the next pass takes it.
    return fired;
  }

  /**
   * Fired escalations not yet published, from every domain's outbox. A consumer group hands each
   * entry to one replica; an entry a dead replica took is claimed back after `reclaimAfterMs`.
   */
  async readOutbox(count = 200, reclaimAfterMs = 5_000): Promise<FiredEscalation[]> {
    const domains = await this.domains();
    const perDomain = await Promise.all(domains.map((domain) => this.readOutboxOf(domain, count, reclaimAfterMs)));
    return perDomain.flat();
  }

  private async readOutboxOf(domain: string, count: number, reclaimAfterMs: number): Promise<FiredEscalation[]> {
    const outbox = this.keysOf(domain).outbox;
    await this.ensureOutboxGroup(domain, outbox);
    const reclaimed = (await this.redis.xautoclaim(outbox, OUTBOX_GROUP, this.consumerName, reclaimAfterMs, '0', 'COUNT', count)) as [
      string,
      [string, string[]][],
    ];
    const fresh = (await this.redis.xreadgroup('GROUP', OUTBOX_GROUP, this.consumerName, 'COUNT', count, 'STREAMS', outbox, '>')) as
      [string, [string, string[]][]][] | null;
    const entries = [...(reclaimed?.[1] ?? []), ...(fresh?.[0]?.[1] ?? [])];
    return entries
      .filter(([, fields]) => fields)
      .map(([outboxId, fields]) => {
        const decision = JSON.parse(fields[1]) as Record<string, string | number>;
        const reply = [
          0,
          'a',
          decision.position,
          ...['q', 'p', 't', 'fq', 's', 'n', 'e', 'c', 'tn', 'ch', 'k', 'r', 'v', 'ov', 'ewma', 'answered'].map((field) => decision[field]),
        ];
        return {
          outboxId,
          domain,
          step: Number(decision.step),
          firedAtMs: Number(decision.firedAtMs),
          placement: { ...toPlacement(reply), interactionId: String(decision.interactionId) },
        };
      });
  }

  /** After Kafka acknowledged the published escalations. */
  async acknowledgeOutbox(entries: Pick<FiredEscalation, 'outboxId' | 'domain'>[]): Promise<void> {
    const byDomain = groupBy(entries, (entry) => entry.domain);
    await Promise.all(
      [...byDomain].map(([domain, acknowledged]) => {
        const outbox = this.keysOf(domain).outbox;
        const ids = acknowledged.map((entry) => entry.outboxId);
        return this.redis
          .multi()
          .xack(outbox, OUTBOX_GROUP, ...ids)
          .xdel(outbox, ...ids)
          .exec();
      }),
    );
  }

  private async ensureOutboxGroup(domain: string, outbox: string): Promise<void> {
    if (this.outboxGroupsReady.has(domain)) return;
    try {
      await this.redis.xgroup('CREATE', outbox, OUTBOX_GROUP, '0', 'MKSTREAM');
    } catch (error) {
      if (!/BUSYGROUP/.test((error as Error).message)) throw error;
    }
    this.outboxGroupsReady.add(domain);
  }

  // ---------------------------------------------------------------- reads

  /** Where the given interactions are now and what they are, for decisions that depend on it (transfers). */
  async currentSnapshots(interactionIds: string[]): Promise<Map<string, { queue: string; priority: number; snapshot: InteractionSnapshot }>> {
    const found = new Map<string, { queue: string; priority: number; snapshot: InteractionSnapshot }>();
    const fields = ['st', 'q', 'p', 't', 'fq', 's', 'n', 'e', 'c', 'tn', 'ch', 'k', 'r', 'v', 'ov'];
    const described = await this.describe(interactionIds, fields);
    described.forEach((values, index) => {
      const [state, ...rest] = values;
      if (state !== 'w') return;
      const placement = toPlacement([0, 'a', 0, ...rest, '', '0']);
      found.set(interactionIds[index], { queue: placement.queue, priority: placement.priority, snapshot: placement.snapshot });
    });
    return found;
  }

  /**
   * The given fields of each interaction (null when absent), routing-profile fields (s n k r v es)
   * included: a few round trips whatever the number of interactions.
   */
  async describe(interactionIds: string[], fields: readonly string[]): Promise<(string | null)[][]> {
    if (interactionIds.length === 0) return [];
    const located = await this.locate(interactionIds);
    const stored = [...fields, 'pf'];
    const rows = new Map<string, (string | null)[]>();
    const byDomain = groupBy(located.keys(), (id) => located.get(id)!.domain);
    await Promise.all(
      [...byDomain].map(async ([domain, ids]) => {
        const keys = this.keysOf(domain);
        const pipeline = this.redis.pipeline();
        for (const id of ids) pipeline.hmget(keys.interaction(id), ...stored);
        const values = (await this.exec(pipeline)) as (string | null)[][];
        const profiles = await this.profiles(
          domain,
          values.map((row) => row[row.length - 1]),
        );
        // Where each asked field sits in a profile, or -1 for a field of the hash itself.
        const profilePositions = fields.map((field) => PROFILE_FIELDS.indexOf(field as (typeof PROFILE_FIELDS)[number]));
        values.forEach((row, position) => {
          const profile = profiles.get(row[row.length - 1] ?? '');
          rows.set(
            ids[position],
            fields.map((_, index) => (profilePositions[index] < 0 ? row[index] : (profile?.[profilePositions[index]] ?? null))),
          );
        });
      }),
    );
    return interactionIds.map((id) => rows.get(id) ?? fields.map(() => null));
  }

  /** Routing profiles of a domain by id, for the ids given (absent ones are left out). */
  private async profiles(domain: string, ids: (string | null)[]): Promise<Map<string, string[]>> {
    const wanted = union(ids);
    const found = new Map<string, string[]>();
    if (wanted.length === 0) return found;
    const encoded = await this.redis.hmget(this.keysOf(domain).profiles, ...wanted);
    wanted.forEach((id, index) => {
      const value = encoded[index];
      if (value) found.set(id, JSON.parse(value) as string[]);
    });
    return found;
  }

  /** Every queue that ever held an interaction, in any domain, sorted. */
  async queues(): Promise<string[]> {
    const domains = await this.domains(true);
    const listed = await Promise.all(domains.map((domain) => this.redis.smembers(this.keysOf(domain).queueIndex)));
    listed.forEach((names, index) => names.forEach((name) => this.domainByQueue.set(name, domains[index])));
    return union(listed.flat()).sort();
  }

  /** Every queue that ever held an interaction, with the domain its keys live in. */
  async queueDomains(): Promise<Map<string, string>> {
    await this.queues();
    return new Map(this.domainByQueue);
  }

  /** The domain a queue's keys live in, from the domains' queue indexes (the default one when none lists it). */
  async domainOfQueue(queue: string): Promise<string> {
    if (!this.domainByQueue.has(queue)) await this.queues();
    return this.domainByQueue.get(queue) ?? DEFAULT_ROUTING_DOMAIN;
  }

  async queueLength(queue: string): Promise<number> {
    return this.redis.zcard(this.keysOf(await this.domainOfQueue(queue)).queue(queue));
  }

  /** Interaction ids in serve order. */
  async waiting(queue: string, limit = 100): Promise<string[]> {
    return this.redis.zrange(this.keysOf(await this.domainOfQueue(queue)).queue(queue), 0, limit - 1);
  }

  /** Service history of a queue, from which waits are estimated. */
  async queueStats(queue: string): Promise<QueueStats> {
    const raw = await this.redis.hgetall(this.keysOf(await this.domainOfQueue(queue)).queueStats(queue));
    return {
      answered: Number(raw.answered ?? 0),
      ewmaAnswerIntervalMs: raw.ewma === undefined ? null : Number(raw.ewma),
      lastAnsweredAtMs: raw.last === undefined ? null : Number(raw.last),
    };
  }

  /** The interaction hash (field names: see the scripts' headers), routing-profile fields included; {} when unknown. */
  async interaction(interactionId: string): Promise<Record<string, string>> {
    const where = (await this.locate([interactionId])).get(interactionId);
    if (!where) return {};
    const hash = await this.redis.hgetall(this.keysOf(where.domain).interaction(interactionId));
    if (!hash.pf) return hash;
    const profile = (await this.profiles(where.domain, [hash.pf])).get(hash.pf);
    const merged = { ...hash };
    PROFILE_FIELDS.forEach((field, index) => {
      if (profile?.[index] !== undefined) merged[field] = profile[index];
    });
    return merged;
  }

  /** An interaction's 1-based place in its queue, or null when it is not waiting. */
  async position(interactionId: string): Promise<number | null> {
    const where = (await this.locate([interactionId])).get(interactionId);
    if (!where?.queue) return null;
    const rank = await this.redis.zrank(this.keysOf(where.domain).queue(where.queue), interactionId);
    return rank === null ? null : rank + 1;
  }

  /** The decision trace of an interaction, oldest entry first (readTrace-3.lua). */
  async trace(interactionId: string): Promise<TraceEntry[]> {
    const where = (await this.locate([interactionId])).get(interactionId);
    if (!where) return [];
    const keys = this.keysOf(where.domain);
    const scripted = this.redis as Scripted<RedisConnection>;
    const listed = (await scripted.readTraceV2(keys.interaction(interactionId), keys.trace(interactionId), keys.profiles)) as unknown as string[];
    return listed.map((raw) => {
      const { atMs, classification, ...entry } = JSON.parse(raw) as Omit<TraceEntry, 'at' | 'classification'> & {
        atMs: number;
        classification?: Omit<NonNullable<TraceEntry['classification']>, 'evidence'> & { evidence: string | TraceEvidence };
      };
      // The first decision's evidence is kept compact (decision-evidence.ts).
      const expanded = classification && {
        ...classification,
        evidence: typeof classification.evidence === 'string' ? expandEvidence(classification.evidence) : classification.evidence,
      };
      return { at: new Date(atMs).toISOString(), ...entry, ...(expanded ? { classification: expanded } : {}) } as TraceEntry;
    });
  }
}
