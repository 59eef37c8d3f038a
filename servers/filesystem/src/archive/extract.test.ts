import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { nullLogger } from '@plugboard/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeZip } from '../../test/zips.js';
import { createSandbox, resolveAllowedDirectories, type Scope } from '../sandbox/sandbox.js';
import { extractInto } from './extract.js';
import { openArchive } from './reader.js';

let base: string;
let scope: Scope;

beforeEach(async () => {
  base = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'fs-extract-')));
  const sandbox = createSandbox({
    directories: await resolveAllowedDirectories([base], '/h'),
    homedir: '/h',
    useClientRoots: false,
    logger: nullLogger,
  });
  scope = await sandbox.scope({
    client: { era: 'handshake', protocolVersion: '2025-06-18', capabilities: {}, info: undefined },
    listRoots: () => Promise.reject(new Error('not asked')),
  });
});

afterEach(async () => {
  await fs.rm(base, { recursive: true, force: true });
});

describe('extractInto', () => {
  it('stops when cancelled and removes everything it had written', async () => {
    await writeZip(
      path.join(base, 'a.zip'),
      Array.from({ length: 20 }, (_, index) => ({ name: `d/f${index}.txt`, data: `${index}` })),
    );
    const archive = await openArchive(await scope.resolve('a.zip'), scope);
    const controller = new AbortController();
    let progressed = 0;
    try {
      await expect(
        extractInto(archive, {
          destination: path.join(base, 'out'),
          overwrite: false,
          maxBytes: 1 << 20,
          scope,
          signal: controller.signal,
          onProgress: () => {
            if (++progressed === 3) controller.abort();
          },
        }),
      ).rejects.toThrow(
        /Extraction failed at .*f3\.txt: cancelled; removed the 3 files and 2 directories it had created/,
      );
    } finally {
      archive.close();
    }
    expect(await fs.readdir(base)).toEqual(['a.zip']);
  });
});
