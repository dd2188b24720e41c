// The contracts index also exports the decorated wire classes (class-validator, Nest Swagger);
// the core reads only the plain sector table, so it imports that module directly.
import { DEFAULT_SECTOR_INTENTS, OTHER_INTENT, UNCLASSIFIED_INTENT, UNCLASSIFIED_SECTOR } from '../../../contracts/src/sectors';

export { OTHER_INTENT, UNCLASSIFIED_INTENT, UNCLASSIFIED_SECTOR };

/** One labelled training or evaluation utterance (the corpus and dev-set line format). */
export interface LabelledUtterance {
  text: string;
  sector: string;
  /** Empty for `unclassified`. */
  intent: string;
  emergency: boolean;
  /**
   * Evaluation sets name the family each line belongs to (its writing style and the trap it sets),
   * so accuracy can be reported per family. Training ignores them.
   */
  families?: UtteranceFamilies;
}

export interface UtteranceFamilies {
  style?: string;
  trap?: string;
  language?: string;
}

/** An utterance of an extension; its sector is the one it is listed under. */
export interface ExtensionUtterance {
  text: string;
  intent: string;
  emergency?: boolean;
}

export interface ExtensionSector {
  /** New sector name (`telecom`), or an existing one to add intents and examples to. */
  sector: string;
  intents: string[];
  utterances: ExtensionUtterance[];
}

/** An operator's document adding sectors, their intents and training utterances. */
export interface TaxonomyExtension {
  sectors: ExtensionSector[];
}

/** Sector → its intents, in a stable order. */
export type Taxonomy = ReadonlyMap<string, readonly string[]>;

export function defaultTaxonomy(): Map<string, readonly string[]> {
  return new Map(Object.entries(DEFAULT_SECTOR_INTENTS).map(([sector, intents]) => [sector, [...intents]]));
}

/** Default sectors and intents, with every extension's sectors added and intents merged in. */
export function buildTaxonomy(extensions: readonly TaxonomyExtension[] = []): Taxonomy {
  const taxonomy = defaultTaxonomy();
  for (const extension of extensions) {
    for (const { sector, intents } of extension.sectors) {
      const known = taxonomy.get(sector) ?? [];
      taxonomy.set(sector, [...known, ...intents.filter((intent) => !known.includes(intent))]);
    }
  }
  return taxonomy;
}

/** The extensions' utterances in corpus form, in document order. */
export function extensionUtterances(extensions: readonly TaxonomyExtension[]): LabelledUtterance[] {
  return extensions.flatMap((extension) =>
    extension.sectors.flatMap(({ sector, utterances }) => utterances.map((u) => ({ text: u.text, sector, intent: u.intent, emergency: u.emergency ?? false }))),
  );
}

const NAME_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * Checks an extension document and returns it typed. Throws an Error naming the first bad field
 * (`sectors[0].utterances[3].intent: "roaming" is not one of telecom's intents`).
 */
