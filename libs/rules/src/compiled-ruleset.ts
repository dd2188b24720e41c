import { EscalationStep, msPerPriorityPoint, PRIORITY_SCORE_STRIDE, RoutingDecision, RoutingInput, RoutingPolicy } from '@conmutador/routing';
import { ConditionAnalysis } from './expression/analyse-condition';
import { CompiledCondition } from './expression/compile-condition';
import { pinnedValues } from './expression/condition-constraints';
import { FactValue } from './expression/fact-catalogue';
import { RoutingFactsBuilder } from './expression/routing-facts';
import { INDEXED_FACTS, RuleCandidateIndex } from './rule-candidate-index';
import { DEFAULT_ROUTING_DOMAIN, FALLBACK_RULE_ID, QueueDefinition, RuleAction, RulesetDocument } from './ruleset-document';
import { RulesetIssue, RulesetValidationError } from './ruleset-issue';
import { hasErrors, inspectRuleset } from './validation/validate-ruleset';

/** Where a queue's surge goes, in the shape the router's enqueue command takes. */
export interface QueueOverflow {
  queue: string;
  maxWaiting: number;
  msPerPriorityPoint: number;
}

/** Which rule decided: its id, and its place in the document (-1 for the fallback). */
export interface RuleMatch {
  ruleId: string;
  ruleIndex: number;
}

type DecisionTemplate = Omit<RoutingDecision, 'requiredSkills' | 'escalations'> & {
  requiredSkills: readonly string[];
  escalations: readonly Readonly<EscalationStep>[];
};

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * One published version of the routing rules, compiled: conditions are filtrex functions built
 * once, rules are indexed by the facts they pin, and each rule's decision is prepared ahead, so
 * `decide` costs a facts object, a few bit-mask ANDs and the conditions of the candidates.
 */
export class CompiledRuleset implements RoutingPolicy {
  readonly queues: readonly QueueDefinition[];
  private readonly queuesByName: ReadonlyMap<string, QueueDefinition>;
  private readonly conditions: readonly CompiledCondition[];
  private readonly templates: readonly DecisionTemplate[];
  private readonly ruleIds: readonly string[];
  private readonly fallbackTemplate: DecisionTemplate;
  private readonly factsBuilder: RoutingFactsBuilder;
  private readonly index: RuleCandidateIndex;

  /** Use `compileRuleset`, which validates first. */
  constructor(
    readonly document: Readonly<RulesetDocument>,
    readonly version: number,
    analyses: readonly ConditionAnalysis[],
    /** Warnings found while validating; errors prevent compiling. */
    readonly warnings: readonly RulesetIssue[] = [],
  ) {
    this.queues = document.queues;
    this.queuesByName = new Map(document.queues.map((queue) => [queue.name, queue]));
    this.ruleIds = document.rules.map((rule) => rule.id);
    this.conditions = analyses.map((analysis, index) => {
      if (!analysis.evaluate)
        throw new RulesetValidationError([
          { path: `rules[${index}].when`, ruleId: this.ruleIds[index], message: 'the condition did not compile', severity: 'error' },
        ]);
      return analysis.evaluate;
    });
    this.templates = document.rules.map((rule) => this.template(rule.id, rule.then));
    this.fallbackTemplate = this.template(FALLBACK_RULE_ID, document.fallback);

    const factsRead = new Set(analyses.flatMap((analysis) => [...analysis.facts]));
    const attributes = new Set(analyses.flatMap((analysis) => [...analysis.attributes]));
    this.factsBuilder = new RoutingFactsBuilder(factsRead, attributes);

    const enabled = document.rules.map((rule) => rule.enabled !== false);
    const pins = analyses.map((analysis) => {
      const rulePins = new Map<string, ReadonlySet<FactValue>>();
      for (const fact of INDEXED_FACTS) {
        const values = analysis.disjuncts && pinnedValues(analysis.disjuncts, fact);
        if (values) rulePins.set(fact, values);
      }
      return rulePins;
    });
    this.index = new RuleCandidateIndex(enabled, pins);
  }

