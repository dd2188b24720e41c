import fc from 'fast-check';
import {
  clampPriority,
  compareQueueEntries,
  MAX_PRIORITY,
  msPerPriorityPoint,
  PRIORITY_SCORE_STRIDE,
  queueScore,
  QueueEntry,
  SCORE_EPOCH_MS,
} from './queue-ordering';

const entry = fc.record({
  interactionId: fc.string({ minLength: 1, maxLength: 8 }),
  priority: fc.integer({ min: 0, max: MAX_PRIORITY }),
  enqueuedAtMs: fc.integer({ min: SCORE_EPOCH_MS, max: SCORE_EPOCH_MS + 40 * 365 * 24 * 3600 * 1000 }),
});

describe('queue ordering', () => {
  it('serves higher priority first, whatever the ages', () => {
    fc.assert(
      fc.property(entry, entry, (a, b) => {
        fc.pre(a.priority !== b.priority);
        const first = compareQueueEntries(a, b) < 0 ? a : b;
        expect(first.priority).toBe(Math.max(a.priority, b.priority));
      }),
    );
  });

  it('serves the older interaction first within one priority', () => {
    fc.assert(
      fc.property(entry, entry, (a, b) => {
        const sameBand: QueueEntry = { ...b, priority: a.priority };
        fc.pre(a.enqueuedAtMs !== sameBand.enqueuedAtMs);
        const first = compareQueueEntries(a, sameBand) < 0 ? a : sameBand;
        expect(first.enqueuedAtMs).toBe(Math.min(a.enqueuedAtMs, sameBand.enqueuedAtMs));
      }),
    );
  });

  it('keeps scores exact: distinct (priority, millisecond) pairs never collide', () => {
    fc.assert(
      fc.property(entry, entry, (a, b) => {
        fc.pre(a.priority !== b.priority || a.enqueuedAtMs !== b.enqueuedAtMs);
        expect(queueScore(a.priority, a.enqueuedAtMs)).not.toBe(queueScore(b.priority, b.enqueuedAtMs));
        expect(Number.isSafeInteger(queueScore(a.priority, a.enqueuedAtMs))).toBe(true);
      }),
    );
  });

  it('sorting by score equals sorting by (priority desc, age desc)', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 50 }), (entries) => {
        const byScore = [...entries].sort(compareQueueEntries);
        const byRule = [...entries].sort(
          (a, b) =>
            b.priority - a.priority || a.enqueuedAtMs - b.enqueuedAtMs || (a.interactionId < b.interactionId ? -1 : a.interactionId > b.interactionId ? 1 : 0),
        );
        expect(byScore).toEqual(byRule);
      }),
    );
  });
});

/** Serve order inside one queue with the given ordering: negative when `a` goes first. */
function compareIn(pointMs: number, a: QueueEntry, b: QueueEntry): number {
  return queueScore(a.priority, a.enqueuedAtMs, pointMs) - queueScore(b.priority, b.enqueuedAtMs, pointMs);
}

const agingRate = fc.integer({ min: 1, max: 120 }); // priority points per minute of waiting
const YEAR_MS = 365 * 24 * 3600 * 1000;
const arrival = fc.integer({ min: SCORE_EPOCH_MS, max: SCORE_EPOCH_MS + 10 * YEAR_MS });

