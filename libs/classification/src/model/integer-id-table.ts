/** What {@link IntegerIdTable.idOf} answers for a key it does not have. */
export const NO_ID = -1;

/**
 * Non-negative integer → id, built once and then only read: open addressing in typed arrays.
 * The text model looks up dozens of integer keys per message (phrase n-gram codes, stem pairs);
 * here each is usually one probe in one cache line, where a Map walks a bucket and a chain.
 */
export class IntegerIdTable {
  /** Keys as doubles, exact for every safe integer; EMPTY where no key is. */
  private readonly keys: Float64Array;
  private readonly ids: Int32Array;
  private readonly hashShift: number;
  private readonly mask: number;

  /** `entries`: `[key, id]` pairs, keys distinct non-negative safe integers, `count` of them. */
  constructor(entries: Iterable<readonly [number, number]>, count: number) {
    // At most a quarter full, so that probe runs stay short.
    const bits = Math.min(30, Math.max(4, Math.ceil(Math.log2(count * 4))));
    this.keys = new Float64Array(2 ** bits).fill(EMPTY);
    this.ids = new Int32Array(2 ** bits);
    this.hashShift = 32 - bits;
    this.mask = 2 ** bits - 1;
    for (const [key, id] of entries) {
      if (!(Number.isSafeInteger(key) && key >= 0)) throw new RangeError(`integer id table keys must be non-negative safe integers, got ${key}`);
      let slot = this.slotOf(key);
      while (this.keys[slot] !== EMPTY) slot = (slot + 1) & this.mask;
      this.keys[slot] = key;
      this.ids[slot] = id;
    }
  }

  /** The id of `key`, or NO_ID when the table does not have it. */
  idOf(key: number): number {
    for (let slot = this.slotOf(key); ; slot = (slot + 1) & this.mask) {
      const stored = this.keys[slot];
      if (stored === key) return this.ids[slot];
      if (stored === EMPTY) return NO_ID;
    }
  }

  /** Fibonacci hashing: the top bits of the key's low 32 bits times 2^32/φ. */
  private slotOf(key: number): number {
    return Math.imul(key, 0x9e3779b1) >>> this.hashShift;
  }
}

const EMPTY = -1;
