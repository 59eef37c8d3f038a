import { mkdirSync, writeFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pingThroughout } from '@plugboard/testing';
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

interface Match {
  path: string;
  line: number;
  column: number;
  text: string;
  before?: string[];
  after?: string[];
}

beforeEach(async () => {
  fixture = await createFixture();
  harness = await startHarness({ directories: [fixture.allowed], outputBytes: 4096 });
  await fs.mkdir(at('src', 'lib'), { recursive: true });
  await fs.writeFile(
    at('src', 'a.ts'),
    'import x from "y";\nconst TODO = 1;\n// todo: later\nexport {};\n',
  );
  await fs.writeFile(at('src', 'lib', 'b.ts'), 'function todo() {}\n');
  await fs.writeFile(at('src', 'notes.md'), '# TODO\n');
  await fs.writeFile(at('src', 'image.bin'), Buffer.from([0, 1, 2, 84, 79, 68, 79]));
  await fs.mkdir(at('node_modules'));
  await fs.writeFile(at('node_modules', 'dep.ts'), 'TODO in a dependency\n');
  await fs.writeFile(at('.gitignore'), 'node_modules\n');
});

afterEach(async () => {
  await harness.close();
  await fixture.cleanup();
});

describe('search_files', () => {
  it('matches globs against the relative path: * at the top, ** at any depth', async () => {
    const top = dataOf<{ matches: { path: string }[] }>(
      await harness.call('search_files', { path: 'src', pattern: '*.ts' }),
    );
    expect(top.matches.map((match) => match.path)).toEqual([at('src', 'a.ts')]);
    const deep = dataOf<{ matches: { path: string; type: string }[] }>(
      await harness.call('search_files', { path: fixture.allowed, pattern: '**/*.ts' }),
    );
    expect(deep.matches.map((match) => path.relative(fixture.allowed, match.path))).toEqual([
      'node_modules/dep.ts',
      'src/a.ts',
      'src/lib/b.ts',
    ]);
  });

  it('excludes by name at any depth, or by .gitignore', async () => {
    const excluded = dataOf<{ matches: { path: string }[] }>(
      await harness.call('search_files', {
        path: fixture.allowed,
        pattern: '**/*.ts',
        excludePatterns: ['node_modules'],
      }),
    );
    expect(excluded.matches).toHaveLength(2);
    const ignored = dataOf<{ matches: { path: string }[] }>(
      await harness.call('search_files', {
        path: fixture.allowed,
        pattern: '**/*.ts',
        respectGitignore: true,
      }),
    );
    expect(ignored.matches).toHaveLength(2);
  });

  it('says "No matches found" like the official server', async () => {
    expect(
      textOf(await harness.call('search_files', { path: fixture.allowed, pattern: '**/*.rs' })),
    ).toBe('No matches found');
  });

  it('pages with nextOffset through every match exactly once', async () => {
    await fs.mkdir(at('many'));
    await Promise.all(
      Array.from({ length: 200 }, (_, index) => fs.writeFile(at('many', `m${index}.md`), '')),
    );
    const seen: string[] = [];
    let offset: number | undefined = 0;
    let pages = 0;
    while (offset !== undefined) {
      const data: { matches: { path: string }[]; nextOffset?: number } = dataOf(
        await harness.call('search_files', { path: 'many', pattern: '*.md', offset }),
      );
      seen.push(...data.matches.map((match) => match.path));
      offset = data.nextOffset;
      pages++;
    }
    expect(pages).toBeGreaterThan(1);
    expect(new Set(seen).size).toBe(200);
    expect(seen).toHaveLength(200);
  });
});

