import { describe, expect, it } from 'vitest';
import { isWithin } from './within.js';

describe('isWithin', () => {
  it('compares by segments, not string prefixes', () => {
    expect(isWithin('/a/allowed', '/a/allowed', 'linux')).toBe(true);
    expect(isWithin('/a/allowed/x', '/a/allowed', 'linux')).toBe(true);
    expect(isWithin('/a/allowed_evil/x', '/a/allowed', 'linux')).toBe(false);
    expect(isWithin('/a/allowed.old', '/a/allowed', 'linux')).toBe(false);
    expect(isWithin('/anything', '/', 'linux')).toBe(true);
    expect(isWithin('/a', '/a/allowed', 'linux')).toBe(false);
    expect(isWithin('/a/allowed/..x', '/a/allowed', 'linux')).toBe(true);
  });

  it('does not fold case or Unicode normalisation on POSIX, and folds case on Windows', () => {
    expect(isWithin('/A/x', '/a', 'linux')).toBe(false);
    expect(isWithin('/cafe\u0301/x', '/caf\u00e9', 'linux')).toBe(false);
    expect(isWithin('C:\\Users\\X\\y', 'c:\\users\\x', 'win32')).toBe(true);
  });
});
