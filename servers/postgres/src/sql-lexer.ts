/**
 * @module
 * Just enough of PostgreSQL's lexical rules to read SQL text safely: words (names and keywords,
 * with quoted and `U&` names decoded), the marks that separate statements and open calls, and
 * nothing from comments, string literals or numbers. Used to find statements and function calls
 * the database cannot be asked about in advance, and to split a script into its statements.
 */

export type Token =
  | { kind: 'word'; text: string }
  /** `at` is the mark's index in the text; `nested` marks come from inside a dollar-quoted body. */
  | { kind: 'mark'; text: string; at: number; nested: boolean };

const WORD = String.raw`[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*`;
const NUMBER = String.raw`[0-9][\w.]*`;
const DOLLAR_TAG = String.raw`\$(?:[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$`;

function stickyMatch(pattern: RegExp, text: string, index: number): string | undefined {
  pattern.lastIndex = index;
  return pattern.exec(text)?.[0];
}

/** `U&"..."` identifiers spell characters as `\XXXX` or `\+XXXXXX`. */
function decodeUnicodeEscapes(name: string): string {
  return name.replace(
    /\\(?:\+([0-9A-Fa-f]{6})|([0-9A-Fa-f]{4}))/g,
    (_match, long?: string, short?: string) =>
      String.fromCodePoint(parseInt(long ?? short ?? '0', 16)),
  );
}

/** Index just past the end of a block comment starting at `index` (they nest in PostgreSQL). */
function skipBlockComment(sql: string, index: number): number {
  let depth = 1;
  let at = index + 2;
  while (at < sql.length && depth > 0) {
    if (sql.startsWith('/*', at)) {
      depth++;
      at += 2;
    } else if (sql.startsWith('*/', at)) {
      depth--;
      at += 2;
    } else at++;
  }
  return at;
}

/** Index just past the end of the string literal starting at `index`. */
function skipString(sql: string, index: number): number {
  const before = sql[index - 1] ?? '';
  const escapes = /[eE]/.test(before) && !/[\w$]/.test(sql[index - 2] ?? '');
  let at = index + 1;
  while (at < sql.length) {
    if (escapes && sql[at] === '\\') at += 2;
    else if (sql[at] === "'" && sql[at + 1] === "'") at += 2;
    else if (sql[at] === "'") return at + 1;
    else at++;
  }
  return at;
}

/**
 * Words (lower-cased unless quoted) and the marks `(` and `;` of SQL text. Comments, string
 * literals and numbers are skipped; the body of a dollar-quoted string is read as SQL too, since
 * it is usually code (a DO block, a function body).
 */
export function tokens(sql: string, out: Token[] = [], nested = false): Token[] {
  // Sticky patterns carry a position, so each call has its own.
  const wordPattern = new RegExp(WORD, 'y');
  const numberPattern = new RegExp(NUMBER, 'y');
  const dollarTag = new RegExp(DOLLAR_TAG, 'y');
  let index = 0;
  while (index < sql.length) {
    const char = sql[index]!;
    const next = sql[index + 1];
    const tag = char === '$' ? stickyMatch(dollarTag, sql, index) : undefined;
    const word = stickyMatch(wordPattern, sql, index);
    if (char === '-' && next === '-') {
      const end = sql.indexOf('\n', index);
      index = end === -1 ? sql.length : end + 1;
    } else if (char === '/' && next === '*') {
      index = skipBlockComment(sql, index);
    } else if (char === "'") {
      index = skipString(sql, index);
    } else if (char === '"') {
      const unicode = /^[uU]&$/.test(sql.slice(Math.max(0, index - 2), index));
      let end = index + 1;
      for (;;) {
        const close = sql.indexOf('"', end);
        if (close === -1) end = sql.length;
        else if (sql[close + 1] === '"') {
          end = close + 2;
          continue;
        } else end = close;
        break;
      }
      const name = sql.slice(index + 1, end).replaceAll('""', '"');
      index = end + 1;
      out.push({ kind: 'word', text: unicode ? decodeUnicodeEscapes(name) : name });
    } else if (tag !== undefined) {
      const end = sql.indexOf(tag, index + tag.length);
      tokens(sql.slice(index + tag.length, end === -1 ? sql.length : end), out, true);
      index = end === -1 ? sql.length : end + tag.length;
    } else if (word !== undefined) {
      out.push({ kind: 'word', text: word.toLowerCase() });
      index += word.length;
    } else if (/[0-9]/.test(char)) {
      index += stickyMatch(numberPattern, sql, index)?.length ?? 1;
    } else {
      if (char === '(' || char === ';') out.push({ kind: 'mark', text: char, at: index, nested });
      index++;
    }
  }
  return out;
}

/** The statements of a script: split at the semicolons that end them, empty ones dropped. */
export function splitStatements(sql: string): string[] {
  const ends = tokens(sql).flatMap((token) =>
    token.kind === 'mark' && token.text === ';' && !token.nested ? [token.at] : [],
  );
  const statements: string[] = [];
  let start = 0;
  for (const end of [...ends, sql.length]) {
    const statement = sql.slice(start, end).trim();
    // A piece with only comments in it is no statement.
    if (tokens(statement).length > 0) statements.push(statement);
    start = end + 1;
  }
  return statements;
}

const TRANSACTION_CONTROL = new Set([
  'begin',
  'start',
  'commit',
  'end',
  'rollback',
  'abort',
  'savepoint',
  'release',
]);

/** The transaction-control keyword a statement starts with (BEGIN, COMMIT...), or undefined. */
export function transactionControl(sql: string): string | undefined {
  const words = tokens(sql).filter((token) => token.kind === 'word');
  const first = words[0]?.text;
  if (first === undefined || !TRANSACTION_CONTROL.has(first)) return undefined;
  if (first === 'start' && words[1]?.text !== 'transaction') return undefined;
  return first.toUpperCase();
}
