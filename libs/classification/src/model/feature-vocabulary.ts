import { PhraseFeatures, SparseFeatures } from '../text/text-analyzer';

/** A message's features as ids of a {@link FeatureVocabulary}, with their values. */
export interface EncodedFeatures {
  /** Word-level features first, then phrase n-grams. */
  readonly ids: Int32Array;
  readonly values: Float64Array;
  /** How many of `ids` are word-level features (the first ones). */
  readonly wordLevelCount: number;
}

const NO_PHRASES: PhraseFeatures = { codes: [], value: 0 };

/**
 * Feature → dense id, shared by the models that score with weight tables indexed by id: a
 * message is looked up once, however many models then read it. Word-level features are keyed by
 * name, phrase n-grams by their integer code.
 */
export class FeatureVocabulary {
  private readonly names = new Map<string, number>();
  private readonly phraseCodes = new Map<number, number>();

  /**
   * A vocabulary read back from a model file: its word-level feature names and phrase n-gram
   * codes with their ids, in the iteration order of {@link wordLevelFeatures} and
   * {@link phraseNgrams}. The ids must be 0…size-1, each once.
   */
  static restore(names: readonly string[], nameIds: Int32Array, phraseCodes: Int32Array, phraseIds: Int32Array): FeatureVocabulary {
    const size = names.length + phraseCodes.length;
    if (nameIds.length !== names.length || phraseIds.length !== phraseCodes.length)
      throw new RangeError('feature vocabulary: features and ids differ in number');
    const vocabulary = new FeatureVocabulary();
    const seen = new Uint8Array(size);
    const claim = (id: number): number => {
      if (!(id >= 0 && id < size) || seen[id] === 1)
        throw new RangeError(`feature vocabulary: ids must be 0…${size - 1}, each once (found ${id} again or out of range)`);
      seen[id] = 1;
      return id;
    };
    for (let index = 0; index < names.length; index += 1) vocabulary.names.set(names[index], claim(nameIds[index]));
    for (let index = 0; index < phraseCodes.length; index += 1) vocabulary.phraseCodes.set(phraseCodes[index], claim(phraseIds[index]));
    if (vocabulary.size !== size) throw new RangeError('feature vocabulary: a feature is listed twice');
    return vocabulary;
  }

  get size(): number {
    return this.names.size + this.phraseCodes.size;
  }

  /** The id of a word-level feature. */
  idOf(name: string): number | undefined {
    return this.names.get(name);
  }

  get phraseNgramCount(): number {
    return this.phraseCodes.size;
  }

  /** Every phrase n-gram's code with its id. */
  phraseNgrams(): IterableIterator<[number, number]> {
    return this.phraseCodes.entries();
  }

  /** Every word-level feature with its id. */
  wordLevelFeatures(): IterableIterator<[string, number]> {
    return this.names.entries();
  }

  /** Encodes training features, giving new features the next ids (so ids follow first appearance). */
  addAndEncode(features: SparseFeatures, phrases: PhraseFeatures = NO_PHRASES): EncodedFeatures {
    const wordLevelCount = features.names.length;
    const ids = new Int32Array(wordLevelCount + phrases.codes.length);
    const values = new Float64Array(ids.length);
    features.names.forEach((name, position) => {
      let id = this.names.get(name);
      if (id === undefined) this.names.set(name, (id = this.size));
      ids[position] = id;
      values[position] = features.values[position];
    });
    phrases.codes.forEach((code, offset) => {
      let id = this.phraseCodes.get(code);
      if (id === undefined) this.phraseCodes.set(code, (id = this.size));
      ids[wordLevelCount + offset] = id;
      values[wordLevelCount + offset] = phrases.value;
    });
    return { ids, values, wordLevelCount };
  }

  /** Encodes a message's features; features never seen in training are left out. */
  encode(features: SparseFeatures, phrases: PhraseFeatures = NO_PHRASES): EncodedFeatures {
    const { names, values } = features;
    const ids = new Int32Array(names.length + phrases.codes.length);
    const kept = new Float64Array(ids.length);
    let count = 0;
    for (let position = 0; position < names.length; position += 1) {
      const id = this.names.get(names[position]);
      if (id === undefined) continue;
      ids[count] = id;
      kept[count] = values[position];
      count += 1;
    }
    const wordLevelCount = count;
    for (const code of phrases.codes) {
      const id = this.phraseCodes.get(code);
      if (id === undefined) continue;
      ids[count] = id;
      kept[count] = phrases.value;
      count += 1;
    }
    return { ids: ids.subarray(0, count), values: kept.subarray(0, count), wordLevelCount };
  }
}

/**
 * `out[label] = biases[label] + Σ value × weights[id][label]` over the first `featureCount`
 * features, with `weights` row-major by id (`labelCount` columns): the linear part every model
 * of the ensemble shares.
 *
 * The sum of each label runs over the features in their order, so the result is the same to the
 * last bit however the labels are visited. They are visited eight at a time, each block summed
 * in local variables over every feature: the sums stay in registers instead of being loaded and
 * stored in `out` for every term, which makes this loop, the bulk of a message's scoring, about
 * a third faster.
 */
export function linearScoresInto(
  out: Float64Array,
  encoded: EncodedFeatures,
  weights: Float32Array,
  biases: Float64Array,
  labelCount: number,
  featureCount = encoded.ids.length,
): void {
  const { ids, values } = encoded;
  let label = 0;
  for (; label + 8 <= labelCount; label += 8) {
    let sum0 = biases[label];
    let sum1 = biases[label + 1];
    let sum2 = biases[label + 2];
    let sum3 = biases[label + 3];
    let sum4 = biases[label + 4];
    let sum5 = biases[label + 5];
    let sum6 = biases[label + 6];
    let sum7 = biases[label + 7];
    for (let position = 0; position < featureCount; position += 1) {
      const cell = ids[position] * labelCount + label;
      const value = values[position];
      sum0 += value * weights[cell];
      sum1 += value * weights[cell + 1];
      sum2 += value * weights[cell + 2];
      sum3 += value * weights[cell + 3];
      sum4 += value * weights[cell + 4];
      sum5 += value * weights[cell + 5];
      sum6 += value * weights[cell + 6];
      sum7 += value * weights[cell + 7];
    }
    out[label] = sum0;
    out[label + 1] = sum1;
    out[label + 2] = sum2;
    out[label + 3] = sum3;
    out[label + 4] = sum4;
    out[label + 5] = sum5;
    out[label + 6] = sum6;
    out[label + 7] = sum7;
  }
  for (; label < labelCount; label += 1) {
    let sum = biases[label];
    for (let position = 0; position < featureCount; position += 1) sum += values[position] * weights[ids[position] * labelCount + label];
    out[label] = sum;
  }
}

/** In place: scores → probabilities, `exp(score / temperature)` normalised (computed stably). */
export function softmaxInPlace(scores: Float64Array, temperature = 1): void {
  let max = -Infinity;
  for (let label = 0; label < scores.length; label += 1) {
    scores[label] /= temperature;
    if (scores[label] > max) max = scores[label];
  }
  let total = 0;
  for (let label = 0; label < scores.length; label += 1) {
    scores[label] = Math.exp(scores[label] - max);
    total += scores[label];
  }
  for (let label = 0; label < scores.length; label += 1) scores[label] /= total;
}
