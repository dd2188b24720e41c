import { StemmerEs, StopwordsEs } from '@nlpjs/lang-es';
import { foldAccentsAndCase, normalizeToWords } from './normalizer';
import { DeletionIndex, TypoCorrector } from './typo-corrector';

/** Features of one message as an object, the shape @nlpjs/neural trains on. */
export type FeatureVector = Record<string, number>;

/**
 * The same features as parallel arrays, each name once: what scoring walks. Much cheaper to
 * build and iterate per message than an object with a hundred dynamic keys.
 */
export interface SparseFeatures {
  readonly names: readonly string[];
  readonly values: readonly number[];
}

export function toFeatureVector(features: SparseFeatures): FeatureVector {
  const vector: FeatureVector = {};
  features.names.forEach((name, index) => (vector[name] = features.values[index]));
  return vector;
}

export function toSparseFeatures(vector: FeatureVector): SparseFeatures {
  const names = Object.keys(vector);
  return { names, values: names.map((name) => vector[name]) };
}

export interface TextAnalysis {
  /** Normalised words, fillers removed, as written. */
  readonly normalisedWords: readonly string[];
  /** The same words after typo correction (what the features are made of). */
  readonly words: readonly string[];
  /** Stems of the content words (stopwords removed), in order. */
  readonly stems: readonly string[];
  /** Word-level features: stems, negated stems, stem bigrams, character n-grams of words. */
  readonly features: SparseFeatures;
  /** Phrase n-grams (see {@link TextAnalyzerOptions.phraseNgrams}). */
  readonly phrases: PhraseFeatures;
}

/**
 * Phrase n-grams as integer codes ({@link phraseNgramCode}), distinct, all with the same value:
 * numbers, not strings, because there are many per message and none repeats across messages as
 * an object, so string keys would be built and hashed on every message.
 */
export interface PhraseFeatures {
  readonly codes: readonly number[];
  readonly value: number;
}

/**
 * Words that switch the meaning of what follows: "no puede respirar", "sin heridos", "nadie
 * salió herido". They are kept (the stopword list drops "no" and "sin") and mark the next few
 * content words, so a model can weigh "herido" and "no … herido" differently.
 */
const NEGATORS: ReadonlySet<string> = new Set(['no', 'sin', 'ni', 'nunca', 'jamas', 'nadie', 'ningun', 'ninguno', 'ninguna', 'tampoco']);
/** How many content words after a negator it marks. */
export const NEGATION_SCOPE = 3;

/**
 * Function words that say nothing about the sector, on top of nlp.js's Spanish list (which is
 * short and accented, so it is folded here to match normalised text).
 */
const EXTRA_STOPWORDS = [
  'al',
  'e',
  'u',
  'unos',
  'unas',
  'tu',
  'tus',
  'mis',
  'nuestro',
  'nuestra',
  'nuestros',
  'nuestras',
  'esa',
  'esos',
  'esas',
  'esto',
  'estos',
  'estas',
  'aquel',
  'les',
  'yo',
  'ellos',
  'ellas',
  'usted',
  'ustedes',
  'entre',
  'hacia',
  'segun',
  'tras',
  'es',
  'son',
  'soy',
  'fue',
  'era',
  'he',
  'ha',
  'han',
  'favor',
  'hola',
  'buenas',
  'buenos',
  'dias',
  'tardes',
  'noches',
  'gracias',
  'senor',
  'senora',
  'senores',
  'si',
];

/** Which words never become features: nlp.js's Spanish stopwords plus the list above, minus negators. */
function buildStopwords(): ReadonlySet<string> {
  const nlpStopwords = Object.keys(new StopwordsEs().dictionary).map(foldAccentsAndCase);
  return new Set([...nlpStopwords, ...EXTRA_STOPWORDS].filter((word) => !NEGATORS.has(word) && !/^[0-9_]$/.test(word)));
}

