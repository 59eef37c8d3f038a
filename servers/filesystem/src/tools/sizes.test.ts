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
const at = (...names: string[]): string => path.join(fixture.allowed, ...names);

beforeEach(async () => {
  fixture = await createFixture();
  harness = await startHarness({ directories: [fixture.allowed] });
});

afterEach(async () => {
  await harness.close();
  await fixture.cleanup();
});

interface Sizes {
  bytes: number;
  files: number;
  directories: number;
  others: number;
  largestFiles: { path: string; bytes: number }[];
  largestDirectories: { path: string; bytes: number }[];
  complete: boolean;
  truncated: boolean;
}

describe('get_directory_size', () => {
  beforeEach(async () => {
    await fs.mkdir(at('tree', 'big', 'deeper'), { recursive: true });
    await fs.mkdir(at('tree', 'small'));
    await fs.writeFile(at('tree', 'big', 'deeper', 'a.bin'), Buffer.alloc(5000));
    await fs.writeFile(at('tree', 'big', 'b.bin'), Buffer.alloc(3000));
    await fs.writeFile(at('tree', 'small', 'c.txt'), 'x'.repeat(100));
    await fs.writeFile(at('tree', 'top.txt'), 'y'.repeat(10));
    await fs.writeFile(path.join(fixture.outside, 'huge.bin'), Buffer.alloc(1_000_000));
    await fs.symlink(fixture.outside, at('tree', 'out'));
  });

  it('sums the tree, lists the largest entries and never follows a symlink out', async () => {
    const link = (await fs.lstat(at('tree', 'out'))).size;
    const data = dataOf<Sizes>(await harness.call('get_directory_size', { path: 'tree' }));
    expect(data).toMatchObject({
      bytes: 8110 + link,
      files: 4,
      directories: 3,
      others: 1,
      complete: true,
      truncated: false,
    });
    expect(data.largestFiles.map((item) => [path.basename(item.path), item.bytes])).toEqual([
      ['a.bin', 5000],
      ['b.bin', 3000],
      ['c.txt', 100],
      ['top.txt', 10],
    ]);
    expect(data.largestDirectories).toEqual([
      { path: at('tree', 'big'), bytes: 8000 },
      { path: at('tree', 'big', 'deeper'), bytes: 5000 },
      { path: at('tree', 'small'), bytes: 100 },
    ]);
  });

  it('honours largest and excludePatterns', async () => {
    const data = dataOf<Sizes>(
      await harness.call('get_directory_size', {
        path: 'tree',
        largest: 1,
        excludePatterns: ['deeper', 'out'],
      }),
    );
    expect(data).toMatchObject({ bytes: 3110, files: 3, directories: 2 });
    expect(data.largestFiles).toEqual([{ path: at('tree', 'big', 'b.bin'), bytes: 3000 }]);
    expect(data.largestDirectories).toEqual([{ path: at('tree', 'big'), bytes: 3000 }]);
  });

  it('refuses a file, a missing path and a path outside', async () => {
    expect(textOf(await harness.call('get_directory_size', { path: 'tree/top.txt' }))).toMatch(
      /get_file_info/,
    );
    expect(textOf(await harness.call('get_directory_size', { path: 'nope' }))).toMatch(
      /No such directory/,
    );
    const outside = await harness.call('get_directory_size', { path: fixture.outside });
    expect(outside.isError).toBe(true);
    expect(textOf(outside)).not.toMatch(/huge/);
  });

  it('keeps the lists within the output budget', async () => {
    await harness.close();
    harness = await startHarness({ directories: [fixture.allowed], outputBytes: 1024 + 300 });
    const long = 'n'.repeat(200);
    for (let i = 0; i < 5; i++) await fs.writeFile(at('tree', `${long}${i}`), 'z');
    const data = dataOf<Sizes>(
      await harness.call('get_directory_size', { path: 'tree', largest: 100 }),
    );
    expect(data.truncated).toBe(true);
    expect(data.largestFiles.length + data.largestDirectories.length).toBeLessThan(12);
    expect(data.files).toBe(9);
  });
});
