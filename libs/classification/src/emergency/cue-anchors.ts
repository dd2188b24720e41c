/**
 * Anchor words for the risk cues: for each cue, a few words of which every match of its pattern
 * contains at least one, so that a message is scanned only with the cues whose anchors it holds.
 *
 * Why: one regular expression per cue, or their union, is tried at every word boundary of the
 * message, and most words start some alternative ("no", "se", "le"). With the anchors, a message
 * costs one look-up per word, and a pattern runs only when its rarer words are there.
 *
 * The anchors are derived from the cue sources themselves (never written by hand, so they cannot
 * drift from the patterns): each source is expanded into every string it can match, with `*`
 * standing for an open run of letters (`[a-z]*`, `[a-z]+`), and each expansion gives its longest
 * whole word, or the letters before a `*` ("desatur*" → words starting with "desatur"). A source
 * this parser does not understand, or with too many expansions, has no anchors: it is then
 * scanned on every message, which is slower and never wrong.
 */

/** Stands for a run of letters of any length inside an expansion; never in normalised text. */
const WILDCARD = '*';
/** Beyond this many expansions a cue is left without anchors (scanned always). */
const MAX_EXPANSIONS = 20_000;
/** Shorter anchors would match too many words to filter anything. */
const MIN_ANCHOR_LENGTH = 3;
/** A character class wider than this is an open run of letters, not a few alternatives to expand. */
const MAX_EXPANDED_CLASS = 10;

export interface CueAnchors {
  /** Whole words: a message holding one of them may match. */
  words: readonly string[];
  /** Word beginnings: a message with a word starting with one of them may match. */
  prefixes: readonly string[];
}

class UnsupportedSource extends Error {}

/** Every string the source can match, `*` for open runs of letters; throws UnsupportedSource beyond the subset the cues use. */
export function expandCueSource(source: string): string[] {
  let position = 0;
  const peek = (): string | undefined => source[position];

  const limit = (strings: string[]): string[] => {
    if (strings.length > MAX_EXPANSIONS) throw new UnsupportedSource(`more than ${MAX_EXPANSIONS} expansions`);
    return strings;
  };
  const concatenate = (heads: string[], tails: string[]): string[] => limit(heads.flatMap((head) => tails.map((tail) => head + tail)));

  const alternation = (): string[] => {
    const strings = sequence();
    while (peek() === '|') {
      position += 1;
      strings.push(...sequence());
    }
    return limit(strings);
  };

  const sequence = (): string[] => {
    let strings = [''];
    while (position < source.length && peek() !== '|' && peek() !== ')') strings = concatenate(strings, quantified());
    return strings;
  };

  const quantified = (): string[] => {
    const { strings, open } = atom();
    const quantifier = peek();
    if (quantifier === '?') {
      position += 1;
      return ['', ...strings];
    }
    if (quantifier === '*' || quantifier === '+') {
      position += 1;
      if (!open) throw new UnsupportedSource(`unbounded repetition of a group at ${position}`);
      return [WILDCARD];
    }
    if (quantifier === '{') {
      const closing = source.indexOf('}', position);
      const bounds = /^\{(\d+),(\d+)\}$/.exec(source.slice(position, closing + 1));
      if (!bounds) throw new UnsupportedSource(`repetition ${source.slice(position, closing + 1)}`);
      position = closing + 1;
      const [min, max] = [Number(bounds[1]), Number(bounds[2])];
      const repeated: string[] = [];
      let power = [''];
      for (let count = 0; count <= max; count += 1) {
        if (count >= min) repeated.push(...power);
        power = concatenate(power, strings);
      }
      return limit(repeated);
    }
    return strings;
  };

  const atom = (): { strings: string[]; open: boolean } => {
    const character = peek();
    if (character === '(') {
      if (source.slice(position, position + 3) !== '(?:') throw new UnsupportedSource(`group other than (?: at ${position}`);
      position += 3;
      const strings = alternation();
      if (peek() !== ')') throw new UnsupportedSource(`unclosed group at ${position}`);
      position += 1;
      return { strings, open: false };
    }
    if (character === '[') {
      const closing = source.indexOf(']', position);
      if (closing < 0) throw new UnsupportedSource(`unclosed class at ${position}`);
      const members = classMembers(source.slice(position + 1, closing));
      position = closing + 1;
      return members.length > MAX_EXPANDED_CLASS ? { strings: [WILDCARD], open: true } : { strings: members, open: false };
    }
    if (character === undefined || '\\.^$)|*+?{}'.includes(character)) throw new UnsupportedSource(`'${character ?? 'end'}' at ${position}`);
    position += 1;
    return { strings: [character], open: false };
  };

  const strings = alternation();
  if (position !== source.length) throw new UnsupportedSource(`unexpected '${peek()}' at ${position}`);
  return strings;
}