export interface TextAnalyzerOptions {
  /** Adds character 4-grams of every content word, which tolerate typos and unseen inflections ("cardiólogo" ~ "neumólogo"). */
  characterNgrams: boolean;
  /**
   * Adds character 5-grams that span a word boundary, taken over every word (stopwords
   * included): "a domicilio" → `_a_do`, `a_dom`; "de la caja" → `e_la_`, `la_ca`… They carry the
   * short phrases that stems drop ("a domicilio", "de la caja", "me urge") and tolerate unseen
   * inflections on either side.
   */
  phraseNgrams: boolean;
  /**
   * Total weight of each feature family, shared among its features (each gets weight / √count).
   * Keeps a long message from swamping the network with activation, and keeps the many
   * character n-grams from drowning the few stems.
   */
  familyWeights: Record<FeatureFamily, number>;
}

/**
 * `w` stems, `n` negated stems, `b` stem bigrams, `c` character 4-grams of words, `q` stems of
 * the request (the words after "quiero", "necesito", "me pueden", "can I"…), `x` character
 * 5-grams across words.
 */
export type FeatureFamily = 'w' | 'n' | 'b' | 'c' | 'q' | 'x';
/** The word-level families, in their order in {@link SparseFeatures}. */
export const WORD_FAMILIES = ['w', 'n', 'b', 'c', 'q'] as const;
export type WordFamily = (typeof WORD_FAMILIES)[number];

/** Family weights chosen by 5-fold and cross-batch cross-validation on the training corpus. */
export const DEFAULT_ANALYZER_OPTIONS: TextAnalyzerOptions = {
  characterNgrams: true,
  phraseNgrams: true,
  familyWeights: { w: 1.5, n: 1, b: 1.5, c: 2, q: 1, x: 1 },
};

/**
 * Words that open a request: what follows them is what the customer asks for ("quiero un
 * préstamo", "necesito agendar", "me pueden enviar", "can I apply"), which decides the sector
 * better than the words around it ("recibo la cuota monetaria de Comfama… ¿el banco me presta?").
 * Normalised forms; Spanish, English and Portuguese-shaped Spanish.
 */
const REQUEST_MARKERS: ReadonlySet<string> = new Set(
  (
    'quiero quisiera queria necesito necesitamos requiero solicito solicitar pedir pido puedo podemos pueden puede podrian podria ' +
    'ayudan ayudeme ayudame sirve sirva preste presta prestan prestar dan dar envien enviar manden mandar tramitar sacar hacer ' +
    'want need would like can could apply help send get request ' +
    'quero preciso gostaria posso podem'
  ).split(' '),
);
/** How many content words after a request marker carry the `q` feature. */
export const REQUEST_SCOPE = 4;

export function isRequestMarker(correctedWord: string): boolean {
  return REQUEST_MARKERS.has(correctedWord);
}

const PHRASE_NGRAM_SIZE = 5;
/** Normalised text is made of these (and `_` marks word boundaries in n-grams). */
const PHRASE_ALPHABET = '_abcdefghijklmnopqrstuvwxyz0123456789';
const SYMBOL_OF: ReadonlyMap<string, number> = new Map([...PHRASE_ALPHABET].map((char, index) => [char, index]));
/** {@link SYMBOL_OF} by character code, for the per-message loop (anything else is 0, as there). */
const SYMBOL_OF_CHAR_CODE: Uint8Array = (() => {
  const table = new Uint8Array(128);
  for (const [char, symbol] of SYMBOL_OF) table[char.charCodeAt(0)] = symbol;
  return table;
})();

/**
 * The integer code of a phrase n-gram: its characters as digits in base 37, first character
 * least significant. Exact (37⁵ < 2³¹): no two n-grams share a code.
 */
export function phraseNgramCode(ngram: string): number {
  let code = 0;
  for (let i = ngram.length - 1; i >= 0; i -= 1) code = code * PHRASE_ALPHABET.length + (SYMBOL_OF.get(ngram[i]) ?? 0);
  return code;
}

