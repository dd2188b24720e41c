/** One signal behind a classification, as the trace shows it. */
export interface EvidenceItem {
  source: string;
  detail: string;
  weight: number;
}

/**
 * Redis keeps a hash as a compact listpack only while every value is at most
 * `hash-max-listpack-value` bytes (64 by default); one longer value turns the whole hash of a
 * waiting interaction into a hash table several times its size. The evidence therefore travels
 * to the trace in at most this many bytes. The full evidence, with every runner-up, stays on
 * the internal Kafka topic.
 */
export const COMPACT_EVIDENCE_MAX_BYTES = 64;

const SOURCE_CODES: Readonly<Record<string, string>> = { text: 't', emergency: 'e', entry_point: 'p', ivr_path: 'i', fallback: 'f' };
const SOURCE_NAMES: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(SOURCE_CODES).map(([name, code]) => [code, name]));
const ITEM_SEPARATOR = ';';
const FIELD_SEPARATOR = '|';

/** `0.94` → `.94`, `1` → `1`: two decimals are what the trace shows anyway. */
function compactWeight(weight: number): string {
  const rounded = Math.round(weight * 100) / 100;
  return String(rounded).replace(/^0\./, '.');
}

/** The detail's headline: what it names, without the parenthesised runners-up or a number at its end. */
function headline(detail: string): string {
  const cut = detail.indexOf(' (');
  return (cut < 0 ? detail : detail.slice(0, cut))
    .replace(/ \d+(\.\d+)?$/, '')
    .replaceAll(ITEM_SEPARATOR, ',')
    .replaceAll(FIELD_SEPARATOR, '/');
}

/** Cuts a string to at most `bytes` UTF-8 bytes without splitting a character. */
function cutToBytes(text: string, bytes: number): string {
  if (Buffer.byteLength(text) <= bytes) return text;
  let result = '';
  let used = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char);
    if (used + size > bytes) break;
    result += char;
    used += size;
  }
  return result;
}

/**
 * `t|.94|sector oxygen;t|.99|intent supply;e|1|risk cue "no puede respirar"`, within
 * COMPACT_EVIDENCE_MAX_BYTES. Every item keeps its source and weight (which signals decided, and
 * how much); headlines get what room is left, in the classifier's order, cut when they must be.
 */
export function compactEvidence(evidence: readonly EvidenceItem[]): string {
  const heads = evidence.map((item) => `${SOURCE_CODES[item.source] ?? item.source}${FIELD_SEPARATOR}${compactWeight(item.weight)}${FIELD_SEPARATOR}`);
  const kept: string[] = [];
  let used = 0;
  for (const head of heads) {
    const size = Buffer.byteLength(head) + (kept.length > 0 ? 1 : 0);
    if (used + size > COMPACT_EVIDENCE_MAX_BYTES) break;
    kept.push(head);
    used += size;
  }
  for (let index = 0; index < kept.length; index++) {
    const room = COMPACT_EVIDENCE_MAX_BYTES - used;
    if (room <= 0) break;
    const text = cutToBytes(headline(evidence[index].detail), room);
    kept[index] += text;
    used += Buffer.byteLength(text);
  }
  return kept.join(ITEM_SEPARATOR);
}

/** The trace's view of compact evidence: `detail` is the headline kept. */
export function expandEvidence(compact: string): EvidenceItem[] {
  if (compact === '') return [];
  return compact.split(ITEM_SEPARATOR).map((item) => {
    const [code, weight, ...detail] = item.split(FIELD_SEPARATOR);
    return { source: SOURCE_NAMES[code] ?? code, weight: Number(weight), detail: detail.join(FIELD_SEPARATOR) };
  });
}
