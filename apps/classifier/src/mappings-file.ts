import { readFileSync, statSync } from 'node:fs';
import { ClassifierMappings, validateMappings } from '@conmutador/classification';

export class MappingsFileError extends Error {}

/** Reads and checks the ops mappings file; every problem is named with its place in the file. */
export function readMappingsFile(path: string): ClassifierMappings {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new MappingsFileError(`CLASSIFIER_MAPPINGS_FILE ${path}: ${(error as Error).message}`);
  }
  const { mappings, errors } = validateMappings(document);
  if (!mappings) throw new MappingsFileError(`CLASSIFIER_MAPPINGS_FILE ${path}:\n  - ${errors.join('\n  - ')}`);
  return mappings;
}

export function modificationTime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}
