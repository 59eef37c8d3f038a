import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createServer, defineTool } from '@plugboard/protocol';
import { InMemoryTransport } from '@plugboard/protocol/testing';
import { UsageError } from '../cli/args.js';
import {
  EVERY_TOOL,
  exposeTools,
  type ToolConfiguration,
  type ToolGate,
  type ToolGates,
} from './select.js';

/** The tools of these tests; each records its name in `calls` when it runs. */
const tool = (
  name: string,
  readOnly: boolean,
  availability: { toolset?: string | string[]; requires?: string[] } = {},
  calls: string[] = [],
) =>
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
    ...availability,
    run: () => {
      calls.push(name);
      return [{ type: 'text', text: name }];
    },
  });

const registry = (calls?: string[]) => [
  tool('read', true, {}, calls),
  tool('write', false, {}, calls),
  tool('push', false, { requires: ['allowRemote'] }, calls),
  tool('fetch', true, { requires: ['allowRemote'] }, calls),
];
const tools = registry();
const remote = (open: boolean): ToolGates => ({
  allowRemote: { label: 'the remote tools', open, enable: '--allow-remote (or X_ALLOW_REMOTE=1)' },
});
const names = (list: readonly { name: string }[]) => list.map((entry) => entry.name);
const expose = (
  selection: Partial<typeof EVERY_TOOL>,
  rest: Omit<ToolConfiguration, 'selection'>,
) => exposeTools(tools, { selection: { ...EVERY_TOOL, ...selection }, ...rest });

