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
import { ElicitRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { connectStdio, tmpDir, type TmpDir } from '@plugboard/testing';
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

function textOf(result: unknown): string {
  return (result as CallToolResult).content
    .map((block) => ('text' in block ? block.text : ''))
    .join('');
}

const ARGS = () => [SERVER, '--allow-delete', '--approve', 'delete', dir.path];

describe('mcp-server-filesystem --approve delete', () => {
  it('handshake era: keeps the file when denied, deletes it when approved', async () => {
    const answers = [{ action: 'decline' }, { action: 'accept', content: { approve: true } }];
    const messages: string[] = [];
    const connection = await connectStdio({
      command: process.execPath,
      args: ARGS(),
      capabilities: { elicitation: {} },
      beforeConnect: (client) =>
        client.setRequestHandler(ElicitRequestSchema, (request) => {
          messages.push(request.params.message);
          return answers.shift() as never;
        }),
    });
    try {
      const denied = await connection.client.callTool({
        name: 'delete_file',
        arguments: { path: file },
      });
      expect(denied.isError).toBe(true);
      expect(textOf(denied)).toContain(
        'delete_file did not run: the person asked to approve it said no',
      );
      expect(existsSync(file)).toBe(true);
      expect(messages[0]).toContain(
        `Delete the file ${file}, for good (this server keeps no trash folder).`,
      );
      const approved = await connection.client.callTool({
        name: 'delete_file',
        arguments: { path: file },
      });
      expect(approved.isError).toBeFalsy();
      expect(existsSync(file)).toBe(false);
    } finally {
      await connection.close();
    }
  });

  it('2026-07-28: deletes on the retry that carries the approval', async () => {
    const connection = await connectStdio({
      command: process.execPath,
      args: ARGS(),
      sdk: 'v2',
      versionNegotiation: { pin: '2026-07-28' },
      capabilities: { elicitation: {} },
      beforeConnect: (client) =>
        client.setRequestHandler('elicitation/create', () => {
          // Asked before anything ran.
          expect(existsSync(file)).toBe(true);
          return { action: 'accept', content: { approve: true } };
        }),
    });
    try {
      const approved = await connection.client.callTool({
        name: 'delete_file',
        arguments: { path: file },
      });
      expect(approved.isError).toBeFalsy();
      expect(existsSync(file)).toBe(false);
    } finally {
      await connection.close();
    }
  });

  it('refuses a client without elicitation, naming the flag, and keeps the file', async () => {
    const connection = await connectStdio({ command: process.execPath, args: ARGS() });
    try {
      const refused = await connection.client.callTool({
        name: 'delete_file',
        arguments: { path: file },
      });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toContain('without delete in --approve (FILESYSTEM_APPROVE)');
      expect(existsSync(file)).toBe(true);
    } finally {
      await connection.close();
    }
  });

  it('refuses an --approve entry that is neither a tool nor a class, at start-up', async () => {
    const connection = connectStdio({
      command: process.execPath,
      args: [SERVER, '--approve', 'delet', dir.path],
    });
    await expect(connection).rejects.toThrow(/--approve names delet, .*did you mean delete\?/);
  });
});