function classMembers(body: string): string[] {
  if (body.startsWith('^') || body.includes('\\')) throw new UnsupportedSource(`class [${body}]`);
  const members: string[] = [];
  for (let index = 0; index < body.length; index += 1) {
    if (body[index + 1] === '-' && index + 2 < body.length) {
      for (let code = body.charCodeAt(index); code <= body.charCodeAt(index + 2); code += 1) members.push(String.fromCharCode(code));
      index += 2;
    } else members.push(body[index]);
  }
  return members;
}

/** Every string the source can match, or undefined for a source outside the subset this parser reads. */
function expansionsOf(source: string): string[] | undefined {
  try {
    return expandCueSource(source);
  } catch (error) {
    if (error instanceof UnsupportedSource) return undefined;
    throw error;
  }
}

/** The anchors of one cue source, or undefined when it has none (it must then be scanned on every message). */
export function anchorsOf(source: string): CueAnchors | undefined {
  const expansions = expansionsOf(source);
  return expansions && anchorsOfExpansions(expansions);
}

function anchorsOfExpansions(expansions: readonly string[]): CueAnchors | undefined {
  const words = new Set<string>();
  const prefixes = new Set<string>();
  for (const expansion of expansions) {
    const tokens = expansion.split(' ').filter((token) => token.length > 0);
    const whole = longest(tokens.filter((token) => !token.includes(WILDCARD)));
    if (whole !== undefined && whole.length >= MIN_ANCHOR_LENGTH) {
      words.add(whole);
      continue;
    }
    const prefix = longest(tokens.map((token) => (token.includes(WILDCARD) ? token.slice(0, token.indexOf(WILDCARD)) : '')));
    if (prefix !== undefined && prefix.length >= MIN_ANCHOR_LENGTH) prefixes.add(prefix);
    else if (whole !== undefined && whole.length > 0) words.add(whole);
    else return undefined;
  }
  return { words: [...words], prefixes: [...prefixes] };
}

function longest(tokens: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const token of tokens) if (best === undefined || token.length > best.length) best = token;
  return best;
}

/** What a whole-word pattern's \b sees as word characters: [A-Za-z0-9_]. */
function isWordCharacter(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95;
}

const UNBOUNDED = 2 ** 31 - 1;
/** Lower-case letters, digits and spaces only: splitting at spaces gives exactly the words \b sees. */
const NORMALISED = /^[a-z0-9 ]*$/;

/** The end of the word at `position` (or `position` itself when it is not inside a word). */
function wordEndAtOrAfter(text: string, position: number): number {
  let end = position;
  while (end < text.length && isWordCharacter(text.charCodeAt(end))) end += 1;
  return end;
}

/** The length of the longest expansion, or UNBOUNDED when one has an open run of letters. */
function longestOf(expansions: readonly string[]): number {
  let longest = 0;
  for (const expansion of expansions) {
    if (expansion.includes(WILDCARD)) return UNBOUNDED;
    longest = Math.max(longest, expansion.length);
  }
  return longest;
}

/**
 * Which of a list of cue sources a text may match, and from where: every source whose pattern
 * matches the text is among the candidates (the anchors are a necessary condition), most others
 * are not, and each is scanned from near its first anchor word.
 */
export class CueAnchorIndex {
  private readonly byWord = new Map<string, number[]>();
  private readonly alwaysScanned: number[] = [];
  /** The prefixes by their first letters: a word costs one look-up, and a startsWith per prefix sharing them. */
  private readonly prefixesByHead = new Map<string, { prefix: string; cues: number[] }[]>();
  private readonly cuesOfWord = new Map<string, readonly number[]>();
  /** Per cue, the length of its longest match; unbounded (an open run of letters) as the largest int32. */
  private readonly longestMatch: Int32Array;
  readonly size: number;

