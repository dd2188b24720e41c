/**
 * Text normalisation for Colombian-Spanish customer messages and IVR speech transcripts.
 *
 * Customers write "xq no me llega el oxijeno porfaaa" and speech-to-text gives "eh aló sí este
 * mire es que…". Before any model sees the text we remove what carries no meaning for routing
 * (accents, case, punctuation, stretched letters, voice fillers) and expand the chat
 * abbreviations into the words the training corpus uses, so that both spellings land on the
 * same features.
 */

/**
 * Chat and SMS shorthand → the words they stand for. Keys are already normalised (no accents,
 * lower case, stretched letters squeezed) because the lookup happens after that step.
 */
const ABBREVIATIONS: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  // "por qué" / "porque": the distinction does not matter for routing.
  ...['xq', 'pq', 'porq', 'xk', 'pk', 'xke', 'pke', 'xqe', 'pqe'].map((k) => [k, ['porque']] as const),
  ...['q', 'k', 'ke', 'qe'].map((k) => [k, ['que']] as const),
  ...['porfa', 'porfis', 'porfi', 'porfavor', 'xfa', 'xfavor', 'xfvr', 'pf', 'plis', 'pls', 'plz'].map((k) => [k, ['por', 'favor']] as const),
  ...['tb', 'tmb', 'tbn', 'tbm', 'tambn'].map((k) => [k, ['tambien']] as const),
  ...['grax', 'grx', 'grcs', 'grs', 'gracia'].map((k) => [k, ['gracias']] as const),
  ...['msj', 'mjs', 'mje', 'mensj'].map((k) => [k, ['mensaje']] as const),
  ['x', ['por']],
  ['xa', ['para']],
  ['pa', ['para']],
  ['d', ['de']],
  ['dl', ['del']],
  ['c', ['se']],
  ['n', ['en']],
  ['cel', ['celular']],
  ['tel', ['telefono']],
  ['info', ['informacion']],
  ['dr', ['doctor']],
  ['dra', ['doctora']],
  ['ud', ['usted']],
  ['uds', ['ustedes']],
  ['sr', ['senor']],
  ['sra', ['senora']],
  ['bn', ['bien']],
  ['bno', ['bueno']],
  ['mxo', ['mucho']],
  ['aki', ['aqui']],
  ['aka', ['aca']],
  ['nd', ['nada']],
  ['vdd', ['verdad']],
  ['ola', ['hola']],
  ['toy', ['estoy']],
  ['tamos', ['estamos']],
  ['hrs', ['horas']],
  ['apto', ['apartamento']],
  ['hno', ['hermano']],
  ['hna', ['hermana']],
  ['tdc', ['tarjeta', 'de', 'credito']],
  ['salu2', ['saludos']],
]);

/**
 * Voice-transcript and chat fillers: hesitations, "aló", laughter. They appear in every sector
 * and would otherwise make a bare "aló, aló" look like content.
 */
const FILLERS: ReadonlySet<string> = new Set(['eh', 'em', 'ehm', 'mm', 'm', 'hm', 'mmm', 'ah', 'uh', 'aja', 'alo', 'este', 'pues', 'osea', 'digamos', 'ujum']);
const LAUGHTER = /^(?:j[aeiou]){2,}j?$/;

const HAS_DOUBLE_LETTER = /([a-z])\1/;
// Anything outside printable ASCII may carry an accent or be an upper-case letter with one.
const NEEDS_UNICODE_FOLDING = /[^\x20-\x7e]/;

/** Letters that Spanish legitimately doubles (acción, llamar, carro, innovar, leer, cooperar). */
const LEGITIMATE_DOUBLES = 'clrneo';

