import { describe, expect, it } from 'vitest';
import { compileGlobs } from './globs.js';

function matches(pattern: string, relative: string, anyDepthWithoutSlash = false): boolean {
  return compileGlobs([pattern], { anyDepthWithoutSlash })!(relative);
}

describe('compileGlobs', () => {
  it.each([
    ['*.ts', 'a.ts', true],
    ['*.ts', 'src/a.ts', false],
    ['**/*.ts', 'a.ts', true],
    ['**/*.ts', 'src/x/a.ts', true],
    ['src/**', 'src', true],
    ['src/**', 'src/x/y', true],
    ['src/**', 'srcx', false],
    ['x/**/y', 'x/y', true],
    ['x/**/y', 'x/a/b/y', true],
    ['a**b', 'a/b', false],
    ['*.{ts,js}', 'a.js', true],
    ['{a,b{c,d}}/e', 'bd/e', true],
    ['{a,b{c,d}}/e', 'b/e', false],
    ['a?c', 'abc', true],
    ['a?c', 'a/c', false],
    ['[a-c]x', 'bx', true],
    ['[!a]x', 'ax', false],
    ['[!a]x', 'bx', true],
    ['[!a]x', '/x', false],
    ['[\\d]', 'd', true],
    ['[\\d]', '1', false],
    ['[\\]]', ']', true],
    ['\\*.md', '*.md', true],
    ['\\*.md', 'a.md', false],
    ['{1..3}', '1', false],
    ['{1..3}', '{1..3}', true],
    ['*', '.hidden', true],
    ['a.b', 'axb', false],
    ['(x|y)+', '(x|y)+', true],
  ])('%s against %s is %s', (pattern, relative, expected) => {
    expect(matches(pattern, relative)).toBe(expected);
  });

  it('matches a pattern without a slash at any depth when asked, and one with a slash from the root', () => {
    expect(matches('node_modules', 'a/node_modules', true)).toBe(true);
    expect(matches('node_modules', 'a/node_modules', false)).toBe(false);
    expect(matches('src/**', 'src/a.ts', true)).toBe(true);
    expect(matches('src/**', 'lib/src/a.ts', true)).toBe(false);
  });

  it('matches a pattern built to backtrack exponentially in time linear in the name', () => {
    const pattern = `${'*a'.repeat(40)}b`;
    expect(pattern.length).toBe(81);
    const test = compileGlobs([pattern], { anyDepthWithoutSlash: true })!;
    expect(test('a'.repeat(250))).toBe(false);
    expect(test(`${'a'.repeat(250)}b`)).toBe(true);
  });
});
