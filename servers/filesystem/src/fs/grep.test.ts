import { describe, expect, it } from 'vitest';
import { compileQuery, findLines, lowercasePattern, regexProblem } from './grep.js';

describe('regexProblem', () => {
  it('refuses constructs the linear-time engine cannot run', () => {
    expect(regexProblem('(a)\\1')).toMatch(/backreferences/);
    expect(regexProblem('(?<n>a)\\k<n>')).toMatch(/backreferences/);
    expect(regexProblem('a(?=b)')).toMatch(/lookahead/);
    expect(regexProblem('(?<!a)b')).toMatch(/lookahead and lookbehind/);
    expect(regexProblem('\\p{L}+')).toMatch(/Unicode/);
    expect(regexProblem('a{1,5000}')).toMatch(/repetition/);
  });

  it('accepts ordinary expressions', () => {
    for (const ok of [
      '^export\\s+function',
      '(foo|bar)+baz',
      '[A-Z]{2,10}',
      '\\bTODO\\b',
      '(?<name>x)',
    ])
      expect(regexProblem(ok), ok).toBeUndefined();
  });
});

describe('lowercasePattern', () => {
  it('lowercases literals but not escapes', () => {
    expect(lowercasePattern('Foo\\W[A-Z]\\S\\D')).toBe('foo\\W[a-z]\\S\\D');
  });
});

describe('findLines', () => {
  const text = 'alpha\nBeta beta\ngamma\nbeta\n';

  it('reports each matching line once, with 1-based line and column', () => {
    const { hits } = findLines(
      text,
      compileQuery({ query: 'beta', regex: false, caseSensitive: true }),
      0,
      0,
      10,
    );
    expect(hits.map((hit) => [hit.line, hit.column, hit.text])).toEqual([
      [2, 6, 'Beta beta'],
      [4, 1, 'beta'],
    ]);
  });

  it('ignores case, and skips the first matches for paging', () => {
    const query = compileQuery({ query: 'BETA', regex: false, caseSensitive: false });
    expect(findLines(text, query, 0, 0, 10).hits.map((hit) => hit.line)).toEqual([2, 4]);
    expect(findLines(text, query, 0, 1, 10)).toMatchObject({ skipped: 1, hits: [{ line: 4 }] });
  });

  it('keeps line numbers right when lowercasing changes the text length', () => {
    const query = compileQuery({ query: 'needle', regex: true, caseSensitive: false });
    const { hits } = findLines('\u0130\u0130\u0130 x\nNEEDLE here\n', query, 0, 0, 10);
    expect(hits).toEqual([{ line: 2, column: 1, text: 'NEEDLE here', before: [], after: [] }]);
  });

  it('gives context lines without inventing a line after the final newline', () => {
    const { hits } = findLines(
      text,
      compileQuery({ query: '^beta$', regex: true, caseSensitive: true }),
      2,
      0,
      10,
    );
    expect(hits).toEqual([
      { line: 4, column: 1, text: 'beta', before: ['Beta beta', 'gamma'], after: [] },
    ]);
  });

  it('does not report an empty match after the last newline', () => {
    const { hits } = findLines(
      'a\n',
      compileQuery({ query: '^$', regex: true, caseSensitive: true }),
      0,
      0,
      10,
    );
    expect(hits).toEqual([]);
  });
});

describe('compileQuery', () => {
  it('runs an expression that backtracks catastrophically in bounded time', () => {
    const query = compileQuery({ query: '(a+)+$', regex: true, caseSensitive: true });
    expect(findLines(`${'a'.repeat(30_000)}!`, query, 0, 0, 1).hits).toEqual([]);
  });

  it('gives a byte needle only for case-sensitive literals', () => {
    expect(compileQuery({ query: 'x', regex: false, caseSensitive: true }).needle?.toString()).toBe(
      'x',
    );
    expect(compileQuery({ query: 'x', regex: false, caseSensitive: false }).needle).toBeUndefined();
    expect(compileQuery({ query: 'x', regex: true, caseSensitive: true }).needle).toBeUndefined();
  });
});
