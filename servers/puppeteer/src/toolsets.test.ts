import { describe, expect, it } from 'vitest';
import { EVERY_TOOL, exposeTools } from '@plugboard/kit/tools';
import { browserToolConfiguration } from './server.js';
import { tools } from './tools/index.js';

const closed = { allowEvaluate: false, toolsets: [] };
const listed = (config: { allowEvaluate: boolean; toolsets: string[] }, selection = EVERY_TOOL) =>
  exposeTools(tools, browserToolConfiguration(config, selection)).tools.map((tool) => tool.name);
const optional = ['puppeteer_emulate', 'puppeteer_drag', 'puppeteer_fill_form'];

describe('toolsets', () => {
  it('refuses an unknown toolset, naming the closest and the known ones', () => {
    expect(() => listed({ ...closed, toolsets: ['emulations'] })).toThrow(
      /Unknown toolset "emulations" in --toolsets \(the closest is emulation\); known: all, /,
    );
  });

  it('holds back every toolset tool until its toolset is on', () => {
    for (const member of optional) {
      expect(listed(closed)).not.toContain(member);
      expect(listed({ ...closed, toolsets: ['all'] })).toContain(member);
    }
    expect(listed({ ...closed, toolsets: ['input'] })).not.toContain('puppeteer_emulate');
    expect(listed({ ...closed, toolsets: ['input'] })).toContain('puppeteer_drag');
  });

  it('answers a call by name to a closed toolset or to evaluate with the flag', () => {
    const { disabledTools } = exposeTools(tools, browserToolConfiguration(closed));
    expect(disabledTools.get('puppeteer_mouse')).toBe(
      'puppeteer_mouse is turned off on this server; the operator turns it on with --toolsets input (or PUPPETEER_TOOLSETS=input).',
    );
    expect(disabledTools.get('puppeteer_evaluate')).toMatch(/--allow-evaluate/);
  });

  it('makes --tools naming a tool of a closed toolset a configuration error naming the flag', () => {
    const selection = { ...EVERY_TOOL, tools: ['puppeteer_emulate'] };
    expect(() => listed(closed, selection)).toThrow('--toolsets emulation');
    expect(listed({ ...closed, toolsets: ['emulation'] }, selection)).toEqual([
      'puppeteer_emulate',
    ]);
  });
});