/** "holaaaa" → "hola", "carrrro" → "carro", "ayudaa" → "ayuda", but "llamar" and "leer" survive. */
export function squeezeRepeatedLetters(word: string): string {
  if (!HAS_DOUBLE_LETTER.test(word)) return word;
  return word
    .replace(/([a-z])\1{2,}/g, (_run, letter: string) => (letter === 'r' || letter === 'l' ? letter + letter : letter))
    .replace(/([a-z])\1/g, (pair, letter: string) => (LEGITIMATE_DOUBLES.includes(letter) ? pair : letter));
}

/** Lower case without accents or diacritics: "Oxígeno" → "oxigeno", "Ñoño" → "nono". */
export function foldAccentsAndCase(text: string): string {
  if (!NEEDS_UNICODE_FOLDING.test(text)) return text.toLowerCase();
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/**
 * The words of a message, normalised: folded, split on anything that is not a letter or digit,
 * letters split from digits ("covid19" → "covid 19"), squeezed, abbreviations expanded, fillers
 * dropped. Numbers stay as words of digits: the models ignore them, but "saturando 81" is a risk
 * cue. (nlp.js's TokenizerEs splits on a fixed list of punctuation and would keep
 * "oxígeno-dependiente" or "85%" as one token; here anything but a letter or digit separates.)
 */
export function normalizeToWords(text: string): string[] {
  const words: string[] = [];
  for (const token of foldedTokensOf(text)) pushWordsOfToken(token, words);
  return words;
}

/**
 * The first step of {@link normalizeToWords}: the message folded and split on anything that is
 * not a letter or digit. Every token is a non-empty run of [a-z0-9]. (A scan by character code:
 * what `split(/[^a-z0-9]+/)` gives, without its empty tokens, at a fraction of its cost.)
 */
export function foldedTokensOf(text: string): string[] {
  const folded = foldAccentsAndCase(text);
  const tokens: string[] = [];
  let start = -1;
  for (let i = 0; i < folded.length; i += 1) {
    const inToken = isLowerCaseLetterOrDigit(folded.charCodeAt(i));
    if (inToken && start < 0) start = i;
    else if (!inToken && start >= 0) {
      tokens.push(folded.slice(start, i));
      start = -1;
    }
  }
  if (start >= 0) tokens.push(folded.slice(start));
  return tokens;
}

function isLowerCaseLetterOrDigit(charCode: number): boolean {
  return (charCode >= 0x61 && charCode <= 0x7a) || isDigit(charCode);
}

/**
 * The second step of {@link normalizeToWords}: appends the words one folded token stands for
 * (none for a filler, several for "tdc" or "covid19"). Depends on the token alone, so callers
 * that see the same tokens over and over can keep the result.
 */
export function pushWordsOfToken(token: string, words: string[]): void {
  const squeezed = squeezeRepeatedLetters(token);
  // Shorthand that mixes digits ("salu2") first; otherwise "covid19" → "covid" + "19" (most
  // tokens are all letters or all digits and skip the split, which costs more than the rest).
  if (ABBREVIATIONS.has(squeezed) || !mixesLettersAndDigits(squeezed)) pushWord(squeezed, words);
  else for (const part of squeezed.split(/(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])/)) pushWord(part, words);
}

function pushWord(word: string, words: string[]): void {
  if (word.length === 0 || FILLERS.has(word) || LAUGHTER.test(word)) return;
  const expansion = ABBREVIATIONS.get(word);
  if (expansion) words.push(...expansion);
  else words.push(word);
}

/** Whether splitting letters from digits would cut the token (most tokens are all letters). */
function mixesLettersAndDigits(token: string): boolean {
  const firstIsDigit = isDigit(token.charCodeAt(0));
  for (let i = 1; i < token.length; i += 1) if (isDigit(token.charCodeAt(i)) !== firstIsDigit) return true;
  return false;
}

function isDigit(charCode: number): boolean {
  return charCode >= 0x30 && charCode <= 0x39;
}

/** The normalised message as one string (what the models and the bench baseline see). */
export function normalizeText(text: string): string {
  return normalizeToWords(text).join(' ');
}
