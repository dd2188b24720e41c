import { existsSync } from 'node:fs';
import { CombinedClassifier, ConfigurableClassifier } from './combined-classifier';
import { defaultCorpusDir, readCorpusDirectory } from './corpus/corpus-files';
import { corpusSha256, readModelFile, readModelFileHeader, taxonomySha256, writeModelFile } from './corpus/model-file';
import { ClassifierOptions, createClassifier } from './create-classifier';
import { ModelFileHeader, ModelProvenance, TEXT_MODEL_CODE_VERSION, decodeModelFile, decodeModelFileHeader, encodeModelFile } from './model/model-file-format';
import { TextModel } from './model/text-model';
import { Taxonomy, buildTaxonomy } from './taxonomy/taxonomy';

export interface LoadClassifierOptions extends ClassifierOptions {
  /** The model file `npm run model:build` writes (dist/model/text-model.bin): read instead of training when it is the model of the corpus at hand. */
  modelFile?: string;
}

export interface LoadedClassifier {
  classifier: ConfigurableClassifier;
  /** `file`: the text model was read from the model file; `training`: it was trained at start. */
  modelSource: 'file' | 'training';
  /** Reading the file (its checks included), or training. */
  milliseconds: number;
  /** Why the model was trained at start; absent when it was read from the file. */
  reason?: string;
  /** A configured model file could not be used (missing, stale or damaged): callers log `reason` as a warning. */
  fileRejected: boolean;
}

const REBUILD = 'rebuild it with npm run model:build';

/**
 * The classifier of {@link createClassifier}, its text model read from `modelFile` instead of
 * trained: well under a second instead of seconds. The file is used only when it is the model
 * this code would train from the corpus at hand: same training code version, same default
 * taxonomy, and a corpus whose sha256 is the one the file records. Otherwise (a missing, stale or
 * damaged file) the model is trained at start, as createClassifier does, and `fileRejected` says
 * why, so that a developer who edits the corpus still gets a correct model.
 *
 * With taxonomy extensions the model is always trained at start: their utterances are trained
 * together with the corpus, which the file (the default corpus alone) cannot hold.
 */
export async function loadClassifier(options: LoadClassifierOptions): Promise<LoadedClassifier> {
  const started = process.hrtime.bigint();
  const elapsed = (): number => Number(process.hrtime.bigint() - started) / 1e6;
  const train = async (reason: string, fileRejected: boolean): Promise<LoadedClassifier> => {
    const classifier = await createClassifier(options);
    return { classifier, modelSource: 'training', milliseconds: elapsed(), reason, fileRejected };
  };
  if ((options.extensions ?? []).length > 0) {
    return train('taxonomy extensions are configured: their utterances are trained together with the corpus', false);
  }
  if (options.modelFile === undefined) return train('no model file is configured', false);
  const taxonomy = buildTaxonomy([]);
  const read = readModelOfCorpus(options.modelFile, options.corpusDir ?? defaultCorpusDir(), taxonomy);
  if ('problem' in read) return train(`model file ${options.modelFile} ${read.problem}`, true);
  const classifier = new CombinedClassifier({ model: read.model, taxonomy, mappings: options.mappings, minConfidence: options.minConfidence });
  return { classifier, modelSource: 'file', milliseconds: elapsed(), fileRejected: false };
}

function readModelOfCorpus(file: string, corpusDir: string, taxonomy: Taxonomy): { model: TextModel } | { problem: string } {
  if (!existsSync(file)) return { problem: 'not found (npm run build and npm run model:build write it)' };
  let bytes: Uint8Array;
  let header: ModelFileHeader;
  try {
    bytes = readModelFile(file);
    header = decodeModelFileHeader(bytes);
  } catch (error) {
    return { problem: `cannot be read: ${(error as Error).message}` };
  }
  if (header.codeVersion !== TEXT_MODEL_CODE_VERSION) {
    return { problem: `was written by training code version ${header.codeVersion}, this code is version ${TEXT_MODEL_CODE_VERSION}: ${REBUILD}` };
  }
  if (header.taxonomySha256 !== taxonomySha256(taxonomy)) return { problem: `was trained with other default sectors or intents: ${REBUILD}` };
  const corpus = corpusSha256(corpusDir);
  if (header.corpusSha256 !== corpus) {
    return {
      problem: `was trained on another corpus than ${corpusDir} (sha256 ${header.corpusSha256.slice(0, 12)}…, the corpus now ${corpus.slice(0, 12)}…): ${REBUILD}`,
    };
  }
  try {
    return { model: decodeModelFile(bytes).model };
  } catch (error) {
    return { problem: `cannot be read: ${(error as Error).message}` };
  }
}

export interface ModelFileBuildOptions {
  file: string;
  /** Default: libs/classification/corpus/train of this repository. */
  corpusDir?: string;
  /** Recorded in the header; a file recorded with another value is trained again (see ModelProvenance). */
  trainingCodeSha256?: string;
  /** Train even when the file is up to date. */
  force?: boolean;
}

export interface ModelFileBuild {
  /** False when the file was already the model of this corpus, taxonomy and code, and was left alone. */
  trained: boolean;
  /** Why it was trained, or `up to date`. */
  reason: string;
  header: ModelFileHeader;
  milliseconds: number;
}

/**
 * Trains the text model of the corpus (no extensions) and writes it to `file`, unless the file
 * already records this corpus, taxonomy and training code: repeated builds stay fast.
 * Deterministic: the same corpus and code give the same bytes.
 */
export function buildModelFile(options: ModelFileBuildOptions): ModelFileBuild {
  const started = process.hrtime.bigint();
  const elapsed = (): number => Number(process.hrtime.bigint() - started) / 1e6;
  const taxonomy = buildTaxonomy([]);
  const corpusDir = options.corpusDir ?? defaultCorpusDir();
  const provenance: ModelProvenance = {
    corpusSha256: corpusSha256(corpusDir),
    taxonomySha256: taxonomySha256(taxonomy),
    ...(options.trainingCodeSha256 === undefined ? {} : { trainingCodeSha256: options.trainingCodeSha256 }),
  };
  const reason = options.force ? 'a rebuild was asked for' : whyOutOfDate(options.file, provenance);
  if (reason === undefined) return { trained: false, reason: 'up to date', header: readModelFileHeader(options.file), milliseconds: elapsed() };
  const model = TextModel.train(readCorpusDirectory(corpusDir, taxonomy), taxonomy);
  const bytes = encodeModelFile(model, provenance);
  writeModelFile(options.file, bytes);
  return { trained: true, reason, header: decodeModelFileHeader(bytes), milliseconds: elapsed() };
}

function whyOutOfDate(file: string, provenance: ModelProvenance): string | undefined {
  if (!existsSync(file)) return 'no model file yet';
  let header: ModelFileHeader;
  try {
    header = readModelFileHeader(file);
  } catch (error) {
    return `the file cannot be read (${(error as Error).message})`;
  }
  if (header.codeVersion !== TEXT_MODEL_CODE_VERSION) return `training code version ${header.codeVersion} → ${TEXT_MODEL_CODE_VERSION}`;
  if (header.corpusSha256 !== provenance.corpusSha256) return 'the corpus changed';
  if (header.taxonomySha256 !== provenance.taxonomySha256) return 'the default taxonomy changed';
  if (header.trainingCodeSha256 !== provenance.trainingCodeSha256) return 'the training code changed';
  return undefined;
}
