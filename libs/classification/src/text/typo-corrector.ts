/**
 * Brings misspelt words back to the training vocabulary: "oxijeno" → "oxigeno", "sita" → "cita",
 * "ambulansia" → "ambulancia", "ospitalisacion" → "hospitalizacion". Colombian typing mixes
 * s/c/z, b/v, g/j and y/ll and drops the silent h, which are one or two edits away from the
 * word the model knows.
 *
 * Uses the symmetric-delete method: every vocabulary word is indexed under the strings obtained
 * by deleting up to two of its letters; an unknown word looks up its own deletions, so finding
 * candidates costs a few dozen map lookups instead of a scan of the whole vocabulary.
 */

export interface TypoCorrectorOptions {
  /** Shorter words are left alone: too many real words sit one edit away from each other. */
  minWordLength: number;
  /** Words this long or longer may be two edits away; shorter ones only one. */
  twoEditsFromLength: number;
  /** Vocabulary words seen fewer times are not used as corrections (they may be typos themselves). */
  minTargetFrequency: number;
}

const DEFAULT_OPTIONS: TypoCorrectorOptions = { minWordLength: 4, twoEditsFromLength: 9, minTargetFrequency: 2 };
const MAX_EDITS = 2;
const CACHE_LIMIT = 20_000;

/**
 * The symmetric-delete index: every string obtained by deleting up to two letters of a target
 * word (a vocabulary word frequent and long enough), with the target words it comes from. Built
 * from the vocabulary, or read back from a model file: building it is most of what loading a
 * model would otherwise cost.
 */
export interface DeletionIndex {
  /** The distinct deletion strings, in the order they were first produced. */
  readonly deletions: readonly string[];
  /** `deletions.length + 1` entries: the words of deletion d are `bucketWords[bucketStarts[d] .. bucketStarts[d + 1])`. */
  readonly bucketStarts: Int32Array;
  /** Target words as positions in the vocabulary's order, each bucket in alphabetical order of the words. */
  readonly bucketWords: Int32Array;
}

export class TypoCorrector {
  private readonly frequencies: ReadonlyMap<string, number>;
  /** The vocabulary's words in its order: what the index's word positions point at. */
  private readonly words: readonly string[];
  private readonly bucketOf = new Map<string, number>();
  readonly index: DeletionIndex;
  private readonly options: TypoCorrectorOptions;
  /** Unknown words repeat a lot in live traffic; bounded so that a stream of noise cannot grow it forever. */
  private readonly cache = new Map<string, string>();

  /** `index`: the one built earlier from the same vocabulary and options (read back from a model file); built here when absent. */
  constructor(wordFrequencies: ReadonlyMap<string, number>, options: Partial<TypoCorrectorOptions> = {}, index?: DeletionIndex) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
    this.frequencies = wordFrequencies;
    this.words = [...wordFrequencies.keys()];
    this.index = index ?? buildDeletionIndex(this.words, wordFrequencies, this.options);
    const { deletions, bucketStarts, bucketWords } = this.index;
    if (
      bucketStarts.length !== deletions.length + 1 ||
      bucketStarts[deletions.length] !== bucketWords.length ||
      bucketWords.some((word) => !(word >= 0 && word < this.words.length))
    ) {
      throw new RangeError('typo corrector: the deletion index does not fit the vocabulary');
    }
    for (let deletion = 0; deletion < deletions.length; deletion += 1) this.bucketOf.set(deletions[deletion], deletion);
  }

  /** The vocabulary it corrects to, word → frequency, as given. */
  get vocabulary(): ReadonlyMap<string, number> {
    return this.frequencies;
  }

  isKnown(word: string): boolean {
    return this.frequencies.has(word);
  }

  /** The word itself when known, too short or with no close vocabulary word; else the closest one. */
  correct(word: string): string {
    if (word.length < this.options.minWordLength || this.frequencies.has(word)) return word;
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached;
    const corrected = this.findClosest(word) ?? word;
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(word, corrected);
    return corrected;
  }

  private findClosest(word: string): string | undefined {
    const maxEdits = word.length >= this.options.twoEditsFromLength ? 2 : 1;
    let best: string | undefined;
    let bestDistance = Infinity;
    let bestFrequency = -1;
    const seen = new Set<string>();
    const { bucketStarts, bucketWords } = this.index;
    for (const deletion of deletionsOf(word, maxEdits)) {
      const bucket = this.bucketOf.get(deletion);
      if (bucket === undefined) continue;
      for (let position = bucketStarts[bucket]; position < bucketStarts[bucket + 1]; position += 1) {
        const candidate = this.words[bucketWords[position]];
        if (seen.has(candidate)) continue;
        seen.add(candidate);
        if (Math.abs(candidate.length - word.length) > maxEdits) continue;
        const distance = restrictedEditDistance(word, candidate, maxEdits);
        if (distance > maxEdits) continue;
        const frequency = this.frequencies.get(candidate) ?? 0;
        // Closest first; among equals the more frequent word; then alphabetical, for determinism.
        if (
          distance < bestDistance ||
          (distance === bestDistance && frequency > bestFrequency) ||
          (distance === bestDistance && frequency === bestFrequency && best !== undefined && candidate < best)
        ) {
          best = candidate;
          bestDistance = distance;
          bestFrequency = frequency;
        }
      }
    }
    return best;
  }
}

