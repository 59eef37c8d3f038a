import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool } from '@plugboard/protocol';
import { annotationPresets } from './annotations.js';
import { loadTools } from './load.js';
import { EVERY_TOOL, exposeTools } from './select.js';

const { READ, DELETE } = annotationPresets({ openWorld: false });
const registry = [
  defineTool({
    name: 'read',
    description: 'Reads.',
    input: z.object({}),
    annotations: READ,
    run: () => [{ type: 'text', text: 'read' }],
  }),
  defineTool({
    name: 'remove',
    description: 'Removes.',
    input: z.object({}),
    annotations: DELETE,
    requires: ['allowDelete'],
    toolset: 'files',
    run: () => [{ type: 'text', text: 'removed' }],
  }),
];

describe('loadTools', () => {
  let dir: string;
  let manifestUrl: URL;
  let loads: number;
  const load = () => {
    loads++;
    return Promise.resolve(registry);
  };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kit-load-'));
    manifestUrl = pathToFileURL(join(dir, 'tools.json'));
    loads = 0;
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));
  const write = (name: string, value: unknown) => writeFile(join(dir, name), JSON.stringify(value));

  it('loads the registry at once when there is no manifest (running from source)', async () => {
    expect(await loadTools(manifestUrl, load)).toEqual(registry);
    expect(loads).toBe(1);
  });

  it('lists from the manifest with the declared availability, loading nothing until a call', async () => {
    await write(
      'tools.json',
      registry.map((tool) => tool.descriptor()),
    );
    await write('availability.json', {
      read: {},
      remove: { toolset: 'files', requires: ['allowDelete'] },
    });
    const tools = await loadTools(manifestUrl, load);
    expect(loads).toBe(0);
    expect(tools.map(({ name, requires, toolset }) => ({ name, requires, toolset }))).toEqual([
      { name: 'read', requires: undefined, toolset: undefined },
      { name: 'remove', requires: ['allowDelete'], toolset: 'files' },
    ]);
    const gates = { allowDelete: { label: 'deletes', open: false, enable: '--allow-delete' } };
    const exposed = exposeTools(tools, { selection: EVERY_TOOL, gates });
    expect(exposed.tools.map((tool) => tool.name)).toEqual(['read']);
    expect(exposed.disabledTools.has('remove')).toBe(true);
    expect(loads).toBe(0);
    await tools[0]!.implementation();
    expect(loads).toBe(1);
  });

  it('refuses a build whose availability is missing, rather than list gated tools ungated', async () => {
    await write(
      'tools.json',
      registry.map((tool) => tool.descriptor()),
    );
    await expect(loadTools(manifestUrl, load)).rejects.toThrow(
      /availability\.json is missing or unreadable; rebuild the server/,
    );
  });

  it('refuses availability written for other tools than the manifest lists', async () => {
    await write(
      'tools.json',
      registry.map((tool) => tool.descriptor()),
    );
    await write('availability.json', { read: {} });
    await expect(loadTools(manifestUrl, load)).rejects.toThrow(
      /availability\.json does not match tools\.json \(remove\); rebuild the server/,
    );
    await write('availability.json', { read: {}, remove: {}, extra: {} });
    await expect(loadTools(manifestUrl, load)).rejects.toThrow(/does not match tools\.json/);
  });
});
