/**
 * @module
 * A small server whose tools go through the audit trail, connected in process to the official
 * SDK client: a write tool with a target and a secret-looking argument, a read-only tool, one that
 * refuses, one that fails unexpectedly and one that waits until cancelled.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { z } from 'zod';
import { createServer, defineTool, nullLogger, ToolError, type Tool } from '@plugboard/protocol';
import { InMemoryTransport } from '@plugboard/protocol/testing';
import type { AuditOptions } from '../../cli/args.js';
import { auditTools } from '../audit-tools.js';

const changes = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: false,
};

/** The example tools; `onWait` is called when `wait_note` starts waiting. */
export function auditedExamples(onWait: () => void = () => undefined): Tool[] {
  return [
    defineTool({
      name: 'write_note',
      description: 'Writes a note.',
      input: z.object({ path: z.string(), body: z.string(), token: z.string().optional() }),
      annotations: changes,
      auditTarget: ['path'],
      run: ({ path }) => [{ type: 'text', text: `wrote ${path}` }],
    }),
    defineTool({
      name: 'read_note',
      description: 'Reads a note.',
      input: z.object({ path: z.string() }),
      annotations: { ...changes, readOnlyHint: true, idempotentHint: true },
      auditTarget: ['path'],
      run: ({ path }) => [{ type: 'text', text: `read ${path}` }],
    }),
    defineTool({
      name: 'refuse_note',
      description: 'Refuses.',
      input: z.object({ paths: z.array(z.string()) }),
      annotations: changes,
      auditTarget: ['paths'],
      run: () => {
        throw new ToolError('no such note');
      },
    }),
    defineTool({
      name: 'crash_note',
      description: 'Fails unexpectedly.',
      input: z.object({}),
      annotations: changes,
      run: () => {
        throw new Error('disk on fire');
      },
    }),
    defineTool({
      name: 'wait_note',
      description: 'Waits until cancelled.',
      input: z.object({ channel: z.string() }),
      annotations: changes,
      auditTarget: ['channel'],
      run: (_args, { signal }) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(new Error('stopped')), { once: true });
          onWait();
        }),
    }),
  ];
}

export interface AuditedServer {
  readonly client: Client;
  /** Resolves when a `wait_note` call is running. */
  readonly waiting: Promise<void>;
  /** Closes the client, then what the audit trail holds (as shutdown does). */
  close(): Promise<void>;
}

/** The example tools audited with `options` (paths relative to `cwd`), and a connected client. */
export async function auditedServer(
  options: Partial<AuditOptions>,
  cwd: string,
): Promise<AuditedServer> {
  const closers: (() => Promise<void> | void)[] = [];
  let onWait = (): void => undefined;
  const waiting = new Promise<void>((resolve) => (onWait = resolve));
  const selected = await auditTools(
    { tools: auditedExamples(onWait), disabledTools: new Map(), withheld: [] },
    { bin: 'mcp-server-example', version: '1.2.3' },
    { log: undefined, logMaxBytes: undefined, otel: false, reads: false, ...options },
    { cwd, logger: nullLogger, onClose: (close) => void closers.push(close) },
  );
  const server = createServer({ name: 'example', version: '1.2.3', tools: selected.tools });
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'auditor', version: '1' });
  await client.connect(clientSide as unknown as Parameters<Client['connect']>[0]);
  return {
    client,
    waiting,
    close: async () => {
      await client.close();
      for (const close of closers) await close();
    },
  };
}
