import { describe, expect, it } from 'vitest';
import { EVERY_TOOL, gateTools } from '@plugboard/kit/cli';
import { selectBrowserTools } from './server.js';
import { tools } from './tools/index.js';
import { parseToolsets, TOOLSETS, toolsetGates } from './toolsets.js';

const closed = { allowEvaluate: false, toolsets: [], profilesDir: undefined };

describe('toolsets', () => {
  it('reads names and all, and refuses an unknown name listing the known ones', () => {
    expect(parseToolsets([])).toEqual([]);
    expect(parseToolsets(['emulation'])).toEqual(['emulation']);
    expect(parseToolsets(['all'])).toEqual(Object.keys(TOOLSETS));
    expect(() => parseToolsets(['emulations'])).toThrow(
      'known: all, emulation, input, performance',
    );
  });

  it('holds back every toolset tool until its toolset is on', () => {
    const names = (enabled: Parameters<typeof toolsetGates>[0]) =>
      gateTools(tools, EVERY_TOOL, toolsetGates(enabled)).tools.map((tool) => tool.name);
    for (const member of Object.values(TOOLSETS).flat()) {
      expect(names([])).not.toContain(member);
      expect(names(parseToolsets(['all']))).toContain(member);
    }
  });

  it('makes --tools naming a tool of a closed toolset a configuration error naming the flag', () => {
    const selection = { ...EVERY_TOOL, tools: ['puppeteer_emulate'] };
    expect(() => selectBrowserTools(tools, selection, closed)).toThrow('--toolsets emulation');
    expect(
      selectBrowserTools(tools, selection, { ...closed, toolsets: ['emulation'] }).map(
        (tool) => tool.name,
      ),
    ).toEqual(['puppeteer_emulate']);
  });
});
