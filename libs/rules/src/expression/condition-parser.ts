import { BinaryOperator, ConditionNode, RelationalOperator } from './syntax-tree';

/**
 * A parser for filtrex 3 conditions that mirrors its lexer (rules tried in order, first match
 * wins) and its operator precedence table, lowest first:
 *
 *   if-then-else < or < and < in, not in < == != < <= > >= ~= (chainable) < + - < * / mod
 *   < not, unary - < ^ (right-associative) < of
 *
 * so `not a == b` is `(not a) == b`, as in filtrex. A differential test evaluates random
 * conditions with filtrex and with this tree to keep the two in step.
 */
export class ConditionSyntaxError extends Error {
  constructor(
    message: string,
    /** 1-based column of the offending text. */
    readonly column: number,
  ) {
    super(message);
    this.name = 'ConditionSyntaxError';
  }
}

type Keyword = 'and' | 'or' | 'not' | 'in' | 'not in' | 'of' | 'if' | 'then' | 'else' | 'mod';
type Punctuation = '*' | '/' | '-' | '+' | '^' | '(' | ')' | ',';

type Token =
  | { type: 'punctuation'; value: Punctuation; start: number }
  | { type: 'relation'; value: RelationalOperator; start: number }
  | { type: 'keyword'; value: Keyword; start: number }
  | { type: 'number'; value: number; start: number }
  | { type: 'symbol'; name: string; quoted: boolean; start: number }
  | { type: 'text'; value: string; start: number }
  | { type: 'end'; start: number };

const PUNCTUATION: readonly Punctuation[] = ['*', '/', '-', '+', '^', '(', ')', ','];
// Two-character operators come before their one-character prefixes, as in filtrex's lexer.
const RELATIONS: readonly RelationalOperator[] = ['==', '!=', '~=', '>=', '<=', '<', '>'];
const KEYWORD = /(not\s+in|and|or|not|in|of|if|then|else|mod)(?=[^\w]|$)/y;
const WHITESPACE = /\s+/y;
const NUMBER = /[0-9]+(?:\.[0-9]+)?(?![0-9.])/y;
const BARE_SYMBOL = /[a-zA-Z$_][.a-zA-Z0-9$_]*/y;

const UNSUPPORTED_CHARACTERS: Record<string, string> = {
  '=': 'compare with `==`',
  '&': 'combine conditions with `and`',
  '|': 'combine conditions with `or`',
  '!': 'negate with `not`, or compare with `!=`',
  '%': 'use `mod` for the remainder',
  '?': 'use `if … then … else …`',
  ':': 'use `if … then … else …`',
};

function matchAt(pattern: RegExp, source: string, position: number): string | undefined {
  pattern.lastIndex = position;
  const match = pattern.exec(source);
  return match ? match[0] : undefined;
}