  constructor(sources: readonly string[]) {
    this.size = sources.length;
    this.longestMatch = new Int32Array(sources.length);
    const prefixCues = new Map<string, number[]>();
    sources.forEach((source, cue) => {
      const expansions = expansionsOf(source);
      const anchors = expansions && anchorsOfExpansions(expansions);
      this.longestMatch[cue] = expansions ? longestOf(expansions) : UNBOUNDED;
      if (!anchors) {
        this.alwaysScanned.push(cue);
        return;
      }
      for (const word of anchors.words) pushTo(this.byWord, word, cue);
      for (const prefix of anchors.prefixes) pushTo(prefixCues, prefix, cue);
    });
    for (const [prefix, cues] of prefixCues) {
      const head = prefix.slice(0, MIN_ANCHOR_LENGTH);
      const bucket = this.prefixesByHead.get(head);
      if (bucket) bucket.push({ prefix, cues });
      else this.prefixesByHead.set(head, [{ prefix, cues }]);
    }
  }

  /** Sources left without anchors: scanned on every text. */
  get unanchored(): readonly number[] {
    return this.alwaysScanned;
  }

  /**
   * Where each cue's pattern must be scanned in the text: `starts[cue]` is -1 when the pattern
   * cannot match, else a position before which no match can start; `ends[cue]` a position after
   * which none can end, at a word's end. A match holds an anchor word, so it starts at most the
   * pattern's longest match before the first anchor and ends at most that far after the last: a
   * long message is scanned around the cue's words, not from its first letter to its last.
   */
  scanWindows(text: string): { starts: Int32Array; ends: Int32Array } {
    const starts = new Int32Array(this.size).fill(-1);
    const ends = new Int32Array(this.size);
    for (const cue of this.alwaysScanned) {
      starts[cue] = 0;
      ends[cue] = text.length;
    }
    const visit = (word: string, wordStart: number): void => {
      const cues = this.cuesOf(word);
      for (let index = 0; index < cues.length; index += 1) {
        const cue = cues[index];
        const longest = this.longestMatch[cue];
        if (starts[cue] === -1) starts[cue] = Math.max(0, wordStart - longest);
        ends[cue] = longest === UNBOUNDED ? text.length : wordEndAtOrAfter(text, Math.min(text.length, wordStart + longest));
      }
    };
    if (NORMALISED.test(text)) {
      // Normalised text (the classifier's): words are what lies between single spaces.
      let wordStart = 0;
      for (const word of text.split(' ')) {
        if (word.length > 0) visit(word, wordStart);
        wordStart += word.length + 1;
      }
    } else {
      let position = 0;
      while (position < text.length) {
        while (position < text.length && !isWordCharacter(text.charCodeAt(position))) position += 1;
        const wordStart = position;
        while (position < text.length && isWordCharacter(text.charCodeAt(position))) position += 1;
        if (position > wordStart) visit(text.slice(wordStart, position), wordStart);
      }
    }
    return { starts, ends };
  }

  /** The cues a word is an anchor of, remembered: most words of a message were seen in earlier ones. */
  private cuesOf(word: string): readonly number[] {
    let cues = this.cuesOfWord.get(word);
    if (cues !== undefined) return cues;
    const found = new Set<number>(this.byWord.get(word) ?? NONE);
    if (word.length >= MIN_ANCHOR_LENGTH) {
      for (const { prefix, cues: ofPrefix } of this.prefixesByHead.get(word.slice(0, MIN_ANCHOR_LENGTH)) ?? []) {
        if (word.startsWith(prefix)) for (const cue of ofPrefix) found.add(cue);
      }
    }
    cues = found.size === 0 ? NONE : [...found];
    if (this.cuesOfWord.size >= WORD_MEMO_LIMIT) this.cuesOfWord.clear();
    this.cuesOfWord.set(word, cues);
    return cues;
  }
}

const NONE: readonly number[] = [];
/** Words remembered with their cues before the memo starts again: far more than a day's vocabulary, a few MB at most. */
const WORD_MEMO_LIMIT = 50_000;

function pushTo(map: Map<string, number[]>, key: string, cue: number): void {
  const cues = map.get(key);
  if (!cues) map.set(key, [cue]);
  else if (cues[cues.length - 1] !== cue) cues.push(cue);
}
