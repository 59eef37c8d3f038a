import { describe, expect, it } from 'vitest';
import { EVERY_TOOL, exposeTools } from '@plugboard/kit/tools';
import { browserToolConfiguration } from './server.js';
import { tools } from './tools/index.js';

type GateConfig = Parameters<typeof browserToolConfiguration>[0];

const closed: GateConfig = { allowEvaluate: false, toolsets: [], profilesDir: undefined };
const listed = (config: GateConfig, selection = EVERY_TOOL) =>
  exposeTools(tools, browserToolConfiguration(config, selection)).tools.map((tool) => tool.name);
const optional = [
  'puppeteer_emulate',
  'puppeteer_drag',
  'puppeteer_fill_form',
  'puppeteer_performance_start_trace',
  'puppeteer_performance_stop_trace',
];
const profileTools = [
  'puppeteer_use_profile',
  'puppeteer_export_storage_state',
  'puppeteer_import_storage_state',
];

describe('toolsets', () => {
  it('refuses an unknown toolset, naming the closest and the known ones', () => {
    expect(() => listed({ ...closed, toolsets: ['emulations'] })).toThrow(
      /Unknown toolset "emulations" in --toolsets \(the closest is emulation\); known: all, emulation, input, performance/,
    );
  });

  it('holds back every toolset tool until its toolset is on', () => {
    for (const member of optional) {
      expect(listed(closed)).not.toContain(member);
      expect(listed({ ...closed, toolsets: ['all'] })).toContain(member);
    }
    expect(listed({ ...closed, toolsets: ['input'] })).not.toContain('puppeteer_emulate');
    expect(listed({ ...closed, toolsets: ['input'] })).toContain('puppeteer_drag');
    expect(listed({ ...closed, toolsets: ['performance'] })).toContain(
      'puppeteer_performance_start_trace',
    );
  });

  it('lists the profile tools only with a profiles directory', () => {
    for (const member of profileTools) {
      expect(listed(closed)).not.toContain(member);
      expect(listed({ ...closed, toolsets: ['all'] })).not.toContain(member);
      expect(listed({ ...closed, profilesDir: '/srv/profiles' })).toContain(member);
    }
  });

  it('answers a call by name to a closed toolset, evaluate or a profile tool with the flag', () => {
    const { disabledTools } = exposeTools(tools, browserToolConfiguration(closed));
    expect(disabledTools.get('puppeteer_mouse')).toBe(
      'puppeteer_mouse is turned off on this server; the operator turns it on with --toolsets input (or PUPPETEER_TOOLSETS=input).',
    );
    expect(disabledTools.get('puppeteer_evaluate')).toMatch(/--allow-evaluate/);
    expect(disabledTools.get('puppeteer_use_profile')).toBe(
      'puppeteer_use_profile is turned off on this server; the operator turns it on with --profiles-dir DIR (or PUPPETEER_PROFILES_DIR=DIR).',
    );
  });

  it('makes --tools naming a tool of a closed toolset a configuration error naming the flag', () => {
    const selection = { ...EVERY_TOOL, tools: ['puppeteer_emulate'] };
    expect(() => listed(closed, selection)).toThrow('--toolsets emulation');
    expect(listed({ ...closed, toolsets: ['emulation'] }, selection)).toEqual([
      'puppeteer_emulate',
    ]);
    const profile = { ...EVERY_TOOL, tools: ['puppeteer_use_profile'] };
    expect(() => listed(closed, profile)).toThrow('--profiles-dir DIR');
  });
});
