import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { trace } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argumentsHash } from './canonical-json.js';
import { AUDIT_SCOPE } from './otel.js';
import { auditedServer } from './test-support/audited-server.js';

const spans = new InMemorySpanExporter();
const logRecords = new InMemoryLogRecordExporter();
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kit-otel-'));
  // What an operator's OpenTelemetry set-up registers; the exporters stand in for a collector.
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }),
  );
  logs.setGlobalLoggerProvider(
    new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: logRecords })] }),
  );
});

afterAll(async () => {
  trace.disable();
  logs.disable();
  await rm(dir, { recursive: true, force: true });
});

describe('the audit trail through OpenTelemetry (--audit-otel)', () => {
  it('sends one span and one log record per audited call, with the record as attributes', async () => {
    const audited = await auditedServer({ otel: true }, dir);
    const write = { path: 'notes/a.md', body: 'private body', token: 'ghp_secretsecretsecret' };
    await audited.client.callTool({ name: 'write_note', arguments: write });
    await audited.client.callTool({ name: 'read_note', arguments: { path: 'notes/a.md' } });
    await audited.client.callTool({ name: 'refuse_note', arguments: { paths: ['x'] } });
    await audited.close();

    const finished = spans.getFinishedSpans();
    expect(finished.map((span) => span.name)).toEqual([
      'tools/call write_note',
      'tools/call refuse_note',
    ]);
    const [written, refused] = finished;
    expect(written!.instrumentationScope).toMatchObject({ name: AUDIT_SCOPE, version: '1.2.3' });
    expect(written!.attributes).toEqual({
      'mcp.method.name': 'tools/call',
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'write_note',
      'plugboard.server': 'mcp-server-example',
      'plugboard.audit.read_only': false,
      'plugboard.audit.arguments_sha256': argumentsHash(write),
      'plugboard.audit.outcome': 'ok',
      'plugboard.audit.duration_ms': expect.any(Number) as number,
      'plugboard.audit.target.path': 'notes/a.md',
    });
    expect(written!.status.code).toBe(1); // OK
    expect(refused!.status).toEqual({ code: 2, message: 'tool-error' }); // ERROR
    expect(refused!.attributes).toMatchObject({
      'error.type': 'tool-error',
      'plugboard.audit.target.paths': ['x'],
    });

    const emitted = logRecords.getFinishedLogRecords();
    expect(emitted.map((record) => [record.eventName, record.body])).toEqual([
      ['plugboard.audit', 'write_note ok'],
      ['plugboard.audit', 'refuse_note tool-error'],
    ]);
    expect(emitted[0]!.attributes).toEqual(written!.attributes);
    expect(emitted[0]!.instrumentationScope.name).toBe(AUDIT_SCOPE);
    const everything = JSON.stringify([
      finished.map((span) => span.attributes),
      emitted.map((r) => r.attributes),
    ]);
    expect(everything).not.toContain('private body');
    expect(everything).not.toContain('ghp_secret');
  });
});
