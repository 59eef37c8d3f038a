import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLines, type LineRange } from './read-text.js';

let directory: string;

beforeAll(async () => {
  directory = await fs.mkdtemp(path.join(os.tmpdir(), 'read-text-'));
});

afterAll(async () => {
  await fs.rm(directory, { recursive: true, force: true });
});

async function read(
  content: string | Buffer,
  offset: number,
  limit: number | undefined,
  maxBytes = 1 << 20,
): Promise<LineRange> {
  const file = path.join(directory, `f-${Math.random().toString(36).slice(2)}`);
  await fs.writeFile(file, content);
  const handle = await fs.open(file);
  try {
    return await readLines(handle.fd, (await handle.stat()).size, { offset, limit, maxBytes });
  } finally {
    await handle.close();
  }
}

/** Reads a file page by page following nextOffset, as a model would. */
async function pageThrough(
  content: string,
  start: number,
  maxBytes: number,
): Promise<{ text: string; pages: number }> {
  const file = path.join(directory, `p-${Math.random().toString(36).slice(2)}`);
  await fs.writeFile(file, content);
  const handle = await fs.open(file);
  let text = '';
  let pages = 0;
  try {
    const size = (await handle.stat()).size;
    let offset: number | undefined = start;
    while (offset !== undefined) {
      const range = await readLines(handle.fd, size, { offset, limit: undefined, maxBytes });
      text += range.content;
      pages++;
      offset = range.nextOffset;
      if (pages > 10_000) throw new Error('no progress');
    }
  } finally {
    await handle.close();
  }
  return { text, pages };
}

const lines = (count: number, prefix = 'line'): string =>
  Array.from({ length: count }, (_, index) => `${prefix} ${index + 1}\n`).join('');

describe('readLines', () => {
  it('returns a whole small file with its line count', async () => {
    expect(await read('a\nb\nc\n', 0, undefined)).toMatchObject({
      content: 'a\nb\nc\n',
      startLine: 1,
      lines: 3,
      totalLines: 3,
      truncated: false,
      nextOffset: undefined,
    });
  });

  it('counts a last line without a newline', async () => {
    expect(await read('a\nb', 0, undefined)).toMatchObject({
      content: 'a\nb',
      lines: 2,
      totalLines: 2,
    });
  });

  it('reads an empty file as no lines', async () => {
    expect(await read('', 0, undefined)).toMatchObject({
      content: '',
      lines: 0,
      totalLines: 0,
      nextOffset: undefined,
    });
  });

  it('reads the first N lines (head) and says where to continue', async () => {
    expect(await read(lines(10), 0, 3)).toMatchObject({
      content: 'line 1\nline 2\nline 3\n',
      lines: 3,
      truncated: false,
      nextOffset: 3,
    });
  });

  it('reads a range from an offset', async () => {
    expect(await read(lines(10), 4, 2)).toMatchObject({
      content: 'line 5\nline 6\n',
      startLine: 5,
      lines: 2,
      nextOffset: 6,
    });
  });

  it('reports the line count when the offset is past the end', async () => {
    expect(await read(lines(5), 9, undefined)).toMatchObject({
      content: '',
      lines: 0,
      totalLines: 5,
    });
    expect(await read('a\nb', 7, undefined)).toMatchObject({ content: '', totalLines: 2 });
  });

  it('reads the last N lines for a negative offset, ignoring the final newline', async () => {
    expect(await read(lines(10), -2, undefined)).toMatchObject({
      content: 'line 9\nline 10\n',
      lines: 2,
      nextOffset: undefined,
      startLine: undefined,
    });
    expect(await read('a\nb\nc', -2, undefined)).toMatchObject({ content: 'b\nc' });
    expect(await read('a\nb\n', -5, undefined)).toMatchObject({ content: 'a\nb\n' });
  });

  it('strips a UTF-8 byte order mark at the start', async () => {
    expect(
      (
        await read(
          Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('hi\n')]),
          0,
          undefined,
        )
      ).content,
    ).toBe('hi\n');
  });

  it('cuts at a line end within the budget and continues exactly from there', async () => {
    const range = await read(lines(100), 0, undefined, 50);
    expect(range.truncated).toBe(true);
    expect(Buffer.byteLength(range.content)).toBeLessThanOrEqual(50);
    expect(range.content.endsWith('\n')).toBe(true);
    expect(range.nextOffset).toBe(range.lines);
  });

  it('pages through a file larger than the read chunk without losing or repeating a byte', async () => {
    const content = Array.from(
      { length: 9000 },
      (_, index) => `${index} ${'é'.repeat(index % 40)} ${'x'.repeat(index % 13)}\n`,
    ).join('');
    expect(Buffer.byteLength(content)).toBeGreaterThan(3 * 64 * 1024);
    const { text, pages } = await pageThrough(content, 0, 10_000);
    expect(text).toBe(content);
    expect(pages).toBeGreaterThan(10);
  });

  it('pages through the tail of a file with negative offsets', async () => {
    const content = lines(2000);
    const { text } = await pageThrough(content, -500, 1000);
    expect(text).toBe(lines(2000).split('\n').slice(1500).join('\n'));
  });

  it('cuts a line longer than the budget at a character boundary and moves past it', async () => {
    const content = `${'ü'.repeat(100)}\nnext\n`;
    const range = await read(content, 0, undefined, 51);
    expect(range).toMatchObject({ truncated: true, longLine: true, lines: 1, nextOffset: 1 });
    expect(range.content).toBe('ü'.repeat(25));
    expect((await read(content, range.nextOffset!, undefined, 51)).content).toBe('next\n');
  });
});
