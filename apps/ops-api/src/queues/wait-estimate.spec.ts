import { estimatedWaitSeconds } from './wait-estimate';

describe('wait estimate', () => {
  it('is the position times the mean time between answers', () => {
    expect(estimatedWaitSeconds(3, { answered: 10, ewmaAnswerIntervalMs: 20_000, lastAnsweredAtMs: 0 })).toBe(60);
  });

  it('is unknown without two answers of history, or for nobody waiting', () => {
    expect(estimatedWaitSeconds(3, { answered: 1, ewmaAnswerIntervalMs: 20_000, lastAnsweredAtMs: 0 })).toBeNull();
    expect(estimatedWaitSeconds(3, { answered: 0, ewmaAnswerIntervalMs: null, lastAnsweredAtMs: null })).toBeNull();
    expect(estimatedWaitSeconds(0, { answered: 10, ewmaAnswerIntervalMs: 20_000, lastAnsweredAtMs: 0 })).toBeNull();
  });
});
