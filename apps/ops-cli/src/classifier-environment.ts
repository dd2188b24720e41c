/**
 * Classifier settings of the ops CLIs, from the environment. Only the CLI entry points read the
 * environment; the classification core receives plain options.
 */
import { readFileSync } from 'node:fs';
import { ClassifierOptions, EMPTY_MAPPINGS, TaxonomyExtension, loadTaxonomyExtension, validateMappings } from '@conmutador/classification';

/** Default text confidence below which a message is `unclassified` (see the classification README). */
export const DEFAULT_MIN_CONFIDENCE = 0.2;

export function classifierOptionsFromEnvironment(environment: NodeJS.ProcessEnv = process.env): ClassifierOptions {
  return {
    minConfidence: readMinConfidence(environment.CLASSIFIER_MIN_CONFIDENCE),
    extensions: readExtensions(environment.CLASSIFIER_EXTENSIONS_FILE),
    mappings: readMappings(environment.CLASSIFIER_MAPPINGS_FILE),
  };
}

function readMinConfidence(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return DEFAULT_MIN_CONFIDENCE;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new Error(`CLASSIFIER_MIN_CONFIDENCE must be a number between 0 and 1, got "${raw}"`);
  }
  return value;
}

/** One file, or several separated by commas. */
function readExtensions(raw: string | undefined): TaxonomyExtension[] {
  if (raw === undefined || raw.trim() === '') return [];
  return raw
    .split(',')
    .map((path) => path.trim())
    .filter((path) => path.length > 0)
    .map((path) => loadTaxonomyExtension(path));
}

function readMappings(path: string | undefined): ClassifierOptions['mappings'] {
  if (path === undefined || path.trim() === '') return EMPTY_MAPPINGS;
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`CLASSIFIER_MAPPINGS_FILE ${path}: ${(error as Error).message}`);
  }
  const { mappings, errors } = validateMappings(document);
  if (!mappings) throw new Error(`CLASSIFIER_MAPPINGS_FILE ${path}:\n  ${errors.join('\n  ')}`);
  return mappings;
}
