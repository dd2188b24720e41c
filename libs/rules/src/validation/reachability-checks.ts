import { ConditionAnalysis } from '../expression/analyse-condition';
import { conjunctionImplies } from '../expression/condition-constraints';
import { IssueCollector, ruleLabel } from './issue-collector';

export interface ReachabilitySubject {
  index: number;
  rule: unknown;
  enabled: boolean;
  /** Absent, or with errors, when the condition could not be analysed. */
  analysis?: ConditionAnalysis;
}

function usable(
  subject: ReachabilitySubject,
): subject is ReachabilitySubject & { analysis: ConditionAnalysis & { disjuncts: NonNullable<ConditionAnalysis['disjuncts']> } } {
  return subject.enabled && subject.analysis?.evaluate !== undefined && subject.analysis.disjuncts !== undefined;
}

/**
 * First match wins, so a rule is dead when it can never be true, or when earlier enabled rules
 * take every interaction it would match. What is reported is what can be proved: identical
 * conditions, an earlier rule that matches everything, and an earlier condition each of whose
 * requirements this one already implies (`sector == "x"` before `sector == "x" and intent == "y"`,
 * `sector in ("x", "y")` before `sector == "x"`, `hour >= 19` before `hour >= 20`).
 */
export function checkReachability(subjects: readonly ReachabilitySubject[], issues: IssueCollector): { alwaysTrueRule?: ReachabilitySubject } {
  const earlier: ReachabilitySubject[] = [];
  let alwaysTrueRule: ReachabilitySubject | undefined;
  for (const subject of subjects) {
    if (!usable(subject)) continue;
    const { analysis, index } = subject;
    const path = `rules[${index}].when`;
    const live = analysis.disjuncts.filter((disjunct) => !disjunct.contradictory);
    if (analysis.constantValue === false || live.length === 0) {
      issues.error(path, 'never matches: the condition can never be true');
      continue;
    }
    if (alwaysTrueRule) {
      issues.error(path, `unreachable: ${ruleLabel(alwaysTrueRule.index, alwaysTrueRule.rule)} before it matches every interaction`);
      continue;
    }
    const twin = earlier.find((other) => other.analysis!.canonical === analysis.canonical);
    if (twin) {
      issues.error(path, `unreachable: ${ruleLabel(twin.index, twin.rule)} has the same condition and comes first`);
      continue;
    }

    // For each branch of this condition, the first earlier rule that takes all of it.
    const shadowers = live.map((disjunct) =>
      earlier.find(
        (other) => !other.analysis!.mayFailAtRuntime && other.analysis!.disjuncts!.some((wide) => !wide.contradictory && conjunctionImplies(disjunct, wide)),
      ),
    );
    if (shadowers.every((other) => other !== undefined)) {
      const names = [...new Set(shadowers)].map((other) => `${ruleLabel(other!.index, other!.rule)} (\`${other!.analysis!.source.trim()}\`)`);
      issues.error(path, `unreachable: every interaction it matches is taken first by ${names.join(' and ')}, a broader condition`);
    } else {
      shadowers.forEach((other, branch) => {
        if (!other) return;
        const text = live[branch].atoms.map((atom) => atom.canonical).join(' and ');
        issues.warn(path, `overlap: the branch \`${text}\` never applies, ${ruleLabel(other.index, other.rule)} takes it first`);
      });
    }
    if (analysis.constantValue === true) alwaysTrueRule = subject;
    earlier.push(subject);
  }
  return { alwaysTrueRule };
}
