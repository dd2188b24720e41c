import { randomInt } from 'node:crypto';

/**
 * The seed of a run's random test inputs (fast-check properties, random bytes of differential
 * specs), so that a failure can be replayed: FC_SEED when it is set, otherwise one picked now.
 * A picked seed is printed once and put in FC_SEED, where the test workers, started after the
 * global setup that picks it, find it: the whole run uses one seed, and `FC_SEED=<seed>` replays it.
 */
export function propertySeed(): number {
  const given = process.env.FC_SEED;
  if (given !== undefined && given !== '') {
    const seed = Number(given);
    if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer, not ${JSON.stringify(given)}`);
    return seed;
  }
  const seed = randomInt(2 ** 31 - 1);
  process.env.FC_SEED = String(seed);
  process.stderr.write(`\nrandom test inputs seeded with FC_SEED=${seed}; run with FC_SEED=${seed} to replay them\n`);
  return seed;
}

/** Uniform numbers in [0, 1) from a 32-bit seed (mulberry32): the same seed, the same sequence. */
export function seededRandom(seed = propertySeed()): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** A stand-in for crypto's randomBytes whose bytes follow from the seed. */
export function seededRandomBytes(seed = propertySeed()): (length: number) => Buffer {
  const random = seededRandom(seed);
  return (length) => {
    const bytes = Buffer.allocUnsafe(length);
    for (let index = 0; index < length; index += 1) bytes[index] = Math.floor(random() * 256);
    return bytes;
  };
}
