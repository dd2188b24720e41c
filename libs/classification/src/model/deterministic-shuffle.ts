/**
 * A seeded Fisher–Yates shuffle. The corpus arrives grouped by sector (one file each); online
 * training on grouped examples drifts towards whichever sector came last, so the examples are
 * interleaved, always in the same order for the same input.
 */
export function deterministicShuffle<T>(items: readonly T[], seed = 0x5eed): T[] {
  const shuffled = [...items];
  let state = seed >>> 0;
  // mulberry32: tiny, fast, and good enough to decorrelate training order.
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = shuffled.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  return shuffled;
}
