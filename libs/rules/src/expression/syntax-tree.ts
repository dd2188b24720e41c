/**
 * The syntax tree of a rule condition, as filtrex reads it. filtrex compiles straight to
 * JavaScript and exposes no tree, so conditions are parsed a second time here (same grammar and
 * precedence) to check them statically and to reason about them: which facts a rule reads,
 * which values it pins, whether an earlier rule already takes everything it matches.
 */
export type RelationalOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | '~=';
export type BinaryOperator = '+' | '-' | '*' | '/' | '^' | 'mod' | 'and' | 'or' | 'in' | 'not in';

interface NodeBase {
  /** 0-based offset of the node's first character in the source. */
  start: number;
}

export interface NumberLiteral extends NodeBase {
  kind: 'number';
  value: number;
}

export interface TextLiteral extends NodeBase {
  kind: 'text';
  value: string;
}

/** `true` and `false`: filtrex has no boolean literals, they are constants supplied to it. */
export interface BooleanLiteral extends NodeBase {
  kind: 'boolean';
  value: boolean;
}

export interface FactReference extends NodeBase {
  kind: 'fact';
  name: string;
  /** Written 'in single quotes' (needed for names with characters such as `-`). */
  quoted: boolean;
}

export interface FunctionCall extends NodeBase {
  kind: 'call';
  name: string;
  args: ConditionNode[];
}

export interface ListLiteral extends NodeBase {
  kind: 'list';
  items: ConditionNode[];
}

export interface UnaryOperation extends NodeBase {
  kind: 'unary';
  operator: '-' | 'not';
  operand: ConditionNode;
}

export interface BinaryOperation extends NodeBase {
  kind: 'binary';
  operator: BinaryOperator;
  left: ConditionNode;
  right: ConditionNode;
}

/** `a < b`, or a chain `a < b <= c` meaning `a < b and b <= c`. */
export interface Comparison extends NodeBase {
  kind: 'compare';
  operands: ConditionNode[];
  operators: RelationalOperator[];
}

export interface Conditional extends NodeBase {
  kind: 'if';
  condition: ConditionNode;
  whenTrue: ConditionNode;
  whenFalse: ConditionNode;
}

/** `name of object`: parsed so that it can be refused with a clear message. */
export interface PropertyAccess extends NodeBase {
  kind: 'of';
  name: string;
  object: ConditionNode;
}

export type ConditionNode =
  | NumberLiteral
  | TextLiteral
  | BooleanLiteral
  | FactReference
  | FunctionCall
  | ListLiteral
  | UnaryOperation
  | BinaryOperation
  | Comparison
  | Conditional
  | PropertyAccess;

export function isLiteral(node: ConditionNode): node is NumberLiteral | TextLiteral | BooleanLiteral {
  return node.kind === 'number' || node.kind === 'text' || node.kind === 'boolean';
}

export function childrenOf(node: ConditionNode): ConditionNode[] {
  switch (node.kind) {
    case 'call':
      return node.args;
    case 'list':
      return node.items;
    case 'unary':
      return [node.operand];
    case 'binary':
      return [node.left, node.right];
    case 'compare':
      return node.operands;
    case 'if':
      return [node.condition, node.whenTrue, node.whenFalse];
    case 'of':
      return [node.object];
    default:
      return [];
  }
}

export function* walk(node: ConditionNode): Generator<ConditionNode> {
  yield node;
  for (const child of childrenOf(node)) yield* walk(child);
}

const RESERVED_WORDS = new Set(['true', 'false', 'and', 'or', 'not', 'in', 'of', 'if', 'then', 'else', 'mod']);

function needsQuotes(name: string): boolean {
  return RESERVED_WORDS.has(name) || !/^[a-zA-Z$_][.a-zA-Z0-9$_]*$/.test(name);
}

function quoteText(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * One spelling per tree: whitespace and redundant parentheses disappear, every compound operand
 * is parenthesised. Two conditions with the same canonical form behave identically.
 */
export function canonicalForm(node: ConditionNode): string {
  const operand = (child: ConditionNode): string => {
    const text = canonicalForm(child);
    return child.kind === 'unary' || child.kind === 'binary' || child.kind === 'compare' || child.kind === 'if' || child.kind === 'of' ? `(${text})` : text;
  };
  switch (node.kind) {
    case 'number':
      return String(node.value);
    case 'text':
      return quoteText(node.value);
    case 'boolean':
      return String(node.value);
    case 'fact':
      // Quoting only matters to the reader, not to evaluation (apart from reserved words).
      return needsQuotes(node.name) ? `'${node.name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : node.name;
    case 'call':
      return `${node.name}(${node.args.map(canonicalForm).join(', ')})`;
    case 'list':
      return `(${node.items.map(canonicalForm).join(', ')})`;
    case 'unary':
      return node.operator === 'not' ? `not ${operand(node.operand)}` : `-${operand(node.operand)}`;
    case 'binary':
      return `${operand(node.left)} ${node.operator} ${operand(node.right)}`;
    case 'compare':
      return node.operands.map((child, index) => (index === 0 ? operand(child) : `${node.operators[index - 1]} ${operand(child)}`)).join(' ');
    case 'if':
      return `if ${operand(node.condition)} then ${operand(node.whenTrue)} else ${operand(node.whenFalse)}`;
    case 'of':
      return `${node.name} of ${operand(node.object)}`;
  }
}