const WORD_CACHE_LIMIT = 50_000;

/**
 * What one content word contributes, computed once per distinct word. Feature names are kept
 * ready-made: the same string objects every time means no string building and no re-hashing
 * when the models look them up, which is most of the per-message cost otherwise.
 */
export interface WordFeatures {
  readonly stem: string;
  readonly stemFeature: string;
  readonly negatedFeature: string;
  /** The stem as part of a request: `q:<stem>`. */
  readonly requestFeature: string;
  readonly characterNgramFeatures: readonly string[];
}
const NUMBER = /^[0-9]+$/;

/**
 * What a word does in {@link SpanishTextAnalyzer.analyse}: a negator marks the next content words
 * (and is a `w` feature itself), a content word gives stem-level features, and stopwords and
 * numbers give none.
 */
export type WordRole = 'negator' | 'content' | 'ignored';

/**
 * Everything the analyser makes of one normalised word that does not depend on its neighbours:
 * the same for every occurrence, so callers scoring many messages can keep it.
 */
export type WordReading =
  | { readonly role: 'negator'; readonly corrected: string; readonly negatorFeature: string }
  | { readonly role: 'content'; readonly corrected: string; readonly features: WordFeatures }
  | { readonly role: 'ignored'; readonly corrected: string };

const BIGRAM_PREFIX = 'b:';

/** The name of the stem bigram feature of two consecutive content words. */
function bigramFeature(previousStem: string, stem: string): string {
  return `${BIGRAM_PREFIX}${previousStem}_${stem}`;
}

/** Whether a word-level feature is a stem bigram's. */
export function isBigramFeature(name: string): boolean {
  return name.startsWith(BIGRAM_PREFIX);
}

/**
 * Every (previous stem, stem) pair whose {@link bigramFeature} is `name` (none when it is not a
 * bigram's name). Stems have no `_`, so in practice there is exactly one; all splits are listed
 * so that the answer stays exact whatever the stemmer returns.
 */
export function stemPairsOfBigramFeature(name: string): [string, string][] {
  if (!isBigramFeature(name)) return [];
  const pairs: [string, string][] = [];
  for (let split = name.indexOf('_', BIGRAM_PREFIX.length); split >= 0; split = name.indexOf('_', split + 1)) {
    pairs.push([name.slice(BIGRAM_PREFIX.length, split), name.slice(split + 1)]);
  }
  return pairs;
}

/**
 * Turns a message into model features: normalisation, typo correction against the training
 * vocabulary, nlp.js Spanish stopwords and Snowball stemmer, then stems, stem bigrams (so
 * "cuota monetaria" and "subsidio desempleo" weigh more than their words apart), negation marks
 * and character n-grams of the content words (the word-level features), and phrase n-grams
 * across word boundaries.
 */
export class SpanishTextAnalyzer {
  private readonly stemmer = new StemmerEs();
  private readonly stopwords = buildStopwords();
  private readonly wordCache = new Map<string, WordFeatures>();
  private corrector: TypoCorrector | undefined;
  private readonly options: TextAnalyzerOptions;

  constructor(options: Partial<TextAnalyzerOptions> = {}) {
    this.options = { ...DEFAULT_ANALYZER_OPTIONS, ...options, familyWeights: { ...DEFAULT_ANALYZER_OPTIONS.familyWeights, ...options.familyWeights } };
  }

  /** Learns the vocabulary that typos get corrected to (the training texts). */
  learnVocabulary(texts: Iterable<string>): void {
    const frequencies = new Map<string, number>();
    for (const text of texts) {
      for (const word of normalizeToWords(text)) {
        if (!NUMBER.test(word)) frequencies.set(word, (frequencies.get(word) ?? 0) + 1);
      }
    }
    this.useVocabulary(frequencies);
  }

