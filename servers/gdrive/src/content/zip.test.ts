import { describe, expect, it } from 'vitest';
import { zip } from '../../test/fixtures.js';
import { openArchive, readDirectory, ZipError } from './zip.js';

describe('ZIP reading', () => {
  it('reads stored and deflated entries', () => {
    for (const store of [true, false]) {
      const archive = openArchive(zip({ 'a.txt': 'alpha', 'dir/b.xml': '<b/>' }, { store }), 1024);
      expect(archive.text('a.txt')).toBe('alpha');
      expect(archive.text('dir/b.xml')).toBe('<b/>');
      expect(archive.text('missing')).toBeUndefined();
    }
  });

  it('refuses an entry that inflates past the limit, even when its header claims it is small', () => {
    const bomb = zip(
      { 'word/document.xml': Buffer.alloc(8 * 1024 * 1024, 0x20) },
      { declaredSize: 10 },
    );
    expect(bomb.length).toBeLessThan(64 * 1024);
    const archive = openArchive(bomb, 1024 * 1024);
    expect(() => archive.text('word/document.xml')).toThrow(/more than the 1048576 bytes allowed/);
  });

  it('counts every entry read against one budget for the archive', () => {
    const archive = openArchive(zip({ a: 'x'.repeat(600), b: 'y'.repeat(600) }), 1000);
    expect(archive.text('a')).toHaveLength(600);
    expect(() => archive.text('b')).toThrow(ZipError);
  });

  it('refuses what is not a ZIP archive', () => {
    expect(() => readDirectory(Buffer.from('%PDF-1.4 not a zip at all, just some bytes'))).toThrow(
      ZipError,
    );
    const archive = zip({ a: 'x' });
    expect(() => readDirectory(archive.subarray(0, archive.length - 30))).toThrow(ZipError);
  });
});
