/**
 * Masks personal data by its shape, wherever it sits in a text: phone numbers, cédula-like ids and
 * e-mail addresses (Ley 1581 de 2012 protects them wherever they flow, not only in the fields named
 * after them). Applied to what leaves a service as text about an event: log lines and the `errors`
 * of a dead-letter record. docs/personal-data.md states the rule and its limits.
 *
 * A digit run is masked only when it stands alone. Digits glued to letters (`v1234567`, hashes),
 * joined by a hyphen to another token (`wa-5731-000981`, UUIDs), after a decimal point, or
 * longer than the shapes below (epoch milliseconds) are part of something else and stay, as do
 * numbers labelled as Kafka positions (`offset 1234567`) or followed by a unit (`1500000 ms`).
 */
export const PERSONAL_DATA_MASKS = { email: '[email]', phone: '[phone]', id: '[id]' } as const;

const WORD = String.raw`\p{L}\p{N}_`;
/** Nothing that would make the digits part of a word, an identifier or a decimal number. */
const STANDS_ALONE_BEFORE = String.raw`(?<![${WORD}$+@])(?<![${WORD}]-)(?<!\d[.,])`;
const STANDS_ALONE_AFTER = String.raw`(?![${WORD}])(?!-[${WORD}])(?![.,]\d)`;
/** One optional separator between digit groups, as people write them: 300 123 4567, 300.123.4567, 300-123-4567. */
const SEP = String.raw`[ .\-]?`;
/** Document and phone abbreviations people glue to the number: CC1023456789, C.C.1.023.456.789, tel3001234567. */
const GLUED_LABEL = String.raw`(?:(?:c\.?c|c\.?e|t\.?i|nit|pp|tel|cel)\.?(?=[\d(]))?`;

const PATTERNS: Record<string, string> = {
  // Alternatives are tried in this order at each position. An e-mail address first: its local part can look like anything below (5kb@…).
  email: String.raw`(?<![${WORD}.%+\-])[${WORD}.%+\-]+@[${WORD}\-]+(?:\.[${WORD}\-]+)*\.\p{L}[${WORD}\-]*`,
  // Kept as they are: tried before the phone and id shapes, so the digits they cover are never masked.
  labelledNumber: String.raw`\b(?:offsets?|partitions?|port|pid|attempt|generation(?:Id)?)\b[ :=#"']{0,4}\d+`,
  quantity: String.raw`(?<!\d)\d+(?:[.,]\d+)? ?(?:ms|µs|ns|sec|seconds|segundos|bytes|KiB|MiB|GiB|KB|MB|GB)(?![${WORD}])`,
  // Masked.
  // + and 7 to 15 digits, any of them grouped by one separator or parentheses: +573001234567, +57 (300) 123-4567.
  international: String.raw`\+\(?\d(?:\)?${SEP}\(?\d){6,14}(?!\d)`,
  // Colombian mobiles (3xx) and landlines (60x), ten digits, optionally after 57 or 0057.
  national: String.raw`${STANDS_ALONE_BEFORE}${GLUED_LABEL}(?:\(?(?:00)?57\)?${SEP})?\(?(?:3\d\d|60\d)\)?${SEP}\d{3}${SEP}\d{2}${SEP}\d{2}${STANDS_ALONE_AFTER}`,
  // Seven-digit local numbers written with a separator, optionally after a one-digit area code: 234 5678, (1) 234-56-78.
  local: String.raw`${STANDS_ALONE_BEFORE}(?:\(\d\)[ .\-]?|\d[ .\-])?\d{3}[ .\-]\d{2}${SEP}\d{2}${STANDS_ALONE_AFTER}`,
  // Cédula-like ids: 6 to 10 digits, plain or with thousands dots (1.023.456.789, 52.123.456), and a NIT check digit.
  id: String.raw`${STANDS_ALONE_BEFORE}${GLUED_LABEL}(?:[1-9]\.\d{3}\.\d{3}\.\d{3}|\d{1,3}\.\d{3}\.\d{3}|\d{6,10})(?:-\d)?${STANDS_ALONE_AFTER}`,
};

const PERSONAL_DATA = new RegExp(
  Object.entries(PATTERNS)
    .map(([name, pattern]) => `(?<${name}>${pattern})`)
    .join('|'),
  'giu',
);

/** Whatever holds none of these characters holds none of the shapes: most log text ends here. */
const MAY_HOLD_PERSONAL_DATA = /[\d@]/;

function maskMatch(match: string, ...rest: unknown[]): string {
  const groups = rest[rest.length - 1] as Record<string, string | undefined>;
  if (groups.email !== undefined) return PERSONAL_DATA_MASKS.email;
  if (groups.international !== undefined || groups.national !== undefined || groups.local !== undefined) return PERSONAL_DATA_MASKS.phone;
  if (groups.id !== undefined) return PERSONAL_DATA_MASKS.id;
  return match;
}

/** The text with every phone number, cédula-like id and e-mail address replaced by its mask; the same string when there is none. */
export function maskPersonalData(text: string): string {
  if (!MAY_HOLD_PERSONAL_DATA.test(text)) return text;
  return text.replace(PERSONAL_DATA, maskMatch);
}
