/**
 * @module
 * Drive's query language (`q`), parsed and evaluated the way Drive does, for the fake: string
 * literals in single quotes with `\'` and `\\` escapes, `and`/`or`/`not`, parentheses, and the
 * terms the server uses. Because the fake really parses `q`, a query string that lets user text
 * escape its literal changes what the fake returns, which is what the injection tests look for.
 */

export type Token =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'word'; readonly value: string }
  | { readonly kind: 'op'; readonly value: string }
  | { readonly kind: 'paren'; readonly value: '(' | ')' };

/** A query Drive would answer with 400 "Invalid Value". */
export class QuerySyntaxError extends Error {
  override readonly name = 'QuerySyntaxError';
}

export function tokenizeQuery(q: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < q.length) {
    const char = q[at]!;
    if (/\s/.test(char)) {
      at++;
    } else if (char === "'") {
      let value = '';
      at++;
      for (;;) {
        if (at >= q.length) throw new QuerySyntaxError('unterminated string');
        const next = q[at]!;
        if (next === '\\') {
          const escaped = q[at + 1];
          if (escaped === undefined) throw new QuerySyntaxError('dangling escape');
          value += escaped;
          at += 2;
        } else if (next === "'") {
          at++;
          break;
        } else {
          value += next;
          at++;
        }
      }
      tokens.push({ kind: 'string', value });
    } else if (char === '(' || char === ')') {
      tokens.push({ kind: 'paren', value: char });
      at++;
    } else if (/[=!<>]/.test(char)) {
      const two = q.slice(at, at + 2);
      const op = ['!=', '<=', '>='].includes(two) ? two : char;
      if (op === '!') throw new QuerySyntaxError('bad operator');
      tokens.push({ kind: 'op', value: op });
      at += op.length;
    } else if (/[A-Za-z_]/.test(char)) {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(q.slice(at))![0];
      tokens.push({ kind: 'word', value: word });
      at += word.length;
    } else throw new QuerySyntaxError(`unexpected character ${char}`);
  }
  return tokens;
}

/** What a condition can look at. */
export interface Searchable {
  readonly name: string;
  readonly mimeType: string;
  readonly fullText: string;
  readonly parents: readonly string[];
  readonly trashed: boolean;
  readonly starred: boolean;
  readonly modifiedTime: string;
}

export type Condition =
  | { readonly kind: 'and' | 'or'; readonly left: Condition; readonly right: Condition }
  | { readonly kind: 'not'; readonly inner: Condition }
  | { readonly kind: 'in'; readonly value: string; readonly field: string }
  | {
      readonly kind: 'compare';
      readonly field: string;
      readonly op: string;
      readonly value: string | boolean;
    };

const FIELDS = new Set(['name', 'fullText', 'mimeType', 'trashed', 'starred', 'modifiedTime']);

export function parseQuery(q: string): Condition | undefined {
  const tokens = tokenizeQuery(q);
  if (tokens.length === 0) return undefined;
  let at = 0;
  const peek = (): Token | undefined => tokens[at];
  const isWord = (value: string): boolean => {
    const token = peek();
    return token?.kind === 'word' && token.value.toLowerCase() === value;
  };
  const expression = (): Condition => {
    let left = conjunction();
    while (isWord('or')) {
      at++;
      left = { kind: 'or', left, right: conjunction() };
    }
    return left;
  };
  const conjunction = (): Condition => {
    let left = unary();
    while (isWord('and')) {
      at++;
      left = { kind: 'and', left, right: unary() };
    }
    return left;
  };
  const unary = (): Condition => {
    if (isWord('not')) {
      at++;
      return { kind: 'not', inner: unary() };
    }
    const token = peek();
    if (token?.kind === 'paren' && token.value === '(') {
      at++;
      const inner = expression();
      const close = peek();
      if (close?.kind !== 'paren' || close.value !== ')') throw new QuerySyntaxError('missing )');
      at++;
      return inner;
    }
    return condition();
  };
  const condition = (): Condition => {
    const first = tokens[at++];
    if (first === undefined) throw new QuerySyntaxError('unexpected end');
    if (first.kind === 'string') {
      if (!isWord('in')) throw new QuerySyntaxError('a string must be followed by "in"');
      at++;
      const field = tokens[at++];
      if (
        field?.kind !== 'word' ||
        !['parents', 'owners', 'writers', 'readers'].includes(field.value)
      )
        throw new QuerySyntaxError('bad collection');
      return { kind: 'in', value: first.value, field: field.value };
    }
    if (first.kind !== 'word' || !FIELDS.has(first.value))
      throw new QuerySyntaxError(`unknown field ${first.value}`);
    const op = tokens[at++];
    let operator: string;
    if (op?.kind === 'op') operator = op.value;
    else if (op?.kind === 'word' && op.value === 'contains') operator = 'contains';
    else throw new QuerySyntaxError('missing operator');
    const value = tokens[at++];
    if (value?.kind === 'string')
      return { kind: 'compare', field: first.value, op: operator, value: value.value };
    if (value?.kind === 'word' && (value.value === 'true' || value.value === 'false'))
      return { kind: 'compare', field: first.value, op: operator, value: value.value === 'true' };
    throw new QuerySyntaxError('missing value');
  };
  const result = expression();
  if (at !== tokens.length) throw new QuerySyntaxError('trailing tokens');
  return result;
}

export function evaluate(condition: Condition | undefined, file: Searchable): boolean {
  if (condition === undefined) return true;
  switch (condition.kind) {
    case 'and':
      return evaluate(condition.left, file) && evaluate(condition.right, file);
    case 'or':
      return evaluate(condition.left, file) || evaluate(condition.right, file);
    case 'not':
      return !evaluate(condition.inner, file);
    case 'in':
      return condition.field === 'parents' ? file.parents.includes(condition.value) : false;
    case 'compare': {
      const actual = file[condition.field as keyof Searchable];
      const { value, op } = condition;
      if (typeof actual === 'boolean') {
        if (op === '=') return actual === value;
        if (op === '!=') return actual !== value;
        throw new QuerySyntaxError('bad boolean operator');
      }
      if (typeof actual !== 'string' || typeof value !== 'string')
        throw new QuerySyntaxError('type mismatch');
      switch (op) {
        case 'contains':
          return actual.toLowerCase().includes(value.toLowerCase());
        case '=':
          return actual === value;
        case '!=':
          return actual !== value;
        case '<':
          return actual < value;
        case '<=':
          return actual <= value;
        case '>':
          return actual > value;
        case '>=':
          return actual >= value;
        default:
          throw new QuerySyntaxError('bad operator');
      }
    }
  }
}
