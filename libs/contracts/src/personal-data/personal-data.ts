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
/** One optional separator between digit groups, as people write them: 300 123 4567, 300.123.4567, 300-123-4567. */
const SEP = String.raw`[ .\-]?`;

/** Tried first, in a pass of its own: its local part can look like any shape below (5kb@…, 3001234567@…). */
const EMAIL = new RegExp(String.raw`(?<![${WORD}.%+\-])[${WORD}.%+\-]+@[${WORD}\-]+(?:\.[${WORD}\-]+)*\.\p{L}[${WORD}\-]*`, 'gu');

/** Kept as they are: tried first at a position, so the digits they cover are never masked. */
const KEPT = {
  quantity: String.raw`\d+(?:[.,]\d+)? ?(?:ms|µs|ns|sec|seconds|segundos|bytes|KiB|MiB|GiB|KB|MB|GB)(?![${WORD}])`,
};
const PHONE_INTERNATIONAL = {
  // + and 7 to 15 digits, any of them grouped by one separator or parentheses: +573001234567, +57 (300) 123-4567.
  international: String.raw`\+\(?\d(?:\)?${SEP}\(?\d){6,14}(?!\d)`,
};
/** Shapes that must stand alone (STANDS_ALONE_BEFORE / _AFTER). */
const STANDING_ALONE = {
  // Colombian mobiles (3xx) and landlines (60x), ten digits, optionally after 57 or 0057.
  national: String.raw`(?:\(?(?:00)?57\)?${SEP})?\(?(?:3\d\d|60\d)\)?${SEP}\d{3}${SEP}\d{2}${SEP}\d{2}`,
  // Seven-digit local numbers written with a separator, optionally after a one-digit area code: 234 5678, (1) 234-56-78.
  local: String.raw`(?:\(\d\)[ .\-]?|\d[ .\-])?\d{3}[ .\-]\d{2}${SEP}\d{2}`,
  // Cédula-like ids: 6 to 10 digits, plain or with thousands dots (1.023.456.789, 52.123.456), and a NIT check digit.
  id: String.raw`(?:[1-9]\.\d{3}\.\d{3}\.\d{3}|\d{1,3}\.\d{3}\.\d{3}|\d{6,10})(?:-\d)?`,
};

/** Document and phone abbreviations people glue to the number: CC1023456789, C.C.1.023.456.789, tel3001234567. The label stays. */
const AFTER_GLUED_LABEL = String.raw`(?<=(?<![${WORD}])(?:c\.?c|c\.?e|t\.?i|nit|pp|tel|cel)\.?)`;
/** Numbers labelled as Kafka positions or process details: offset 1234567, "partition":12. */
const NOT_LABELLED = String.raw`(?<!\b(?:offsets?|partitions?|port|pid|attempt|generation(?:Id)?)\b[ :=#"']{0,4})`;
/** Nothing that would make the digits part of a word, an identifier or a decimal number. */
const STANDS_ALONE_BEFORE = String.raw`(?:(?<![${WORD}$+@])(?<![${WORD}]-)(?<!\d[.,])|${AFTER_GLUED_LABEL})${NOT_LABELLED}`;
const STANDS_ALONE_AFTER = String.raw`(?![${WORD}])(?!-[${WORD}])(?![.,]\d)`;

const alternatives = (shapes: Record<string, string>) =>
  Object.entries(shapes)
    .map(([name, pattern]) => `(?<${name}>${pattern})`)
    .join('|');
/**
 * Every shape starts with a digit, `(` or `+`, never inside a digit run: the engine gives up at any
 * other position after one look, which keeps a long stack trace cheap to scan.
 */
const NUMBER = new RegExp(
  String.raw`(?<!\d)(?=[\d(+])(?:${alternatives(KEPT)}|${alternatives(PHONE_INTERNATIONAL)}|${STANDS_ALONE_BEFORE}(?:${alternatives(STANDING_ALONE)})${STANDS_ALONE_AFTER})`,
  'giu',
);

function maskNumber(match: string, ...rest: unknown[]): string {
  const groups = rest[rest.length - 1] as Record<string, string | undefined>;
  if (groups.id !== undefined) return PERSONAL_DATA_MASKS.id;
  if (groups.quantity !== undefined) return match;
  return PERSONAL_DATA_MASKS.phone;
}

const HAS_DIGIT = /\d/;

/** The text with every phone number, cédula-like id and e-mail address replaced by its mask; the same string when there is none. */
export function maskPersonalData(text: string): string {
  const withoutEmail = text.includes('@') ? text.replace(EMAIL, PERSONAL_DATA_MASKS.email) : text;
  // Most log text has no digit at all and ends here, as the same string.
  return HAS_DIGIT.test(withoutEmail) ? withoutEmail.replace(NUMBER, maskNumber) : withoutEmail;
}
