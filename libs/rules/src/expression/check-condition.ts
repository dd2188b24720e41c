import { didYouMean } from '../closest-name';
import { CLOCK_TIME, functionSpec, CONDITION_FUNCTIONS } from './condition-functions';
import { attributeName, ATTRIBUTE_PREFIX, FACTS, FactSpec, factSpec } from './fact-catalogue';
import { BooleanLiteral, canonicalForm, ConditionNode, FactReference, isLiteral, NumberLiteral, TextLiteral } from './syntax-tree';

export interface ConditionProblem {
  severity: 'error' | 'warning';
  message: string;
}

type ValueType = 'text' | 'number' | 'boolean' | 'list' | 'unknown';

const CALENDAR_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const FACT_NAMES = FACTS.map((fact) => fact.name);
const FUNCTION_NAMES = CONDITION_FUNCTIONS.map((spec) => spec.name);

const TYPE_WORDS: Record<ValueType, string> = {
  text: 'text',
  number: 'a number',
  boolean: 'true/false',
  list: 'a list',
  unknown: 'a value',
};

function at(node: ConditionNode): string {
  return ` (column ${node.start + 1})`;
}

function describeNode(node: ConditionNode): string {
  switch (node.kind) {
    case 'fact':
      return `\`${node.name}\``;
    case 'text':
      return `"${node.value}"`;
    case 'number':
    case 'boolean':
      return `\`${node.value}\``;
    default: {
      const text = canonicalForm(node);
      return `\`${text.length > 40 ? `${text.slice(0, 39)}…` : text}\``;
    }
  }
}

function formatValue(value: string | number | boolean): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}

/**
 * Static checks of one condition: every fact and function must exist (a typo is an error, not a
 * rule that silently never matches), operators get the types filtrex requires at run time, and
 * literal values compared with a fact must be values it can take.
 */
export class ConditionChecker {
  readonly problems: ConditionProblem[] = [];

  check(root: ConditionNode): ConditionProblem[] {
    const type = this.typeOf(root);
    if (type !== 'boolean' && type !== 'unknown') {
      this.error(`a condition must be true or false, but this one is ${TYPE_WORDS[type]}`);
    }
    return this.problems;
  }

  private error(message: string): void {
    this.problems.push({ severity: 'error', message });
  }

  private warn(message: string): void {
    this.problems.push({ severity: 'warning', message });
  }

  private typeOf(node: ConditionNode): ValueType {
    switch (node.kind) {
      case 'number':
        return 'number';
      case 'text':
        return 'text';
      case 'boolean':
        return 'boolean';
      case 'fact':
        return this.factType(node);
      case 'list':
        node.items.forEach((item) => this.typeOf(item));
        return 'list';
      case 'call':
        return this.callType(node);
      case 'of':
        this.error(`\`of\` is not supported${at(node)}: read attributes as ${ATTRIBUTE_PREFIX}<name>, e.g. attr.plan`);
        this.typeOf(node.object);
        return 'unknown';
      case 'unary':
        if (node.operator === 'not') {
          const operand = this.typeOf(node.operand);
          if (operand !== 'boolean' && operand !== 'unknown') {
            this.error(
              `\`not\` needs true/false, but ${describeNode(node.operand)} is ${TYPE_WORDS[operand]}${at(node)}; ` +
                '`not` binds tighter than `==`, so write `not (a == b)` or `a != b`',
            );
          }
          return 'boolean';
        }
        this.expectType(node.operand, 'number', 'unary `-`');
        return 'number';
      case 'if': {
        this.expectType(node.condition, 'boolean', '`if`');
        const whenTrue = this.typeOf(node.whenTrue);
        const whenFalse = this.typeOf(node.whenFalse);
        return whenTrue === whenFalse ? whenTrue : 'unknown';
      }
      case 'compare':
        this.checkComparison(node.operands, node.operators);
        return 'boolean';
      case 'binary':
        switch (node.operator) {
          case 'and':
          case 'or':
            this.expectType(node.left, 'boolean', `\`${node.operator}\``);
            this.expectType(node.right, 'boolean', `\`${node.operator}\``);
            return 'boolean';
          case 'in':
          case 'not in':
            this.checkMembership(node.left, node.right);
            return 'boolean';
          case '+': {
            const left = this.typeOf(node.left);
            const right = this.typeOf(node.right);
            for (const [side, type] of [
              [node.left, left],
              [node.right, right],
            ] as const) {
              if (type === 'boolean' || type === 'list')
                this.error(`\`+\` adds numbers or joins text, but ${describeNode(side)} is ${TYPE_WORDS[type]}${at(side)}`);
            }
            if (left === 'number' && right === 'number') return 'number';
            return left === 'text' || right === 'text' ? 'text' : 'unknown';
          }
          default:
            this.expectType(node.left, 'number', `\`${node.operator}\``);
            this.expectType(node.right, 'number', `\`${node.operator}\``);
            return 'number';
        }
    }
  }

