import fc from 'fast-check';
import { compareQueueEntries, MAX_PRIORITY, queueScore, QueueEntry, SCORE_EPOCH_MS } from './queue-ordering';

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
          (a, b) => b.priority - a.priority || a.enqueuedAtMs - b.enqueuedAtMs || (a.interactionId < b.interactionId ? -1 : a.interactionId > b.interactionId ? 1 : 0),
        );
        expect(byScore).toEqual(byRule);
      }),
    );
  });
});