function readQuoted(source: string, start: number, quote: '"' | "'"): { value: string; end: number } {
  let value = '';
  for (let i = start + 1; i < source.length; i++) {
    const char = source[i];
    if (char === '\\') {
      const escaped = source[i + 1];
      if (escaped !== '\\' && escaped !== quote) {
        throw new ConditionSyntaxError(`only \\\\ and \\${quote} may be escaped inside ${quote}…${quote}`, i + 1);
      }
      value += escaped;
      i++;
    } else if (char === quote) {
      return { value, end: i + 1 };
    } else {
      value += char;
    }
  }
  throw new ConditionSyntaxError(`unterminated ${quote === '"' ? 'text' : 'quoted name'} starting here`, start + 1);
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  while (position < source.length) {
    const start = position;
    const char = source[position];
    const relation = RELATIONS.find((operator) => source.startsWith(operator, position));
    if (relation) {
      tokens.push({ type: 'relation', value: relation, start });
      position += relation.length;
      continue;
    }
    if ((PUNCTUATION as readonly string[]).includes(char)) {
      tokens.push({ type: 'punctuation', value: char as Punctuation, start });
      position += 1;
      continue;
    }
    const keyword = matchAt(KEYWORD, source, position);
    if (keyword !== undefined) {
      const next = source[position + keyword.length];
      // filtrex's lexer swallows the character after a keyword (`and(` becomes one token), so
      // anything but whitespace or the end there would be silently misread.
      if (next !== undefined && !/\s/.test(next)) {
        throw new ConditionSyntaxError(`put a space between \`${keyword}\` and \`${next}\``, position + keyword.length + 1);
      }
      tokens.push({ type: 'keyword', value: keyword.startsWith('not') && keyword !== 'not' ? 'not in' : (keyword as Keyword), start });
      position += keyword.length;
      continue;
    }
    const whitespace = matchAt(WHITESPACE, source, position);
    if (whitespace !== undefined) {
      position += whitespace.length;
      continue;
    }
    const number = matchAt(NUMBER, source, position);
    if (number !== undefined) {
      tokens.push({ type: 'number', value: Number(number), start });
      position += number.length;
      continue;
    }
    const symbol = matchAt(BARE_SYMBOL, source, position);
    if (symbol !== undefined) {
      tokens.push({ type: 'symbol', name: symbol, quoted: false, start });
      position += symbol.length;
      continue;
    }
    if (char === "'" || char === '"') {
      const { value, end } = readQuoted(source, position, char);
      tokens.push(char === '"' ? { type: 'text', value, start } : { type: 'symbol', name: value, quoted: true, start });
      position = end;
      continue;
    }
    const hint = UNSUPPORTED_CHARACTERS[char];
    throw new ConditionSyntaxError(`unexpected \`${char}\`${hint ? `: ${hint}` : ''}`, start + 1);
  }
  tokens.push({ type: 'end', start: source.length });
  return tokens;
}

const BINDING = { or: 1, and: 2, in: 3, relation: 5, additive: 7, multiplicative: 8, prefix: 9, power: 10, of: 11 } as const;

function describe(token: Token): string {
  switch (token.type) {
    case 'end':
      return 'end of the condition';
    case 'number':
      return `\`${token.value}\``;
    case 'text':
      return `"${token.value}"`;
    case 'symbol':
      return `\`${token.name}\``;
    default:
      return `\`${token.value}\``;
  }
}