  private expectType(node: ConditionNode, expected: ValueType, context: string): void {
    const actual = this.typeOf(node);
    if (actual !== expected && actual !== 'unknown') {
      this.error(`${context} needs ${TYPE_WORDS[expected]}, but ${describeNode(node)} is ${TYPE_WORDS[actual]}${at(node)}`);
    }
  }

  private factType(node: FactReference): ValueType {
    const spec = factSpec(node.name);
    if (spec) return spec.type;
    if (attributeName(node.name) !== undefined) return 'unknown';
    this.error(this.unknownFactMessage(node));
    return 'unknown';
  }

  private unknownFactMessage(node: FactReference): string {
    const base = `unknown fact "${node.name}"${at(node)}`;
    if (node.quoted) return `${base}: 'single quotes' name a fact; write text in double quotes, "${node.name}"`;
    if (node.name === 'attr' || node.name.startsWith('attributes')) return `${base}: read attributes as ${ATTRIBUTE_PREFIX}<name>, e.g. attr.plan`;
    const hint = didYouMean(node.name, FACT_NAMES);
    return hint ? `${base}${hint}` : `${base}; facts are ${FACT_NAMES.join(', ')} and ${ATTRIBUTE_PREFIX}<name>`;
  }

  private callType(node: Extract<ConditionNode, { kind: 'call' }>): ValueType {
    const argTypes = node.args.map((arg) => this.typeOf(arg));
    const spec = functionSpec(node.name);
    if (!spec) {
      this.error(`unknown function "${node.name}"${at(node)}${didYouMean(node.name, FUNCTION_NAMES)}`);
      return 'unknown';
    }
    const arityOk = spec.variadic ? node.args.length >= spec.parameters.length : node.args.length === spec.parameters.length;
    if (!arityOk) {
      const expected = spec.variadic ? `at least ${spec.parameters.length}` : String(spec.parameters.length);
      this.error(`${node.name}(…) takes ${expected} argument${expected === '1' ? '' : 's'}, got ${node.args.length}${at(node)}`);
      return spec.returns;
    }
    node.args.forEach((arg, index) => {
      const expected = spec.parameters[Math.min(index, spec.parameters.length - 1)];
      const actual = argTypes[index];
      if (expected !== 'any' && actual !== expected && actual !== 'unknown') {
        this.error(`${node.name}(…) needs ${TYPE_WORDS[expected]} as argument ${index + 1}, but ${describeNode(arg)} is ${TYPE_WORDS[actual]}${at(arg)}`);
      }
    });
    if (spec.name === 'between') this.checkBetween(node.args, argTypes);
    return spec.returns;
  }

  private checkBetween(args: ConditionNode[], types: ValueType[]): void {
    const [value, from, to] = args;
    if (value.kind === 'fact' && value.name === 'time') {
      for (const bound of [from, to]) {
        if (bound.kind !== 'text' || !CLOCK_TIME.test(bound.value)) {
          this.error(`between(time, from, to) needs "HH:MM" bounds such as "07:00", got ${describeNode(bound)}${at(bound)}`);
        }
      }
      return;
    }
    const known = types.filter((type) => type !== 'unknown');
    if (known.some((type) => type !== 'number' && type !== 'text')) {
      this.error(`between(…) compares numbers or text${at(value)}`);
    } else if (new Set(known).size > 1) {
      this.error(`between(…) compares values of one type, got ${types.map((type) => TYPE_WORDS[type]).join(', ')}${at(value)}`);
    }
    if (value.kind === 'fact') {
      const spec = factSpec(value.name);
      if (spec) for (const bound of [from, to]) if (isLiteral(bound)) this.checkLiteral(spec, bound, 'bound');
    }
  }

