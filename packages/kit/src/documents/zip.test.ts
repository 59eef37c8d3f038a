import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DocumentError } from './errors.js';
import { zipFile } from './test-support/files.js';
import { openArchive, readDirectory } from './zip.js';

const LOOSE = { maxInflatedBytes: 1024, maxRatio: Number.POSITIVE_INFINITY };

/** `archive` with every declared uncompressed size rewritten to `size`: a header that lies. */
function lyingSizes(archive: Buffer, size: number): Buffer {
  const copy = Buffer.from(archive);
  for (const entry of readDirectory(copy).values()) {
    copy.writeUInt32LE(size, entry.localOffset + 22);
  }
  for (let at = copy.indexOf('PK\x01\x02'); at !== -1; at = copy.indexOf('PK\x01\x02', at + 4))
    copy.writeUInt32LE(size, at + 24);
  return copy;
}

describe('ZIP reading', () => {
  it('reads deflated entries and says when one is missing', () => {
    const archive = openArchive(zipFile({ 'a.txt': 'alpha', 'dir/b.xml': '<b/>' }), LOOSE);
    expect(archive.text('a.txt')).toBe('alpha');
    expect(archive.text('dir/b.xml')).toBe('<b/>');
    expect(archive.text('missing')).toBeUndefined();
  });

  it('refuses an entry that inflates past the limit, even when its header claims it is small', () => {
    const bomb = lyingSizes(zipFile({ 'word/document.xml': ' '.repeat(8 * 1024 * 1024) }), 10);
    expect(bomb.length).toBeLessThan(64 * 1024);
    const archive = openArchive(bomb, { maxInflatedBytes: 1024 * 1024, maxRatio: Infinity });
    expect(() => archive.text('word/document.xml')).toThrow(/more than the 1048576 bytes allowed/);
  });

  it('refuses an entry that expands past the ratio, whatever its header says', () => {
    const bomb = zipFile({ 'word/document.xml': ' '.repeat(8 * 1024 * 1024) });
    for (const archive of [bomb, lyingSizes(bomb, 10)]) {
      const open = openArchive(archive, { maxInflatedBytes: 64 * 1024 * 1024, maxRatio: 100 });
      expect(() => open.text('word/document.xml')).toThrow(
        /expands more than 100 times its compressed size .* ZIP bomb/,
      );
    }
    // Small entries may compress as well as they like.
    const small = openArchive(zipFile({ a: ' '.repeat(64 * 1024) }), {
      maxInflatedBytes: 1024 * 1024,
      maxRatio: 100,
    });
    expect(small.text('a')).toHaveLength(64 * 1024);
    expect(deflateRawSync(' '.repeat(64 * 1024)).length * 100).toBeLessThan(64 * 1024);
  });

  it('counts every entry read against one budget for the archive', () => {
    const archive = openArchive(zipFile({ a: 'x'.repeat(600), b: 'y'.repeat(600) }), {
      ...LOOSE,
      maxInflatedBytes: 1000,
    });
    expect(archive.text('a')).toHaveLength(600);
    expect(() => archive.text('b')).toThrow(DocumentError);
  });

  it('refuses what is not a ZIP archive', () => {
    expect(() => readDirectory(Buffer.from('%PDF-1.4 not a zip at all, just some bytes'))).toThrow(
      DocumentError,
    );
    const archive = zipFile({ a: 'x' });
    expect(() => readDirectory(archive.subarray(0, archive.length - 30))).toThrow(DocumentError);
  });
});