  /**
   * Takes a vocabulary learnt earlier ({@link vocabulary}, read back from a model file), with the
   * typo corrector's index built from it ({@link typoIndex}; built here when absent).
   */
  useVocabulary(frequencies: ReadonlyMap<string, number>, typoIndex?: DeletionIndex): void {
    this.corrector = new TypoCorrector(frequencies, {}, typoIndex);
  }

  /** The learnt vocabulary, word → times seen, in order of first appearance; undefined before learning. */
  get vocabulary(): ReadonlyMap<string, number> | undefined {
    return this.corrector?.vocabulary;
  }

  /** The typo corrector's index of the learnt vocabulary; undefined before learning. */
  get typoIndex(): DeletionIndex | undefined {
    return this.corrector?.index;
  }

  /** The options in force, defaults filled in. */
  get settings(): Readonly<TextAnalyzerOptions> {
    return this.options;
  }

  /** The weight a family's features share (zero: the family is left out). */
  familyWeight(family: FeatureFamily): number {
    return this.options.familyWeights[family];
  }

  /** Whether {@link analyse} gives phrase n-grams at all. */
  get makesPhraseNgrams(): boolean {
    return this.options.phraseNgrams && this.options.familyWeights.x !== 0;
  }

  /**
   * What {@link analyse} makes of one normalised word wherever it occurs: its correction, its
   * role and, for a content word, its features. Depends on the learnt vocabulary.
   */
  readWord(word: string): WordReading {
    const corrected = this.correct(word);
    const role = this.roleOf(corrected);
    if (role === 'negator') return { role, corrected, negatorFeature: negatorFeature(corrected) };
    if (role === 'content') return { role, corrected, features: this.wordFeatures(corrected) };
    return { role, corrected };
  }

  private correct(word: string): string {
    return this.corrector && !NUMBER.test(word) ? this.corrector.correct(word) : word;
  }

  private roleOf(correctedWord: string): WordRole {
    if (NEGATORS.has(correctedWord)) return 'negator';
    if (this.stopwords.has(correctedWord) || NUMBER.test(correctedWord)) return 'ignored';
    return 'content';
  }

  /** Stem and character n-grams of a word; cached, and the cache is bounded so that noise cannot grow it forever. */
  private wordFeatures(word: string): WordFeatures {
    let features = this.wordCache.get(word);
    if (features === undefined) {
      const stem = this.stemmer.stemWord(word);
      features = {
        stem,
        stemFeature: `w:${stem}`,
        negatedFeature: `n:${stem}`,
        requestFeature: `q:${stem}`,
        characterNgramFeatures: this.options.characterNgrams ? characterNgramsOf(word).map((ngram) => `c:${ngram}`) : [],
      };
      if (this.wordCache.size >= WORD_CACHE_LIMIT) this.wordCache.clear();
      this.wordCache.set(word, features);
    }
    return features;
  }

  /**
   * The features of a message. (At inference the text model encodes messages with the
   * MessageEncoder of model/message-encoder.ts, which walks the words the same way but straight to
   * vocabulary ids: a change here must be made there too.)
   */
  analyse(text: string): TextAnalysis {
    const normalisedWords = normalizeToWords(text);
    const words = normalisedWords.map((word) => this.correct(word));
    const families: Record<WordFamily, string[]> = { w: [], n: [], b: [], c: [], q: [] };
    const stems: string[] = [];
    let negationLeft = 0;
    let requestLeft = 0;
    let previousStem: string | undefined;
    for (const word of words) {
      const role = this.roleOf(word);
      // A marker opens the request; the content words after it, not the marker, carry `q`.
      const opensRequest = isRequestMarker(word);
      const inRequest = !opensRequest && requestLeft > 0;
      if (opensRequest) requestLeft = REQUEST_SCOPE;
      if (role === 'negator') {
        families.w.push(negatorFeature(word));
        negationLeft = NEGATION_SCOPE;
        continue;
      }
      if (role === 'ignored') continue;
      const wordFeatures = this.wordFeatures(word);
      stems.push(wordFeatures.stem);
      families.w.push(wordFeatures.stemFeature);
      if (negationLeft > 0) {
        families.n.push(wordFeatures.negatedFeature);
        negationLeft -= 1;
      }
      if (inRequest) {
        families.q.push(wordFeatures.requestFeature);
        requestLeft -= 1;
      }
      if (previousStem !== undefined) families.b.push(bigramFeature(previousStem, wordFeatures.stem));
      previousStem = wordFeatures.stem;
      for (const ngram of wordFeatures.characterNgramFeatures) families.c.push(ngram);
    }
    return { normalisedWords, words, stems, features: this.weigh(families), phrases: this.phraseFeatures(words) };
  }

