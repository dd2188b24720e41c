import { StemmerEs, StopwordsEs } from '@nlpjs/lang-es';
import { foldAccentsAndCase, normalizeToWords } from './normalizer';
import { TypoCorrector } from './typo-corrector';

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
  readonly features: SparseFeatures;
}

/**
 * Words that switch the meaning of what follows: "no puede respirar", "sin heridos", "nadie
 * salió herido". They are kept (the stopword list drops "no" and "sin") and mark the next few
 * content words, so a model can weigh "herido" and "no … herido" differently.
 */
const NEGATORS: ReadonlySet<string> = new Set(['no', 'sin', 'ni', 'nunca', 'jamas', 'nadie', 'ningun', 'ninguno', 'ninguna', 'tampoco']);
const NEGATION_SCOPE = 3;

/**
 * Function words that say nothing about the sector, on top of nlp.js's Spanish list (which is
 * short and accented, so it is folded here to match normalised text).
 */
const EXTRA_STOPWORDS = [
  'al', 'e', 'u', 'unos', 'unas', 'tu', 'tus', 'mis', 'nuestro', 'nuestra', 'nuestros', 'nuestras', 'esa', 'esos',
  'esas', 'esto', 'estos', 'estas', 'aquel', 'les', 'yo', 'ellos', 'ellas', 'usted', 'ustedes', 'entre', 'hacia',
  'segun', 'tras', 'es', 'son', 'soy', 'fue', 'era', 'he', 'ha', 'han', 'favor', 'hola', 'buenas', 'buenos', 'dias',
  'tardes', 'noches', 'gracias', 'senor', 'senora', 'senores', 'si',
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
   * Total weight of each feature family, shared among its features (each gets weight / √count).
   * Keeps a long message from swamping the network with activation, and keeps the many
   * character n-grams from drowning the few stems.
   */
  familyWeights: Record<FeatureFamily, number>;
}

/** `w` stems, `n` negated stems, `b` stem bigrams, `c` character 4-grams. */
export type FeatureFamily = 'w' | 'n' | 'b' | 'c';

export const DEFAULT_ANALYZER_OPTIONS: TextAnalyzerOptions = {
  characterNgrams: true,
  familyWeights: { w: 1.5, n: 1, b: 1.5, c: 2 },
};

const WORD_CACHE_LIMIT = 50_000;

/**
 * What one content word contributes, computed once per distinct word. Feature names are kept
 * ready-made: the same string objects every time means no string building and no re-hashing
 * when the models look them up, which is most of the per-message cost otherwise.
 */
interface WordFeatures {
  stem: string;
  stemFeature: string;
  negatedFeature: string;
  characterNgramFeatures: readonly string[];
}
const NUMBER = /^[0-9]+$/;

/**
 * Turns a message into model features: normalisation, typo correction against the training
 * vocabulary, nlp.js Spanish stopwords and Snowball stemmer, then stems, stem bigrams (so
 * "cuota monetaria" and "subsidio desempleo" weigh more than their words apart), negation marks
 * and character n-grams.
 */
export class SpanishTextAnalyzer {
  private readonly stemmer = new StemmerEs();
  private readonly stopwords = buildStopwords();
  private readonly wordCache = new Map<string, WordFeatures>();
  private corrector: TypoCorrector | undefined;
  private readonly options: TextAnalyzerOptions;

  constructor(options: Partial<TextAnalyzerOptions> = {}) {
    this.options = { ...DEFAULT_ANALYZER_OPTIONS, ...options };
  }

  /** Learns the vocabulary that typos get corrected to (the training texts). */
  learnVocabulary(texts: Iterable<string>): void {
    const frequencies = new Map<string, number>();
    for (const text of texts) {
      for (const word of normalizeToWords(text)) {
        if (!NUMBER.test(word)) frequencies.set(word, (frequencies.get(word) ?? 0) + 1);
      }
    }
    this.corrector = new TypoCorrector(frequencies);
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
        characterNgramFeatures: this.options.characterNgrams ? characterNgramsOf(word).map((ngram) => `c:${ngram}`) : [],
      };
      if (this.wordCache.size >= WORD_CACHE_LIMIT) this.wordCache.clear();
      this.wordCache.set(word, features);
    }
    return features;
  }

  analyse(text: string): TextAnalysis {
    const corrector = this.corrector;
    const normalisedWords = normalizeToWords(text);
    const words = normalisedWords.map((word) => (corrector && !NUMBER.test(word) ? corrector.correct(word) : word));
    const families: Record<FeatureFamily, string[]> = { w: [], n: [], b: [], c: [] };
    const stems: string[] = [];
    let negationLeft = 0;
    let previousStem: string | undefined;
    for (const word of words) {
      if (NEGATORS.has(word)) {
        families.w.push(`w:${word}`);
        negationLeft = NEGATION_SCOPE;
        continue;
      }
      if (this.stopwords.has(word) || NUMBER.test(word)) continue;
      const wordFeatures = this.wordFeatures(word);
      stems.push(wordFeatures.stem);
      families.w.push(wordFeatures.stemFeature);
      if (negationLeft > 0) {
        families.n.push(wordFeatures.negatedFeature);
        negationLeft -= 1;
      }
      if (previousStem !== undefined) families.b.push(`b:${previousStem}_${wordFeatures.stem}`);
      previousStem = wordFeatures.stem;
      for (const ngram of wordFeatures.characterNgramFeatures) families.c.push(ngram);
    }
    return { normalisedWords, words, stems, features: this.weigh(families) };
  }

  private weigh(families: Record<FeatureFamily, string[]>): SparseFeatures {
    const names: string[] = [];
    const values: number[] = [];
    const seen = new Set<string>();
    for (const family of ['w', 'n', 'b', 'c'] as const) {
      const familyNames = families[family];
      if (familyNames.length === 0) continue;
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

function characterNgramsOf(word: string): string[] {
  const padded = `_${word}_`;
  const ngrams: string[] = [];
  for (let i = 0; i + 4 <= padded.length; i += 1) ngrams.push(padded.slice(i, i + 4));
  return ngrams;
}
