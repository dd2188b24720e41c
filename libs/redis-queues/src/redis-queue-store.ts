import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis, { ChainableCommander } from 'ioredis';
import { MAX_PRIORITY, PRIORITY_SCORE_STRIDE, SCORE_EPOCH_MS, clampPriority } from '@conmutador/routing';
import {
  InteractionSnapshot,
  QueueStats,
  TraceEntry,
  QueueCommand,
  QueueCommandResult,
  QueueOutcome,
  QueuePlacement,
} from './queue-commands';

/** Script name → file. The version suffix lets two releases run side by side during a rollout. */
const SCRIPTS = {
  enqueueInteractionV1: { file: 'enqueueInteraction-3.lua', keys: 3 },
  dequeueInteractionV1: { file: 'dequeueInteraction-1.lua', keys: 1 },
  moveInteractionV1: { file: 'moveInteraction-2.lua', keys: 2 },
  markPublishedV1: { file: 'markPublished-1.lua', keys: 1 },
} as const;

type ScriptName = keyof typeof SCRIPTS;
type ScriptedPipeline = ChainableCommander & Record<ScriptName, (...args: (string | number)[]) => ChainableCommander>;

/** Short hash field names: every waiting interaction carries them, so bytes count. */
function snapshotFields(snapshot: InteractionSnapshot): string[] {
  return [
    's', snapshot.sector,
    'n', snapshot.intent,
    'e', snapshot.emergency ? '1' : '0',
    'c', String(snapshot.confidence),
    'tn', snapshot.tenant,
    'ch', snapshot.channel,
    'k', snapshot.requiredSkills.join(','),
    'r', snapshot.ruleId,
    'v', String(snapshot.rulesetVersion),
  ];
}

/** Decodes `{code, publishState, position, q, p, t, fq, s, n, e, c, tn, ch, k, r, v}` (see the scripts' headers). */
function toPlacement(reply: unknown[]): QueuePlacement {
  const [, , position, queue, priority, enqueuedAt, fromQueue, sector, intent, emergency, confidence, tenant, channel, skills, ruleId, version] =
    reply.map((value) => (value === null || value === undefined ? '' : String(value)));
  return {
    queue,
    priority: Number(priority),
    enqueuedAtMs: Number(enqueuedAt),
    position: Number(position),
    ...(fromQueue ? { fromQueue } : {}),
    snapshot: {
      sector,
      intent,
      emergency: emergency === '1',
      confidence: Number(confidence),
      tenant,
      channel,
      requiredSkills: skills ? skills.split(',') : [],
      ruleId,
      rulesetVersion: Number(version),
    },
  };
}

/**
 * Skill queues in Redis. Every effect is one Lua script (atomic, idempotent by event id), and a
 * whole chunk of commands travels in one pipeline: one round trip however many events.
 */
export class RedisQueueStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly finishedTtlSeconds: number,
  ) {
    for (const [name, script] of Object.entries(SCRIPTS)) {
      if (typeof (redis as unknown as Record<string, unknown>)[name] === 'function') continue;
      redis.defineCommand(name, { numberOfKeys: script.keys, lua: readFileSync(join(__dirname, 'commands', script.file), 'utf8') });
    }
  }

  interactionKey(interactionId: string): string {
    return `${this.prefix}i:${interactionId}`;
  }

  queueKey(queue: string): string {
    return `${this.prefix}q:${queue}`;
  }

  private get queueIndexKey(): string {
    return `${this.prefix}queues`;
  }

  private pipeline(): ScriptedPipeline {
    return this.redis.pipeline() as ScriptedPipeline;
  }

  /**
   * Applies the commands in order in one round trip. Connection trouble rejects the whole call
   * (the caller retries the chunk); a script error fails only its own command.
   */
  async execute(commands: QueueCommand[]): Promise<QueueCommandResult[]> {
    if (commands.length === 0) return [];
    const pipeline = this.pipeline();
    const scoreArgs = [SCORE_EPOCH_MS, PRIORITY_SCORE_STRIDE, MAX_PRIORITY];
    for (const command of commands) {
      const hash = this.interactionKey(command.interactionId);
      switch (command.kind) {
        case 'enqueue':
          pipeline.enqueueInteractionV1(
            hash, this.queueKey(command.queue), this.queueIndexKey,
            command.eventId, command.interactionId, command.queue, clampPriority(command.priority), Math.floor(command.enqueuedAtMs),
            ...scoreArgs, ...snapshotFields(command.snapshot),
          );
          break;
        case 'dequeue':
          pipeline.dequeueInteractionV1(hash, command.eventId, command.interactionId, command.reason, this.prefix, this.finishedTtlSeconds);
          break;
        case 'move': {
          const overrides: string[] = [];
          if (command.requiredSkills) overrides.push('k', command.requiredSkills.join(','));
          if (command.ruleId) overrides.push('r', command.ruleId);
          pipeline.moveInteractionV1(
            hash, this.queueIndexKey,
            command.eventId, command.interactionId, command.targetQueue,
            command.priority === undefined ? '' : clampPriority(command.priority), this.prefix,
            ...scoreArgs, ...overrides,
          );
          break;
        }
      }
    }
    const replies = await pipeline.exec();
    if (!replies) throw new Error('redis pipeline was discarded');
    return replies.map(([error, reply], index) => {
      if (error) {
        if (isConnectionError(error)) throw error;
        return { outcome: 'failed', error: error.message };
      }
      return this.toResult(reply as unknown[]);
    });
  }

  private toResult(reply: unknown[]): QueueCommandResult {
    switch (Number(reply[0])) {
      case 0:
        return { outcome: QueueOutcome.Applied, placement: toPlacement(reply) };
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
    const pipeline = this.pipeline();
    for (const ref of refs) pipeline.markPublishedV1(this.interactionKey(ref.interactionId), ref.eventId);
    const replies = await pipeline.exec();
    const failure = replies?.find(([error]) => error);
    if (failure?.[0]) throw failure[0];
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

  async interaction(interactionId: string): Promise<Record<string, string>> {
    return this.redis.hgetall(this.interactionKey(interactionId));
  }

  traceKey(interactionId: string): string {
    return `${this.prefix}t:${interactionId}`;
  }

  queueStatsKey(queue: string): string {
    return `${this.prefix}qs:${queue}`;
  }

  /** The decision trace of an interaction, oldest entry first. */
  async trace(interactionId: string): Promise<TraceEntry[]> {
    return (await this.redis.lrange(this.traceKey(interactionId), 0, -1)).map((entry) => JSON.parse(entry) as TraceEntry);
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

  /** The interactions waiting first in line, with their score, for a queue view. */
  async head(queue: string, limit = 100): Promise<{ interactionId: string; score: number }[]> {
    const flat = await this.redis.zrange(this.queueKey(queue), 0, limit - 1, 'WITHSCORES');
    const head: { interactionId: string; score: number }[] = [];
    for (let i = 0; i < flat.length; i += 2) head.push({ interactionId: flat[i], score: Number(flat[i + 1]) });
    return head;
  }
}

/** Errors raised by the script itself; anything else (connection, OOM, READONLY) is worth retrying. */
const COMMAND_ERROR = /^(ERR|WRONGTYPE)\b/;

function isConnectionError(error: Error): boolean {
  return !COMMAND_ERROR.test(error.message);
}