  private phraseFeatures(words: readonly string[]): PhraseFeatures {
    if (!this.makesPhraseNgrams) return NO_PHRASES;
    const all = phraseNgramCodesOf(words);
    if (all.length === 0) return NO_PHRASES;
    // Like the other families: the weight is shared among all n-grams, repeats then count once.
    return { codes: [...new Set(all)], value: this.options.familyWeights.x / Math.sqrt(all.length) };
  }

  private weigh(families: Record<WordFamily, string[]>): SparseFeatures {
    const names: string[] = [];
    const values: number[] = [];
    const seen = new Set<string>();
    for (const family of WORD_FAMILIES) {
      const familyNames = families[family];
      if (familyNames.length === 0 || this.options.familyWeights[family] === 0) continue;
      const weight = this.options.familyWeights[family] / Math.sqrt(familyNames.length);
      for (const name of familyNames) {
        if (seen.has(name)) continue;
        seen.add(name);
        names.push(name);
        values.push(weight);
      }
    }
    return { names, values };
  }
}

function negatorFeature(negator: string): string {
  return `w:${negator}`;
}

function characterNgramsOf(word: string): string[] {
  const padded = `_${word}_`;
  const ngrams: string[] = [];
  for (let i = 0; i + 4 <= padded.length; i += 1) ngrams.push(padded.slice(i, i + 4));
  return ngrams;
}

const NO_PHRASES: PhraseFeatures = { codes: [], value: 0 };

/** 37⁴: the weight of the last character of a phrase n-gram in its code. */
const LAST_SYMBOL_WEIGHT = PHRASE_ALPHABET.length ** (PHRASE_NGRAM_SIZE - 1);

/**
 * Codes of the character 5-grams of the words joined by `_` (numbers left out) that cross a word
 * boundary: "a domicilio" gives `_a_do`, `a_dom`, `o_a_d`… but not `domic`, which the word's own
 * n-grams already cover. In text order, repeats included.
 *
 * One pass over the symbols, keeping the code of the last five (each new symbol enters as the
 * most significant digit, the oldest drops out as the remainder) and where the latest `_` was:
 * no array of symbols, no re-reading of each n-gram. The words are normalised ones, runs of
 * [a-z0-9] (see normalizeToWords), so reading them by character code is reading them by character.
 */
export function phraseNgramCodesOf(words: readonly string[]): number[] {
  const codes: number[] = [];
  let code = 0;
  let position = -1;
  let lastBoundary = -1;
  const append = (symbol: number): void => {
    position += 1;
    code = Math.floor(code / PHRASE_ALPHABET.length) + symbol * LAST_SYMBOL_WEIGHT;
    // The n-gram ending here crosses a boundary when a `_` (symbol 0) sits strictly inside it.
    if (position >= PHRASE_NGRAM_SIZE - 1 && lastBoundary >= position - (PHRASE_NGRAM_SIZE - 2)) codes.push(code);
    if (symbol === 0) lastBoundary = position;
  };
  append(0);
  for (const word of words) {
    if (NUMBER.test(word)) continue;
    for (let i = 0; i < word.length; i += 1) {
      const charCode = word.charCodeAt(i);
      append(charCode < SYMBOL_OF_CHAR_CODE.length ? SYMBOL_OF_CHAR_CODE[charCode] : 0);
    }
    append(0);
  }
  return codes;
}