  private template(ruleId: string, action: RuleAction): DecisionTemplate {
    return deepFreeze({
      queue: action.queue,
      priority: action.priority,
      requiredSkills: [...(action.requiredSkills ?? [])],
      ruleId,
      rulesetVersion: this.version,
      escalations: (action.escalations ?? []).map((step) => ({ ...step })),
      msPerPriorityPoint: this.msPerPriorityPoint(action.queue),
    });
  }

  /** The facts conditions see for this input (for explaining a decision). */
  factsFor(input: RoutingInput): Readonly<Record<string, FactValue>> {
    return this.factsBuilder.build(input);
  }

  match(input: RoutingInput): RuleMatch {
    const facts = this.factsBuilder.build(input);
    const conditions = this.conditions;
    const ruleIndex = this.index.firstMatch(facts, (candidate) => conditions[candidate](facts) === true);
    return { ruleId: ruleIndex < 0 ? FALLBACK_RULE_ID : this.ruleIds[ruleIndex], ruleIndex };
  }

  decide(input: RoutingInput): RoutingDecision {
    const { ruleIndex } = this.match(input);
    const template = ruleIndex < 0 ? this.fallbackTemplate : this.templates[ruleIndex];
    // Fresh arrays: the decision is the caller's to keep or change; the template is shared.
    return {
      queue: template.queue,
      priority: template.priority,
      requiredSkills: template.requiredSkills.slice(),
      ruleId: template.ruleId,
      rulesetVersion: template.rulesetVersion,
      escalations: template.escalations.slice(),
      msPerPriorityPoint: template.msPerPriorityPoint,
    };
  }

  queue(name: string): QueueDefinition | undefined {
    return this.queuesByName.get(name);
  }

  hasQueue(name: string): boolean {
    return this.queuesByName.has(name);
  }

  msPerPriorityPoint(queue: string): number {
    const definition = this.queuesByName.get(queue);
    return definition ? msPerPriorityPoint(definition.agingPointsPerMinute ?? 0) : PRIORITY_SCORE_STRIDE;
  }

  overflowFor(queue: string): QueueOverflow | undefined {
    const definition = this.queuesByName.get(queue);
    if (!definition?.overflowTo || definition.maxWaiting === undefined) return undefined;
    return { queue: definition.overflowTo, maxWaiting: definition.maxWaiting, msPerPriorityPoint: this.msPerPriorityPoint(definition.overflowTo) };
  }

  /** The routing domain of a queue (`default` for one that names none, or an unknown queue). */
  domainOf(queue: string): string {
    return this.queuesByName.get(queue)?.domain ?? DEFAULT_ROUTING_DOMAIN;
  }

  /** Every routing domain the queues name, sorted. */
  domains(): string[] {
    return [...new Set(this.queues.map((queue) => queue.domain ?? DEFAULT_ROUTING_DOMAIN))].sort();
  }

  /** Every configured overflow, keyed by the queue that overflows. */
  overflows(): Map<string, QueueOverflow> {
    const overflows = new Map<string, QueueOverflow>();
    for (const queue of this.queues) {
      const overflow = this.overflowFor(queue.name);
      if (overflow) overflows.set(queue.name, overflow);
    }
    return overflows;
  }
}

/**
 * Validates `document` and compiles it as ruleset `version`. Throws `RulesetValidationError`,
 * listing every error, when it is not valid; warnings are kept on the result.
 */
export function compileRuleset(document: unknown, version: number): CompiledRuleset {
  if (!Number.isSafeInteger(version) || version < 0) throw new RangeError(`a ruleset version is a non-negative integer, got ${version}`);
  const { issues, conditions } = inspectRuleset(document);
  if (hasErrors(issues)) throw new RulesetValidationError(issues);
  // The caller's object stays theirs; the compiled ruleset keeps a frozen copy.
  const frozen = deepFreeze(structuredClone(document) as RulesetDocument);
  return new CompiledRuleset(frozen, version, conditions as ConditionAnalysis[], issues);
}
