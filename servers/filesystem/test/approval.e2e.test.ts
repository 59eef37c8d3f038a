/**
 * @module
 * `--approve delete` on the built server: a deletion waits for a person, who sees the path and
 * where it goes; the file is gone only after an approval (both eras), and a client that cannot
 * ask is told the flag.
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectApproving, connectStdio, textOf, tmpDir, type TmpDir } from '@plugboard/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const SERVER = fileURLToPath(new URL('../dist/main.js', import.meta.url));

let dir: TmpDir;
let file: string;

beforeEach(async () => {
  dir = await tmpDir('fs-approval-');
  file = path.join(dir.path, 'precious.txt');
  await fs.writeFile(file, 'keep me\n');
});
afterEach(() => dir.cleanup());

const ARGS = () => [SERVER, '--allow-delete', '--approve', 'delete', dir.path];

describe('mcp-server-filesystem --approve delete', () => {
  it('handshake era: keeps the file when denied, deletes it when approved', async () => {
    await using server = await connectApproving({
      command: process.execPath,
      args: ARGS(),
      era: 'handshake',
      answers: ['decline', 'approve'],
    });
    const denied = await server.callTool('delete_file', { path: file });
    expect(denied.isError).toBe(true);
    expect(textOf(denied)).toContain(
      'delete_file did not run: the person asked to approve it said no',
    );
    expect(existsSync(file)).toBe(true);
    expect(server.asked[0]).toContain(
      `Delete the file ${file}, for good (this server keeps no trash folder).`,
    );
    const approved = await server.callTool('delete_file', { path: file });
    expect(approved.isError).toBeFalsy();
    expect(existsSync(file)).toBe(false);
  });

  it('2026-07-28: deletes on the retry that carries the approval', async () => {
    await using server = await connectApproving({
      command: process.execPath,
      args: ARGS(),
      era: '2026-07-28',
      answers: ['approve'],
    });
    const approved = await server.callTool('delete_file', { path: file });
    expect(approved.isError).toBeFalsy();
    expect(server.asked).toHaveLength(1);
    expect(existsSync(file)).toBe(false);
  });

  it('refuses a client without elicitation, naming the flag, and keeps the file', async () => {
    await using connection = await connectStdio({ command: process.execPath, args: ARGS() });
    const refused = await connection.client.callTool({
      name: 'delete_file',
      arguments: { path: file },
    });
    expect(refused.isError).toBe(true);
    expect(textOf(refused as Parameters<typeof textOf>[0])).toContain(
      'without delete in --approve (FILESYSTEM_APPROVE)',
    );
    expect(existsSync(file)).toBe(true);
  });

  it('refuses an --approve entry that is neither a tool nor a class, at start-up', async () => {
    const connection = connectStdio({
      command: process.execPath,
      args: [SERVER, '--approve', 'delet', dir.path],
    });
    await expect(connection).rejects.toThrow(/--approve names delet, .*did you mean delete\?/);
  });
});
