import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pageOf, textWindow } from './utf8.js';

/** Pages a text from offset 0 to the end, as a model following nextOffset would. */
function allPages(text: string, maxBytes: number): string[] {
  const pages: string[] = [];
  let offset: number | undefined = 0;
  while (offset !== undefined) {
    const page = pageOf(text, offset, maxBytes);
    pages.push(page.text);
    offset = page.nextOffset;
  }
  return pages;
}

describe('paging text by UTF-8 offsets', () => {
  it('never splits a character and loses nothing when pages are joined', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 400 }),
        fc.integer({ min: 4, max: 64 }),
        (text, maxBytes) => {
          const pages = allPages(text, maxBytes);
          expect(pages.join('')).toBe(text);
          for (const page of pages) {
            expect(Buffer.byteLength(page)).toBeLessThanOrEqual(maxBytes);
            expect(page).not.toContain('\uFFFD');
          }
        },
      ),
    );
  });

  it('ends a page at a line break in its last quarter', () => {
    const text = `${'a'.repeat(90)}\n${'b'.repeat(50)}`;
    const page = pageOf(text, 0, 100);
    expect(page.text).toBe(`${'a'.repeat(90)}\n`);
    expect(page.nextOffset).toBe(91);
  });

  it('starts after a partial character when an offset lands inside one', () => {
    const text = 'é€x';
    const page = pageOf(text, 1, 100);
    expect(page.text).toBe('€x');
    expect(page.offset).toBe(2);
  });

  it('keeps a chunk that may continue from ending in half a character', () => {
    const bytes = Buffer.from('ab€', 'utf8');
    const window = textWindow(bytes.subarray(0, 4), 10, false);
    expect(bytes.subarray(window.start, window.end).toString('utf8')).toBe('ab');
  });
});
