/**
 * @module
 * How column values become JSON, and how column types get their names. Numbers stay numbers when
 * JavaScript can hold them exactly; numeric, dates, times, intervals, UUIDs, arrays and bytea stay
 * in PostgreSQL's own text form, so nothing is shifted by a time zone or rounded on the way.
 */

/** The text-format parsers `pg` uses for every result (ours and the model's). */
export const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (format === 'binary') return (value) => value;
    return PARSERS.get(oid) ?? ((value) => value);
  },
};

const toNumber = (value: string): number | string => {
  const number = Number(value);
  // NaN and the infinities have no JSON form; keep PostgreSQL's spelling.
  return Number.isFinite(number) ? number : value;
};

const PARSERS = new Map<number, (value: string) => unknown>([
  [16, (value) => value === 't'],
  [20, (value) => (Number.isSafeInteger(Number(value)) ? Number(value) : value)],
  [21, toNumber],
  [23, toNumber],
  [26, toNumber],
  [700, toNumber],
  [701, toNumber],
  [114, jsonValue],
  [3802, jsonValue],
]);

/**
 * Deepest JSON nesting kept as structure. Rendering and sending recurse once per level, so a
 * 9,000-deep value would overflow the stack and lose its row; deeper values stay text, which the
 * budget then cuts like any long string.
 */
export const MAX_JSON_DEPTH = 100;

/** The nesting depth of JSON text, up to `limit + 1` (brackets inside strings do not count). */
export function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c) index++;
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x5b || code === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (code === 0x5d || code === 0x7d) {
      depth--;
    }
  }
  return deepest;
}

/** A json or jsonb value: parsed, unless it nests deeper than {@link MAX_JSON_DEPTH}. */
export function jsonValue(text: string): unknown {
  return jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH ? text : (JSON.parse(text) as unknown);
}

/** Names of common built-in types, as `format_type` spells them, so most results need no lookup. */
export const BUILTIN_TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [16, 'boolean'],
  [17, 'bytea'],
  [18, '"char"'],
  [19, 'name'],
  [20, 'bigint'],
  [21, 'smallint'],
  [23, 'integer'],
  [25, 'text'],
  [26, 'oid'],
  [114, 'json'],
  [142, 'xml'],
  [650, 'cidr'],
  [700, 'real'],
  [701, 'double precision'],
  [790, 'money'],
  [869, 'inet'],
  [1000, 'boolean[]'],
  [1005, 'smallint[]'],
  [1007, 'integer[]'],
  [1009, 'text[]'],
  [1016, 'bigint[]'],
  [1042, 'character'],
  [1043, 'character varying'],
  [1082, 'date'],
  [1083, 'time without time zone'],
  [1114, 'timestamp without time zone'],
  [1184, 'timestamp with time zone'],
  [1186, 'interval'],
  [1266, 'time with time zone'],
  [1700, 'numeric'],
  [2249, 'record'],
  [2950, 'uuid'],
  [3802, 'jsonb'],
  [3807, 'jsonb[]'],
  [2951, 'uuid[]'],
]);

/** The text a value shows in a table row: NULL for null, strings with control characters escaped. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return escapeControls(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return escapeControls(JSON.stringify(value));
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f\u0085\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\\]/g;

/**
 * Escapes what would break a line-per-row listing or hide text from a reader: tabs, newlines and
 * other control characters, and bidirectional or invisible formatting characters.
 */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, (char) => {
    switch (char) {
      case '\\':
        return '\\\\';
      case '\t':
        return '\\t';
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      default:
        return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
}
