/**
 * Ops-owned, explicit routing of entry points and IVR menus to sectors. They outrank the text:
 * a caller who dialled the oxygen line and pressed 1 is an oxygen caller whatever they said.
 */
export interface EntryPointMapping {
  /** Exact entry point, or a prefix ending in `*` (`wa:+57300*`). */
  entryPoint: string;
  /** Restricts the mapping to one tenant; absent means every tenant. */
  tenant?: string;
  sector: string;
  intent?: string;
  emergency?: boolean;
}

export interface IvrPathMapping {
  /** Restricts the mapping to one entry point (exact or `*` prefix); absent means any. */
  entryPoint?: string;
  /** The menu options, matched as a prefix of the caller's path. */
  path: string[];
  sector: string;
  intent?: string;
  emergency?: boolean;
}

export interface ClassifierMappings {
  entryPoints: EntryPointMapping[];
  ivrPaths: IvrPathMapping[];
}

export const EMPTY_MAPPINGS: ClassifierMappings = { entryPoints: [], ivrPaths: [] };

function matchesPattern(pattern: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  return pattern.endsWith('*') ? value.startsWith(pattern.slice(0, -1)) : pattern === value;
}

/** The most specific entry-point mapping: exact beats prefix, longer prefix beats shorter, tenant-bound beats global. */
export function findEntryPointMapping(
  mappings: readonly EntryPointMapping[],
  entryPoint: string | undefined,
  tenant: string | undefined,
): EntryPointMapping | undefined {
  let best: EntryPointMapping | undefined;
  let bestScore = -1;
  for (const mapping of mappings) {
    if (mapping.tenant !== undefined && mapping.tenant !== tenant) continue;
    if (!matchesPattern(mapping.entryPoint, entryPoint)) continue;
    const exact = !mapping.entryPoint.endsWith('*');
    const score = (exact ? 1_000_000 : 0) + mapping.entryPoint.length * 2 + (mapping.tenant !== undefined ? 1 : 0);
    if (score > bestScore) {
      best = mapping;
      bestScore = score;
    }
  }
  return best;
}

/** The IVR mapping with the longest matching path prefix; entry-point-bound ones win ties. */
export function findIvrPathMapping(
  mappings: readonly IvrPathMapping[],
  entryPoint: string | undefined,
  ivrPath: readonly string[] | undefined,
): IvrPathMapping | undefined {
  if (!ivrPath || ivrPath.length === 0) return undefined;
  let best: IvrPathMapping | undefined;
  let bestScore = -1;
  for (const mapping of mappings) {
    if (mapping.entryPoint !== undefined && !matchesPattern(mapping.entryPoint, entryPoint)) continue;
    if (mapping.path.length === 0 || mapping.path.length > ivrPath.length) continue;
    if (!mapping.path.every((option, index) => ivrPath[index] === option)) continue;
    const score = mapping.path.length * 2 + (mapping.entryPoint !== undefined ? 1 : 0);
    if (score > bestScore) {
      best = mapping;
      bestScore = score;
    }
  }
  return best;
}

/** Checks an ops-edited mappings document; returns every problem, naming its place. */
export function validateMappings(document: unknown): { mappings?: ClassifierMappings; errors: string[] } {
  const errors: string[] = [];
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    return { errors: ['the mappings document must be a JSON object with "entryPoints" and "ivrPaths" arrays'] };
  }
  const doc = document as Record<string, unknown>;
  const entryPoints = doc.entryPoints ?? [];
  const ivrPaths = doc.ivrPaths ?? [];
  if (!Array.isArray(entryPoints)) errors.push('entryPoints: must be an array');
  if (!Array.isArray(ivrPaths)) errors.push('ivrPaths: must be an array');
  if (errors.length) return { errors };
  const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
  const checkTarget = (where: string, m: Record<string, unknown>) => {
    if (!isNonEmptyString(m.sector)) errors.push(`${where}.sector: must be a non-empty string`);
    if (m.intent !== undefined && !isNonEmptyString(m.intent)) errors.push(`${where}.intent: must be a non-empty string when present`);
    if (m.emergency !== undefined && typeof m.emergency !== 'boolean') errors.push(`${where}.emergency: must be true or false when present`);
  };
  (entryPoints as unknown[]).forEach((raw, i) => {
    const where = `entryPoints[${i}]`;
    if (raw === null || typeof raw !== 'object') return void errors.push(`${where}: must be an object`);
    const m = raw as Record<string, unknown>;
    if (!isNonEmptyString(m.entryPoint)) errors.push(`${where}.entryPoint: must be a non-empty string`);
    if (m.tenant !== undefined && !isNonEmptyString(m.tenant)) errors.push(`${where}.tenant: must be a non-empty string when present`);
    checkTarget(where, m);
  });
  (ivrPaths as unknown[]).forEach((raw, i) => {
    const where = `ivrPaths[${i}]`;
    if (raw === null || typeof raw !== 'object') return void errors.push(`${where}: must be an object`);
    const m = raw as Record<string, unknown>;
    if (!Array.isArray(m.path) || m.path.length === 0 || !m.path.every(isNonEmptyString)) {
      errors.push(`${where}.path: must be a non-empty array of menu options`);
    }
    if (m.entryPoint !== undefined && !isNonEmptyString(m.entryPoint)) errors.push(`${where}.entryPoint: must be a non-empty string when present`);
    checkTarget(where, m);
  });
  if (errors.length) return { errors };
  return { mappings: { entryPoints: entryPoints as EntryPointMapping[], ivrPaths: ivrPaths as IvrPathMapping[] }, errors };
}