function buildDeletionIndex(words: readonly string[], frequencies: ReadonlyMap<string, number>, options: TypoCorrectorOptions): DeletionIndex {
  // Sorted so that candidate lists, and therefore tie-breaks, do not depend on insertion order.
  const targets = words
    .map((_, position) => position)
    .filter((position) => (frequencies.get(words[position]) ?? 0) >= options.minTargetFrequency && words[position].length >= options.minWordLength - 1)
    .sort((a, b) => (words[a] < words[b] ? -1 : words[a] > words[b] ? 1 : 0));
  const buckets = new Map<string, number[]>();
  for (const target of targets) {
    for (const deletion of deletionsOf(words[target], MAX_EDITS)) {
      const bucket = buckets.get(deletion);
      if (bucket) bucket.push(target);
      else buckets.set(deletion, [target]);
    }
  }
  const bucketStarts = new Int32Array(buckets.size + 1);
  const bucketWords = new Int32Array([...buckets.values()].reduce((total, bucket) => total + bucket.length, 0));
  let at = 0;
  let index = 0;
  for (const bucket of buckets.values()) {
    bucketStarts[index] = at;
    bucketWords.set(bucket, at);
    at += bucket.length;
    index += 1;
  }
  bucketStarts[index] = at;
  return { deletions: [...buckets.keys()], bucketStarts, bucketWords };
}

/** The word and every string obtained by deleting up to `maxEdits` letters from it. */
function deletionsOf(word: string, maxEdits: number): Set<string> {
  const result = new Set<string>([word]);
  let frontier = [word];
  for (let edit = 0; edit < maxEdits; edit += 1) {
    const next: string[] = [];
    for (const current of frontier) {
      if (current.length <= 1) continue;
      for (let i = 0; i < current.length; i += 1) {
        const deletion = current.slice(0, i) + current.slice(i + 1);
        if (!result.has(deletion)) {
          result.add(deletion);
          next.push(deletion);
        }
      }
    }
    frontier = next;
  }
  return result;
}

/**
 * Optimal-string-alignment distance (insertions, deletions, substitutions and swaps of two
 * neighbouring letters, each costing one). Gives up early once every path exceeds `limit`.
 */
export function restrictedEditDistance(a: string, b: string, limit = Infinity): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  let previousPrevious = new Array<number>(cols).fill(0);
  let previous = Array.from({ length: cols }, (_, j) => j);
  let current = new Array<number>(cols).fill(0);
  for (let i = 1; i < rows; i += 1) {
    current[0] = i;
    let rowMinimum = current[0];
    for (let j = 1; j < cols; j += 1) {
      const substitution = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, previousPrevious[j - 2] + 1);
      }
      current[j] = value;
      if (value < rowMinimum) rowMinimum = value;
    }
    if (rowMinimum > limit) return rowMinimum;
    [previousPrevious, previous, current] = [previous, current, previousPrevious];
  }
  return previous[cols - 1];
}