describe('queue ordering with aging', () => {
  it('serves the older entry first once it has waited Δpriority / rate minutes longer, and not before', () => {
    fc.assert(
      fc.property(agingRate, entry, entry, fc.integer({ min: 0, max: 3 * 24 * 3600 * 1000 }), (rate, older, newer, waitedLongerMs) => {
        fc.pre(older.priority < newer.priority);
        const pointMs = msPerPriorityPoint(rate);
        const later: QueueEntry = { ...newer, enqueuedAtMs: older.enqueuedAtMs + waitedLongerMs };
        fc.pre(later.enqueuedAtMs < SCORE_EPOCH_MS + PRIORITY_SCORE_STRIDE);
        const deltaPriority = newer.priority - older.priority;
        if (waitedLongerMs > deltaPriority * pointMs) expect(compareIn(pointMs, older, later)).toBeLessThan(0);
        if (waitedLongerMs < deltaPriority * pointMs) expect(compareIn(pointMs, older, later)).toBeGreaterThan(0);
        // In the terms ops configure (points per minute), allowing for the rounding of a point to whole ms.
        if (waitedLongerMs >= (deltaPriority * 60_000) / rate + deltaPriority) expect(compareIn(pointMs, older, later)).toBeLessThan(0);
      }),
    );
  });

  it('lets nothing wait forever: an entry is ahead of everyone arriving (1023 − priority) points of waiting after it', () => {
    fc.assert(
      fc.property(
        agingRate,
        entry,
        fc.integer({ min: 0, max: MAX_PRIORITY }),
        fc.integer({ min: 1, max: YEAR_MS }),
        (rate, waiting, newcomerPriority, extraMs) => {
          const pointMs = msPerPriorityPoint(rate);
          const newcomer: QueueEntry = {
            interactionId: 'newcomer',
            priority: newcomerPriority,
            enqueuedAtMs: waiting.enqueuedAtMs + (MAX_PRIORITY - waiting.priority) * pointMs + extraMs,
          };
          fc.pre(newcomer.enqueuedAtMs < SCORE_EPOCH_MS + PRIORITY_SCORE_STRIDE);
          expect(compareIn(pointMs, waiting, newcomer)).toBeLessThan(0);
        },
      ),
    );
  });

  it('still serves by priority among simultaneous arrivals, and by age within a priority', () => {
    fc.assert(
      fc.property(agingRate, entry, entry, (rate, a, b) => {
        const pointMs = msPerPriorityPoint(rate);
        const together: QueueEntry = { ...b, enqueuedAtMs: a.enqueuedAtMs };
        if (a.priority !== together.priority) expect(Math.sign(compareIn(pointMs, a, together))).toBe(Math.sign(together.priority - a.priority));
        const samePriority: QueueEntry = { ...b, priority: a.priority };
        if (a.enqueuedAtMs !== samePriority.enqueuedAtMs)
          expect(Math.sign(compareIn(pointMs, a, samePriority))).toBe(Math.sign(a.enqueuedAtMs - samePriority.enqueuedAtMs));
      }),
    );
  });
});

describe('escalation keeps the original age', () => {
  const ordering = fc.oneof(
    fc.constant(PRIORITY_SCORE_STRIDE),
    agingRate.map((rate) => msPerPriorityPoint(rate)),
  );
  const raise = fc.integer({ min: 1, max: MAX_PRIORITY });

  it('never places an interaction later than before when its priority is raised', () => {
    fc.assert(
      fc.property(ordering, entry, raise, (pointMs, waiting, raiseBy) => {
        const raised = clampPriority(waiting.priority + raiseBy);
        expect(queueScore(raised, waiting.enqueuedAtMs, pointMs)).toBeLessThanOrEqual(queueScore(waiting.priority, waiting.enqueuedAtMs, pointMs));
        if (raised > waiting.priority)
          expect(queueScore(raised, waiting.enqueuedAtMs, pointMs)).toBeLessThan(queueScore(waiting.priority, waiting.enqueuedAtMs, pointMs));
      }),
    );
  });

  it('keeps it behind older entries of its new priority and ahead of newer ones, in its queue or the one it moves to', () => {
    fc.assert(
      fc.property(ordering, ordering, entry, raise, arrival, (fromPointMs, toPointMs, waiting, raiseBy, otherArrival) => {
        fc.pre(otherArrival !== waiting.enqueuedAtMs);
        const raised = clampPriority(waiting.priority + raiseBy);
        const other: QueueEntry = { interactionId: 'other', priority: raised, enqueuedAtMs: otherArrival };
        for (const pointMs of [fromPointMs, toPointMs]) {
          const escalated: QueueEntry = { ...waiting, priority: raised };
          const expected = Math.sign(waiting.enqueuedAtMs - otherArrival); // older first
          expect(Math.sign(compareIn(pointMs, escalated, other))).toBe(expected);
        }
      }),
    );
  });

  it('changes the score by whole priority points only: the age part stays the original arrival', () => {
    fc.assert(
      fc.property(ordering, entry, raise, (pointMs, waiting, raiseBy) => {
        const raised = clampPriority(waiting.priority + raiseBy);
        const before = queueScore(waiting.priority, waiting.enqueuedAtMs, pointMs);
        const after = queueScore(raised, waiting.enqueuedAtMs, pointMs);
        expect(before - after).toBe((raised - waiting.priority) * pointMs);
      }),
    );
  });
});
