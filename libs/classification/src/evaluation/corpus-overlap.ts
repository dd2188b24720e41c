import { normalizeText } from '../text/normalizer';

/** How close one evaluation line comes to the training corpus, by the words they share. */
export interface NearestCorpusLine {
  text: string;
  nearest: string;
  /** Jaccard similarity of the two lines' sets of normalised words, 0..1. */
  similarity: number;
}

export interface CorpusOverlapReport {
  lines: number;
  /** Lines whose word set equals a corpus line's. */
  sameWords: number;
  /** Lines at or above each threshold, by threshold. */
  atOrAbove: { threshold: number; lines: number }[];
  /** The closest pairs, most similar first. */
  closest: NearestCorpusLine[];
}

const THRESHOLDS = [0.5, 0.7, 0.9];

/**
 * Duplicates by words between an evaluation set and the corpus: for every evaluation line, the
 * corpus line with the highest Jaccard similarity of normalised word sets. A set written apart
 * from the corpus should have almost nothing at 0.7 and above; a line that does is a paraphrase
 * the model may have learnt by heart, and inflates the figures.
 */
export function corpusOverlap(evaluationTexts: readonly string[], corpusTexts: readonly string[], closestCount = 10): CorpusOverlapReport {
  const corpusWords = corpusTexts.map(wordSet);
  // Inverted index, so each line is compared only with corpus lines sharing a word with it.
  const linesByWord = new Map<string, number[]>();
  corpusWords.forEach((words, index) => {
    for (const word of words) {
      let lines = linesByWord.get(word);
      if (!lines) linesByWord.set(word, (lines = []));
      lines.push(index);
    }
  });
  const nearest: NearestCorpusLine[] = evaluationTexts.map((text) => {
    const words = wordSet(text);
    const shared = new Map<number, number>();
    for (const word of words) for (const line of linesByWord.get(word) ?? []) shared.set(line, (shared.get(line) ?? 0) + 1);
    let best = { similarity: 0, line: -1 };
    for (const [line, common] of shared) {
      const similarity = common / (words.size + corpusWords[line].size - common);
      if (similarity > best.similarity) best = { similarity, line };
    }
    return { text, nearest: best.line >= 0 ? corpusTexts[best.line] : '', similarity: best.similarity };
  });
  return {
    lines: evaluationTexts.length,
    sameWords: nearest.filter((n) => n.similarity === 1).length,
    atOrAbove: THRESHOLDS.map((threshold) => ({ threshold, lines: nearest.filter((n) => n.similarity >= threshold).length })),
    closest: [...nearest].sort((a, b) => b.similarity - a.similarity).slice(0, closestCount),
  };
}

function wordSet(text: string): Set<string> {
  return new Set(
    normalizeText(text)
      .split(' ')
      .filter((word) => word.length > 0),
  );
}

export function formatCorpusOverlap(report: CorpusOverlapReport): string {
  const lines = [`overlap with the training corpus (Jaccard of normalised word sets), ${report.lines} lines:`];
  lines.push(`  same words as a corpus line: ${report.sameWords}`);
  for (const { threshold, lines: count } of report.atOrAbove) lines.push(`  similarity ≥ ${threshold}: ${count}`);
  lines.push('  closest pairs:');
  for (const pair of report.closest) lines.push(`    ${pair.similarity.toFixed(2)}  ${pair.text}  ≈  ${pair.nearest}`);
  return lines.join('\n');
}
