/**
 * @module
 * Test fixtures for the git server: real repositories in temp dirs (made with simple-git), and
 * the server connected in process to the official SDK client, so every call goes through the
 * real protocol path, schema validation and output-schema checks included.
 */
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { ChildProcesses } from '@plugboard/kit/process';
import { InMemoryTransport } from '@plugboard/protocol/testing';
import type { FlagValue } from '@plugboard/kit/cli';
import { serverHarness, type ServerHarness } from '@plugboard/testing';
import { simpleGit, type SimpleGit } from 'simple-git';
import { parseConfig } from '../src/config.js';
import { createGitServer } from '../src/server.js';
import { tools } from '../src/tools/index.js';

export const IDENTITY = {
  GIT_AUTHOR_NAME: 'Ada Tester',
  GIT_AUTHOR_EMAIL: 'ada@example.test',
  GIT_COMMITTER_NAME: 'Ada Tester',
  GIT_COMMITTER_EMAIL: 'ada@example.test',
} as const;

/** A canonical temp directory, removed by `cleanup`. */
export async function tempDir(
  prefix = 'git-mcp-',
): Promise<{ path: string; cleanup(): Promise<void> }> {
  const path = await realpath(await mkdtemp(join(tmpdir(), prefix)));
  return { path, cleanup: () => rm(path, { recursive: true, force: true, maxRetries: 3 }) };
}

/** simple-git for building fixtures, isolated from the machine's global Git configuration. */
export function fixtureGit(
  dir: string,
  home: string,
  extra: Record<string, string> = {},
): SimpleGit {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    ...IDENTITY,
    ...extra,
  };
  return simpleGit({ baseDir: dir, allowEnvironment: Object.keys(env) }).env(env);
}

export async function write(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}

/** A repository at `dir` on branch main with one commit per entry of `commits` (files → content). */
export async function makeRepo(
  dir: string,
  home: string,
  commits: readonly Readonly<Record<string, string>>[] = [{ 'README.md': '# demo\n' }],
): Promise<SimpleGit> {
  await mkdir(dir, { recursive: true });
  const git = fixtureGit(dir, home);
  await git.init(['--initial-branch=main']);
  for (const [index, files] of commits.entries()) {
    for (const [file, content] of Object.entries(files)) await write(join(dir, file), content);
    await git.add(['-A']);
    await git.commit(`commit ${index + 1}`);
  }
  return git;
}

/** `call`, plus `ok` (must succeed: its data and text) and `fail` (must fail: its message). */
export type Harness = ServerHarness;

export interface HarnessOptions {
  repositories?: string[];
  home: string;
  allowRemote?: boolean;
  allowDestructive?: boolean;
  allowLocalRemotes?: boolean;
  outputBudget?: number;
  timeout?: number;
  /** Directories the client shares as roots (the client then advertises the roots capability). */
  roots?: string[];
  cwd?: string;
  /** Extra environment for the server (and so for its git children). */
  env?: Record<string, string>;
}

/** The git server configured like the command line would, connected to the official client. */
export async function connect(options: HarnessOptions): Promise<Harness> {
  const flags = new Map<string, FlagValue>();
  if (options.repositories !== undefined) flags.set('repository', options.repositories);
  if (options.allowRemote === true) flags.set('allow-remote', true);
  if (options.allowDestructive === true) flags.set('allow-destructive', true);
  if (options.allowLocalRemotes === true) flags.set('allow-local-remotes', true);
  if (options.outputBudget !== undefined) flags.set('output-budget', options.outputBudget);
  if (options.timeout !== undefined) flags.set('timeout', options.timeout);
  const env = { PATH: process.env.PATH, HOME: options.home, ...IDENTITY, ...options.env };
  const cwd = options.cwd ?? options.home;
  const children = new ChildProcesses();
  const { config, runner } = await parseConfig(flags, [], env, cwd, children);
  const server = createGitServer({ config, runner, cache: new Map(), cwd }, tools);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client(
    { name: 'git-test', version: '0.0.0' },
    { capabilities: options.roots === undefined ? {} : { roots: { listChanged: true } } },
  );
  if (options.roots !== undefined) {
    const roots = options.roots.map((root) => ({ uri: pathToFileURL(root).href, name: root }));
    client.setRequestHandler(ListRootsRequestSchema, () => ({ roots }));
  }
  await client.connect(clientSide as unknown as Transport);
  // Listing first makes the client validate every structured result against the tool's outputSchema.
  await client.listTools();
  return serverHarness(client, async () => {
    await client.close();
    await children.closeAll();
  });
}

/**
 * A `git` on PATH that records the directory of every invocation (and its pid) in `log`, then
 * becomes the real git (or, for commands named in `stall`, a long sleep that stands for a hung
 * git). It lets tests see which git processes the server started, and whether it ended them.
 */
export async function spyGit(
  dir: string,
  realGit: string,
  stall: readonly string[] = [],
): Promise<{ bin: string; log: string }> {
  const bin = join(dir, 'spy-bin');
  const log = join(dir, 'spy.log');
  const stallCase =
    stall.length === 0
      ? ''
      : `for arg in "$@"; do case "$arg" in ${stall.join('|')}) exec sleep 300;; esac; done\n`;
  await write(
    join(bin, 'git'),
    `#!/bin/sh\necho "$$ $PWD" >> '${log}'\n${stallCase}exec '${realGit}' "$@"\n`,
  );
  const { chmod } = await import('node:fs/promises');
  await chmod(join(bin, 'git'), 0o755);
  return { bin, log };
}

/** Marker files (`PWN*`) in `dir`: any of them proves that a program ran. */
export async function markers(dir: string): Promise<string[]> {
  const { readdir } = await import('node:fs/promises');
  return (await readdir(dir)).filter((name) => name.startsWith('PWN'));
}
