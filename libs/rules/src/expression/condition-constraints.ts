import { between } from './condition-functions';
import { attributeName, factSpec, FactValue } from './fact-catalogue';
import { canonicalForm, ConditionNode, isLiteral, RelationalOperator, walk } from './syntax-tree';

/**
 * What a piece of a condition says about one fact, when it says exactly that and nothing else
 * (the piece is true if and only if the fact satisfies the constraint, and it never fails at run
 * time). Three shapes:
 *
 * - `set`: the allowed subset of a fact with a known finite domain (hour, weekday, emergency…),
 *   so negations and ranges become plain sets;
 * - `membership`: an open text fact (sector, tenant, attributes…): either the allowed values
 *   (`include`, and then `exclude` is empty) or the excluded ones, the rest of the world unknown;
 * - `interval`: a continuous number (confidence).
 */
export type FactConstraint =
  | { kind: 'set'; fact: string; values: ReadonlySet<FactValue> }
  | { kind: 'membership'; fact: string; include?: ReadonlySet<FactValue>; exclude: ReadonlySet<FactValue> }
  | { kind: 'interval'; fact: string; low: number; lowInclusive: boolean; high: number; highInclusive: boolean };

/** One conjunct of a condition, with its constraint when it has an exact one. */
export interface ConditionAtom {
  canonical: string;
  constraint?: FactConstraint;
}

/** A conjunction of atoms: one branch of a condition's top-level `or`. */
export interface Conjunction {
  atoms: ConditionAtom[];
  canonicals: ReadonlySet<string>;
  /** Per fact, the intersection of what the atoms require. */
  constraints: ReadonlyMap<string, FactConstraint>;
  /** Some fact has no value left: the branch can never be true. */
  contradictory: boolean;
}

type Literal = FactValue;

const FLIPPED: Record<RelationalOperator, RelationalOperator> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=', '~=': '~=' };

function intersection<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): Set<T> {
  return new Set([...a].filter((value) => b.has(value)));
}

function isSubset<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean {
  for (const value of a) if (!b.has(value)) return false;
  return true;
}

function domainOf(fact: string): readonly FactValue[] | undefined {
  return factSpec(fact)?.domain;
}

/** A fact read with values it is typed for: numbers only on numeric facts, attributes by equality. */
function factKind(fact: string): 'domain' | 'open' | 'continuous' | undefined {
  const spec = factSpec(fact);
  if (spec?.domain) return 'domain';
  if (spec?.type === 'number') return 'continuous';
  if (spec?.type === 'text' || attributeName(fact) !== undefined) return 'open';
  return undefined;
}

function fromPredicate(fact: string, predicate: (value: FactValue) => boolean): FactConstraint | undefined {
  const kind = factKind(fact);
  if (kind === 'domain') return { kind: 'set', fact, values: new Set(domainOf(fact)!.filter(predicate)) };
  return undefined;
}

function relationConstraint(fact: string, operator: RelationalOperator, literal: Literal): FactConstraint | undefined {
  const kind = factKind(fact);
  if (operator === '~=') return undefined;
  if (operator === '==' || operator === '!=') {
    if (kind === 'domain') return fromPredicate(fact, (value) => (value === literal) === (operator === '=='));
    if (kind === 'open')
      return operator === '=='
        ? { kind: 'membership', fact, include: new Set([literal]), exclude: new Set() }
        : { kind: 'membership', fact, exclude: new Set([literal]) };
    if (kind === 'continuous' && operator === '==' && typeof literal === 'number')
      return { kind: 'interval', fact, low: literal, lowInclusive: true, high: literal, highInclusive: true };
    return undefined;
  }
  // Ordering operators coerce with filtrex's num(): exact only on typed numeric facts.
  if (typeof literal !== 'number' || factSpec(fact)?.type !== 'number') return undefined;
  const holds = (value: number): boolean =>
    operator === '<' ? value < literal : operator === '<=' ? value <= literal : operator === '>' ? value > literal : value >= literal;
  if (kind === 'domain') return fromPredicate(fact, (value) => holds(value as number));
  const lowBound = operator === '>' || operator === '>=';
  return lowBound
    ? { kind: 'interval', fact, low: literal, lowInclusive: operator === '>=', high: Infinity, highInclusive: false }
    : { kind: 'interval', fact, low: -Infinity, lowInclusive: false, high: literal, highInclusive: operator === '<=' };
}

function literalValue(node: ConditionNode): Literal | undefined {
  return isLiteral(node) ? node.value : undefined;
}

function literalList(node: ConditionNode): Literal[] | undefined {
  if (node.kind === 'list') {
    const values = node.items.map(literalValue);
    return values.every((value) => value !== undefined) ? (values as Literal[]) : undefined;
  }
  const single = literalValue(node);
  return single === undefined ? undefined : [single];
}

