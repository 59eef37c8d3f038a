import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { nullLogger } from '@plugboard/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createSandbox,
  intersect,
  resolveAllowedDirectories,
  type Sandbox,
  type SandboxOptions,
} from './sandbox.js';

/** A 2025-06-18 client, as the request context describes it. */
const HANDSHAKE = { era: 'handshake', protocolVersion: '2025-06-18', info: undefined } as const;

const dir = (real: string): { given: string; real: string } => ({ given: real, real });

describe('intersect', () => {
  it('keeps client roots inside the ceiling and clips wider ones to it', () => {
    const ceiling = [dir('/p/a'), dir('/p/b')];
    expect(intersect(ceiling, [dir('/p/a/sub')])).toEqual([dir('/p/a/sub')]);
    expect(intersect(ceiling, [dir('/')])).toEqual(ceiling);
    expect(intersect(ceiling, [dir('/p')])).toEqual(ceiling);
    expect(intersect(ceiling, [dir('/q'), dir('/p/a_evil')])).toEqual([]);
  });
});

describe('createSandbox', () => {
  let base: string;

  beforeEach(async () => {
    base = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'sandbox-')));
    await fs.mkdir(path.join(base, 'a', 'sub'), { recursive: true });
  });

  afterEach(async () => {
    await fs.rm(base, { recursive: true, force: true });
  });

  /** A sandbox on `<base>/a` that asks handshake-era clients for their roots. */
  async function sandboxOnA(
    extra: Partial<Pick<SandboxOptions, 'logger' | 'rootsTimeoutMs'>> = {},
  ): Promise<Sandbox> {
    return createSandbox({
      directories: await resolveAllowedDirectories([path.join(base, 'a')], '/h'),
      homedir: '/h',
      useClientRoots: true,
      logger: nullLogger,
      ...extra,
    });
  }

  it('resolves new paths under an existing directory and counts the missing names', async () => {
    const sandbox = await sandboxOnA();
    const scope = await sandbox.scope({
      client: { ...HANDSHAKE, capabilities: {} },
      listRoots: () => Promise.reject(new Error('not asked')),
    });
    expect(await scope.resolve('sub/x/y.txt')).toMatchObject({
      path: path.join(base, 'a', 'sub', 'x', 'y.txt'),
      stats: undefined,
      missing: 2,
    });
    expect((await scope.resolve('sub')).stats?.isDirectory()).toBe(true);
  });

  it('uses the operator directories for 2026-07-28 requests without asking for roots', async () => {
    const sandbox = await sandboxOnA();
    const scope = await sandbox.scope({
      client: {
        era: 'modern',
        protocolVersion: '2026-07-28',
        capabilities: { roots: {} },
        info: undefined,
      },
      listRoots: () => Promise.reject(new Error('must not ask')),
    });
    expect(scope.narrowed).toBe(false);
  });

  it('falls back to the operator directories, with a warning, when roots/list fails', async () => {
    const warnings: string[] = [];
    const logger = { ...nullLogger, warn: (message: string) => warnings.push(message) };
    const sandbox = await sandboxOnA({ logger });
    const scope = await sandbox.scope({
      client: { ...HANDSHAKE, capabilities: { roots: {} } },
      listRoots: () => Promise.reject(new Error('boom')),
    });
    expect(scope.directories.map((directory) => directory.real)).toEqual([path.join(base, 'a')]);
    expect(warnings).toEqual([
      'the client did not answer roots/list; using the operator directories',
    ]);
  });

  it('falls back to the operator directories when the client never answers roots/list', async () => {
    const warnings: unknown[] = [];
    const logger = {
      ...nullLogger,
      warn: (_message: string, fields?: unknown) => warnings.push(fields),
    };
    const sandbox = await sandboxOnA({ logger, rootsTimeoutMs: 20 });
    const scope = await sandbox.scope({
      client: { ...HANDSHAKE, capabilities: { roots: {} } },
      listRoots: () => new Promise(() => undefined),
    });
    expect(scope.narrowed).toBe(false);
    expect(warnings).toEqual([{ error: 'no answer within 20 ms' }]);
  });

  it('refuses operator directories that do not exist or are files', async () => {
    await expect(resolveAllowedDirectories([path.join(base, 'missing')], '/h')).rejects.toThrow(
      /does not exist/,
    );
    await fs.writeFile(path.join(base, 'file'), '');
    await expect(resolveAllowedDirectories([path.join(base, 'file')], '/h')).rejects.toThrow(
      /not a directory/,
    );
  });
});