export function parseTaxonomyExtension(document: unknown, source = 'taxonomy extension'): TaxonomyExtension {
  const fail = (where: string, problem: string): never => {
    throw new Error(`${source}: ${where}: ${problem}`);
  };
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    fail('(document)', 'must be a JSON object with a "sectors" array');
  }
  const sectorsRaw = (document as Record<string, unknown>).sectors;
  if (!Array.isArray(sectorsRaw) || sectorsRaw.length === 0) fail('sectors', 'must be a non-empty array');
  const defaults = defaultTaxonomy();
  const seenSectors = new Set<string>();
  const sectors = (sectorsRaw as unknown[]).map((raw, s): ExtensionSector => {
    const where = `sectors[${s}]`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(where, 'must be an object');
    const entry = raw as Record<string, unknown>;
    const sector = entry.sector;
    if (typeof sector !== 'string' || !NAME_PATTERN.test(sector)) {
      fail(`${where}.sector`, 'must be a lower-case name of letters, digits and "_" (like "telecom")');
    }
    const sectorName = sector as string;
    if (sectorName === UNCLASSIFIED_SECTOR) fail(`${where}.sector`, '"unclassified" is the fallback and cannot be extended');
    if (seenSectors.has(sectorName)) fail(`${where}.sector`, `"${sectorName}" is listed twice`);
    seenSectors.add(sectorName);

    const intentsRaw = entry.intents;
    if (!Array.isArray(intentsRaw)) fail(`${where}.intents`, 'must be an array of intent names');
    const intents = (intentsRaw as unknown[]).map((intent, i) => {
      if (typeof intent !== 'string' || !NAME_PATTERN.test(intent)) {
        fail(`${where}.intents[${i}]`, 'must be a lower-case name of letters, digits and "_"');
      }
      return intent as string;
    });
    const allowedIntents = new Set([...(defaults.get(sectorName) ?? []), ...intents]);
    if (allowedIntents.size === 0) fail(`${where}.intents`, `a new sector needs at least one intent`);

    const utterancesRaw = entry.utterances ?? [];
    if (!Array.isArray(utterancesRaw)) fail(`${where}.utterances`, 'must be an array');
    const utterances = (utterancesRaw as unknown[]).map((rawUtterance, u): ExtensionUtterance => {
      const uWhere = `${where}.utterances[${u}]`;
      if (rawUtterance === null || typeof rawUtterance !== 'object' || Array.isArray(rawUtterance)) fail(uWhere, 'must be an object');
      const utterance = rawUtterance as Record<string, unknown>;
      if (typeof utterance.text !== 'string' || utterance.text.trim().length === 0) fail(`${uWhere}.text`, 'must be a non-empty string');
      if (typeof utterance.intent !== 'string' || !allowedIntents.has(utterance.intent)) {
        fail(`${uWhere}.intent`, `${JSON.stringify(utterance.intent)} is not one of ${sectorName}'s intents (${[...allowedIntents].join(', ')})`);
      }
      if (utterance.emergency !== undefined && typeof utterance.emergency !== 'boolean') {
        fail(`${uWhere}.emergency`, 'must be true or false when present');
      }
      return { text: utterance.text as string, intent: utterance.intent as string, emergency: (utterance.emergency as boolean | undefined) ?? false };
    });
    return { sector: sectorName, intents, utterances };
  });
  return { sectors };
}

/**
 * Checks one corpus or dev-set line. Returns the utterance, or a message naming the bad field.
 * `taxonomy` (when given) also requires a known sector and one of its intents.
 */
export function parseLabelledUtterance(value: unknown, taxonomy?: Taxonomy): LabelledUtterance | string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'must be a JSON object';
  const line = value as Record<string, unknown>;
  if (typeof line.text !== 'string') return 'text: must be a string';
  if (typeof line.sector !== 'string' || line.sector.length === 0) return 'sector: must be a non-empty string';
  const intent = line.intent ?? '';
  if (typeof intent !== 'string') return 'intent: must be a string';
  if (typeof line.emergency !== 'boolean') return 'emergency: must be true or false';
  if (taxonomy) {
    const intents = taxonomy.get(line.sector);
    if (!intents) return `sector: "${line.sector}" is not a known sector`;
    const intentIsValid = line.sector === UNCLASSIFIED_SECTOR ? intent === '' || intent === UNCLASSIFIED_INTENT : intents.includes(intent);
    if (!intentIsValid) return `intent: "${intent}" is not one of ${line.sector}'s intents`;
  }
  const utterance: LabelledUtterance = {
    text: line.text,
    sector: line.sector,
    intent: line.sector === UNCLASSIFIED_SECTOR ? '' : intent,
    emergency: line.emergency,
  };
  const families: UtteranceFamilies = {};
  for (const key of ['style', 'trap', 'language'] as const) {
    const value = line[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.length === 0) return `${key}: must be a non-empty string when present`;
    families[key] = value;
  }
  if (Object.keys(families).length > 0) utterance.families = families;
  return utterance;
}
