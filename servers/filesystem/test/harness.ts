/**
 * @module
 * In-process test harness: a real filesystem server (the factory main.ts uses) connected to the
 * official SDK client through the protocol's in-memory transport pair. The SDK client checks
 * every structured result against the tool's published output schema, so a tool whose data
 * drifts from its schema fails here. Fixture trees are real temp directories.
 */
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ListRootsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach } from 'vitest';
import { serverHarness, type ServerHarness } from '@plugboard/testing';
import type { Logger } from '@plugboard/protocol';
import { InMemoryTransport } from '@plugboard/protocol/testing';
import { DEFAULT_EXTRACT_BYTES } from '../src/archive/limits.js';
import { DEFAULT_MEDIA_BYTES, type FsConfig } from '../src/config.js';
import { resolveAllowedDirectories } from '../src/sandbox/sandbox.js';
import { createFilesystemServer } from '../src/server.js';
import { tools } from '../src/tools/index.js';

export interface HarnessOptions {
  directories: string[];
  allowDelete?: boolean;
  trashDir?: string;
  outputBytes?: number;
  mediaBytes?: number;
  extractBytes?: number;
  readOnly?: boolean;
  useClientRoots?: boolean;
  homedir?: string;
  /** Client roots (file URIs); the client declares the roots capability when given. */
  roots?: string[];
  logger?: Logger;
}

/** The SDK validates every structured result against the tool's output schema. */
export interface Harness extends ServerHarness {
  /** Replaces the client's roots and tells the server they changed. */
  setRoots(uris: string[]): Promise<void>;
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const config: FsConfig = {
    directories: await resolveAllowedDirectories(
      options.directories,
      options.homedir ?? '/nonexistent-home',
    ),
    allowDelete: options.allowDelete ?? false,
    trashDir: options.trashDir,
    limits: {
      outputBytes: options.outputBytes ?? 64 * 1024,
      mediaBytes: options.mediaBytes ?? DEFAULT_MEDIA_BYTES,
      extractBytes: options.extractBytes ?? DEFAULT_EXTRACT_BYTES,
    },
    useClientRoots: options.useClientRoots ?? true,
  };
  const server = createFilesystemServer(config, {
    tools,
    homedir: options.homedir ?? '/nonexistent-home',
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.readOnly === undefined
      ? {}
      : { selection: { readOnly: options.readOnly, tools: undefined, excludeTools: [] } }),
  });
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const roots = { current: options.roots ?? [] };
  const client = new Client(
    { name: 'harness', version: '1.0.0' },
    { capabilities: options.roots === undefined ? {} : { roots: { listChanged: true } } },
  );
  if (options.roots !== undefined) {
    client.setRequestHandler(ListRootsRequestSchema, () => ({
      roots: roots.current.map((uri) => ({ uri })),
    }));
  }
  // The protocol's in-memory transport has the SDK transport's shape (start, send, close, callbacks).
  await client.connect(clientSide as unknown as Transport);
  return {
    ...serverHarness(client, async () => {
      await client.close();
      await server.close();
    }),
    async setRoots(uris) {
      roots.current = uris;
      await client.sendRootsListChanged();
    },
  };
}

/** The text of a result's first content block. */
export function textOf(result: CallToolResult): string {
  const first = result.content[0];
  return first?.type === 'text' ? first.text : '';
}

/** The structured content of a successful result, typed by the caller. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the shape it expects
export function dataOf<T>(result: CallToolResult): T {
  if (result.isError === true) throw new Error(`expected success, got error: ${textOf(result)}`);
  return result.structuredContent as T;
}

export interface Fixture {
  /** Parent of everything: holds allowed/, allowed_evil/, outside/ ... */
  base: string;
  /** The allowed directory A. */
  allowed: string;
  /** A directory outside with canary.txt. */
  outside: string;
  cleanup(): Promise<void>;
}

/** The catalogue's fixture: A (allowed), sibling-prefix directories, and O (outside) with a canary. */
export async function createFixture(): Promise<Fixture> {
  const { mkdir, writeFile } = await import('node:fs/promises');
  const base = await realpath(await mkdtemp(path.join(tmpdir(), 'fs-server-')));
  const allowed = path.join(base, 'allowed');
  const outside = path.join(base, 'outside');
  for (const directory of [
    allowed,
    outside,
    `${allowed}_evil`,
    `${allowed}-backup`,
    `${allowed}.old`,
  ])
    await mkdir(directory);
  await writeFile(path.join(outside, 'canary.txt'), 'CANARY-SECRET\n');
  for (const directory of [`${allowed}_evil`, `${allowed}-backup`, `${allowed}.old`]) {
    await writeFile(path.join(directory, 'canary.txt'), 'CANARY-SECRET\n');
    await writeFile(path.join(directory, 'x'), 'CANARY-SECRET\n');
  }
  await writeFile(path.join(allowed, 'hello.txt'), 'hello\nworld\n');
  return { base, allowed, outside, cleanup: () => rm(base, { recursive: true, force: true }) };
}

/** What {@link serveEachTest} gives; read its fields inside tests, not when the file loads. */
export interface Served {
  readonly fixture: Fixture;
  readonly harness: Harness;
  /** A path inside the fixture's allowed directory. */
  readonly at: (...names: string[]) => string;
}

/**
 * A fresh {@link createFixture} and a harness serving its allowed directory around every test of
 * the calling file, closed and removed after each.
 */
export function serveEachTest(options: Omit<HarnessOptions, 'directories'> = {}): Served {
  let current: { fixture: Fixture; harness: Harness } | undefined;
  const get = (): { fixture: Fixture; harness: Harness } => {
    if (current === undefined) throw new Error('serveEachTest: read the fixture inside a test');
    return current;
  };
  beforeEach(async () => {
    const fixture = await createFixture();
    current = {
      fixture,
      harness: await startHarness({ ...options, directories: [fixture.allowed] }),
    };
  });
  afterEach(async () => {
    await current?.harness.close();
    await current?.fixture.cleanup();
    current = undefined;
  });
  return {
    get fixture() {
      return get().fixture;
    },
    get harness() {
      return get().harness;
    },
    at: (...names) => path.join(get().fixture.allowed, ...names),
  };
}
