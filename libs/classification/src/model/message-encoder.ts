import { foldedTokensOf, pushWordsOfToken } from '../text/normalizer';
import {
  NEGATION_SCOPE,
  REQUEST_SCOPE,
  SpanishTextAnalyzer,
  WORD_FAMILIES,
  WordFamily,
  WordRole,
  isRequestMarker,
  phraseNgramCodesOf,
  stemPairsOfBigramFeature,
} from '../text/text-analyzer';
import { EncodedFeatures, FeatureVocabulary } from './feature-vocabulary';
import { IntegerIdTable, NO_ID } from './integer-id-table';

/** A message as the text model scores it. */
export interface EncodedMessage {
  /** Normalised words, fillers removed, as written. */
  readonly normalisedWords: readonly string[];
  /** The same words after typo correction. */
  readonly words: readonly string[];
  /** Whether typo correction changed any word (else `words` holds the same strings as `normalisedWords`). */
  readonly hasCorrections: boolean;
  /** Its features seen in training: exactly `vocabulary.encode(analysis.features, analysis.phrases)`. */
  readonly features: EncodedFeatures;
}

/** The id of a feature never seen in training (the same as the id tables' answer for a missing key). */
const UNKNOWN = NO_ID;

/** Entries kept before the token cache starts over, so that a stream of noise cannot grow it forever. */
const TOKEN_CACHE_LIMIT = 50_000;

/**
 * One normalised word, read by the analyser and looked up in the vocabulary once for all its
 * occurrences. Built by {@link encodedWord} only, so that every instance has the same shape.
 */
interface EncodedWord {
  readonly written: string;
  readonly corrected: string;
  readonly role: WordRole;
  /** The id of its `w` feature (a content word's stem, a negator itself), or UNKNOWN. */
  readonly ownId: number;
  /** Content words: the id of their negated stem, or UNKNOWN. */
  readonly negatedId: number;
  /** Content words: the id of their stem as part of a request, or UNKNOWN. */
  readonly requestId: number;
  /** The word opens a request (see `isRequestMarker`). */
  readonly opensRequest: boolean;
  /** Content words: their stem's number in the bigram table, or UNKNOWN when no known bigram has the stem. */
  readonly bigramStem: number;
  /** Content words: the ids of their character n-grams seen in training, in order. */
  readonly characterNgramIds: Int32Array;
  /** How many character n-grams the word has, seen or not: all of them share the family weight. */
  readonly characterNgramCount: number;
}

function encodedWord(
  written: string,
  corrected: string,
  role: WordRole,
  ids: { own?: number; negated?: number; request?: number; bigramStem?: number; characterNgrams?: Int32Array; characterNgramCount?: number } = {},
): EncodedWord {
  return {
    written,
    corrected,
    role,
    ownId: ids.own ?? UNKNOWN,
    negatedId: ids.negated ?? UNKNOWN,
    requestId: ids.request ?? UNKNOWN,
    opensRequest: isRequestMarker(corrected),
    bigramStem: ids.bigramStem ?? UNKNOWN,
    characterNgramIds: ids.characterNgrams ?? NO_IDS,
    characterNgramCount: ids.characterNgramCount ?? 0,
  };
}

const NO_IDS = new Int32Array(0);

/**
 * The ids of one feature family in a message, in order. Reused from message to message (cleared,
 * never shrunk), so that encoding allocates little more than its result.
 */
class FamilyIds {
  ids = new Int32Array(64);
  length = 0;
  /** Every feature of the family, seen in training or not: they all share the family's weight. */
  total = 0;

  clear(): void {
    this.length = 0;
    this.total = 0;
  }

  add(id: number): void {
    this.total += 1;
    if (id !== UNKNOWN) this.push(id);
  }

  /** `known` are the seen ones among `total` features. */
  addAll(known: Int32Array, total: number): void {
    this.total += total;
    for (let index = 0; index < known.length; index += 1) this.push(known[index]);
  }

  private push(id: number): void {
    if (this.length === this.ids.length) {
      const grown = new Int32Array(this.ids.length * 2);
      grown.set(this.ids);
      this.ids = grown;
    }
    this.ids[this.length] = id;
    this.length += 1;
  }
}

/**
 * Entries of the buffers {@link DistinctFeatures} hands slices of (about eighty messages' worth).
 */
const FEATURE_BUFFER_ENTRIES = 8192;

/**
 * A message's features as `vocabulary.encode` lays them out: each id once, in order of first
 * appearance, with its value.
 *
 * Messages are written one after the other into shared buffers and handed out as views of them;
 * when the buffers are full, new ones are started and the old ones stay with the messages that
 * use them. A slice is never written again, so a message stays valid as long as it is kept, and
 * costs two views instead of two typed arrays of its own, which V8 allocates slowly at this size.
 */
