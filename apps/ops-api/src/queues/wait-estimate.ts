import { QueueStats } from '@conmutador/redis-queues';

/**
 * Seconds until the interaction at `position` is answered, at the queue's recent pace (its mean
 * time between answers). Null without history: two answers make the first interval, and a
 * guess would be worse than no number. The router estimates the same way for its decisions.
 */
export function estimatedWaitSeconds(position: number, stats: QueueStats): number | null {
  if (position <= 0 || stats.ewmaAnswerIntervalMs === null || stats.answered < 2) return null;
  return Math.round((position * stats.ewmaAnswerIntervalMs) / 1000);
}

export function secondsSince(epochMs: number, nowMs: number): number {
  return Math.max(0, Math.round((nowMs - epochMs) / 1000));
}
