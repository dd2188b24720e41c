/**
 * The model file: a trained {@link TextModel} written at build time (`npm run model:build`) and
 * read at start instead of training. Pure: bytes in, bytes out.
 *
 * Layout (every number little-endian):
 * - bytes 0–7: the magic `CMTXTMDL`;
 * - bytes 8–11: uint32, the byte length of the header;
 * - the header: UTF-8 JSON ({@link ModelFileHeader}), then zero bytes up to a multiple of 8;
 * - the body: the sections the header lists, each at an offset from the body's start that is a
 *   multiple of 8 (zero bytes between them), typed `utf8` (text; lists of strings joined by `\n`),
 *   `int32`, `float32` or `float64`.
 *
 * The bytes depend on the model alone (no timestamp, no training time, fixed key and section
 * order): the same corpus and code give the same file. Weight tables are float32 because the
 * model scores with float32 tables (the stacked heads and intent networks are Float32Array
 * after training): written as they are, nothing is rounded. Biases and everything else that
 * is a double in memory stays a double.
 */
import { LinearHead, Squashing, StackedTable } from './linear-heads';
import { JointLabel, TextModel, TextModelSnapshot, TrainingReport } from './text-model';
import { TextAnalyzerOptions } from '../text/text-analyzer';

export const MODEL_FILE_FORMAT = 'conmutador-text-model';
/** Version of the layout above; a reader refuses any other. */
export const MODEL_FILE_FORMAT_VERSION = 1;
/**
 * Version of the code that trains the text model and reads text with it (analyser, typo corrector,
 * feature vocabulary, the models and their settings, text-model.ts). Bump it with any change after
 * which training gives another model, or a saved model would answer differently: a file recorded
 * with another version is not loaded (the classifier trains at start instead) and the build
 * trains it again.
 */
export const TEXT_MODEL_CODE_VERSION = 3;

const MAGIC = 'CMTXTMDL';
/** The magic and the header length: what {@link modelFileHeaderLength} reads. */
export const MODEL_FILE_PREFIX_BYTES = MAGIC.length + 4;
const ALIGNMENT = 8;

/** Where a model came from: what decides whether it is still the model of the corpus beside it. */
export interface ModelProvenance {
  /** sha256 of the training corpus it was trained on (corpusSha256 in corpus/model-file.ts). */
  corpusSha256: string;
  /** sha256 of the taxonomy it was trained with (the default sectors and intents). */
  taxonomySha256: string;
  /**
   * sha256 of the training code's sources, recorded by the build (tools/model-build.mjs) so that
   * a code change trains again even when {@link TEXT_MODEL_CODE_VERSION} was not bumped. Not
   * checked at load: the build that wrote the file compiled that code.
   */
  trainingCodeSha256?: string;
}

type SectionType = 'utf8' | 'int32' | 'float32' | 'float64';

export interface ModelFileSection {
  name: string;
  type: SectionType;
  /** From the start of the body. */
  offset: number;
  bytes: number;
  /** Elements: strings of a `\n`-joined list, numbers of a typed array, 1 for a JSON document. */
  count: number;
}

export interface ModelFileHeader extends ModelProvenance {
  format: typeof MODEL_FILE_FORMAT;
  formatVersion: number;
  codeVersion: number;
  sizes: {
    utterances: number;
    features: number;
    wordLevelFeatures: number;
    phraseNgrams: number;
    typoVocabulary: number;
    stackedColumns: number;
    intentNetworks: number;
  };
  sections: ModelFileSection[];
}

/** A file that is not a readable model file of this format version. */
export class ModelFileFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelFileFormatError';
  }
}

/** The parts of the snapshot that are small: one JSON section. */
interface Structure {
  analyzerOptions: TextAnalyzerOptions;
  sectors: readonly string[];
  jointLabels: readonly JointLabel[];
  heads: readonly { labels: readonly string[]; squashing: Squashing }[];
  intentNetworks: readonly { sector: string; labels: readonly string[]; squashing: Squashing }[];
  report: Omit<TrainingReport, 'milliseconds'>;
}

type SectionValue = string | Int32Array | Float32Array | Float64Array;