class DistinctFeatures {
  /** For each id, the last message that had it: drops repeats without a set per message. */
  private readonly lastMessageOf: Int32Array;
  private message = 0;
  private ids = new Int32Array(FEATURE_BUFFER_ENTRIES);
  private values = new Float64Array(FEATURE_BUFFER_ENTRIES);
  /** Where the current message starts in the buffers. */
  private start = 0;
  /** How many features the current message has so far. */
  length = 0;

  constructor(vocabularySize: number) {
    this.lastMessageOf = new Int32Array(vocabularySize);
  }

  startMessage(): void {
    if (this.message === 0x7fffffff) {
      this.lastMessageOf.fill(0);
      this.message = 0;
    }
    this.message += 1;
    this.length = 0;
  }

  /** Adds a feature, unless the message already has it. */
  add(id: number, value: number): void {
    if (this.lastMessageOf[id] === this.message) return;
    this.lastMessageOf[id] = this.message;
    if (this.start + this.length === this.ids.length) this.moveToNewBuffers();
    this.ids[this.start + this.length] = id;
    this.values[this.start + this.length] = value;
    this.length += 1;
  }

  /** The message's features; the first `wordLevelCount` are word-level ones. */
  finishMessage(wordLevelCount: number): EncodedFeatures {
    const end = this.start + this.length;
    const features = { ids: this.ids.subarray(this.start, end), values: this.values.subarray(this.start, end), wordLevelCount };
    this.start = end;
    return features;
  }

  /** Carries the current message over to new buffers; the old ones belong to earlier messages. */
  private moveToNewBuffers(): void {
    const entries = Math.max(FEATURE_BUFFER_ENTRIES, 2 * this.length);
    const ids = new Int32Array(entries);
    const values = new Float64Array(entries);
    ids.set(this.ids.subarray(this.start, this.start + this.length));
    values.set(this.values.subarray(this.start, this.start + this.length));
    this.ids = ids;
    this.values = values;
    this.start = 0;
  }
}

/**
 * The text model's inference path: a message straight to the ids of its features, giving what
 * `vocabulary.encode` gives for `analyzer.analyse(text)` (same ids, same values, same order)
 * without building and hashing feature names per message, which used to be most of the cost.
 *
 * Every word is read and looked up once, by token, then kept: a message costs one cache lookup
 * per token, one per stem bigram (by two stem numbers, not by name) and one per phrase n-gram.
 * The walk over the words mirrors {@link SpanishTextAnalyzer.analyse}; the spec checks that the
 * two agree.
 *
 * Valid for the analyser's vocabulary at construction (the text model never changes it after training).
 */
export class MessageEncoder {
  private readonly tokenCache = new Map<string, readonly EncodedWord[]>();
  /** Numbers of the stems that appear in a known bigram, and the bigrams' ids by pair of numbers. */
  private readonly bigramStems = new Map<string, number>();
  private readonly bigramIds: IntegerIdTable;
  private readonly phraseIds: IntegerIdTable;
  /** In WORD_FAMILIES order, as their weights. */
  private readonly families: readonly FamilyIds[];
  private readonly familyWeights: readonly number[];
  private readonly stemIds: FamilyIds;
  private readonly negatedIds: FamilyIds;
  private readonly bigramFeatureIds: FamilyIds;
  private readonly characterNgramIds: FamilyIds;
  private readonly requestIds: FamilyIds;
  private readonly distinct: DistinctFeatures;

  constructor(
    readonly analyzer: SpanishTextAnalyzer,
    readonly vocabulary: FeatureVocabulary,
  ) {
    const pairs: { previous: number; stem: number; id: number }[] = [];
    const stemNumber = (stem: string): number => {
      let number = this.bigramStems.get(stem);
      if (number === undefined) this.bigramStems.set(stem, (number = this.bigramStems.size));
      return number;
    };
    for (const [name, id] of vocabulary.wordLevelFeatures()) {
      for (const [previous, stem] of stemPairsOfBigramFeature(name)) pairs.push({ previous: stemNumber(previous), stem: stemNumber(stem), id });
    }
    this.bigramIds = new IntegerIdTable(
      pairs.map(({ previous, stem, id }) => [this.bigramKey(previous, stem), id] as const),
      pairs.length,
    );

    this.families = WORD_FAMILIES.map(() => new FamilyIds());
    this.familyWeights = WORD_FAMILIES.map((family) => analyzer.familyWeight(family));
    const familyIds = (family: WordFamily): FamilyIds => this.families[WORD_FAMILIES.indexOf(family)];
    this.stemIds = familyIds('w');
    this.negatedIds = familyIds('n');
    this.bigramFeatureIds = familyIds('b');
    this.characterNgramIds = familyIds('c');
    this.requestIds = familyIds('q');
    this.distinct = new DistinctFeatures(vocabulary.size);
    this.phraseIds = new IntegerIdTable(vocabulary.phraseNgrams(), vocabulary.phraseNgramCount);
  }

