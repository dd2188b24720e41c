import { statSync } from 'node:fs';
import { ClassifierMappings, readMappingsFile as readMappings } from '@conmutador/classification';

/** The ops mappings file named by CLASSIFIER_MAPPINGS_FILE; errors say so. */
export function readMappingsFile(path: string): ClassifierMappings {
  return readMappings(path, 'CLASSIFIER_MAPPINGS_FILE');
}

export function modificationTime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}