/** The model file of a trained model. */
export function encodeModelFile(model: TextModel, provenance: ModelProvenance): Uint8Array {
  const snapshot = model.snapshot();
  const structure: Structure = {
    analyzerOptions: snapshot.analyzerOptions,
    sectors: snapshot.sectors,
    jointLabels: snapshot.jointLabels,
    heads: snapshot.heads.heads,
    intentNetworks: snapshot.intentNetworks.map(({ sector, head }) => ({ sector, labels: head.labels, squashing: head.squashing })),
    report: snapshot.report,
  };
  const intents = snapshot.intentNetworks.map(({ head }) => head);
  const typoIndex = snapshot.typoVocabulary.index;
  const values: [string, SectionValue, number][] = [
    ['structure', JSON.stringify(structure), 1],
    ['typoWords', joinLines(snapshot.typoVocabulary.words), snapshot.typoVocabulary.words.length],
    ['typoFrequencies', snapshot.typoVocabulary.frequencies, snapshot.typoVocabulary.frequencies.length],
    ['typoDeletions', joinLines(typoIndex.deletions), typoIndex.deletions.length],
    ['typoBucketStarts', typoIndex.bucketStarts, typoIndex.bucketStarts.length],
    ['typoBucketWords', typoIndex.bucketWords, typoIndex.bucketWords.length],
    ['featureNames', joinLines(snapshot.wordLevelFeatures.names), snapshot.wordLevelFeatures.names.length],
    ['featureIds', snapshot.wordLevelFeatures.ids, snapshot.wordLevelFeatures.ids.length],
    ['phraseCodes', snapshot.phraseNgrams.codes, snapshot.phraseNgrams.codes.length],
    ['phraseIds', snapshot.phraseNgrams.ids, snapshot.phraseNgrams.ids.length],
    ['stackedWeights', snapshot.heads.weights, snapshot.heads.weights.length],
    ['stackedBiases', snapshot.heads.biases, snapshot.heads.biases.length],
    [
      'intentWeights',
      concatenate(
        Float32Array,
        intents.map((head) => head.weights),
      ),
      intents.reduce((total, head) => total + head.weights.length, 0),
    ],
    [
      'intentBiases',
      concatenate(
        Float64Array,
        intents.map((head) => head.biases),
      ),
      intents.reduce((total, head) => total + head.biases.length, 0),
    ],
  ];
  const sections: ModelFileSection[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, value, count] of values) {
    const bytes = typeof value === 'string' ? new TextEncoder().encode(value) : littleEndianBytes(value);
    sections.push({ name, type: sectionType(value), offset, bytes: bytes.length, count });
    chunks.push(bytes);
    offset = alignUp(offset + bytes.length);
  }
  const header: ModelFileHeader = {
    format: MODEL_FILE_FORMAT,
    formatVersion: MODEL_FILE_FORMAT_VERSION,
    codeVersion: TEXT_MODEL_CODE_VERSION,
    corpusSha256: provenance.corpusSha256,
    taxonomySha256: provenance.taxonomySha256,
    ...(provenance.trainingCodeSha256 === undefined ? {} : { trainingCodeSha256: provenance.trainingCodeSha256 }),
    sizes: {
      utterances: snapshot.report.utterances,
      features: snapshot.report.features,
      wordLevelFeatures: snapshot.wordLevelFeatures.names.length,
      phraseNgrams: snapshot.phraseNgrams.codes.length,
      typoVocabulary: snapshot.typoVocabulary.words.length,
      stackedColumns: snapshot.heads.biases.length,
      intentNetworks: intents.length,
    },
    sections,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const bodyStart = alignUp(MODEL_FILE_PREFIX_BYTES + headerBytes.length);
  const file = new Uint8Array(bodyStart + offset);
  file.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(file.buffer).setUint32(MAGIC.length, headerBytes.length, true);
  file.set(headerBytes, MODEL_FILE_PREFIX_BYTES);
  sections.forEach((section, index) => file.set(chunks[index], bodyStart + section.offset));
  return file;
}

/**
 * The header of a model file; `bytes` may be the file's beginning only (at least
 * {@link modelFileHeaderLength} bytes). Throws ModelFileFormatError when it is not one.
 */
