/**
 * The one place of the classification core that touches the disk: reading the training corpus,
 * labelled evaluation files and taxonomy extension documents. Everything else is pure.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ClassifierMappings, validateMappings } from '../mappings';
import { LabelledUtterance, Taxonomy, TaxonomyExtension, parseLabelledUtterance, parseTaxonomyExtension } from '../taxonomy/taxonomy';

const CORPUS_TRAIN_PATH = join('libs', 'classification', 'corpus', 'train');

/**
 * The repository root: the nearest directory above `startDir` holding a package.json. Works both
 * from the sources (libs/classification/src/corpus) and from the build (dist/libs/…).
 */
export function findRepositoryRoot(startDir: string = __dirname): string {
  let directory = resolve(startDir);
  for (;;) {
    if (existsSync(join(directory, 'package.json'))) return directory;
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`no package.json found above ${startDir}; cannot locate the training corpus`);
    directory = parent;
  }
}

/** libs/classification/corpus/train of this repository. */
export function defaultCorpusDir(): string {
  return join(findRepositoryRoot(), CORPUS_TRAIN_PATH);
}

export interface LabelledFile {
  utterances: LabelledUtterance[];
  /** `file:line: problem` for every line that could not be used. */
  problems: string[];
}

/** Reads a JSONL file of labelled utterances (corpus or dev-set format), collecting bad lines. */
export function readLabelledJsonl(filePath: string, taxonomy?: Taxonomy): LabelledFile {
  const utterances: LabelledUtterance[] = [];
  const problems: string[] = [];
  const lines = readFileSync(filePath, 'utf8').split(/\r?\n/);
  lines.forEach((line, index) => {
    if (line.trim().length === 0) return;
    const where = `${filePath}:${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      problems.push(`${where}: not valid JSON (${(error as Error).message})`);
      return;
    }
    const parsed = parseLabelledUtterance(value, taxonomy);
    if (typeof parsed === 'string') problems.push(`${where}: ${parsed}`);
    else utterances.push(parsed);
  });
  return { utterances, problems };
}

/** The `*.jsonl` files a path stands for: the file itself, or a directory's, in name order. */
export function jsonlFilesOf(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .map((name) => join(path, name));
}

/** Every labelled line of the given files and directories (see {@link jsonlFilesOf}), in order, with every bad line named. */
export function readLabelledPaths(paths: readonly string[], taxonomy?: Taxonomy): LabelledFile {
  const utterances: LabelledUtterance[] = [];
  const problems: string[] = [];
  for (const file of paths.flatMap(jsonlFilesOf)) {
    const result = readLabelledJsonl(file, taxonomy);
    utterances.push(...result.utterances);
    problems.push(...result.problems);
  }
  return { utterances, problems };
}

/**
 * Every `*.jsonl` of a corpus directory, files in name order, lines in file order (so the same
 * directory always yields the same training sequence). Throws on any bad line: a model silently
 * trained on part of its corpus is worse than a start-up failure that names the line.
 */
export function readCorpusDirectory(directory: string, taxonomy: Taxonomy): LabelledUtterance[] {
  if (!existsSync(directory)) throw new Error(`training corpus directory not found: ${directory}`);
  if (jsonlFilesOf(directory).length === 0) throw new Error(`no *.jsonl files in the training corpus directory ${directory}`);
  const { utterances, problems } = readLabelledPaths([directory], taxonomy);
  if (problems.length > 0) {
    const shown = problems.slice(0, 10).join('\n  ');
    throw new Error(`training corpus has ${problems.length} invalid line(s):\n  ${shown}`);
  }
  return utterances;
}

/** Reads and checks a taxonomy extension JSON file; throws an Error naming the file and the bad field. */
export function loadTaxonomyExtension(filePath: string): TaxonomyExtension {
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch (error) {
    throw new Error(`${filePath}: cannot read the taxonomy extension (${(error as Error).message})`, { cause: error });
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new Error(`${filePath}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
  return parseTaxonomyExtension(document, filePath);
}

/**
 * Reads and checks an ops mappings file. Every problem is named with its place in the file; `label`
 * says in the message where the path came from (the configuration key, say).
 */
export function readMappingsFile(filePath: string, label = 'mappings file'): ClassifierMappings {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(filePath, 'utf8'));
  } catch (error) {
    throw new Error(`${label} ${filePath}: ${(error as Error).message}`, { cause: error });
  }
  const { mappings, errors } = validateMappings(document);
  if (!mappings) throw new Error(`${label} ${filePath}:\n  - ${errors.join('\n  - ')}`);
  return mappings;
}