describe('search_file_contents', () => {
  it('finds literal text with line and column, skipping binary files and ignored directories', async () => {
    const result = await harness.call('search_file_contents', {
      path: fixture.allowed,
      query: 'TODO',
    });
    const data = dataOf<{ matches: Match[]; filesSkipped: number }>(result);
    expect(
      data.matches.map((match) => [
        path.relative(fixture.allowed, match.path),
        match.line,
        match.column,
      ]),
    ).toEqual([
      ['src/a.ts', 2, 7],
      ['src/notes.md', 1, 3],
    ]);
    expect(data.filesSkipped).toBe(1);
    expect(textOf(result)).toBe(
      `${at('src', 'a.ts')}:2:const TODO = 1;\n${at('src', 'notes.md')}:1:# TODO`,
    );
  });

  it('ignores case when asked, and searches ignored files when .gitignore is off', async () => {
    const data = dataOf<{ matches: Match[] }>(
      await harness.call('search_file_contents', {
        path: fixture.allowed,
        query: 'todo',
        caseSensitive: false,
        respectGitignore: false,
      }),
    );
    expect(data.matches.map((match) => path.relative(fixture.allowed, match.path))).toEqual([
      'node_modules/dep.ts',
      'src/a.ts',
      'src/a.ts',
      'src/notes.md',
      'src/lib/b.ts',
    ]);
  });

  it('runs regular expressions, filtered by include patterns', async () => {
    const data = dataOf<{ matches: Match[] }>(
      await harness.call('search_file_contents', {
        path: fixture.allowed,
        query: '^(export|function)\\b',
        regex: true,
        includePatterns: ['*.ts'],
      }),
    );
    expect(data.matches.map((match) => match.text)).toEqual(['export {};', 'function todo() {}']);
    const invalid = await harness.call('search_file_contents', {
      path: fixture.allowed,
      query: '(unclosed',
      regex: true,
    });
    expect(textOf(invalid)).toMatch(/Invalid regular expression/);
  });

  it('returns context lines before and after, grep style', async () => {
    const result = await harness.call('search_file_contents', {
      path: 'src/a.ts',
      query: 'TODO',
      contextLines: 1,
    });
    expect(dataOf<{ matches: Match[] }>(result).matches).toEqual([
      {
        path: at('src', 'a.ts'),
        line: 2,
        column: 7,
        text: 'const TODO = 1;',
        before: ['import x from "y";'],
        after: ['// todo: later'],
      },
    ]);
    expect(textOf(result)).toBe(
      `${at('src', 'a.ts')}-1-import x from "y";\n${at('src', 'a.ts')}:2:const TODO = 1;\n${at('src', 'a.ts')}-3-// todo: later`,
    );
  });

  it('pages through many matches with nextOffset', async () => {
    await fs.writeFile(
      at('log.txt'),
      Array.from({ length: 500 }, (_, index) => `hit number ${index}`).join('\n'),
    );
    const lines: number[] = [];
    let offset: number | undefined = 0;
    while (offset !== undefined) {
      const data: { matches: Match[]; nextOffset?: number; truncated: boolean } = dataOf(
        await harness.call('search_file_contents', { path: 'log.txt', query: 'hit', offset }),
      );
      lines.push(...data.matches.map((match) => match.line));
      offset = data.nextOffset;
    }
    expect(lines).toEqual(Array.from({ length: 500 }, (_, index) => index + 1));
  });

  it('clips very long lines around the match', async () => {
    await fs.writeFile(at('min.js'), `${'a'.repeat(5000)}NEEDLE${'b'.repeat(5000)}`);
    const [match] = dataOf<{ matches: Match[] }>(
      await harness.call('search_file_contents', { path: 'min.js', query: 'NEEDLE' }),
    ).matches;
    expect(match!.column).toBe(5001);
    expect(match!.text.length).toBeLessThanOrEqual(402);
    expect(match!.text).toContain('NEEDLE');
  });
});

describe('progress', () => {
  it('reports walk progress to a client that asked for it', async () => {
    mkdirSync(at('wide'));
    for (let index = 0; index < 4500; index++) writeFileSync(at('wide', `f${index}.txt`), 'x');
    const seen: number[] = [];
    await harness.client.callTool(
      { name: 'search_file_contents', arguments: { path: 'wide', query: 'nothing-here' } },
      undefined,
      { onprogress: (progress) => seen.push(progress.progress) },
    );
    // Notifications every 2,000 entries; the SDK client drops the last one before the result.
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen[0]).toBe(2000);
  });
});

describe('searches on hostile trees and patterns', () => {
  /**
   * A chain of directories whose full path is longer than PATH_MAX, built by a rename; the
   * returned function takes it apart again, so the fixture can be removed.
   */
  async function deepTree(): Promise<() => Promise<void>> {
    const segment = 'd'.repeat(200);
    const chain = (root: string): string => path.join(root, ...Array<string>(15).fill(segment));
    await fs.mkdir(chain(at('deep')), { recursive: true });
    await fs.mkdir(chain(at('part')), { recursive: true });
    await fs.writeFile(path.join(chain(at('part')), 'needle.txt'), 'needle\n');
    await fs.rename(at('part'), path.join(chain(at('deep')), 'part'));
    return () => fs.rename(path.join(chain(at('deep')), 'part'), at('part'));
  }

  it('say which directories were past the path length limit instead of a clean "no matches"', async () => {
    const undo = await deepTree();
    try {
      const names = dataOf<{ matches: unknown[]; truncated: boolean; skippedDirectories: number }>(
        await harness.call('search_files', { path: 'deep', pattern: '**/needle.txt' }),
      );
      expect(names.matches).toEqual([]);
      expect(names.skippedDirectories).toBeGreaterThan(0);
      const contents = await harness.call('search_file_contents', {
        path: 'deep',
        query: 'needle',
      });
      expect(dataOf<{ skippedDirectories: number }>(contents).skippedDirectories).toBeGreaterThan(
        0,
      );
      expect(textOf(contents)).toMatch(
        /could not be searched, \d+ of them deeper than the system's path length limit/,
      );
      const shallow = await harness.call('search_files', { path: 'src', pattern: '**' });
      expect(shallow.structuredContent).not.toHaveProperty('skippedDirectories');
    } finally {
      await undo();
    }
  });

  it('match a glob built to backtrack exponentially while ping keeps answering', async () => {
    await fs.writeFile(at('a'.repeat(250)), '');
    const pattern = `${'*a'.repeat(40)}b`;
    const { result } = await pingThroughout(
      harness.client,
      harness.call('search_files', { path: fixture.allowed, pattern: `**/${pattern}` }),
    );
    expect(dataOf<{ matches: unknown[] }>(result).matches).toEqual([]);
    const excluded = await harness.call('search_file_contents', {
      path: fixture.allowed,
      query: 'TODO',
      excludePatterns: [pattern],
    });
    expect(excluded.isError).toBeFalsy();
  });
});
