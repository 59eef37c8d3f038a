import { describe, expect, it } from 'vitest';
import { isValidRefName, rejectOption } from './validate.js';

describe('isValidRefName', () => {
  it('accepts ordinary branch and tag names', () => {
    for (const name of ['main', 'feature/login', 'v1.2.3', 'release-2024_01', 'a.b/c'])
      expect(isValidRefName(name), name).toBe(true);
  });

  it('refuses what git check-ref-format refuses, and leading dashes', () => {
    for (const name of [
      '',
      '-D',
      '--orphan=x',
      'a..b',
      'a b',
      'a~1',
      'a^',
      'a:b',
      'a?',
      'a*',
      'a[',
      'a\\b',
      '.hidden',
      'a/.b',
      'x.lock',
      'a/',
      '/a',
      'a//b',
      'a@{1}',
      '@',
      'end.',
      'tab\tname',
    ]) {
      expect(isValidRefName(name), JSON.stringify(name)).toBe(false);
    }
  });
});

describe('rejectOption', () => {
  it('refuses values that start with a dash or carry control characters', () => {
    expect(() => rejectOption('-c', 'x')).toThrow(/must not start with "-"/);
    expect(() => rejectOption('--output=/tmp/x', 'x')).toThrow(/must not start with "-"/);
    expect(() => rejectOption('main\nx', 'x')).toThrow(/control/);
    expect(rejectOption('HEAD~2', 'x')).toBe('HEAD~2');
  });
});
