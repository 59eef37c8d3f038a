import { describe, expect, it } from 'vitest';
import { entryPath } from './names.js';

describe('entryPath', () => {
  it('accepts plain relative names, dropping empty and "." segments', () => {
    expect(entryPath('a/b.txt')).toEqual({ segments: ['a', 'b.txt'] });
    expect(entryPath('./a//b/')).toEqual({ segments: ['a', 'b'] });
    expect(entryPath('..a/b..')).toEqual({ segments: ['..a', 'b..'] });
  });

  it.each([
    ['../x', /"\.\."/],
    ['a/../../x', /"\.\."/],
    ['a/..', /"\.\."/],
    ['/etc/passwd', /absolute/],
    ['C:/Windows/x', /drive letter/],
    ['c:x', /drive letter/],
    ['..\\x', /backslash/],
    ['a\\b', /backslash/],
    ['a/b:stream', /colon/],
    ['a\u0000b', /control character/],
    ['a\nb', /control character/],
    ['', /empty/],
    ['./', /empty/],
    [`${'n'.repeat(256)}/x`, /over 255 bytes/],
  ])('refuses %j', (name, reason) => {
    const result = entryPath(name);
    expect(result.segments).toBeUndefined();
    expect(result.problem).toMatch(reason);
  });
});
