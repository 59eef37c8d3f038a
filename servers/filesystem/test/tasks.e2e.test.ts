/**
 * @module
 * Long work as tasks (the 2026-07-28 tasks extension) in the built server: `search_file_contents`
 * and `directory_tree` declare task support; a search over a big tree runs as a task that is
 * polled and finishes with its result, or is cancelled while it works; a client without the
 * extension gets the same search within the call.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rawStdio, taskDriver, tmpDir, type RawStdioPeer, type TmpDir } from '@plugboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SERVER = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const DIRECTORIES = 40;
const FILES_PER_DIRECTORY = 100;
const FILE = Buffer.alloc(32 * 1024, 'lorem ipsum dolor sit amet\n');

let root: TmpDir;
let peer: RawStdioPeer;

beforeAll(async () => {
  root = await tmpDir('fs-tasks-');
  for (let d = 0; d < DIRECTORIES; d++) {
    const directory = path.join(root.path, `d${d}`);
    await mkdir(directory);
    for (let f = 0; f < FILES_PER_DIRECTORY; f++)
      await writeFile(path.join(directory, `f${f}.txt`), FILE);
  }
  await writeFile(path.join(root.path, 'd39', 'needle.txt'), 'a haystack\nthe needle is here\n');
  peer = rawStdio({ command: process.execPath, args: [SERVER, root.path] });
}, 120_000);

afterAll(async () => {
  await peer?.close();
  await root?.cleanup();
});

describe('long filesystem work as tasks', () => {
  it('lists the search and the tree as task-capable, nothing else', async () => {
    expect(await taskDriver(peer).taskCapableTools()).toEqual([
      ['directory_tree', { taskSupport: 'optional' }],
      ['search_file_contents', { taskSupport: 'optional' }],
    ]);
  });

  it('runs a search over a big tree as a task, polled until it finishes with the result', async () => {
    const tasks = taskDriver(peer);
    const created = await tasks.start('search_file_contents', {
      path: root.path,
      query: 'needle',
    });
    expect(created.status).toBe('working');
    const done = await tasks.until(created.taskId, 'completed');
    expect(done).toMatchObject({
      status: 'completed',
      result: {
        structuredContent: {
          matches: [{ path: expect.stringContaining('needle.txt') as string, line: 2 }],
          filesSearched: DIRECTORIES * FILES_PER_DIRECTORY + 1,
        },
      },
    });
  });

  it('cancels a search task while it works; the server goes on answering', async () => {
    const tasks = taskDriver(peer);
    const created = await tasks.start('search_file_contents', {
      path: root.path,
      query: 'not anywhere',
      documents: true,
    });
    expect((await tasks.get(created.taskId)).status).toBe('working');
    await tasks.cancel(created.taskId);
    expect(await tasks.until(created.taskId, 'cancelled')).toMatchObject({ status: 'cancelled' });
    expect(await tasks.get(created.taskId)).toMatchObject({ status: 'cancelled' });
    const after = await tasks.request('tools/call', {
      name: 'list_allowed_directories',
      arguments: {},
    });
    expect(after).toMatchObject({ resultType: 'complete' });
    expect(after).not.toHaveProperty('isError');
  });

  it('runs a tree as a task too, and within the call for a client without the extension', async () => {
    const tasks = taskDriver(peer);
    const created = await tasks.start('directory_tree', { path: root.path, maxDepth: 1 });
    expect(await tasks.until(created.taskId, 'completed')).toMatchObject({
      result: { structuredContent: { entries: DIRECTORIES } },
    });
    const inline = await tasks.request(
      'tools/call',
      { name: 'search_file_contents', arguments: { path: root.path, query: 'needle' } },
      { tasks: false },
    );
    expect(inline).toMatchObject({
      resultType: 'complete',
      structuredContent: { matches: [{ line: 2 }] },
    });
  });
});