export function decodeModelFileHeader(bytes: Uint8Array): ModelFileHeader {
  const length = modelFileHeaderLength(bytes);
  if (bytes.length < length) throw new ModelFileFormatError(`truncated: the header needs ${length} bytes, the file has ${bytes.length}`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(MODEL_FILE_PREFIX_BYTES, length)));
  } catch (error) {
    throw new ModelFileFormatError(`the header is not JSON (${(error as Error).message})`);
  }
  const fields = header as Partial<ModelFileHeader> | null;
  if (fields === null || typeof fields !== 'object' || fields.format !== MODEL_FILE_FORMAT || !Array.isArray(fields.sections)) {
    throw new ModelFileFormatError(`the header does not describe a ${MODEL_FILE_FORMAT} file`);
  }
  if (fields.formatVersion !== MODEL_FILE_FORMAT_VERSION) {
    throw new ModelFileFormatError(`format version ${String(fields.formatVersion)}; this code reads version ${MODEL_FILE_FORMAT_VERSION}`);
  }
  for (const key of ['corpusSha256', 'taxonomySha256'] as const) {
    if (typeof fields[key] !== 'string') throw new ModelFileFormatError(`the header has no ${key}`);
  }
  if (typeof fields.codeVersion !== 'number') throw new ModelFileFormatError('the header has no codeVersion');
  return header as ModelFileHeader;
}

/** How many bytes of the file's beginning hold the header (the magic and length included); needs the first {@link MODEL_FILE_PREFIX_BYTES}. */
export function modelFileHeaderLength(bytes: Uint8Array): number {
  if (bytes.length < MODEL_FILE_PREFIX_BYTES || new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC) {
    throw new ModelFileFormatError(`not a model file (it does not start with ${MAGIC})`);
  }
  return MODEL_FILE_PREFIX_BYTES + new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(MAGIC.length, true);
}

/**
 * The model a file holds, and its header. Checks the layout, not the provenance: whether the
 * model is still the one of the corpus at hand is the caller's question (loadClassifier). Throws
 * ModelFileFormatError on a file that is not a whole model file of this format and code version.
 * The model's weight tables are views of `bytes` (no copy): the caller must not change them.
 */
export function decodeModelFile(bytes: Uint8Array): { header: ModelFileHeader; model: TextModel } {
  const header = decodeModelFileHeader(bytes);
  if (header.codeVersion !== TEXT_MODEL_CODE_VERSION) {
    throw new ModelFileFormatError(`written by training code version ${header.codeVersion}; this code is version ${TEXT_MODEL_CODE_VERSION}`);
  }
  try {
    return { header, model: TextModel.fromSnapshot(decodeSnapshot(header, bytes.subarray(alignUp(modelFileHeaderLength(bytes))))) };
  } catch (error) {
    // A damaged file can fail anywhere (a missing field, lengths that do not fit): all of it is "not a model file".
    if (error instanceof ModelFileFormatError) throw error;
    throw new ModelFileFormatError(`its sections do not make a model (${(error as Error).message})`);
  }
}