export function intersectConstraints(a: FactConstraint, b: FactConstraint): FactConstraint | undefined {
  if (a.fact !== b.fact) return undefined;
  if (a.kind === 'set' && b.kind === 'set') return { kind: 'set', fact: a.fact, values: intersection(a.values, b.values) };
  if (a.kind === 'membership' && b.kind === 'membership') {
    const include = a.include && b.include ? intersection(a.include, b.include) : (a.include ?? b.include);
    const exclude = new Set([...a.exclude, ...b.exclude]);
    // With an allow-list, exclusions only remove from it: keep the one list, already reduced.
    if (include) return { kind: 'membership', fact: a.fact, include: new Set([...include].filter((value) => !exclude.has(value))), exclude: new Set() };
    return { kind: 'membership', fact: a.fact, exclude };
  }
  if (a.kind === 'interval' && b.kind === 'interval') {
    const [low, lowInclusive] = a.low > b.low ? [a.low, a.lowInclusive] : b.low > a.low ? [b.low, b.lowInclusive] : [a.low, a.lowInclusive && b.lowInclusive];
    const [high, highInclusive] =
      a.high < b.high ? [a.high, a.highInclusive] : b.high < a.high ? [b.high, b.highInclusive] : [a.high, a.highInclusive && b.highInclusive];
    return { kind: 'interval', fact: a.fact, low, lowInclusive, high, highInclusive };
  }
  return undefined;
}

function unionConstraints(a: FactConstraint, b: FactConstraint): FactConstraint | undefined {
  if (a.fact !== b.fact) return undefined;
  if (a.kind === 'set' && b.kind === 'set') return { kind: 'set', fact: a.fact, values: new Set([...a.values, ...b.values]) };
  if (a.kind === 'membership' && b.kind === 'membership' && a.include && b.include && a.exclude.size === 0 && b.exclude.size === 0) {
    return { kind: 'membership', fact: a.fact, include: new Set([...a.include, ...b.include]), exclude: new Set() };
  }
  return undefined;
}

function complement(constraint: FactConstraint): FactConstraint | undefined {
  if (constraint.kind === 'set') return fromPredicate(constraint.fact, (value) => !constraint.values.has(value));
  if (constraint.kind === 'membership') {
    if (constraint.include && constraint.exclude.size === 0) return { kind: 'membership', fact: constraint.fact, exclude: constraint.include };
    if (!constraint.include) return { kind: 'membership', fact: constraint.fact, include: constraint.exclude, exclude: new Set() };
  }
  return undefined;
}

export function isEmptyConstraint(constraint: FactConstraint): boolean {
  switch (constraint.kind) {
    case 'set':
      return constraint.values.size === 0;
    case 'membership':
      return constraint.include !== undefined && constraint.include.size === 0;
    case 'interval':
      return constraint.low > constraint.high || (constraint.low === constraint.high && !(constraint.lowInclusive && constraint.highInclusive));
  }
}

/** Every value `narrow` allows, `wide` allows too. */
export function constraintImplies(narrow: FactConstraint, wide: FactConstraint): boolean {
  if (narrow.fact !== wide.fact) return false;
  if (isEmptyConstraint(narrow)) return true;
  if (narrow.kind === 'set' && wide.kind === 'set') return isSubset(narrow.values, wide.values);
  if (narrow.kind === 'membership' && wide.kind === 'membership') {
    const allowed = narrow.include;
    if (wide.include && (!allowed || !isSubset(allowed, wide.include))) return false;
    for (const excluded of wide.exclude) {
      const excludedByNarrow = allowed !== undefined ? !allowed.has(excluded) : narrow.exclude.has(excluded);
      if (!excludedByNarrow) return false;
    }
    return true;
  }
  if (narrow.kind === 'interval' && wide.kind === 'interval') {
    const lowOk = narrow.low > wide.low || (narrow.low === wide.low && (wide.lowInclusive || !narrow.lowInclusive));
    const highOk = narrow.high < wide.high || (narrow.high === wide.high && (wide.highInclusive || !narrow.highInclusive));
    return lowOk && highOk;
  }
  return false;
}

