/**
 * @module
 * Glob patterns for search_files, directory_tree and search_file_contents, matched against paths
 * relative to the walk root with `/` separators. A pattern without a slash also matches a name at
 * any depth (`node_modules`, `*.log`), which is how people write exclusions.
 *
 * The syntax: `*` (any characters but `/`), `**` as a whole segment (any number of segments,
 * none included), `?`, classes (`[a-z]`, `[!.]`), `{a,b}` alternations (nested allowed) and `\`
 * escapes; dot files match like any other. A brace without a comma (`{1..9}`) is literal: ranges
 * are never expanded. Each pattern becomes one regular expression with no lookarounds, no
 * backreferences and no Unicode flag, so V8's linear-time engine can always take over when it
 * backtracks too much (`*a*a*a…b` against a long name): matching costs time in proportion to the
 * name's length, never exponential in the pattern's.
 */
import { setFlagsFromString } from 'node:v8';
import { ToolError } from '@plugboard/protocol';
import type { Ignore } from 'ignore';

export type PathTest = (relative: string) => boolean;

const SPECIAL = /[.+^$(){}|[\]\\/*?]/;

function literal(char: string): string {
  return SPECIAL.test(char) ? `\\${char}` : char;
}

/** Index of the `}` closing the `{` at `open`, or -1; `commas` is set when it has a top-level comma. */
function closingBrace(pattern: string, open: number): { close: number; commas: boolean } {
  let depth = 0;
  let commas = false;
  for (let index = open; index < pattern.length; index++) {
    const char = pattern[index];
    if (char === '\\') index++;
    else if (char === '{') depth++;
    else if (char === ',' && depth === 1) commas = true;
    else if (char === '}' && --depth === 0) return { close: index, commas };
  }
  return { close: -1, commas };
}

/** A character as a literal member of a regular expression class. */
function classLiteral(char: string): string {
  return /[\\\]^[-]/.test(char) ? `\\${char}` : char;
}

/** The regular expression source of a class starting at `open` (`[`), or undefined when unclosed. */
function characterClass(
  pattern: string,
  open: number,
): { source: string; end: number } | undefined {
  let index = open + 1;
  const negated = pattern[index] === '!' || pattern[index] === '^';
  if (negated) index++;
  const start = index;
  if (pattern[index] === ']') index++;
  while (index < pattern.length && pattern[index] !== ']') index += pattern[index] === '\\' ? 2 : 1;
  if (index >= pattern.length) return undefined;
  let body = '';
  for (let at = start; at < index; at++) {
    const char = pattern[at]!;
    // An escaped character is that character: `[\d]` is a d, never the digit class.
    if (char === '\\' && at + 1 < index) body += classLiteral(pattern[++at]!);
    else body += char === '-' && at !== start && at !== index - 1 ? '-' : classLiteral(char);
  }
  return { source: negated ? `[^/${body}]` : `[${body}]`, end: index };
}

/** Translates one glob into regular expression source (without anchors). */
export function globSource(pattern: string): string {
  let source = '';
  const braces: number[] = [];
  const boundaryBefore = (index: number): boolean =>
    index === 0 ||
    pattern[index - 1] === '/' ||
    (braces.length > 0 && /[{,]/.test(pattern[index - 1]!));
  const boundaryAfter = (index: number): boolean =>
    index >= pattern.length ||
    pattern[index] === '/' ||
    (braces.length > 0 && /[},]/.test(pattern[index]!));
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]!;
    if (char === '\\') {
      source += literal(pattern[++index] ?? '\\');
    } else if (char === '*') {
      let end = index;
      while (pattern[end + 1] === '*') end++;
      if (end > index && boundaryBefore(index) && boundaryAfter(end + 1)) {
        if (pattern[end + 1] === '/') {
          source += '(?:[^/]*/)*';
          end++;
        } else if (index > 0 && pattern[index - 1] === '/') {
          // `a/**` matches `a` itself too: the slash already written becomes optional.
          source = `${source.slice(0, -2)}(?:/.*)?`;
        } else source += '.*';
      } else source += '[^/]*';
      index = end;
    } else if (char === '?') {
      source += '[^/]';
    } else if (char === '[') {
      const parsed = characterClass(pattern, index);
      if (parsed === undefined) source += '\\[';
      else {
        source += parsed.source;
        index = parsed.end;
      }
    } else if (char === '{') {
      const { close, commas } = closingBrace(pattern, index);
      if (close === -1 || !commas) source += '\\{';
      else {
        braces.push(close);
        source += '(?:';
      }
    } else if (char === ',' && braces.length > 0) {
      source += '|';
    } else if (char === '}' && braces.at(-1) === index) {
      braces.pop();
      source += ')';
    } else source += literal(char);
  }
  return source;
}

/** A test that is true when any of `patterns` matches; undefined for no patterns. */
export function compileGlobs(
  patterns: readonly string[],
  options: { anyDepthWithoutSlash: boolean },
): PathTest | undefined {
  if (patterns.length === 0) return undefined;
  const alternatives = patterns.map((pattern) => {
    const source = globSource(pattern);
    return options.anyDepthWithoutSlash && !pattern.includes('/')
      ? `(?:.*/)?(?:${source})`
      : source;
  });
  // The linear-time engine takes over from expressions that backtrack too much; this V8 switch is
  // process-wide and must be set before the expression is compiled.
  setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
  let expression: RegExp;
  try {
    expression = new RegExp(`^(?:${alternatives.join('|')})$`, 's');
  } catch (error) {
    throw new ToolError(
      `Invalid glob pattern: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return (relative) => expression.test(relative);
}

/** Loads the .gitignore parser on first use. */
export async function gitignoreFactory(): Promise<() => Ignore> {
  const { default: ignore } = await import('ignore');
  return () => ignore();
}
