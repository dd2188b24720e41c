import { Injectable, NotFoundException } from '@nestjs/common';
import { RedisQueueStore } from '@conmutador/redis-queues';
import { InteractionState, readInteractionState } from './interaction-state';
import { estimatedWaitSeconds, secondsSince } from './wait-estimate';

export interface QueueOverview {
  queue: string;
  depth: number;
  /** The longest current wait (not necessarily the next to be served: priority comes first). */
  oldestWaitSeconds: number | null;
  /** False when the queue is longer than the scan limit and the oldest wait covers only its head. */
  oldestWaitExact: boolean;
  /** For an interaction joining at the back now, at the queue's recent pace. */
  estimatedWaitSeconds: number | null;
  answered: number;
  meanAnswerIntervalSeconds: number | null;
  lastAnsweredAt: string | null;
}

export interface WaitingInteraction {
  position: number;
  interactionId: string;
  priority: number;
  enqueuedAt: string;
  waitedSeconds: number;
  estimatedWaitSeconds: number | null;
  sector: string;
  intent: string;
  emergency: boolean;
  requiredSkills: string[];
  ruleId: string;
  rulesetVersion: number | null;
  overflowed: boolean;
}

/** How many members are read to find a queue's oldest wait; beyond it the figure covers the head only. */
const OLDEST_WAIT_SCAN_LIMIT = 10_000;
const LISTED_FIELDS = ['p', 't', 's', 'n', 'e', 'k', 'r', 'v', 'ov'] as const;

/**
 * Read-only views of the skill queues for operators. Sorted sets give the serve order; the
 * details come from each interaction's hash, read in one pipeline per view (key names from the
 * store, field names as the queue scripts document them).
 */
@Injectable()
export class QueueViewsService {
  constructor(private readonly queues: RedisQueueStore) {}

  async overview(nowMs = Date.now()): Promise<QueueOverview[]> {
    const names = await this.queues.queues();
    return Promise.all(names.map((queue) => this.queueOverview(queue, nowMs)));
  }

  private async queueOverview(queue: string, nowMs: number): Promise<QueueOverview> {
    const [depth, stats, members] = await Promise.all([
      this.queues.queueLength(queue),
      this.queues.queueStats(queue),
      this.queues.waiting(queue, OLDEST_WAIT_SCAN_LIMIT),
    ]);
    const arrivals = await this.fieldsOf(members, ['t']);
    const oldestArrivalMs = arrivals.reduce((oldest, [arrival]) => (arrival ? Math.min(oldest, Number(arrival)) : oldest), Infinity);
    return {
      queue,
      depth,
      oldestWaitSeconds: Number.isFinite(oldestArrivalMs) ? secondsSince(oldestArrivalMs, nowMs) : null,
      oldestWaitExact: depth <= OLDEST_WAIT_SCAN_LIMIT,
      estimatedWaitSeconds: estimatedWaitSeconds(depth + 1, stats),
      answered: stats.answered,
      meanAnswerIntervalSeconds: stats.ewmaAnswerIntervalMs === null ? null : Math.round(stats.ewmaAnswerIntervalMs / 100) / 10,
      lastAnsweredAt: stats.lastAnsweredAtMs === null ? null : new Date(stats.lastAnsweredAtMs).toISOString(),
    };
  }

  /** The first `limit` interactions of a queue in serve order. */
  async waitingIn(queue: string, limit: number, nowMs = Date.now()): Promise<{ queue: string; depth: number; interactions: WaitingInteraction[] }> {
    if (!(await this.queues.queues()).includes(queue)) throw new NotFoundException(`queue "${queue}" is not known`);
    const [depth, stats, ids] = await Promise.all([this.queues.queueLength(queue), this.queues.queueStats(queue), this.queues.waiting(queue, limit)]);
    const details = await this.fieldsOf(ids, LISTED_FIELDS);
    const interactions = ids.flatMap((interactionId, index): WaitingInteraction[] => {
      const [priority, arrival, sector, intent, emergency, skills, ruleId, version, overflowed] = details[index];
      // Finished between the two reads: it is no longer waiting, so it is not listed.
      if (arrival === null) return [];
      const position = index + 1;
      return [
        {
          position,
          interactionId,
          priority: Number(priority),
          enqueuedAt: new Date(Number(arrival)).toISOString(),
          waitedSeconds: secondsSince(Number(arrival), nowMs),
          estimatedWaitSeconds: estimatedWaitSeconds(position, stats),
          sector: sector ?? '',
          intent: intent ?? '',
          emergency: emergency === '1',
          requiredSkills: skills ? skills.split(',') : [],
          ruleId: ruleId ?? '',
          rulesetVersion: version ? Number(version) : null,
          overflowed: overflowed === '1',
        },
      ];
    });
    return { queue, depth, interactions };
  }

  async interaction(interactionId: string, nowMs = Date.now()): Promise<InteractionState> {
    const [hash, trace] = await Promise.all([this.queues.interaction(interactionId), this.queues.trace(interactionId)]);
    if (Object.keys(hash).length === 0 && trace.length === 0) throw new NotFoundException(`interaction "${interactionId}" is not known (or was forgotten)`);
    let position: number | null = null;
    let estimate: number | null = null;
    if (hash.st === 'w' && hash.q) {
      const [place, stats] = await Promise.all([this.queues.position(interactionId), this.queues.queueStats(hash.q)]);
      position = place;
      estimate = position === null ? null : estimatedWaitSeconds(position, stats);
    }
    return readInteractionState(interactionId, hash, trace, { nowMs, position, estimatedWaitSeconds: estimate });
  }

  private async fieldsOf(interactionIds: string[], fields: readonly string[]): Promise<(string | null)[][]> {
    return this.queues.describe(interactionIds, fields);
  }
}
