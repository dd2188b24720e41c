import { join } from 'node:path';
import { findRepositoryRoot, readLabelledPaths } from '../corpus/corpus-files';
import { normalizeText } from '../text/normalizer';
import { CueAnchorIndex, anchorsOf, expandCueSource } from './cue-anchors';
import { RISK_CUES } from './risk-cues';

describe('expandCueSource', () => {
  it('expands groups, options, alternatives, small classes and bounded repetition', () => {
    expect(expandCueSource('no (?:puede|puedo) respirar')).toEqual(['no puede respirar', 'no puedo respirar']);
    expect(expandCueSource('herid[oa]s?')).toEqual(['herido', 'heridos', 'herida', 'heridas']);
    expect(expandCueSource('(?:muy )?mal')).toEqual(['mal', 'muy mal']);
    expect(expandCueSource('a(?: b){0,2}')).toEqual(['a', 'a b', 'a b b']);
    expect(expandCueSource('4[0-2]')).toEqual(['40', '41', '42']);
  });

  it('writes an open run of letters as *', () => {
    expect(expandCueSource('desatur[a-z]*|convulsi[a-z]+')).toEqual(['desatur*', 'convulsi*']);
  });

  it('refuses syntax outside the subset the cues use', () => {
    expect(() => expandCueSource('(?!no )respira')).toThrow();
    expect(() => expandCueSource('a\\b')).toThrow();
    expect(() => expandCueSource('(?:ab)+')).toThrow();
  });
});

describe('anchorsOf', () => {
  it('takes the longest whole word of each expansion', () => {
    expect(anchorsOf('no (?:esta )?respira(?:ndo)?')).toEqual({ words: ['respira', 'respirando'], prefixes: [] });
  });

  it('takes the letters before an open run when no whole word is long enough', () => {
    expect(anchorsOf('se desmay[a-z]*')).toEqual({ words: [], prefixes: ['desmay'] });
  });

  it('has none for a source it cannot read, so that the cue is scanned always', () => {
    expect(anchorsOf('(?=x)abc')).toBeUndefined();
    expect(new CueAnchorIndex(['(?=x)abc', 'respira']).unanchored).toEqual([0]);
    expect(new CueAnchorIndex(['(?=x)abc', 'respira']).scanWindows('hola').starts[0]).toBe(0);
  });
});

describe('CueAnchorIndex over the risk cues', () => {
  const index = new CueAnchorIndex(RISK_CUES.map(({ source }) => source));

  it('anchors every cue (none is left to scan on every message)', () => {
    expect(index.unanchored.map((cue) => RISK_CUES[cue].source)).toEqual([]);
  });

  it('expands each cue into strings its own pattern matches, and flags the cue for each of them, alone or among other words', () => {
    let checked = 0;
    RISK_CUES.forEach((cue, position) => {
      const expansions = expandCueSource(cue.source);
      const step = Math.max(1, Math.floor(expansions.length / 200));
      for (let at = 0; at < expansions.length; at += step) {
        const text = expansions[at].replaceAll('*', 'x');
        const inContext = `buenas tardes ${text} por favor ayuda`;
        cue.pattern.lastIndex = 0;
        const matches = cue.pattern.test(inContext);
        const flagged = index.scanWindows(inContext).starts[position] >= 0;
        if (!matches || !flagged) throw new Error(`cue ${position} (${cue.source}): "${text}" matches ${matches}, flagged ${flagged}`);
        checked += 1;
      }
    });
    expect(checked).toBeGreaterThan(RISK_CUES.length);
  });

  it('never leaves out a cue whose pattern matches, nor a match of it outside its scan window, over every training and development text in the repository', () => {
    const corpus = join(findRepositoryRoot(__dirname), 'libs', 'classification', 'corpus');
    const texts = readLabelledPaths(
      ['train', 'dev', 'holdout', 'holdout-2', 'hard-dev', 'hard-dev-2', 'hard-dev-3', 'hard-dev-4', 'hard-dev-5', 'hard-dev-6', 'hard-dev-7'].map((dir) =>
        join(corpus, dir),
      ),
    ).utterances.map((u) => normalizeText(u.text));
    expect(texts.length).toBeGreaterThan(1000);
    const allMatches = (pattern: RegExp, text: string, from: number): number[] => {
      pattern.lastIndex = from;
      const found: number[] = [];
      for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) found.push(match.index);
      return found;
    };
    const wrong: string[] = [];
    let matched = 0;
    let skipped = 0;
    let narrowed = 0;
    for (const text of texts) {
      const { starts, ends } = index.scanWindows(text);
      RISK_CUES.forEach((cue, position) => {
        const everywhere = allMatches(cue.pattern, text, 0);
        if (starts[position] < 0) {
          skipped += 1;
          if (everywhere.length > 0) wrong.push(`left out: ${cue.source} in "${text}"`);
          return;
        }
        if (everywhere.length > 0) matched += 1;
        if (starts[position] > 0 || ends[position] < text.length) narrowed += 1;
        const inWindow = allMatches(cue.pattern, text.slice(0, ends[position]), starts[position]);
        if (inWindow.join() !== everywhere.join())
          wrong.push(`window [${starts[position]}, ${ends[position]}) finds ${inWindow} not ${everywhere}: ${cue.source} in "${text}"`);
      });
    }
    expect(wrong).toEqual([]);
    expect(matched).toBeGreaterThan(100);
    expect(narrowed).toBeGreaterThan(100);
    // The point of the anchors: most (text, cue) pairs are never scanned.
    expect(skipped / (texts.length * RISK_CUES.length)).toBeGreaterThan(0.95);
  });
});
