/** Who made a change, as `data.author` says it. */
export interface EventAuthor {
  identifier: string;
  type: 'user' | 'api' | 'job' | 'system' | 'unknown-user-type';
}

export const MAX_FILTER_LENGTH = 500;
export const MAX_FILTER_OPERATORS = 10;
const USER_TYPES: readonly string[] = ['user', 'api', 'job', 'system', 'unknown-user-type'];
/** Fields of Akeneo's filter language that match only delta events, which the sandbox does not deliver. */
const DELTA_FIELDS = new Set(['attribute', 'scope', 'channel', 'locale']);

type Field = 'user' | 'user_type';
type FilterNode =
  | { kind: 'match'; field: Field; values: readonly string[] }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode };

/** A parsed subscription filter: `matches` tells whether an event by this author is delivered. */
export interface SubscriptionFilter {
  matches(author: EventAuthor): boolean;
}

export class FilterError extends Error {}

type Token = { kind: 'word' | 'string' | 'symbol'; text: string };

function unquote(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    throw new FilterError(`The value ${quoted} has an invalid escape.`);
  }
}

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:("(?:[^"\\]|\\.)*")|([A-Za-z_][A-Za-z0-9_-]*)|([()[\],=])|(\S))/gy;
  for (let match = pattern.exec(expression); match !== null; match = pattern.exec(expression)) {
    const [, quoted, word, symbol, other] = match;
    if (quoted !== undefined) tokens.push({ kind: 'string', text: unquote(quoted) });
    else if (word !== undefined) tokens.push({ kind: 'word', text: word });
    else if (symbol !== undefined) tokens.push({ kind: 'symbol', text: symbol });
    else if (other !== undefined) {
      throw new FilterError(other === '"' ? 'A value is missing its closing double quote.' : `Unexpected "${other}".`);
    }
    if (pattern.lastIndex === expression.length) break;
  }
  return tokens;
}

/** Recursive descent over Akeneo's filter grammar: `or` binds loosest, then `and`, then `not`. */
class FilterParser {
  private position = 0;
  operators = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parse(): FilterNode {
    const node = this.parseOr();
    const extra = this.tokens[this.position];
    if (extra) throw new FilterError(`Unexpected "${extra.text}".`);
    return node;
  }

  private peekWord(word: string): boolean {
    const token = this.tokens[this.position];
    return token?.kind === 'word' && token.text.toLowerCase() === word;
  }

  private expectSymbol(symbol: string): void {
    const token = this.tokens[this.position];
    if (token?.kind !== 'symbol' || token.text !== symbol) {
      throw new FilterError(`Expected "${symbol}"${token ? ` before "${token.text}"` : ' at the end'}.`);
    }
    this.position += 1;
  }

  private countOperator(): void {
    this.operators += 1;
    if (this.operators > MAX_FILTER_OPERATORS) {
      throw new FilterError(`A filter may use at most ${MAX_FILTER_OPERATORS} operators.`);
    }
  }

  private parseOr(): FilterNode {
    let node = this.parseAnd();
    while (this.peekWord('or')) {
      this.position += 1;
      this.countOperator();
      node = { kind: 'or', left: node, right: this.parseAnd() };
    }
    return node;
  }

  private parseAnd(): FilterNode {
    let node = this.parseNot();
    while (this.peekWord('and')) {
      this.position += 1;
      this.countOperator();
      node = { kind: 'and', left: node, right: this.parseNot() };
    }
    return node;
  }

  private parseNot(): FilterNode {
    if (!this.peekWord('not')) return this.parsePrimary();
    this.position += 1;
    this.countOperator();
    return { kind: 'not', operand: this.parseNot() };
  }

  private parsePrimary(): FilterNode {
    const token = this.tokens[this.position];
    if (token?.kind === 'symbol' && token.text === '(') {
      this.position += 1;
      const node = this.parseOr();
      this.expectSymbol(')');
      return node;
    }
    if (token?.kind !== 'word') throw new FilterError(token ? `Unexpected "${token.text}".` : 'The filter is empty.');
    this.position += 1;
    const field = this.field(token.text);
    if (this.peekWord('in')) {
      this.position += 1;
      this.countOperator();
      return { kind: 'match', field, values: this.parseList(field) };
    }
    this.expectSymbol('=');
    return { kind: 'match', field, values: [this.parseValue(field)] };
  }

  private field(name: string): Field {
    if (name === 'user' || name === 'user_type') return name;
    if (DELTA_FIELDS.has(name)) {
      throw new FilterError(
        `The sandbox does not implement the ${name} filter: it matches only delta events, which the sandbox does not deliver. It implements user and user_type.`,
      );
    }
    throw new FilterError(`Unknown filter field "${name}". The sandbox implements user and user_type.`);
  }

  private parseValue(field: Field): string {
    const token = this.tokens[this.position];
    if (token?.kind !== 'string') {
      throw new FilterError(
        `Values must be wrapped in double quotes${token ? `: ${field}="${token.text}", not ${field}=${token.text}` : ''}.`,
      );
    }
    this.position += 1;
    if (field === 'user_type' && !USER_TYPES.includes(token.text)) {
      throw new FilterError(`user_type must be one of ${USER_TYPES.join(', ')}; got "${token.text}".`);
    }
    return token.text;
  }

  private parseList(field: Field): string[] {
    this.expectSymbol('[');
    const values = [this.parseValue(field)];
    while (this.tokens[this.position]?.text === ',') {
      this.position += 1;
      values.push(this.parseValue(field));
    }
    this.expectSymbol(']');
    return values;
  }
}

function evaluate(node: FilterNode, author: EventAuthor): boolean {
  switch (node.kind) {
    case 'match':
      return node.values.includes(node.field === 'user' ? author.identifier : author.type);
    case 'not':
      return !evaluate(node.operand, author);
    case 'and':
      return evaluate(node.left, author) && evaluate(node.right, author);
    case 'or':
      return evaluate(node.left, author) || evaluate(node.right, author);
  }
}

/**
 * Parses a filter of Akeneo's language (akeneo-apps-platform.md §2.1, available-filters): `user="…"`,
 * `user_type="…"`, `in [...]`, `and`, `or`, `not`, parentheses; at most 500 characters and 10 operators. `user`
 * matches `author.identifier` (a user's uuid, or the client id for API changes). Throws FilterError, whose message
 * says what is wrong, for anything else (the delta-only fields included).
 */
export function parseSubscriptionFilter(expression: string): SubscriptionFilter {
  if (expression.length > MAX_FILTER_LENGTH) {
    throw new FilterError(`A filter may have at most ${MAX_FILTER_LENGTH} characters.`);
  }
  const root = new FilterParser(tokenize(expression)).parse();
  return { matches: (author) => evaluate(root, author) };
}
