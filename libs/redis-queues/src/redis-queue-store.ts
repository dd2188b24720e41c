import { hostname } from 'node:os';
import { join } from 'node:path';
import { defineLuaCommands } from '@conmutador/redis-lua';
import Redis, { ChainableCommander } from 'ioredis';
import { MAX_PRIORITY, SCORE_EPOCH_MS, clampPriority } from '@conmutador/routing';
import {
  EnqueueCommand,
  FiredEscalation,
  InteractionSnapshot,
  QueueCommand,
  QueueCommandResult,
  QueueOutcome,
  QueuePlacement,
  QueueStats,
  ScheduledEscalation,
  TraceEntry,
} from './queue-commands';
import { compactEvidence, expandEvidence } from './decision-evidence';

/** Script name → file. The version suffix lets two releases run side by side during a rollout. */
const SCRIPTS = {
  enqueueInteractionsV2: { file: 'enqueueInteractions-n.lua', keys: 'variable' },
  dequeueInteractionV3: { file: 'dequeueInteraction-2.lua', keys: 2 },
  moveInteractionV3: { file: 'moveInteraction-3.lua', keys: 3 },
  refuseTransferV1: { file: 'refuseTransfer-1.lua', keys: 1 },
  fireDueEscalationsV2: { file: 'fireDueEscalations-2.lua', keys: 2 },
  markPublishedV2: { file: 'markPublished-n.lua', keys: 'variable' },
  readTraceV1: { file: 'readTrace-2.lua', keys: 2 },
} as const;

type ScriptName = keyof typeof SCRIPTS;
type Scripted<T> = T & Record<ScriptName, (...args: (string | number)[]) => T>;
const OUTBOX_GROUP = 'relay';

/** The interaction hash's `e` field: its emergency level, absent when routine. */
const EMERGENCY_FIELD = '1';
const POSSIBLE_EMERGENCY_FIELD = 'p';

function emergencyLevelField(snapshot: InteractionSnapshot): string {
  if (snapshot.emergency) return EMERGENCY_FIELD;
  return snapshot.possibleEmergency ? POSSIBLE_EMERGENCY_FIELD : '';
}

/** What interactions of one rule share, stored once (includes/routingProfile.lua): [s, n, k, r, v, es]. */
const PROFILE_FIELDS = ['s', 'n', 'k', 'r', 'v', 'es'] as const;

function routingProfile(snapshot: InteractionSnapshot, escalations: ScheduledEscalation[]): string {
  const steps = escalations.length > 0 ? JSON.stringify(escalations) : '';
  return JSON.stringify([snapshot.sector, snapshot.intent, snapshot.requiredSkills.join(','), snapshot.ruleId, String(snapshot.rulesetVersion), steps]);
}

/**
 * Arrivals per enqueue script call. A call places a run of consecutive arrivals, so the client
 * builds and settles one command for many; short runs keep each script run (which other Redis
 * clients wait for) near a millisecond.
 */
export const ENQUEUE_BATCH = 32;

/**
 * One pipelined script call: a run of arrivals, which answers one reply per arrival, or any other
 * command. `indices` are the commands' places in the `execute` argument.
 */
type PipelinedCall =
  { kind: 'arrivals'; arrivals: EnqueueCommand[]; indices: number[] } | { kind: 'single'; command: Exclude<QueueCommand, EnqueueCommand>; index: number };

/** The enqueue script's short reply `{0, 'a', position, queue, overflowed, ewma, answered}`, completed from the command. */
function enqueuedPlacement(command: EnqueueCommand, reply: unknown[]): QueuePlacement {
  const position = Number(reply[2]);
  return {
    queue: String(reply[3]),
    priority: clampPriority(command.priority),
    enqueuedAtMs: Math.floor(command.enqueuedAtMs),
    position,
    overflowed: reply[4] === '1',
    estimatedWaitSeconds: estimatedWait(position, String(reply[5] ?? ''), String(reply[6] ?? '0')),
    snapshot: { ...command.snapshot, requiredSkills: [...command.snapshot.requiredSkills] },
  };
}

function estimatedWait(position: number, ewmaMs: string, answered: string): number | null {
  // Two answers make one interval: fewer is no history, and the contract says null, not a guess.
  if (position <= 0 || ewmaMs === '' || Number(answered) < 2) return null;
  return Math.round((position * Number(ewmaMs)) / 1000);
}

