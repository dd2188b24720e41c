import { SpanishTextAnalyzer } from '../text/text-analyzer';
import { LabelledUtterance, UNCLASSIFIED_SECTOR } from './taxonomy';

/**
 * How alike (Jaccard index of content stems) a default `unclassified` utterance and an extension
 * utterance must be for the extension to take it over.
 */
const TAKE_OVER_SIMILARITY = 0.5;

/**
 * Extension utterances are repeated this many times: an operator's few dozen examples must hold
 * their own against hundreds of default ones.
 */
const EXTENSION_REPETITIONS = 3;

/**
 * The training set for the default corpus plus extension utterances.
 *
 * The default corpus labels requests outside its sectors as `unclassified`, and those include
 * exactly what an extension adds ("mi internet está muy lento" is out of scope until a telecom
 * sector exists). Default `unclassified` utterances that closely match an extension utterance
 * are therefore dropped: the extension has redefined the scope. Order stays deterministic.
 */
export function mergeExtensionUtterances(corpus: readonly LabelledUtterance[], extensionUtterances: readonly LabelledUtterance[]): LabelledUtterance[] {
  if (extensionUtterances.length === 0) return [...corpus];
  const analyzer = new SpanishTextAnalyzer({ characterNgrams: false, phraseNgrams: false });
  const stemSet = (text: string): Set<string> => new Set(analyzer.analyse(text).stems);
  const extensionStems = extensionUtterances.map((u) => stemSet(u.text));
  const kept = corpus.filter((utterance) => {
    if (utterance.sector !== UNCLASSIFIED_SECTOR) return true;
    const stems = stemSet(utterance.text);
    return !extensionStems.some((other) => jaccard(stems, other) >= TAKE_OVER_SIMILARITY);
  });
  const repeated = extensionUtterances.flatMap((u) => Array.from({ length: EXTENSION_REPETITIONS }, () => u));
  return [...kept, ...repeated];
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const item of a) if (b.has(item)) shared += 1;
  return shared / (a.size + b.size - shared);
}
