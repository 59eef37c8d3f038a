import type { ToolDescriptor } from '@plugboard/protocol';
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

describe('tool contract', () => {
  it('has unique snake_case names of at most 64 characters, all with the server prefix', () => {
    const names = descriptors.map((descriptor) => descriptor.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^puppeteer_[a-z]+(_[a-z]+)*$/);
    for (const name of names) expect(name.length).toBeLessThanOrEqual(64);
  });

  it('describes every tool and every argument, and sets all four annotations and a title', () => {
    for (const descriptor of descriptors) {
      expect(descriptor.description.length, descriptor.name).toBeGreaterThan(40);
      expect(
        descriptor.description.split(/[.!?](\s|$)/).filter((part) => part?.trim()).length,
        descriptor.name,
      ).toBeLessThanOrEqual(6);
      expect(descriptor.title, descriptor.name).toBeTruthy();
      for (const hint of [
        'readOnlyHint',
        'destructiveHint',
        'idempotentHint',
        'openWorldHint',
      ] as const) {
        expect(typeof descriptor.annotations?.[hint], `${descriptor.name}.${hint}`).toBe('boolean');
      }
      for (const [field, schema] of Object.entries(properties(descriptor))) {
        expect(schema.description, `${descriptor.name}.${field}`).toBeTruthy();
      }
    }
  });

  it('refuses unknown arguments', () => {
    for (const descriptor of descriptors)
      expect(descriptor.inputSchema.additionalProperties, descriptor.name).toBe(false);
  });

  it('keeps every reference tool with its reference arguments, requiring no new ones', () => {
    for (const [name, args] of Object.entries(OFFICIAL)) {
      const descriptor = descriptors.find((candidate) => candidate.name === name);
      expect(descriptor, name).toBeDefined();
      expect(Object.keys(properties(descriptor!))).toEqual(expect.arrayContaining(args));
      const required = (descriptor!.inputSchema.required ?? []) as string[];
      for (const field of required) expect(args, `${name} requires ${field}`).toContain(field);
    }
  });

  it('marks only observing tools read-only', () => {
    const readOnly = descriptors
      .filter((descriptor) => descriptor.annotations?.readOnlyHint === true)
      .map((descriptor) => descriptor.name);
    expect(readOnly.sort()).toEqual(
      [
        'puppeteer_list_console_messages',
        'puppeteer_list_network_requests',
        'puppeteer_list_tabs',
        'puppeteer_save_pdf',
        'puppeteer_screenshot',
        'puppeteer_snapshot',
        'puppeteer_wait_for',
      ].sort(),
    );
  });

  it('declares an output schema for every tool that returns data', () => {
    for (const name of [
      'puppeteer_navigate',
      'puppeteer_screenshot',
      'puppeteer_snapshot',
      'puppeteer_evaluate',
      'puppeteer_list_tabs',
      'puppeteer_list_console_messages',
      'puppeteer_list_network_requests',
      'puppeteer_save_pdf',
    ]) {
      expect(
        descriptors.find((descriptor) => descriptor.name === name)?.outputSchema,
        name,
      ).toBeDefined();
    }
  });
});