/** Decodes `{code, publishState, position, q p t fq s n e c tn ch k r v ov, ewma, answered}` (see the scripts' headers). */
function toPlacement(reply: unknown[]): QueuePlacement {
  const [
    ,
    ,
    position,
    queue,
    priority,
    enqueuedAt,
    fromQueue,
    sector,
    intent,
    emergency,
    confidence,
    tenant,
    channel,
    skills,
    ruleId,
    version,
    overflowed,
    ewma,
    answered,
  ] = reply.map((value) => (value === null || value === undefined ? '' : String(value)));
  return {
    queue,
    priority: Number(priority),
    enqueuedAtMs: Number(enqueuedAt),
    position: Number(position),
    ...(fromQueue ? { fromQueue } : {}),
    overflowed: overflowed === '1',
    estimatedWaitSeconds: estimatedWait(Number(position), ewma, answered),
    snapshot: {
      sector,
      intent,
      emergency: emergency === EMERGENCY_FIELD,
      ...(emergency === POSSIBLE_EMERGENCY_FIELD ? { possibleEmergency: true } : {}),
      confidence: Number(confidence),
      tenant,
      channel,
      requiredSkills: skills ? skills.split(',') : [],
      ruleId,
      rulesetVersion: Number(version),
    },
  };
}

type TraceEvidence = NonNullable<TraceEntry['classification']>['evidence'];

/** Errors raised by the script itself; anything else (connection, OOM, READONLY) is worth retrying. */
const COMMAND_ERROR = /^(ERR|WRONGTYPE)\b/;

/**
 * Skill queues in Redis. Every effect is one Lua script (atomic, idempotent by event id), and a
 * whole chunk of commands travels in one pipeline: one round trip however many events.
 *
 * Keys: <p>i:<id> interaction hash, <p>q:<queue> sorted set, <p>queues index, <p>timers
 * escalation timers, <p>outbox fired escalations to publish, <p>t:<id> trace (from the second
 * decision on), <p>qs:<queue> stats, <p>profiles routing profiles shared by interactions.
 */