describe('exposeTools: gates', () => {
  it('holds back the tools of a closed gate, and says for each how to turn it on', () => {
    const gated = expose({}, { gates: remote(false) });
    expect(names(gated.tools)).toEqual(['read', 'write']);
    expect([...gated.disabledTools.keys()]).toEqual(['push', 'fetch']);
    expect(gated.disabledTools.get('fetch')).toBe(
      'fetch is turned off on this server; the operator turns it on with --allow-remote (or X_ALLOW_REMOTE=1).',
    );
  });

  it('lets an open gate through, still under --read-only and --exclude-tools', () => {
    const open = expose({}, { gates: remote(true) });
    expect(names(open.tools)).toEqual(['read', 'write', 'push', 'fetch']);
    expect(open.disabledTools.size).toBe(0);
    expect(names(expose({ readOnly: true }, { gates: remote(true) }).tools)).toEqual([
      'read',
      'fetch',
    ]);
    expect(names(expose({ excludeTools: ['fetch'] }, { gates: remote(true) }).tools)).toEqual([
      'read',
      'write',
      'push',
    ]);
  });

  it('refuses --tools naming a tool behind a closed gate, naming the flag', () => {
    expect(() => expose({ tools: ['read', 'push'] }, { gates: remote(false) })).toThrow(
      new UsageError(
        '--tools names push: the remote tools need --allow-remote (or X_ALLOW_REMOTE=1)',
      ),
    );
  });

  it('refuses an unknown name in --tools or --exclude-tools, naming the closest tool', () => {
    expect(() => expose({ tools: ['pussh'] }, { gates: remote(true) })).toThrow(
      /^Unknown tool "pussh" in --tools\/--exclude-tools \(the closest is push\); known tools: read, write, push, fetch$/,
    );
    expect(() => expose({ excludeTools: ['rad'] }, {})).toThrow(/the closest is read/);
  });

  it('names the last closed gate of a tool that needs several', () => {
    const both = [tool('deploy', false, { requires: ['allowWrite', 'allowDeploy'] })];
    const gates: ToolGates = {
      allowWrite: { label: 'writes', open: false, enable: '--allow-write' },
      allowDeploy: { label: 'deploys', open: false, enable: '--allow-deploy' },
    };
    const exposed = exposeTools(both, { selection: EVERY_TOOL, gates });
    expect(exposed.disabledTools.get('deploy')).toMatch(/turns it on with --allow-deploy\.$/);
  });

  it('withholds the tools of a closed withholding gate without a sentence, and reports them', () => {
    const gates: ToolGates = {
      allowRemote: { label: 'remote', open: false, enable: 'X_TOKEN', whenClosed: 'withhold' },
    };
    const exposed = expose({ tools: ['read', 'push'] }, { gates });
    expect(names(exposed.tools)).toEqual(['read']);
    expect(exposed.disabledTools.size).toBe(0);
    expect(exposed.withheld).toEqual([{ name: 'push', gates: [gates.allowRemote] }]);
  });

  it('reports every closed withholding gate of a tool that needs several, in order', () => {
    const both = [tool('upload', false, { requires: ['localDir', 'allowWrite'] })];
    const closed = (enable: string): ToolGate => ({
      label: enable,
      open: false,
      enable,
      whenClosed: 'withhold',
    });
    const gates: ToolGates = {
      localDir: closed('--local-dir'),
      allowWrite: closed('--allow-write'),
    };
    const exposed = exposeTools(both, { selection: EVERY_TOOL, gates });
    expect(exposed.withheld).toEqual([
      { name: 'upload', gates: [gates.localDir, gates.allowWrite] },
    ]);
    const one = exposeTools(both, {
      selection: EVERY_TOOL,
      gates: { ...gates, localDir: { ...closed('--local-dir'), open: true } },
    });
    expect(one.withheld).toEqual([{ name: 'upload', gates: [gates.allowWrite] }]);
  });

  it('refuses a requirement no gate answers to, as a programming error', () => {
    expect(() => expose({}, {})).toThrow(
      new TypeError(
        'Tool push requires "allowRemote", which is not one of this server\'s gates (none)',
      ),
    );
  });

  it('makes a server refuse a call by name with that sentence, and run nothing', async () => {
    const calls: string[] = [];
    const gated = exposeTools(registry(calls), { selection: EVERY_TOOL, gates: remote(false) });
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

describe('exposeTools: toolsets', () => {
  const grouped = [
    tool('get_issue', true, { toolset: ['issues', 'default'] }),
    tool('create_issue', false, { toolset: 'issues' }),
    tool('list_runs', true, { toolset: 'actions' }),
    tool('rerun', false, { toolset: 'actions' }),
  ];
  const unlisted = (chosen: string[] | undefined, selection: Partial<typeof EVERY_TOOL> = {}) =>
    names(
      exposeTools(grouped, {
        selection: { ...EVERY_TOOL, ...selection },
        toolsets: { chosen, defaults: ['default'], outside: 'unlisted' },
      }).tools,
    );

  it('lists the default toolsets when --toolsets is not given, and the chosen ones when it is', () => {
    expect(unlisted(undefined)).toEqual(['get_issue']);
    expect(unlisted(['actions'])).toEqual(['list_runs', 'rerun']);
    expect(unlisted(['all'])).toEqual(['get_issue', 'create_issue', 'list_runs', 'rerun']);
  });

  it('adds what --tools names to the chosen toolsets; --tools alone names exactly the tools', () => {
    expect(unlisted(['actions'], { tools: ['create_issue'] })).toEqual([
      'create_issue',
      'list_runs',
      'rerun',
    ]);
    expect(unlisted(undefined, { tools: ['rerun'] })).toEqual(['rerun']);
    expect(unlisted(['actions'], { readOnly: true, excludeTools: ['rerun'] })).toEqual([
      'list_runs',
    ]);
  });

  it('refuses an unknown toolset, naming the closest', () => {
    expect(() => unlisted(['isues'])).toThrow(
      new UsageError(
        'Unknown toolset "isues" in --toolsets (the closest is issues); known: all, issues, default, actions',
      ),
    );
  });

  it('turns off the tools of a toolset that is off, when the server refuses them', () => {
    const core = [tool('click', false), ...grouped.slice(2)];
    const refused = (chosen: string[] | undefined, selection: Partial<typeof EVERY_TOOL> = {}) =>
      exposeTools(core, {
        selection: { ...EVERY_TOOL, ...selection },
        toolsets: {
          chosen,
          defaults: [],
          outside: 'refused',
          enable: (name) => `--toolsets ${name} (or X_TOOLSETS=${name})`,
        },
      });
    const off = refused(undefined);
    expect(names(off.tools)).toEqual(['click']);
    expect(off.disabledTools.get('rerun')).toBe(
      'rerun is turned off on this server; the operator turns it on with --toolsets actions (or X_TOOLSETS=actions).',
    );
    expect(() => refused(undefined, { tools: ['rerun'] })).toThrow(
      new UsageError(
        '--tools names rerun: the actions tools need --toolsets actions (or X_TOOLSETS=actions)',
      ),
    );
    expect(names(refused(['actions'], { tools: ['rerun'] }).tools)).toEqual(['rerun']);
    expect(refused(['all']).disabledTools.size).toBe(0);
  });
});

describe('exposeTools: facts of a request', () => {
  it('lists only read-only tools under a read-only grant, whatever the command line chose', () => {
    const configuration = { selection: EVERY_TOOL, gates: remote(true) };
    expect(names(exposeTools(tools, configuration).tools)).toEqual([
      'read',
      'write',
      'push',
      'fetch',
    ]);
    expect(names(exposeTools(tools, configuration, { readOnly: true }).tools)).toEqual([
      'read',
      'fetch',
    ]);
  });
});