class Parser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): ConditionNode {
    const node = this.expression(0);
    const rest = this.peek();
    if (rest.type !== 'end') this.fail(`unexpected ${describe(rest)}; expected an operator such as \`and\`, \`or\` or \`==\``, rest);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.position];
  }

  private next(): Token {
    return this.tokens[this.position++];
  }

  private fail(message: string, token: Token): never {
    throw new ConditionSyntaxError(message, token.start + 1);
  }

  private isPunctuation(token: Token, value: Punctuation): boolean {
    return token.type === 'punctuation' && token.value === value;
  }

  private isKeyword(token: Token, value: Keyword): boolean {
    return token.type === 'keyword' && token.value === value;
  }

  private expect(check: (token: Token) => boolean, what: string): Token {
    const token = this.next();
    if (!check(token)) this.fail(`expected ${what}, found ${describe(token)}`, token);
    return token;
  }

  private expression(minBinding: number): ConditionNode {
    let left = this.prefix();
    for (;;) {
      const token = this.peek();
      const infix = this.infixOperator(token);
      if (!infix || infix.binding <= minBinding) return left;
      if (infix.operator === 'relation') {
        left = this.comparison(left);
        continue;
      }
      this.next();
      // `^` is right-associative: its right side may hold another `^`.
      const right = this.expression(infix.operator === '^' ? infix.binding - 1 : infix.binding);
      left = { kind: 'binary', operator: infix.operator, left, right, start: left.start };
    }
  }

  private infixOperator(token: Token): { operator: BinaryOperator | 'relation'; binding: number } | undefined {
    if (token.type === 'relation') return { operator: 'relation', binding: BINDING.relation };
    if (token.type === 'keyword') {
      switch (token.value) {
        case 'or':
          return { operator: 'or', binding: BINDING.or };
        case 'and':
          return { operator: 'and', binding: BINDING.and };
        case 'in':
          return { operator: 'in', binding: BINDING.in };
        case 'not in':
          return { operator: 'not in', binding: BINDING.in };
        case 'mod':
          return { operator: 'mod', binding: BINDING.multiplicative };
        default:
          return undefined;
      }
    }
    if (token.type === 'punctuation') {
      switch (token.value) {
        case '+':
        case '-':
          return { operator: token.value, binding: BINDING.additive };
        case '*':
        case '/':
          return { operator: token.value, binding: BINDING.multiplicative };
        case '^':
          return { operator: '^', binding: BINDING.power };
        default:
          return undefined;
      }
    }
    return undefined;
  }

  private comparison(first: ConditionNode): ConditionNode {
    const operands = [first];
    const operators: RelationalOperator[] = [];
    for (let token = this.peek(); token.type === 'relation'; token = this.peek()) {
      this.next();
      operators.push(token.value);
      operands.push(this.expression(BINDING.relation));
    }
    return { kind: 'compare', operands, operators, start: first.start };
  }

  private prefix(): ConditionNode {
    const token = this.next();
    switch (token.type) {
      case 'number':
        return { kind: 'number', value: token.value, start: token.start };
      case 'text':
        return { kind: 'text', value: token.value, start: token.start };
      case 'symbol':
        return this.symbol(token);
      case 'keyword':
        if (token.value === 'not') return { kind: 'unary', operator: 'not', operand: this.expression(BINDING.prefix), start: token.start };
        if (token.value === 'if') return this.conditional(token.start);
        break;
      case 'punctuation':
        if (token.value === '-') return { kind: 'unary', operator: '-', operand: this.expression(BINDING.prefix), start: token.start };
        if (token.value === '(') return this.parenthesised(token.start);
        break;
      default:
        break;
    }
    return this.fail(`unexpected ${describe(token)}; expected a value, a fact, \`not\`, \`if\` or \`(\``, token);
  }

  private symbol(token: Extract<Token, { type: 'symbol' }>): ConditionNode {
    const following = this.peek();
    if (this.isPunctuation(following, '(')) {
      this.next();
      const args: ConditionNode[] = [];
      if (this.isPunctuation(this.peek(), ')')) {
        this.next();
      } else {
        args.push(...this.commaSeparated());
        this.expect((t) => this.isPunctuation(t, ')'), '`)` closing the call');
      }
      return { kind: 'call', name: token.name, args, start: token.start };
    }
    if (this.isKeyword(following, 'of')) {
      this.next();
      return { kind: 'of', name: token.name, object: this.expression(BINDING.of), start: token.start };
    }
    if (!token.quoted && (token.name === 'true' || token.name === 'false')) {
      return { kind: 'boolean', value: token.name === 'true', start: token.start };
    }
    return { kind: 'fact', name: token.name, quoted: token.quoted, start: token.start };
  }

  private commaSeparated(): ConditionNode[] {
    const items = [this.expression(0)];
    while (this.isPunctuation(this.peek(), ',')) {
      this.next();
      items.push(this.expression(0));
    }
    return items;
  }

  private parenthesised(start: number): ConditionNode {
    const items = this.commaSeparated();
    this.expect((t) => this.isPunctuation(t, ')'), '`)`');
    return items.length === 1 ? items[0] : { kind: 'list', items, start };
  }

  private conditional(start: number): ConditionNode {
    const condition = this.expression(0);
    this.expect((t) => this.isKeyword(t, 'then'), '`then`');
    const whenTrue = this.expression(0);
    this.expect((t) => this.isKeyword(t, 'else'), '`else`');
    const whenFalse = this.expression(0);
    return { kind: 'if', condition, whenTrue, whenFalse, start };
  }
}

export function parseCondition(source: string): ConditionNode {
  return new Parser(tokenize(source)).parse();
}
