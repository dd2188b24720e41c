/**
 * The disk side of the model file (model/model-file-format.ts): reading and writing it, and the
 * digests that tie it to the corpus and taxonomy it was trained from.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { MODEL_FILE_PREFIX_BYTES, ModelFileHeader, decodeModelFileHeader, modelFileHeaderLength } from '../model/model-file-format';
import { Taxonomy } from '../taxonomy/taxonomy';

/**
 * sha256 of a training corpus directory: its `*.jsonl` files in name order (the files and order
 * readCorpusDirectory trains on), each as its name, its byte length and its bytes. Any change to
 * a file, a renamed, added or removed file, changes it.
 */
export function corpusSha256(directory: string): string {
  if (!existsSync(directory)) throw new Error(`training corpus directory not found: ${directory}`);
  const hash = createHash('sha256');
  const files = readdirSync(directory)
    .filter((name) => name.endsWith('.jsonl'))
    .sort();
  for (const name of files) {
    const contents = readFileSync(join(directory, name));
    hash.update(`${name}\n${contents.length}\n`);
    hash.update(contents);
  }
  return hash.digest('hex');
}

/** sha256 of a taxonomy: its sectors and their intents, in order. */
export function taxonomySha256(taxonomy: Taxonomy): string {
  return createHash('sha256')
    .update(JSON.stringify([...taxonomy]))
    .digest('hex');
}

export function readModelFile(path: string): Uint8Array {
  return readFileSync(path);
}

/** The header alone, without reading the weights (what the build checks to skip training). */
export function readModelFileHeader(path: string): ModelFileHeader {
  const descriptor = openSync(path, 'r');
  try {
    const readPrefix = (length: number): Uint8Array => {
      const bytes = new Uint8Array(length);
      return bytes.subarray(0, readSync(descriptor, bytes, 0, length, 0));
    };
    return decodeModelFileHeader(readPrefix(modelFileHeaderLength(readPrefix(MODEL_FILE_PREFIX_BYTES))));
  } finally {
    closeSync(descriptor);
  }
}

/** Writes the file whole or not at all: a reader never sees half a model. */
export function writeModelFile(path: string, bytes: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(temporary, bytes);
  renameSync(temporary, path);
}