/** The exact constraint a condition piece expresses, when it is about one fact only. */
export function constraintOf(node: ConditionNode): FactConstraint | undefined {
  switch (node.kind) {
    case 'fact':
      return factSpec(node.name)?.type === 'boolean' ? fromPredicate(node.name, (value) => value === true) : undefined;
    case 'unary': {
      if (node.operator !== 'not') return undefined;
      const inner = constraintOf(node.operand);
      return inner && complement(inner);
    }
    case 'compare': {
      let combined: FactConstraint | undefined;
      for (let i = 0; i < node.operators.length; i++) {
        const [left, right] = [node.operands[i], node.operands[i + 1]];
        let piece: FactConstraint | undefined;
        if (left.kind === 'fact' && literalValue(right) !== undefined) piece = relationConstraint(left.name, node.operators[i], literalValue(right)!);
        else if (right.kind === 'fact' && literalValue(left) !== undefined)
          piece = relationConstraint(right.name, FLIPPED[node.operators[i]], literalValue(left)!);
        if (!piece) return undefined;
        combined = combined ? intersectConstraints(combined, piece) : piece;
        if (!combined) return undefined;
      }
      return combined;
    }
    case 'binary': {
      if (node.operator === 'in' || node.operator === 'not in') {
        const values = literalList(node.right);
        if (node.left.kind !== 'fact' || !values) return undefined;
        const fact = node.left.name;
        const kind = factKind(fact);
        const positive: FactConstraint | undefined =
          kind === 'domain'
            ? fromPredicate(fact, (value) => values.includes(value))
            : kind === 'open'
              ? { kind: 'membership', fact, include: new Set(values), exclude: new Set() }
              : undefined;
        return positive && (node.operator === 'in' ? positive : complement(positive));
      }
      if (node.operator === 'and' || node.operator === 'or') {
        const left = constraintOf(node.left);
        const right = constraintOf(node.right);
        if (!left || !right) return undefined;
        return node.operator === 'and' ? intersectConstraints(left, right) : unionConstraints(left, right);
      }
      return undefined;
    }
    case 'call': {
      const [value, from, to] = node.args;
      if (node.name !== 'between' || node.args.length !== 3 || value.kind !== 'fact') return undefined;
      const [low, high] = [literalValue(from), literalValue(to)];
      if (low === undefined || high === undefined) return undefined;
      if (factKind(value.name) === 'domain') return fromPredicate(value.name, (candidate) => between(candidate, low, high));
      if (factKind(value.name) === 'continuous' && typeof low === 'number' && typeof high === 'number' && low <= high) {
        return { kind: 'interval', fact: value.name, low, lowInclusive: true, high, highInclusive: false };
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function flatten(node: ConditionNode, operator: 'and' | 'or'): ConditionNode[] {
  return node.kind === 'binary' && node.operator === operator ? [...flatten(node.left, operator), ...flatten(node.right, operator)] : [node];
}

export function conjunctionOf(node: ConditionNode): Conjunction {
  const atoms = flatten(node, 'and').map((conjunct) => ({ canonical: canonicalForm(conjunct), constraint: constraintOf(conjunct) }));
  const constraints = new Map<string, FactConstraint>();
  let contradictory = atoms.some((atom) => atom.canonical === 'false');
  for (const { constraint } of atoms) {
    if (!constraint) continue;
    const existing = constraints.get(constraint.fact);
    const combined = existing ? intersectConstraints(existing, constraint) : constraint;
    if (combined) constraints.set(constraint.fact, combined);
    if (combined && isEmptyConstraint(combined)) contradictory = true;
  }
  return { atoms, canonicals: new Set(atoms.map((atom) => atom.canonical)), constraints, contradictory };
}

/** The top-level `or` branches of a condition, each as a conjunction of atoms. */
export function disjunctsOf(node: ConditionNode): Conjunction[] {
  return flatten(node, 'or').map(conjunctionOf);
}

/** Whenever `narrow` is true, `wide` is true too (sound, not complete). */
export function conjunctionImplies(narrow: Conjunction, wide: Conjunction): boolean {
  if (narrow.contradictory) return true;
  return wide.atoms.every((atom) => {
    if (atom.canonical === 'true' || narrow.canonicals.has(atom.canonical)) return true;
    if (!atom.constraint) return false;
    const required = narrow.constraints.get(atom.constraint.fact);
    return required !== undefined && constraintImplies(required, atom.constraint);
  });
}

/**
 * The values a condition can only be true for, per fact: the union over its `or` branches of
 * what each branch requires. Undefined when some branch leaves the fact free.
 */
export function pinnedValues(disjuncts: readonly Conjunction[], fact: string): ReadonlySet<FactValue> | undefined {
  const pinned = new Set<FactValue>();
  for (const disjunct of disjuncts) {
    if (disjunct.contradictory) continue;
    const constraint = disjunct.constraints.get(fact);
    if (constraint?.kind === 'set') constraint.values.forEach((value) => pinned.add(value));
    else if (constraint?.kind === 'membership' && constraint.include) constraint.include.forEach((value) => pinned.add(value));
    else return undefined;
  }
  return pinned;
}

/**
 * filtrex reports a type error at run time by returning it, which fails the whole condition even
 * when another `or` branch holds. With facts typed statically, only attributes (whose type is
 * whatever the platform sent) outside equality and membership tests, and `if` branches of mixed
 * types, can cause that.
 */
export function mayFailAtRuntime(root: ConditionNode): boolean {
  const safeAttributeReads = new Set<ConditionNode>();
  for (const node of walk(root)) {
    // Branches of different types make an operand's type unknowable before run time.
    if (node.kind === 'if') return true;
    if (node.kind === 'compare' && node.operators.every((operator) => operator === '==' || operator === '!='))
      node.operands.forEach((operand) => safeAttributeReads.add(operand));
    if (node.kind === 'binary' && (node.operator === 'in' || node.operator === 'not in')) safeAttributeReads.add(node.left);
    if (node.kind === 'call' && ['exists', 'empty', 'between'].includes(node.name)) node.args.forEach((arg) => safeAttributeReads.add(arg));
  }
  for (const node of walk(root)) {
    if (node.kind === 'fact' && attributeName(node.name) !== undefined && !safeAttributeReads.has(node)) return true;
  }
  return false;
}
