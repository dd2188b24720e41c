import { readInteractionState } from './interaction-state';

const arrivedAtMs = Date.UTC(2026, 3, 14, 15, 0, 0);
const waitingHash = {
  st: 'w',
  q: 'oxygen_urgent',
  fq: 'oxygen',
  p: '900',
  t: String(arrivedAtMs),
  pm: String(2 ** 41),
  es: JSON.stringify([
    { afterSeconds: 60, raisePriorityBy: 50 },
    { afterSeconds: 120, moveToQueue: 'oxygen_urgent' },
  ]),
  ov: '0',
  s: 'oxygen',
  n: 'supply',
  e: '1',
  c: '0.93',
  tn: 'linde',
  ch: 'voice',
  k: 'oxygen,oxygen.supply',
  r: 'oxygen-emergency',
  v: '4',
  'ev:evt-1': 'p',
  'ev:timer-2': 'a',
};

describe('interaction state from the queue hash', () => {
  it('decodes a waiting interaction, with its escalation plan checked against the trace', () => {
    const state = readInteractionState(
      'int-1',
      waitingHash,
      [
        { at: new Date(arrivedAtMs).toISOString(), kind: 'queued', queue: 'oxygen', priority: 900 },
        { at: new Date(arrivedAtMs + 120_000).toISOString(), kind: 'escalated', queue: 'oxygen_urgent', fromQueue: 'oxygen', priority: 900, step: 2 },
      ],
      { nowMs: arrivedAtMs + 150_000, position: 2, estimatedWaitSeconds: 40 },
    );

    expect(state).toMatchObject({
      state: 'waiting',
      queue: 'oxygen_urgent',
      previousQueue: 'oxygen',
      priority: 900,
      enqueuedAt: '2026-04-14T15:00:00.000Z',
      waitedSeconds: 150,
      position: 2,
      estimatedWaitSeconds: 40,
      finishedReason: null,
      overflowed: false,
      classification: { sector: 'oxygen', intent: 'supply', emergency: true, confidence: 0.93 },
      requiredSkills: ['oxygen', 'oxygen.supply'],
      ruleId: 'oxygen-emergency',
      rulesetVersion: 4,
      events: [
        { eventId: 'evt-1', published: true },
        { eventId: 'timer-2', published: false },
      ],
    });
    expect(state.escalations).toEqual([
      { step: 1, afterSeconds: 60, dueAt: '2026-04-14T15:01:00.000Z', raisePriorityBy: 50, fired: false },
      { step: 2, afterSeconds: 120, dueAt: '2026-04-14T15:02:00.000Z', moveToQueue: 'oxygen_urgent', fired: true },
    ]);
  });

  it('shows a finished interaction without a position or a wait', () => {
    const state = readInteractionState('int-1', { ...waitingHash, st: 'd', dr: 'answered', es: '{}' }, [], {
      nowMs: arrivedAtMs,
      position: 5,
      estimatedWaitSeconds: 9,
    });
    expect(state).toMatchObject({
      state: 'finished',
      finishedReason: 'answered',
      position: null,
      waitedSeconds: null,
      estimatedWaitSeconds: null,
      escalations: [],
    });
  });

  it('keeps the trace when the hash has already expired', () => {
    const state = readInteractionState('int-1', {}, [{ at: '2026-04-14T15:00:00.000Z', kind: 'dequeued', queue: 'oxygen', priority: 900 }], {
      nowMs: arrivedAtMs,
      position: null,
      estimatedWaitSeconds: null,
    });
    expect(state).toMatchObject({ state: 'unknown', queue: null, classification: null, requiredSkills: [] });
    expect(state.trace).toHaveLength(1);
  });
});
