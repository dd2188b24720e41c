import { FactValue } from './expression/fact-catalogue';
import { RoutingFacts } from './expression/routing-facts';

/** Facts rules usually pin with `==` or `in (…)`: worth an index. */
export const INDEXED_FACTS = ['sector', 'intent', 'tenant', 'channel', 'segment', 'region', 'emergency'] as const;

interface FactMasks {
  fact: string;
  byValue: ReadonlyMap<FactValue, Uint32Array>;
  /** Rules that do not pin the fact: candidates whatever its value. */
  unpinned: Uint32Array;
}

/**
 * Narrows the rules worth evaluating for an interaction without changing which rule wins: a rule
 * is left out only when its condition provably requires another value of an indexed fact (see
 * `pinnedValues`). Candidates are the AND of one bit mask per indexed fact, walked in document
 * order, so first-match semantics hold exactly.
 */
export class RuleCandidateIndex {
  readonly wordCount: number;
  private readonly factMasks: FactMasks[];
  private readonly enabledMask: Uint32Array;
  private readonly selectedMasks: Uint32Array[];

  /**
   * @param enabled per rule, whether it can match at all
   * @param pins per rule, per fact, the values its condition requires (absent: unpinned)
   */
  constructor(enabled: readonly boolean[], pins: readonly ReadonlyMap<string, ReadonlySet<FactValue>>[]) {
    this.wordCount = Math.ceil(enabled.length / 32);
    this.enabledMask = this.mask(enabled.map((flag, index) => (flag ? index : -1)).filter((index) => index >= 0));
    this.factMasks = [];
    for (const fact of INDEXED_FACTS) {
      if (!pins.some((rulePins, index) => enabled[index] && rulePins.has(fact))) continue;
      const unpinnedRules = enabled.flatMap((flag, index) => (flag && !pins[index].has(fact) ? [index] : []));
      const rulesByValue = new Map<FactValue, number[]>();
      pins.forEach((rulePins, index) => {
        if (!enabled[index]) return;
        for (const value of rulePins.get(fact) ?? []) rulesByValue.set(value, [...(rulesByValue.get(value) ?? []), index]);
      });
      const byValue = new Map<FactValue, Uint32Array>();
      for (const [value, rules] of rulesByValue) byValue.set(value, this.mask([...unpinnedRules, ...rules]));
      this.factMasks.push({ fact, byValue, unpinned: this.mask(unpinnedRules) });
    }
    this.selectedMasks = this.factMasks.map(({ unpinned }) => unpinned);
  }

  get indexedFacts(): string[] {
    return this.factMasks.map(({ fact }) => fact);
  }

  private mask(ruleIndexes: readonly number[]): Uint32Array {
    const words = new Uint32Array(this.wordCount);
    for (const index of ruleIndexes) words[index >>> 5] |= 1 << (index & 31);
    return words;
  }

  /**
   * The index of the first candidate rule, in document order, for which `matches` holds; -1 when
   * none does.
   */
  firstMatch(facts: RoutingFacts, matches: (ruleIndex: number) => boolean): number {
    // Reused between calls (decisions are synchronous and never nested): no allocation per decision.
    const masks = this.selectedMasks;
    const maskCount = masks.length;
    for (let m = 0; m < maskCount; m++) {
      const { fact, byValue, unpinned } = this.factMasks[m];
      masks[m] = byValue.get(facts[fact]) ?? unpinned;
    }
    for (let word = 0; word < this.wordCount; word++) {
      let bits = this.enabledMask[word];
      for (let m = 0; m < maskCount && bits !== 0; m++) bits &= masks[m][word];
      while (bits !== 0) {
        const lowest = bits & -bits;
        const ruleIndex = (word << 5) + 31 - Math.clz32(lowest);
        if (matches(ruleIndex)) return ruleIndex;
        bits ^= lowest;
      }
    }
    return -1;
  }
}