export class RedisQueueStore {
  private readonly consumerName = `${hostname()}-${process.pid}`;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly finishedTtlSeconds: number,
  ) {
    defineLuaCommands(redis, join(__dirname, 'commands'), SCRIPTS);
  }

  interactionKey(interactionId: string): string {
    return `${this.prefix}i:${interactionId}`;
  }

  queueKey(queue: string): string {
    return `${this.prefix}q:${queue}`;
  }

  traceKey(interactionId: string): string {
    return `${this.prefix}t:${interactionId}`;
  }

  queueStatsKey(queue: string): string {
    return `${this.prefix}qs:${queue}`;
  }

  private get queueIndexKey(): string {
    return `${this.prefix}queues`;
  }

  private get profilesKey(): string {
    return `${this.prefix}profiles`;
  }

  private get timersKey(): string {
    return `${this.prefix}timers`;
  }

  private get outboxKey(): string {
    return `${this.prefix}outbox`;
  }

  private pipeline(): Scripted<ChainableCommander> {
    return this.redis.pipeline() as Scripted<ChainableCommander>;
  }

  /**
   * Applies the commands in order in one round trip. Connection trouble rejects the whole call
   * (the caller retries the chunk); a script error fails only its own command.
   */
  async execute(commands: QueueCommand[]): Promise<QueueCommandResult[]> {
    if (commands.length === 0) return [];
    const pipeline = this.pipeline();
    const calls: PipelinedCall[] = [];
    let run: Extract<PipelinedCall, { kind: 'arrivals' }> | undefined;
    commands.forEach((command, index) => {
      if (command.kind !== 'enqueue') {
        // A run of arrivals ends at any other command: effects apply in the order given.
        run = undefined;
        calls.push({ kind: 'single', command, index });
        return;
      }
      if (!run || run.arrivals.length === ENQUEUE_BATCH) calls.push((run = { kind: 'arrivals', arrivals: [], indices: [] }));
      run.arrivals.push(command);
      run.indices.push(index);
    });
    for (const call of calls) {
      if (call.kind === 'arrivals') this.queueArrivals(pipeline, call.arrivals);
      else this.queueCommand(pipeline, call.command);
    }
    const replies = await pipeline.exec();
    if (!replies) throw new Error('redis pipeline was discarded');
    const results = new Array<QueueCommandResult>(commands.length);
    calls.forEach((call, callIndex) => {
      const [error, reply] = replies[callIndex];
      if (call.kind === 'single') {
        results[call.index] = error ? this.failure(error) : this.toResult(call.command, reply as unknown[]);
        return;
      }
      call.indices.forEach((commandIndex, position) => {
        results[commandIndex] = error ? this.failure(error) : this.toResult(call.arrivals[position], (reply as unknown[][])[position]);
      });
    });
    return results;
  }

  /** One script call for a run of arrivals (see the script's header for the layout). */
  private queueArrivals(pipeline: Scripted<ChainableCommander>, arrivals: EnqueueCommand[]): void {
    const keys = [this.queueIndexKey, this.timersKey];
    const values: (string | number)[] = [this.prefix, SCORE_EPOCH_MS, MAX_PRIORITY];
    for (const command of arrivals) {
      const { snapshot } = command;
      keys.push(this.interactionKey(command.interactionId));
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
    pipeline.enqueueInteractionsV2(keys.length, ...keys, ...values);
  }

  private queueCommand(pipeline: Scripted<ChainableCommander>, command: Exclude<QueueCommand, EnqueueCommand>): void {
    const hash = this.interactionKey(command.interactionId);
    switch (command.kind) {
      case 'dequeue':
        pipeline.dequeueInteractionV3(
          hash,
          this.timersKey,
          command.eventId,
          command.interactionId,
          command.reason,
          this.prefix,
          this.finishedTtlSeconds,
          Math.floor(command.occurredAtMs),
        );
        return;
      case 'move': {
        const overrides: (string | number)[] = [];
        if (command.ruleId !== undefined) overrides.push('r', command.ruleId);
        if (command.requiredSkills !== undefined) overrides.push('k', command.requiredSkills.join(','));
        if (command.rulesetVersion !== undefined) overrides.push('v', command.rulesetVersion);
        pipeline.moveInteractionV3(
          hash,
          this.queueIndexKey,
          this.timersKey,
          command.eventId,
          command.interactionId,
          this.prefix,
          command.targetQueue,
          command.priority === undefined ? '' : clampPriority(command.priority),
          SCORE_EPOCH_MS,
          command.msPerPriorityPoint,
          MAX_PRIORITY,
          JSON.stringify(command.escalations),
          command.reason,
          command.nowMs,
          ...overrides,
        );
        return;
      }
      case 'refuse-transfer':
        pipeline.refuseTransferV1(
          hash,
          command.eventId,
          command.interactionId,
          this.prefix,
          Math.floor(command.nowMs),
          command.problems.join('; '),
          command.rulesetVersion,
          command.targetQueue ?? '',
          command.targetSector ?? '',
        );
        return;
    }
  }

  /** A script error fails its command; anything else (connection, OOM, READONLY) is thrown, so the chunk is retried. */
  private failure(error: Error): QueueCommandResult {
    if (!COMMAND_ERROR.test(error.message)) throw error;
    return { outcome: 'failed', error: error.message };
  }

  private toResult(command: QueueCommand, reply: unknown[]): QueueCommandResult {
    switch (Number(reply[0])) {
      case -1:
        // The arrival script caught a Redis error on this one arrival.
        return this.failure(new Error(String(reply[1])));
      case 0:
        return { outcome: QueueOutcome.Applied, placement: command.kind === 'enqueue' ? enqueuedPlacement(command, reply) : toPlacement(reply) };
      case 1:
        return { outcome: reply[1] === 'p' ? QueueOutcome.Duplicate : QueueOutcome.AppliedUnpublished, placement: toPlacement(reply) };
      case 3:
        return { outcome: QueueOutcome.UnknownInteraction };
      default:
        return { outcome: QueueOutcome.NoEffect };
    }
  }

  /** After Kafka acknowledged the decisions: their causes become plain duplicates. */
  async markPublished(refs: { interactionId: string; eventId: string }[]): Promise<void> {
    if (refs.length === 0) return;
    const scripted = this.redis as Scripted<Redis>;
    const keys = refs.map((ref) => this.interactionKey(ref.interactionId));
    await scripted.markPublishedV2(refs.length, ...keys, ...refs.map((ref) => ref.eventId));
  }

  /** Fires due escalation steps (each exactly once across replicas); returns how many fired. */
  async fireDueEscalations(nowMs: number, limit = 500): Promise<number> {
    const scripted = this.redis as Scripted<Redis>;
    return Number(await scripted.fireDueEscalationsV2(this.timersKey, this.outboxKey, Math.floor(nowMs), limit, this.prefix, SCORE_EPOCH_MS, MAX_PRIORITY));
  }

  /**
   * Fired escalations not yet published. A consumer group hands each entry to one replica; an
   * entry a dead replica took is claimed back after `reclaimAfterMs`.
   */
  async readOutbox(count = 200, reclaimAfterMs = 5_000): Promise<FiredEscalation[]> {
    await this.ensureOutboxGroup();
    const reclaimed = (await this.redis.xautoclaim(this.outboxKey, OUTBOX_GROUP, this.consumerName, reclaimAfterMs, '0', 'COUNT', count)) as [
      string,
      [string, string[]][],
    ];
    const fresh = (await this.redis.xreadgroup('GROUP', OUTBOX_GROUP, this.consumerName, 'COUNT', count, 'STREAMS', this.outboxKey, '>')) as
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
          decision.q,
          decision.p,
          decision.t,
          decision.fq,
          decision.s,
          decision.n,
          decision.e,
          decision.c,
          decision.tn,
          decision.ch,
          decision.k,
          decision.r,
          decision.v,
          decision.ov,
          decision.ewma,
          decision.answered,
        ];
        return {
          outboxId,
          step: Number(decision.step),
          firedAtMs: Number(decision.firedAtMs),
          placement: { ...toPlacement(reply), interactionId: String(decision.interactionId) },
        };
      });
  }

  /** After Kafka acknowledged the published escalations. */
  async acknowledgeOutbox(outboxIds: string[]): Promise<void> {
    if (outboxIds.length === 0) return;
    await this.redis
      .multi()
      .xack(this.outboxKey, OUTBOX_GROUP, ...outboxIds)
      .xdel(this.outboxKey, ...outboxIds)
      .exec();
  }

  private outboxGroupReady = false;

  private async ensureOutboxGroup(): Promise<void> {
    if (this.outboxGroupReady) return;
    try {
      await this.redis.xgroup('CREATE', this.outboxKey, OUTBOX_GROUP, '0', 'MKSTREAM');
    } catch (error) {
      if (!/BUSYGROUP/.test((error as Error).message)) throw error;
    }
    this.outboxGroupReady = true;
  }

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
   * included: two round trips whatever the number of interactions.
   */
  async describe(interactionIds: string[], fields: readonly string[]): Promise<(string | null)[][]> {
    if (interactionIds.length === 0) return [];
    const stored = [...fields, 'pf'];
    const pipeline = this.redis.pipeline();
    for (const id of interactionIds) pipeline.hmget(this.interactionKey(id), ...stored);
    const rows = ((await pipeline.exec()) ?? []).map(([error, values]) => {
      if (error) throw error;
      return values as (string | null)[];
    });
    const profiles = await this.profiles(rows.map((row) => row[row.length - 1]));
    // Where each asked field sits in a profile, or -1 for a field of the hash itself.
    const profilePositions = fields.map((field) => PROFILE_FIELDS.indexOf(field as (typeof PROFILE_FIELDS)[number]));
    return rows.map((row) => {
      const profile = profiles.get(row[row.length - 1] ?? '');
      return fields.map((_, index) => (profilePositions[index] < 0 ? row[index] : (profile?.[profilePositions[index]] ?? null)));
    });
  }

  /** Routing profiles by id, for the ids given (absent ones are left out). */
  private async profiles(ids: (string | null)[]): Promise<Map<string, string[]>> {
    const wanted = [...new Set(ids.filter((id): id is string => !!id))];
    const found = new Map<string, string[]>();
    if (wanted.length === 0) return found;
    const encoded = await this.redis.hmget(this.profilesKey, ...wanted);
    wanted.forEach((id, index) => {
      const value = encoded[index];
      if (value) found.set(id, JSON.parse(value) as string[]);
    });
    return found;
  }

  /** An interaction hash as one record, routing-profile fields (s n k r v es) included. */
  private async withProfile(hash: Record<string, string>): Promise<Record<string, string>> {
    if (!hash.pf) return hash;
    const profile = (await this.profiles([hash.pf])).get(hash.pf);
    const merged = { ...hash };
    PROFILE_FIELDS.forEach((field, index) => {
      if (profile?.[index] !== undefined) merged[field] = profile[index];
    });
    return merged;
  }

  async queueLength(queue: string): Promise<number> {
    return this.redis.zcard(this.queueKey(queue));
  }

  /** Interaction ids in serve order. */
  async waiting(queue: string, limit = 100): Promise<string[]> {
    return this.redis.zrange(this.queueKey(queue), 0, limit - 1);
  }

  async queues(): Promise<string[]> {
    return (await this.redis.smembers(this.queueIndexKey)).sort();
  }

  /** The interaction hash (field names: see the scripts' headers), routing-profile fields included. */
  async interaction(interactionId: string): Promise<Record<string, string>> {
    return this.withProfile(await this.redis.hgetall(this.interactionKey(interactionId)));
  }

  /** The decision trace of an interaction, oldest entry first (readTrace-2.lua). */
  async trace(interactionId: string): Promise<TraceEntry[]> {
    const scripted = this.redis as Scripted<Redis>;
    const listed = (await scripted.readTraceV1(this.interactionKey(interactionId), this.traceKey(interactionId), this.prefix)) as unknown as string[];
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

  /** Service history of a queue, from which waits are estimated. */
  async queueStats(queue: string): Promise<QueueStats> {
    const raw = await this.redis.hgetall(this.queueStatsKey(queue));
    return {
      answered: Number(raw.answered ?? 0),
      ewmaAnswerIntervalMs: raw.ewma === undefined ? null : Number(raw.ewma),
      lastAnsweredAtMs: raw.last === undefined ? null : Number(raw.last),
    };
  }
}