  private checkComparison(operands: ConditionNode[], operators: string[]): void {
    const types = operands.map((operand) => this.typeOf(operand));
    operators.forEach((operator, index) => {
      const left = operands[index];
      const right = operands[index + 1];
      const [leftType, rightType] = [types[index], types[index + 1]];
      if (operator === '~=') {
        this.error(
          `regular expressions (\`~=\`) are not allowed${at(left)}: a pattern runs on every decision and can be made to backtrack for seconds; use \`==\` or \`in (…)\``,
        );
        return;
      }
      if (operator === '==' || operator === '!=') {
        if (leftType !== 'unknown' && rightType !== 'unknown' && leftType !== rightType) {
          this.error(
            `\`${operator}\` compares ${describeNode(left)} (${TYPE_WORDS[leftType]}) with ${describeNode(right)} (${TYPE_WORDS[rightType]})${at(left)}: they are never equal`,
          );
          return;
        }
      } else {
        for (const [side, type] of [
          [left, leftType],
          [right, rightType],
        ] as const) {
          if (type !== 'number' && type !== 'unknown') {
            const hint = side.kind === 'fact' && side.name === 'time' ? '; for times of day use between(time, "07:00", "19:00")' : '';
            this.error(`\`${operator}\` compares numbers, but ${describeNode(side)} is ${TYPE_WORDS[type]}${at(side)}${hint}`);
            return;
          }
        }
      }
      this.checkFactAgainstLiteral(left, right);
      this.checkFactAgainstLiteral(right, left);
    });
  }

  private checkMembership(left: ConditionNode, right: ConditionNode): void {
    this.typeOf(left);
    this.typeOf(right);
    const items = right.kind === 'list' ? right.items : [right];
    for (const item of items) this.checkFactAgainstLiteral(left, item);
  }

  private checkFactAgainstLiteral(fact: ConditionNode, literal: ConditionNode): void {
    if (fact.kind !== 'fact' || !isLiteral(literal)) return;
    const spec = factSpec(fact.name);
    if (spec) this.checkLiteral(spec, literal, 'value');
  }

  private checkLiteral(spec: FactSpec, literal: NumberLiteral | TextLiteral | BooleanLiteral, role: 'value' | 'bound'): void {
    const expectedType = spec.type === 'number' ? 'number' : spec.type === 'boolean' ? 'boolean' : 'text';
    if (literal.kind !== expectedType) {
      this.error(`${spec.name} is ${TYPE_WORDS[spec.type]}, but it is compared with ${formatValue(literal.value)}${at(literal)}`);
      return;
    }
    const value = literal.value;
    if (spec.range && typeof value === 'number' && (value < spec.range[0] || value > spec.range[1]) && !(role === 'bound' && value === spec.range[1] + 1)) {
      this.error(`${spec.name} is ${spec.range[0]}..${spec.range[1]}, so ${value} is out of range${at(literal)}`);
      return;
    }
    const closed = spec.domain && spec.type !== 'number' ? spec.domain : spec.allowedValues;
    if (closed && !closed.includes(value)) {
      const names = closed.map(formatValue);
      this.error(
        `${spec.name} is one of ${names.join(', ')}; ${formatValue(value)} never matches${at(literal)}${didYouMean(String(value), closed.map(String))}`,
      );
      return;
    }
    if (spec.name === 'time' && typeof value === 'string' && !CLOCK_TIME.test(value)) {
      this.error(`time is "HH:MM" (24 h, zero-padded), got ${formatValue(value)}${at(literal)}`);
    } else if (spec.name === 'date' && typeof value === 'string' && !CALENDAR_DATE.test(value)) {
      this.error(`date is "YYYY-MM-DD", got ${formatValue(value)}${at(literal)}`);
    } else if (spec.knownValues && typeof value === 'string' && !spec.knownValues.includes(value)) {
      this.warn(
        `${formatValue(value)} is not a known ${spec.name}${at(literal)}${didYouMean(value, spec.knownValues)}; fine if the taxonomy was extended with it`,
      );
    }
  }
}

export function checkCondition(root: ConditionNode): ConditionProblem[] {
  return new ConditionChecker().check(root);
}
