import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createFixture,
  dataOf,
  startHarness,
  textOf,
  type Fixture,
  type Harness,
} from '../../test/harness.js';

let fixture: Fixture;
let harness: Harness;

beforeEach(async () => {
  fixture = await createFixture();
  harness = await startHarness({
    directories: [fixture.allowed],
    outputBytes: 2048,
    mediaBytes: 1024,
  });
});

afterEach(async () => {
  await harness.close();
  await fixture.cleanup();
});

const numbered = (count: number): string =>
  Array.from({ length: count }, (_, index) => `line ${index + 1}\n`).join('');

describe('read_text_file', () => {
  it('returns the file as text exactly, like the official server, when it fits', async () => {
    const result = await harness.call('read_text_file', {
      path: path.join(fixture.allowed, 'hello.txt'),
    });
    expect(textOf(result)).toBe('hello\nworld\n');
    expect(dataOf(result)).toMatchObject({
      content: 'hello\nworld\n',
      lines: 2,
      totalLines: 2,
      size: 12,
      truncated: false,
    });
  });

  it('supports head and tail, and refuses both at once', async () => {
    await fs.writeFile(path.join(fixture.allowed, 'n.txt'), numbered(10));
    expect(textOf(await harness.call('read_text_file', { path: 'n.txt', head: 2 }))).toMatch(
      /^line 1\nline 2\n\[lines 1-2 .*offset 2 to continue\]$/,
    );
    expect(
      dataOf<{ content: string }>(await harness.call('read_text_file', { path: 'n.txt', tail: 2 }))
        .content,
    ).toBe('line 9\nline 10\n');
    const both = await harness.call('read_text_file', { path: 'n.txt', head: 1, tail: 1 });
    expect(both.isError).toBe(true);
    expect(textOf(both)).toMatch(/head or tail/);
  });

  it('reads by offset and limit, negative offsets from the end', async () => {
    await fs.writeFile(path.join(fixture.allowed, 'n.txt'), numbered(10));
    expect(
      dataOf(await harness.call('read_text_file', { path: 'n.txt', offset: 3, limit: 2 })),
    ).toMatchObject({ content: 'line 4\nline 5\n', startLine: 4, nextOffset: 5 });
    expect(
      dataOf<{ content: string }>(
        await harness.call('read_text_file', { path: 'n.txt', offset: -3, limit: 1 }),
      ).content,
    ).toBe('line 8\n');
  });

  it('cuts at the byte budget, says truncated and how to continue', async () => {
    await fs.writeFile(path.join(fixture.allowed, 'big.txt'), numbered(1000));
    const result = await harness.call('read_text_file', { path: 'big.txt' });
    const data = dataOf<{ content: string; truncated: boolean; nextOffset: number; size: number }>(
      result,
    );
    expect(data.truncated).toBe(true);
    expect(Buffer.byteLength(data.content)).toBeLessThanOrEqual(2048);
    expect(textOf(result)).toContain(
      `Call read_text_file with offset ${data.nextOffset} to continue`,
    );
    const next = dataOf<{ startLine: number; content: string }>(
      await harness.call('read_text_file', { path: 'big.txt', offset: data.nextOffset }),
    );
    expect(next.startLine).toBe(data.nextOffset + 1);
    expect(next.content.startsWith(`line ${data.nextOffset + 1}\n`)).toBe(true);
  });

  it('lets maxBytes lower the budget but never raise it', async () => {
    await fs.writeFile(path.join(fixture.allowed, 'big.txt'), numbered(1000));
    expect(
      Buffer.byteLength(
        dataOf<{ content: string }>(
          await harness.call('read_text_file', { path: 'big.txt', maxBytes: 30 }),
        ).content,
      ),
    ).toBeLessThanOrEqual(30);
    expect(
      Buffer.byteLength(
        dataOf<{ content: string }>(
          await harness.call('read_text_file', { path: 'big.txt', maxBytes: 1e9 }),
        ).content,
      ),
    ).toBeLessThanOrEqual(2048);
  });

  it('refuses binary files and points to read_media_file', async () => {
    await fs.writeFile(path.join(fixture.allowed, 'b.bin'), Buffer.from([1, 2, 0, 3]));
    const result = await harness.call('read_text_file', { path: 'b.bin' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/read_media_file/);
  });

  it('read_file is the same tool under its deprecated name', async () => {
    expect(textOf(await harness.call('read_file', { path: 'hello.txt', head: 1 }))).toMatch(
      /^hello\n/,
    );
  });

  it('says a missing file is missing', async () => {
    const result = await harness.call('read_text_file', { path: 'nope.txt' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/No such file/);
  });
});

describe('read_media_file', () => {
  it('returns images as image content and other files as an embedded blob', async () => {
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    await fs.writeFile(path.join(fixture.allowed, 'p.png'), png);
    await fs.writeFile(path.join(fixture.allowed, 'd.pdf'), Buffer.from('%PDF-1.4'));
    const image = await harness.call('read_media_file', { path: 'p.png' });
    expect(image.content[0]).toEqual({
      type: 'image',
      data: png.toString('base64'),
      mimeType: 'image/png',
    });
    const blob = await harness.call('read_media_file', { path: 'd.pdf' });
    expect(blob.content[0]).toMatchObject({
      type: 'resource',
      resource: { mimeType: 'application/pdf', blob: Buffer.from('%PDF-1.4').toString('base64') },
    });
  });

  it('refuses files above the media limit', async () => {
    await fs.writeFile(path.join(fixture.allowed, 'big.mp3'), Buffer.alloc(2000, 1));
    const result = await harness.call('read_media_file', { path: 'big.mp3' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/up to 1\.00 KB/);
  });
});

describe('read_multiple_files', () => {
  it('reads each file, reports failures inline, and shares one budget', async () => {
    await fs.writeFile(path.join(fixture.allowed, 'big.txt'), numbered(1000));
    const result = await harness.call('read_multiple_files', {
      paths: ['hello.txt', 'missing.txt', 'big.txt', 'hello.txt'],
    });
    const { files, truncated } = dataOf<{
      files: {
        path: string;
        content?: string;
        error?: string;
        truncated?: boolean;
        nextOffset?: number;
      }[];
      truncated: boolean;
    }>(result);
    expect(files[0]).toMatchObject({ path: 'hello.txt', content: 'hello\nworld\n' });
    expect(files[1]?.error).toMatch(/No such file/);
    expect(files[2]).toMatchObject({ path: 'big.txt', truncated: true });
    expect(files[2]?.nextOffset).toBeGreaterThan(0);
    expect(files[3]).toMatchObject({ truncated: true });
    expect(files[3]?.content).toBeUndefined();
    expect(truncated).toBe(true);
    expect(textOf(result)).toMatch(
      /^hello\.txt:\nhello\nworld\n\n\n---\nmissing\.txt: Error - No such file/,
    );
  });
});