  encode(text: string): EncodedMessage {
    const normalisedWords: string[] = [];
    const words: string[] = [];
    for (const family of this.families) family.clear();
    let hasCorrections = false;
    let negationLeft = 0;
    let requestLeft = 0;
    let previous: EncodedWord | undefined;
    for (const token of foldedTokensOf(text)) {
      for (const word of this.wordsOfToken(token)) {
        normalisedWords.push(word.written);
        words.push(word.corrected);
        if (word.corrected !== word.written) hasCorrections = true;
        const inRequest = !word.opensRequest && requestLeft > 0;
        if (word.opensRequest) requestLeft = REQUEST_SCOPE;
        if (word.role === 'negator') {
          this.stemIds.add(word.ownId);
          negationLeft = NEGATION_SCOPE;
          continue;
        }
        if (word.role === 'ignored') continue;
        this.stemIds.add(word.ownId);
        if (negationLeft > 0) {
          this.negatedIds.add(word.negatedId);
          negationLeft -= 1;
        }
        if (inRequest) {
          this.requestIds.add(word.requestId);
          requestLeft -= 1;
        }
        if (previous !== undefined) this.bigramFeatureIds.add(this.bigramId(previous, word));
        previous = word;
        this.characterNgramIds.addAll(word.characterNgramIds, word.characterNgramCount);
      }
    }
    return { normalisedWords, words, hasCorrections, features: this.collect(words) };
  }

  /**
   * The message's ids and values, as `vocabulary.encode` lays them out: word-level families in
   * order, each once, then phrase n-grams; each family's weight shared among all its features.
   */
  private collect(words: readonly string[]): EncodedFeatures {
    const distinct = this.distinct;
    distinct.startMessage();
    for (let family = 0; family < this.families.length; family += 1) {
      const { ids, length, total } = this.families[family];
      const weight = this.familyWeights[family];
      if (total === 0 || weight === 0) continue;
      const value = weight / Math.sqrt(total);
      for (let index = 0; index < length; index += 1) distinct.add(ids[index], value);
    }
    const wordLevelCount = distinct.length;
    if (this.analyzer.makesPhraseNgrams) {
      const codes = phraseNgramCodesOf(words);
      const value = this.analyzer.familyWeight('x') / Math.sqrt(codes.length);
      for (const code of codes) {
        const id = this.phraseIds.idOf(code);
        if (id !== UNKNOWN) distinct.add(id, value);
      }
    }
    return distinct.finishMessage(wordLevelCount);
  }

  private wordsOfToken(token: string): readonly EncodedWord[] {
    let encoded = this.tokenCache.get(token);
    if (encoded === undefined) {
      const written: string[] = [];
      pushWordsOfToken(token, written);
      encoded = written.map((word) => this.encodeWord(word));
      if (this.tokenCache.size >= TOKEN_CACHE_LIMIT) this.tokenCache.clear();
      this.tokenCache.set(token, encoded);
    }
    return encoded;
  }

  private encodeWord(written: string): EncodedWord {
    const reading = this.analyzer.readWord(written);
    if (reading.role === 'negator') return encodedWord(written, reading.corrected, reading.role, { own: this.idOf(reading.negatorFeature) });
    if (reading.role === 'ignored') return encodedWord(written, reading.corrected, reading.role);
    const { stem, stemFeature, negatedFeature, requestFeature, characterNgramFeatures } = reading.features;
    const characterNgrams: number[] = [];
    for (const name of characterNgramFeatures) {
      const id = this.idOf(name);
      if (id !== UNKNOWN) characterNgrams.push(id);
    }
    return encodedWord(written, reading.corrected, reading.role, {
      own: this.idOf(stemFeature),
      negated: this.idOf(negatedFeature),
      request: this.idOf(requestFeature),
      bigramStem: this.bigramStems.get(stem),
      characterNgrams: Int32Array.from(characterNgrams),
      characterNgramCount: characterNgramFeatures.length,
    });
  }

  private idOf(name: string): number {
    return this.vocabulary.idOf(name) ?? UNKNOWN;
  }

  private bigramId(previous: EncodedWord, word: EncodedWord): number {
    if (previous.bigramStem === UNKNOWN || word.bigramStem === UNKNOWN) return UNKNOWN;
    return this.bigramIds.idOf(this.bigramKey(previous.bigramStem, word.bigramStem));
  }

  /** One number per pair of stem numbers (exact while there are fewer than 2^26 stems, far more than any corpus has). */
  private bigramKey(previous: number, stem: number): number {
    return previous * this.bigramStems.size + stem;
  }
}
