import { checkCondition, ConditionProblem } from './check-condition';
import { compileCondition, CompiledCondition } from './compile-condition';
import { Conjunction, disjunctsOf, mayFailAtRuntime } from './condition-constraints';
import { ConditionSyntaxError, parseCondition } from './condition-parser';
import { attributeName } from './fact-catalogue';
import { canonicalForm, ConditionNode, walk } from './syntax-tree';

/** Everything the validator and the compiler need to know about one rule condition. */
export interface ConditionAnalysis {
  source: string;
  problems: ConditionProblem[];
  /** Present when the condition parses. */
  tree?: ConditionNode;
  canonical?: string;
  disjuncts?: Conjunction[];
  /** Facts read, attributes included as `attr.<name>`. */
  facts: ReadonlySet<string>;
  /** Attribute names read (without the `attr.` prefix). */
  attributes: ReadonlySet<string>;
  /** The value of a condition that reads no fact: it matches always or never. */
  constantValue?: boolean;
  mayFailAtRuntime: boolean;
  /** Present when there is no error. */
  evaluate?: CompiledCondition;
}

export function analyseCondition(source: string): ConditionAnalysis {
  const problems: ConditionProblem[] = [];
  const facts = new Set<string>();
  const attributes = new Set<string>();
  let tree: ConditionNode;
  try {
    tree = parseCondition(source);
  } catch (error: unknown) {
    if (!(error instanceof ConditionSyntaxError)) throw error;
    problems.push({ severity: 'error', message: `cannot parse the condition at column ${error.column}: ${error.message}` });
    return { source, problems, facts, attributes, mayFailAtRuntime: true };
  }
  problems.push(...checkCondition(tree));
  for (const node of walk(tree)) {
    if (node.kind !== 'fact') continue;
    facts.add(node.name);
    const attribute = attributeName(node.name);
    if (attribute !== undefined) attributes.add(attribute);
  }

  let evaluate: CompiledCondition | undefined;
  try {
    evaluate = compileCondition(source);
  } catch (error: unknown) {
    // The grammars are kept in step, so this is a safety net rather than an expected path.
    problems.push({ severity: 'error', message: `filtrex cannot compile the condition: ${(error as Error).message.split('\n')[0]}` });
  }
  const analysis: ConditionAnalysis = {
    source,
    problems,
    tree,
    canonical: canonicalForm(tree),
    disjuncts: disjunctsOf(tree),
    facts,
    attributes,
    mayFailAtRuntime: mayFailAtRuntime(tree),
  };
  if (problems.some((problem) => problem.severity === 'error')) return analysis;
  analysis.evaluate = evaluate;
  if (facts.size === 0 && evaluate) analysis.constantValue = evaluate({}) === true;
  return analysis;
}
