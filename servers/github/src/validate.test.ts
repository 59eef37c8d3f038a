import { ToolError } from '@plugboard/protocol';
import { describe, expect, it } from 'vitest';
import {
  checkOwner,
  checkRef,
  checkRepo,
  checkRepoPath,
  checkSegment,
  printable,
} from './validate.js';

describe('checkOwner and checkRepo', () => {
  it('accept GitHub account and repository names', () => {
    expect(checkOwner('octo-cat')).toBe('octo-cat');
    expect(checkRepo('my.repo_name-2')).toBe('my.repo_name-2');
    expect(checkRepo('.github')).toBe('.github');
  });

  it('refuse anything that could be read as more than one path segment', () => {
    for (const value of ['..', 'a/b', 'a?b', 'a#b', '', 'x'.repeat(40), 'a b', 'a%2fb'])
      expect(() => checkOwner(value)).toThrow(ToolError);
    for (const value of ['.', '..', 'a/b', 'a?b', '', 'x'.repeat(101), 'a\nb'])
      expect(() => checkRepo(value)).toThrow(ToolError);
  });
});

describe('checkRepoPath', () => {
  it('drops a leading or trailing slash and keeps the rest as written', () => {
    expect(checkRepoPath('/src/index.ts')).toBe('src/index.ts');
    expect(checkRepoPath('docs/')).toBe('docs');
    expect(checkRepoPath('a b/ü+%x.md')).toBe('a b/ü+%x.md');
  });

  it('treats an empty path as the root only when asked to', () => {
    expect(checkRepoPath('', 'path', true)).toBe('');
    expect(checkRepoPath('/', 'path', true)).toBe('');
    expect(() => checkRepoPath('')).toThrow(/path inside the repository is required/);
  });

  it('refuses dot segments, encoded dots, empty segments and URL syntax', () => {
    for (const value of [
      '..',
      '../x',
      'a/../b',
      'a/./b',
      '%2e%2e/x',
      '.%2E/x',
      '%2e',
      'a//b',
      'a?b',
      'a#b',
      'a\\b',
      'a\u0000b',
      'a\nb',
    ])
      expect(() => checkRepoPath(value), value).toThrow(ToolError);
  });

  it('allows names that merely contain dots', () => {
    expect(checkRepoPath('.github/workflows/ci.yml')).toBe('.github/workflows/ci.yml');
    expect(checkRepoPath('a/..b/c...')).toBe('a/..b/c...');
  });
});

describe('checkRef', () => {
  it('accepts branch, tag and commit names', () => {
    for (const value of [
      'main',
      'feature/login',
      'v1.2.3',
      'a'.repeat(40),
      'refs/heads/x',
      'fix#12',
    ])
      expect(checkRef(value)).toBe(value);
  });

  it('refuses what git check-ref-format refuses, and URL syntax', () => {
    for (const value of [
      '',
      '..',
      'a..b',
      'a b',
      'a~1',
      'a^',
      'a:b',
      'a?x=1',
      'a*',
      'a[',
      'a\\b',
      '-x',
      '/a',
      'a/',
      'a//b',
      'a.',
      'a.lock',
      'a/.b',
      '@',
      'a@{1}',
      'a%2e',
    ])
      expect(() => checkRef(value), value).toThrow(ToolError);
  });
});

describe('checkSegment', () => {
  it('accepts free-form names but not dot segments or control characters', () => {
    expect(checkSegment('good first issue', 'name')).toBe('good first issue');
    expect(checkSegment('a/b', 'name')).toBe('a/b');
    for (const value of ['.', '..', '%2e%2e', '', 'a\tb'])
      expect(() => checkSegment(value, 'name')).toThrow(ToolError);
  });
});

describe('printable', () => {
  it('quotes values in one short visible line', () => {
    expect(printable('a\nb\u202ec')).toBe('a?b?c');
    expect(printable('x'.repeat(100))).toHaveLength(81);
  });
});
