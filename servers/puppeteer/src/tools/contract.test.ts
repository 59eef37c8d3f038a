import type { ToolDescriptor } from '@plugboard/protocol';
import { contractSuite } from '@plugboard/testing/contract';
import { describe, expect, it } from 'vitest';
import { tools } from './index.js';

const descriptors = tools.map((tool) => tool.descriptor());

/** The reference server's tools and their argument names (anchors: @modelcontextprotocol/server-puppeteer). */
const OFFICIAL: Record<string, string[]> = {
  puppeteer_navigate: ['url', 'launchOptions', 'allowDangerous'],
  puppeteer_screenshot: ['name', 'selector', 'width', 'height', 'encoded'],
  puppeteer_click: ['selector'],
  puppeteer_fill: ['selector', 'value'],
  puppeteer_select: ['selector', 'value'],
  puppeteer_hover: ['selector'],
  puppeteer_evaluate: ['script'],
};

function properties(descriptor: ToolDescriptor): Record<string, { description?: string }> {
  return (descriptor.inputSchema.properties ?? {}) as Record<string, { description?: string }>;
}

contractSuite(tools, {
  names: /^puppeteer_[a-z]+(_[a-z]+)*$/,
  descriptions: {
    minLength: 40,
    maxSentences: 6,
    sentences: (description) =>
      description.split(/[.!?](\s|$)/).filter((part) => part?.trim()).length,
  },
  closedInput: true,
  readOnly: [
    'puppeteer_get_network_request',
    'puppeteer_get_storage',
    'puppeteer_list_console_messages',
    'puppeteer_list_network_requests',
    'puppeteer_list_tabs',
    'puppeteer_save_pdf',
    'puppeteer_screenshot',
    'puppeteer_snapshot',
    'puppeteer_wait_for',
  ],
  outputSchemas: [
    'puppeteer_navigate',
    'puppeteer_screenshot',
    'puppeteer_snapshot',
    'puppeteer_evaluate',
    'puppeteer_list_tabs',
    'puppeteer_list_console_messages',
    'puppeteer_list_network_requests',
    'puppeteer_get_network_request',
    'puppeteer_get_storage',
    'puppeteer_save_pdf',
    'puppeteer_emulate',
    'puppeteer_fill_form',
    'puppeteer_scroll',
  ],
});

describe('the reference tools', () => {
  it('keeps every reference tool with its reference arguments, requiring no new ones', () => {
    for (const [name, args] of Object.entries(OFFICIAL)) {
      const descriptor = descriptors.find((candidate) => candidate.name === name);
      expect(descriptor, name).toBeDefined();
      expect(Object.keys(properties(descriptor!))).toEqual(expect.arrayContaining(args));
      const required = (descriptor!.inputSchema.required ?? []) as string[];
      for (const field of required) expect(args, `${name} requires ${field}`).toContain(field);
    }
  });
});

describe('the default tool list', () => {
  // tools/list as it was before the network, storage and snapshot-cut additions (evaluate listed).
  const BEFORE_BYTES = 27_714;

  // Off by default: evaluate (--allow-evaluate), the profile tools (--profiles-dir) and the
  // optional toolsets (--toolsets).
  const optional = new Set(
    tools
      .filter((tool) => tool.requires !== undefined || tool.toolset !== undefined)
      .map((tool) => tool.name),
  );

  it('grows by at most 20% in bytes over the list it replaced', () => {
    const listed = descriptors.filter((descriptor) => !optional.has(descriptor.name));
    expect(Buffer.byteLength(JSON.stringify(listed))).toBeLessThanOrEqual(BEFORE_BYTES * 1.2);
  });
});
