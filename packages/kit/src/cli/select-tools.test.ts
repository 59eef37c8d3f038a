import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createServer, defineTool } from '@plugboard/protocol';
import { InMemoryTransport } from '@plugboard/protocol/testing';
import { UsageError } from './args.js';
import { gateTools, type ToolGate } from './select-tools.js';

/** The tools of these tests; each records its name in `calls` when it runs. */
const tool = (name: string, readOnly: boolean, calls: string[] = []) =>
  defineTool({
    name,
    description: `The ${name} tool.`,
    input: z.object({}),
    annotations: {
      readOnlyHint: readOnly,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    },
    run: () => {
      calls.push(name);
      return [{ type: 'text', text: name }];
    },
  });

const registry = (calls?: string[]) => [
  tool('read', true, calls),
  tool('write', false, calls),
  tool('push', false, calls),
  tool('fetch', true, calls),
];
const tools = registry();
const remote = (open: boolean): ToolGate => ({
  tools: new Set(['push', 'fetch']),
  label: 'the remote tools',
  open,
  enable: '--allow-remote (or X_ALLOW_REMOTE=1)',
});
const everything = { readOnly: false, tools: undefined, excludeTools: [] };
const names = (list: readonly { name: string }[]) => list.map((entry) => entry.name);

describe('gateTools', () => {
  it('holds back the tools of a closed gate, and says for each how to turn it on', () => {
    const gated = gateTools(tools, everything, [remote(false)]);
    expect(names(gated.tools)).toEqual(['read', 'write']);
    expect([...gated.disabledTools.keys()]).toEqual(['push', 'fetch']);
    expect(gated.disabledTools.get('fetch')).toBe(
      'fetch is turned off on this server; the operator turns it on with --allow-remote (or X_ALLOW_REMOTE=1).',
    );
  });

  it('lets an open gate through, still under --read-only and --exclude-tools', () => {
    const open = gateTools(tools, everything, [remote(true)]);
    expect(names(open.tools)).toEqual(['read', 'write', 'push', 'fetch']);
    expect(open.disabledTools.size).toBe(0);
    const readOnly = gateTools(tools, { ...everything, readOnly: true }, [remote(true)]);
    expect(names(readOnly.tools)).toEqual(['read', 'fetch']);
    const excluded = gateTools(tools, { ...everything, excludeTools: ['fetch'] }, [remote(true)]);
    expect(names(excluded.tools)).toEqual(['read', 'write', 'push']);
  });

  it('refuses --tools naming a tool behind a closed gate, naming the flag', () => {
    expect(() =>
      gateTools(tools, { ...everything, tools: ['read', 'push'] }, [remote(false)]),
    ).toThrow(
      new UsageError(
        '--tools names push: the remote tools need --allow-remote (or X_ALLOW_REMOTE=1)',
      ),
    );
    expect(() => gateTools(tools, { ...everything, tools: ['pull'] }, [remote(true)])).toThrow(
      /Unknown tool "pull"/,
    );
  });

  it('makes a server refuse a call by name with that sentence, and run nothing', async () => {
    const calls: string[] = [];
    const gated = gateTools(registry(calls), everything, [remote(false)]);
    const server = createServer({
      name: 'gated',
      version: '1',
      tools: gated.tools,
      disabledTools: gated.disabledTools,
    });
    const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'c', version: '1' });
    await client.connect(clientSide as unknown as Parameters<Client['connect']>[0]);
    expect(names((await client.listTools()).tools)).toEqual(['read', 'write']);
    await expect(client.callTool({ name: 'push', arguments: {} })).rejects.toMatchObject({
      code: -32602,
      message: expect.stringContaining(
        'push is turned off on this server; the operator turns it on with --allow-remote',
      ),
    });
    await expect(client.callTool({ name: 'pull', arguments: {} })).rejects.toMatchObject({
      code: -32602,
      message: expect.stringContaining('Unknown tool: pull'),
    });
    await client.callTool({ name: 'read', arguments: {} });
    expect(calls).toEqual(['read']);
    await client.close();
  });
});
