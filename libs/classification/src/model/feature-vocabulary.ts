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

  get size(): number {
    return this.names.size + this.phraseCodes.size;
  }

  /** The id of a word-level feature. */
  idOf(name: string): number | undefined {
    return this.names.get(name);
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
 * `out[label] = biases[label] + Σ value × weights[id][label]`, with `weights` row-major by id
 * (`labelCount` columns): the linear part every model of the ensemble shares.
 */
export function linearScoresInto(
  out: Float64Array,
  encoded: EncodedFeatures,
  weights: Float32Array,
  biases: Float64Array,
  labelCount: number,
): void {
  out.set(biases);
  const { ids, values } = encoded;
  for (let position = 0; position < ids.length; position += 1) {
    const base = ids[position] * labelCount;
    const value = values[position];
    for (let label = 0; label < labelCount; label += 1) out[label] += value * weights[base + label];
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
