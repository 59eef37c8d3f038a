/**
 * The built server fetching from an `https://` remote that accepts the connection and never
 * answers: git starts `git remote-https`, which starts `git-remote-https`, and both wait for ever.
 * However the call ends (its timeout, a cancel from the client, stdin closing, SIGTERM or SIGINT),
 * no git process of the server may be left. Processes are found in `/proc` by a marker variable
 * in the server's environment, which every git child inherits.
 */
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectStdio, rawStdio } from '@plugboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureGit, IDENTITY, makeRepo, tempDir } from './helpers.js';

const SERVER = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** Pids of live (not zombie) processes whose environment has `MARK=<mark>`, except `except`. */
async function marked(mark: string, except: number | null): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === except) continue;
    try {
      if (/\) Z /.test(await readFile(`/proc/${entry}/stat`, 'utf8'))) continue;
      const environ = await readFile(`/proc/${entry}/environ`, 'utf8');
      if (environ.split('\0').includes(`MARK=${mark}`)) found.push(Number(entry));
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

/** Waits until `count(pids)` holds; the bound only keeps a broken run from hanging the suite. */
async function until(
  probe: () => Promise<number[]>,
  holds: (pids: number[]) => boolean,
): Promise<number[]> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const pids = await probe();
    if (holds(pids)) return pids;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return probe();
}

describe('git_fetch from a remote that never answers', () => {
  let dir: { path: string; cleanup(): Promise<void> };
  let repo: string;
  let remote: Server;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    dir = await tempDir();
    repo = join(dir.path, 'repo');
    await makeRepo(repo, dir.path, [{ 'README.md': '# hello\n' }]);
    remote = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => remote.listen(0, '127.0.0.1', resolve));
    const { port } = remote.address() as { port: number };
    await fixtureGit(repo, dir.path).addRemote('origin', `https://127.0.0.1:${port}/repo.git`);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => remote.close(resolve));
    await dir.cleanup();
  });

  const environment = (mark: string): Record<string, string> => ({
    HOME: dir.path,
    ...IDENTITY,
    MARK: mark,
  });
  const fetchCall = (): { name: string; arguments: Record<string, unknown> } => ({
    name: 'git_fetch',
    arguments: { repo_path: repo, remote: 'origin' },
  });
  /** git, git remote-https and git-remote-https: the call is really hanging in the remote. */
  const hanging = (pids: number[]): boolean => pids.length >= 3;

  it('leaves nothing behind when the call times out', async () => {
    const mark = randomUUID();
    const connection = await connectStdio({
      command: process.execPath,
      args: [SERVER, '--repository', repo, '--allow-remote', '--timeout', '2'],
      env: environment(mark),
    });
    try {
      const call = connection.client.callTool(fetchCall());
      expect(hanging(await until(() => marked(mark, connection.pid), hanging))).toBe(true);
      const result = await call;
      expect(result.isError).toBe(true);
      expect(JSON.stringify(result.content)).toMatch(/did not finish within 2 s and was stopped/);
      expect(await marked(mark, connection.pid)).toEqual([]);
    } finally {
      await connection.close();
    }
  });

  it('leaves nothing behind when the client cancels the call', async () => {
    const mark = randomUUID();
    const connection = await connectStdio({
      command: process.execPath,
      args: [SERVER, '--repository', repo, '--allow-remote'],
      env: environment(mark),
    });
    try {
      const controller = new AbortController();
      const call = connection.client.callTool(fetchCall(), undefined, {
        signal: controller.signal,
      });
      expect(hanging(await until(() => marked(mark, connection.pid), hanging))).toBe(true);
      controller.abort('changed my mind');
      await expect(call).rejects.toThrow();
      const left = await until(
        () => marked(mark, connection.pid),
        (pids) => pids.length === 0,
      );
      expect(left).toEqual([]);
      // The server is still there and answers.
      expect((await connection.client.listTools()).tools.length).toBeGreaterThan(0);
    } finally {
      await connection.close();
    }
  });

  it.each(['stdin end', 'SIGTERM', 'SIGINT'] as const)(
    'leaves nothing behind when the server stops on %s mid-fetch',
    async (how) => {
      const mark = randomUUID();
      const peer = rawStdio({
        command: process.execPath,
        args: [SERVER, '--repository', repo, '--allow-remote'],
        env: environment(mark),
      });
      await peer.initialize();
      await peer.send({ jsonrpc: '2.0', id: 'fetch', method: 'tools/call', params: fetchCall() });
      expect(hanging(await until(() => marked(mark, peer.pid), hanging))).toBe(true);
      if (how === 'stdin end') peer.endInput();
      else peer.child.kill(how);
      const status = await peer.exit;
      expect(status.code).toBe(0);
      expect(await marked(mark, null)).toEqual([]);
    },
  );
});
