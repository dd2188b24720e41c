/**
 * A skill queue is served by priority (higher first), then by arrival (older first). Both are
 * folded into one sortable number so Redis can keep the queue as a sorted set and answer a
 * position in O(log n):
 *
 *   score = (MAX_PRIORITY - priority) * msPerPriorityPoint + (enqueuedAtMs - SCORE_EPOCH_MS)
 *
 * Strict priority uses msPerPriorityPoint = 2^41 (~69 years: no wait ever outweighs a point), and
 * 10 bits of priority on top stay inside the 53 bits a double holds exactly.
 *
 * Aging uses a smaller msPerPriorityPoint: with `agingPointsPerMinute` r, one point is worth
 * 60000 / r ms of waiting, i.e. the order is by effective priority `priority + r × minutes waited`
 * (the common `now` cancels out), so a low priority waits at most Δpriority / r minutes behind
 * newer high-priority arrivals: nothing is starved, and the score still never changes over time.
 *
 * The Lua scripts compute the same formula; a test keeps the two in step.
 */
export const MAX_PRIORITY = 1023;
export const MIN_PRIORITY = 0;
export const SCORE_EPOCH_MS = Date.UTC(2020, 0, 1);
export const PRIORITY_SCORE_STRIDE = 2 ** 41;

export function clampPriority(priority: number): number {
  return Math.min(MAX_PRIORITY, Math.max(MIN_PRIORITY, Math.round(priority)));
}

/** ms of waiting one priority point is worth in a queue with the given aging rate (0 = strict priority). */
export function msPerPriorityPoint(agingPointsPerMinute = 0): number {
  return agingPointsPerMinute > 0 ? Math.max(1, Math.round(60_000 / agingPointsPerMinute)) : PRIORITY_SCORE_STRIDE;
}

export function queueScore(priority: number, enqueuedAtMs: number, pointMs: number = PRIORITY_SCORE_STRIDE): number {
  const age = Math.min(PRIORITY_SCORE_STRIDE - 1, Math.max(0, Math.floor(enqueuedAtMs) - SCORE_EPOCH_MS));
  return (MAX_PRIORITY - clampPriority(priority)) * pointMs + age;
}

export interface QueueEntry {
  interactionId: string;
  priority: number;
  enqueuedAtMs: number;
}

/** Serve order: negative when `a` is served before `b`. Ties on both fall back to the id for a total order. */
export function compareQueueEntries(a: QueueEntry, b: QueueEntry): number {
  return (
    queueScore(a.priority, a.enqueuedAtMs) - queueScore(b.priority, b.enqueuedAtMs) ||
    (a.interactionId < b.interactionId ? -1 : a.interactionId > b.interactionId ? 1 : 0)
  );
}
