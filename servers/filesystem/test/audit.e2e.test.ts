/**
 * @module
 * The audit trail of the built server (`--audit-log`): killed with SIGKILL in the middle of a run
 * of writes, it leaves a file of whole lines only, whose records are the calls made (each one's
 * target and arguments hash), with a record for every call the client had an answer to, and no
 * file content in it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { argumentsHash, type AuditRecord } from '@plugboard/kit/audit';
import { rawStdio, tmpDir, type TmpDir } from '@plugboard/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const SERVER = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const CALLS = 400;
const SECRET = 'ghp_auditAUDITaudit0123456789abcdefghij';

let root: TmpDir;
let logs: TmpDir;

beforeEach(async () => {
  root = await tmpDir('fs-audit-');
  logs = await tmpDir('fs-audit-log-');
});

afterEach(async () => {
  await root.cleanup();
  await logs.cleanup();
});

function isAnswer(message: unknown): message is { id: number; result: { isError?: boolean } } {
  return typeof message === 'object' && message !== null && 'result' in message && 'id' in message;
}

describe('the audit log of a server killed mid-run', () => {
  it('holds whole lines only: one record per call made, one for every call answered', async () => {
    const log = path.join(logs.path, 'audit.jsonl');
    const peer = rawStdio({
      command: process.execPath,
      args: [SERVER, root.path, '--audit-log', log],
    });
    const calls = Array.from({ length: CALLS }, (_, index) => ({
      path: path.join(root.path, `note-${index}.txt`),
      content: `body ${index} with ${SECRET}`,
      mode: 'rewrite',
    }));
    try {
      await peer.initialize();
      for (const [index, args] of calls.entries())
        void peer.send({
          jsonrpc: '2.0',
          id: index,
          method: 'tools/call',
          params: { name: 'write_file', arguments: args },
        });
      // Killed while it is still working through the writes.
      await peer.waitFor((message) => isAnswer(message) && message.id === 25);
    } finally {
      peer.child.kill('SIGKILL');
      await peer.exit;
    }

    const answered = peer.messages.filter(isAnswer).map((message) => message.id);
    const text = await readFile(log, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const records = text
      .slice(0, -1)
      .split('\n')
      .map((line) => JSON.parse(line) as AuditRecord);
    expect(records.length).toBeLessThan(CALLS);
    const recorded = records.map((record) => {
      expect(record).toMatchObject({
        server: 'mcp-server-filesystem',
        tool: 'write_file',
        readOnly: false,
        user: null,
        outcome: 'ok',
        approval: null,
      });
      const index = calls.findIndex((call) => call.path === record.target?.path);
      expect(index).toBeGreaterThanOrEqual(0);
      expect(record.argumentsSha256).toBe(argumentsHash(calls[index]));
      return index;
    });
    expect(new Set(recorded).size).toBe(recorded.length);
    for (const id of answered) expect(recorded).toContain(id);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('body 1');
  });
});
