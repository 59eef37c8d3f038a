import { describe, expect, it } from 'vitest';
import { expandHome, pathFormProblem } from './path-forms.js';

describe('pathFormProblem', () => {
  it('accepts ordinary absolute and relative paths, including literal backslashes on POSIX', () => {
    for (const ok of ['/a/b.txt', 'b.txt', './x/../y', 'a\\..\\b', '~/x', '%2e%2e/x', 'caf\u00e9'])
      expect(pathFormProblem(ok, 'linux'), ok).toBeUndefined();
  });

  it('refuses empty paths, NUL bytes and over-long paths or names', () => {
    expect(pathFormProblem('', 'linux')).toMatch(/empty/);
    expect(pathFormProblem('a\u0000b', 'linux')).toMatch(/NUL/);
    expect(pathFormProblem(`/${'a'.repeat(5000)}`, 'linux')).toMatch(/longer than 4096/);
    expect(pathFormProblem(`/${'é'.repeat(128)}`, 'linux')).toMatch(/255 bytes/);
  });

  it('refuses Windows drive, UNC, device and stream forms on POSIX', () => {
    expect(pathFormProblem('C:\\x', 'linux')).toMatch(/drive/);
    expect(pathFormProblem('c:/x', 'linux')).toMatch(/drive/);
    expect(pathFormProblem('\\\\server\\share', 'linux')).toMatch(/UNC/);
    expect(pathFormProblem('//?/C:/x', 'linux')).toMatch(/UNC/);
    expect(pathFormProblem('//./pipe/x', 'linux')).toMatch(/UNC/);
    expect(pathFormProblem('a.txt:stream', 'linux')).toMatch(/stream/);
    expect(pathFormProblem('/a/b.txt::$DATA', 'linux')).toMatch(/stream/);
  });

  it('accepts drive paths on Windows but not drive-relative ones or streams', () => {
    expect(pathFormProblem('C:\\Users\\x', 'win32')).toBeUndefined();
    expect(pathFormProblem('C:Users', 'win32')).toMatch(/drive-relative/);
    expect(pathFormProblem('C:\\Users\\x.txt:hidden', 'win32')).toMatch(/stream/);
    expect(pathFormProblem('\\\\?\\C:\\x', 'win32')).toMatch(/UNC/);
  });
});

describe('expandHome', () => {
  it('expands ~ and ~/ only', () => {
    expect(expandHome('~', '/home/u')).toBe('/home/u');
    expect(expandHome('~/x', '/home/u')).toBe('/home/u/x');
    expect(expandHome('~other/x', '/home/u')).toBe('~other/x');
    expect(expandHome('a/~/x', '/home/u')).toBe('a/~/x');
  });
});
