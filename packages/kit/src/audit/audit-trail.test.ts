import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nullLogger } from '@plugboard/protocol';
import { UsageError } from '../cli/args.js';
import { auditTools } from './audit-tools.js';
import { argumentsHash } from './canonical-json.js';
import type { AuditRecord } from './record.js';
import { auditedExamples, auditedServer } from './test-support/audited-server.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kit-audit-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function records(file: string): Promise<AuditRecord[]> {
  const text = await readFile(file, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as AuditRecord);
}

const SECRET = 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB';
const BODY = 'the private text of the note';

describe('the audit trail, as a JSONL file', () => {
  it('records every changing call, its target and outcome, and no argument value', async () => {
    const audited = await auditedServer({ log: 'audit.jsonl' }, dir);
    const { client } = audited;
    const write = { path: 'notes/a.md', body: BODY, token: SECRET };
    await client.callTool({ name: 'write_note', arguments: write });
    await client.callTool({ name: 'read_note', arguments: { path: 'notes/a.md' } });
    await client.callTool({ name: 'refuse_note', arguments: { paths: ['x', 'y'] } });
    await client.callTool({ name: 'crash_note', arguments: {} });
    await expect(
      client.callTool({ name: 'write_note', arguments: { path: 1 } }),
    ).resolves.toMatchObject({ isError: true });
    await audited.close();

    const file = path.join(dir, 'audit.jsonl');
    const kept = await records(file);
    // The read-only call is not audited; arguments that fail validation never ran a tool.
    expect(kept.map((record) => [record.tool, record.outcome])).toEqual([
      ['write_note', 'ok'],
      ['refuse_note', 'tool-error'],
      ['crash_note', 'tool-error'],
    ]);
    const [first] = kept;
    expect(first).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as string,
      server: 'mcp-server-example',
      tool: 'write_note',
      readOnly: false,
      user: null,
      target: { path: 'notes/a.md' },
      argumentsSha256: argumentsHash({ token: SECRET, body: BODY, path: 'notes/a.md' }),
      outcome: 'ok',
      durationMs: expect.any(Number) as number,
      approval: null,
    });
    expect(Date.now() - Date.parse(first!.time)).toBeGreaterThanOrEqual(0);
    expect(kept[1]!.target).toEqual({ paths: ['x', 'y'] });
    expect(kept[2]!.target).toBeNull();
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(BODY);
    expect(text).not.toContain('disk on fire');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('records read-only calls too with --audit-reads', async () => {
    const audited = await auditedServer({ log: 'audit.jsonl', reads: true }, dir);
    await audited.client.callTool({ name: 'read_note', arguments: { path: 'b' } });
    await audited.close();
    expect(await records(path.join(dir, 'audit.jsonl'))).toMatchObject([
      { tool: 'read_note', readOnly: true, target: { path: 'b' }, outcome: 'ok' },
    ]);
  });

  it('records a cancelled call as cancelled', async () => {
    const audited = await auditedServer({ log: 'audit.jsonl' }, dir);
    const controller = new AbortController();
    const call = audited.client.callTool(
      { name: 'wait_note', arguments: { channel: 'C123' } },
      undefined,
      { signal: controller.signal },
    );
    await audited.waiting;
    controller.abort();
    await expect(call).rejects.toThrow();
    await audited.close();
    expect(await records(path.join(dir, 'audit.jsonl'))).toMatchObject([
      { tool: 'wait_note', target: { channel: 'C123' }, outcome: 'cancelled' },
    ]);
  });

  it('appends to an existing file and rotates it by size, losing no record', async () => {
    const audited = await auditedServer({ log: 'audit.jsonl', logMaxBytes: 4096 }, dir);
    for (let index = 0; index < 40; index++)
      await audited.client.callTool({
        name: 'write_note',
        arguments: { path: `notes/${index}.md`, body: 'x' },
      });
    await audited.close();
    const again = await auditedServer({ log: 'audit.jsonl', logMaxBytes: 4096 }, dir);
    await again.client.callTool({ name: 'write_note', arguments: { path: 'last', body: '' } });
    await again.close();

    const files = (await readdir(dir)).filter((name) => name.startsWith('audit.jsonl'));
    expect(files.length).toBeGreaterThan(2);
    const all: AuditRecord[] = [];
    for (const name of files.sort()) {
      expect((await stat(path.join(dir, name))).size).toBeLessThanOrEqual(4096);
      all.push(...(await records(path.join(dir, name))));
    }
    expect(all.map((record) => record.target?.path).sort()).toEqual(
      [...Array.from({ length: 40 }, (_, index) => `notes/${index}.md`), 'last'].sort(),
    );
    expect(files).toContain('audit.jsonl');
    expect(files.filter((name) => name !== 'audit.jsonl')).toEqual(
      expect.arrayContaining([expect.stringMatching(/^audit\.jsonl\.\d{8}T\d{9}Z(-\d+)?$/)]),
    );
  });

  it('rotates a file two servers share by its real size, and both write on in the new one', async () => {
    const options = { log: 'audit.jsonl', logMaxBytes: 4096 };
    const first = await auditedServer(options, dir);
    const second = await auditedServer(options, dir);
    for (let index = 0; index < 40; index++)
      await (index % 2 === 0 ? first : second).client.callTool({
        name: 'write_note',
        arguments: { path: `notes/${index}.md`, body: 'x' },
      });
    await first.close();
    await second.close();

    const files = (await readdir(dir)).filter((name) => name.startsWith('audit.jsonl')).sort();
    expect(files.length).toBeGreaterThan(2);
    const all: AuditRecord[] = [];
    for (const name of files) {
      expect((await stat(path.join(dir, name))).size).toBeLessThanOrEqual(4096);
      all.push(...(await records(path.join(dir, name))));
    }
    expect(all.map((record) => record.target?.path).sort()).toEqual(
      Array.from({ length: 40 }, (_, index) => `notes/${index}.md`).sort(),
    );
    // The last two calls, one from each server, are in the file at the path.
    expect((await records(path.join(dir, 'audit.jsonl'))).map((r) => r.target?.path)).toEqual(
      expect.arrayContaining(['notes/38.md', 'notes/39.md']),
    );
  });

  it('refuses at start-up a file it cannot open, naming it', async () => {
    const options = {
      log: 'missing/dir/audit.jsonl',
      logMaxBytes: undefined,
      otel: false,
      reads: false,
    };
    const attempt = auditTools(
      { tools: auditedExamples(), disabledTools: new Map(), withheld: [] },
      { bin: 'x', version: '1' },
      options,
      { cwd: dir, logger: nullLogger, onClose: () => undefined },
    );
    await expect(attempt).rejects.toThrow(UsageError);
    await expect(attempt).rejects.toThrow(/--audit-log .*missing\/dir\/audit\.jsonl.*ENOENT/);
  });

  it('leaves the tools as they are when no sink is configured', async () => {
    const selected = { tools: auditedExamples(), disabledTools: new Map(), withheld: [] };
    const options = { log: undefined, logMaxBytes: undefined, otel: false, reads: true };
    const scope = { cwd: dir, logger: nullLogger, onClose: () => undefined };
    expect(await auditTools(selected, { bin: 'x', version: '1' }, options, scope)).toBe(selected);
  });
});