function decodeSnapshot(header: ModelFileHeader, body: Uint8Array): TextModelSnapshot {
  const section = (name: string, type: SectionType): Uint8Array => {
    const entry = header.sections.find((candidate) => candidate.name === name);
    if (!entry || entry.type !== type) throw new ModelFileFormatError(`no ${type} section "${name}"`);
    const width = type === 'utf8' ? 1 : type === 'float64' ? 8 : 4;
    if (!(
      entry.offset % ALIGNMENT === 0 &&
      entry.offset >= 0 &&
      entry.offset + entry.bytes <= body.length &&
      (type === 'utf8' || entry.bytes === entry.count * width)
    )) {
      throw new ModelFileFormatError(`section "${name}" lies outside the file or has the wrong size (truncated?)`);
    }
    return body.subarray(entry.offset, entry.offset + entry.bytes);
  };
  const text = (name: string): string => new TextDecoder('utf-8', { fatal: true }).decode(section(name, 'utf8'));
  const lines = (name: string): string[] => {
    const count = header.sections.find((entry) => entry.name === name)?.count ?? 0;
    const list = count === 0 ? [] : text(name).split('\n');
    if (list.length !== count) throw new ModelFileFormatError(`section "${name}" holds ${list.length} lines, not ${count}`);
    return list;
  };
  const int32 = (name: string): Int32Array => {
    const bytes = hostOrder(section(name, 'int32'), 4);
    return new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  };
  const float32 = (name: string): Float32Array => {
    const bytes = hostOrder(section(name, 'float32'), 4);
    return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  };
  const float64 = (name: string): Float64Array => {
    const bytes = hostOrder(section(name, 'float64'), 8);
    return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8);
  };

  const structure = JSON.parse(text('structure')) as Structure;
  const stackedWeights = float32('stackedWeights');
  const stackedBiases = float64('stackedBiases');
  const intentWeights = float32('intentWeights');
  const intentBiases = float64('intentBiases');
  const vocabularySize = header.sizes.features;
  let weightsAt = 0;
  let biasesAt = 0;
  const intentNetworks = structure.intentNetworks.map(({ sector, labels, squashing }) => {
    const weights = intentWeights.subarray(weightsAt, weightsAt + vocabularySize * labels.length);
    const biases = intentBiases.subarray(biasesAt, biasesAt + labels.length);
    weightsAt += weights.length;
    biasesAt += biases.length;
    const head: LinearHead = { labels, weights, biases, squashing };
    return { sector, head };
  });
  if (weightsAt !== intentWeights.length || biasesAt !== intentBiases.length) throw new ModelFileFormatError('the intent networks do not fill their sections');
  const heads: StackedTable = { weights: stackedWeights, biases: stackedBiases, heads: structure.heads };
  return {
    analyzerOptions: structure.analyzerOptions,
    typoVocabulary: {
      words: lines('typoWords'),
      frequencies: int32('typoFrequencies'),
      index: { deletions: lines('typoDeletions'), bucketStarts: int32('typoBucketStarts'), bucketWords: int32('typoBucketWords') },
    },
    wordLevelFeatures: { names: lines('featureNames'), ids: int32('featureIds') },
    phraseNgrams: { codes: int32('phraseCodes'), ids: int32('phraseIds') },
    sectors: structure.sectors,
    jointLabels: structure.jointLabels,
    heads,
    intentNetworks,
    report: structure.report,
  };
}

function joinLines(lines: readonly string[]): string {
  for (const line of lines) if (line.includes('\n')) throw new RangeError(`model file: a listed string holds a line break: ${JSON.stringify(line)}`);
  return lines.join('\n');
}

function sectionType(value: SectionValue): SectionType {
  if (typeof value === 'string') return 'utf8';
  if (value instanceof Int32Array) return 'int32';
  return value instanceof Float32Array ? 'float32' : 'float64';
}

function alignUp(offset: number): number {
  return Math.ceil(offset / ALIGNMENT) * ALIGNMENT;
}

function concatenate<T extends Float32Array | Float64Array>(Type: { new (length: number): T }, arrays: readonly T[]): T {
  const result = new Type(arrays.reduce((total, array) => total + array.length, 0));
  let at = 0;
  for (const array of arrays) {
    result.set(array, at);
    at += array.length;
  }
  return result;
}

/** Typed arrays are in the host's byte order; the file is little-endian whatever the host. */
const LITTLE_ENDIAN_HOST = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

function littleEndianBytes(array: Int32Array | Float32Array | Float64Array): Uint8Array {
  const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  return LITTLE_ENDIAN_HOST ? bytes : swapBytes(bytes.slice(), array.BYTES_PER_ELEMENT);
}

/**
 * A section's little-endian numbers, readable as a typed array of `width`-byte elements: the
 * file's own bytes when they already are (a little-endian host, and the file read into a buffer
 * of its own, as readFileSync does: sections sit at multiples of 8), so that loading copies
 * nothing; else a copy, aligned and in the host's order.
 */
function hostOrder(bytes: Uint8Array, width: number): Uint8Array {
  if (LITTLE_ENDIAN_HOST && bytes.byteOffset % width === 0) return bytes;
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return LITTLE_ENDIAN_HOST ? copy : swapBytes(copy, width);
}

function swapBytes(bytes: Uint8Array, width: number): Uint8Array {
  for (let start = 0; start < bytes.length; start += width) bytes.subarray(start, start + width).reverse();
  return bytes;
}
