import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDemo, toolSummary } from './demo.js';
import type { Showcase } from './showcase.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'plugboard-demo-test-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A package in the temp checkout whose executable is the given script. */
async function fakeServer(folder: string, script: string): Promise<void> {
  await mkdir(join(root, folder), { recursive: true });
  await writeFile(
    join(root, folder, 'package.json'),
    JSON.stringify({
      name: `@fake/${folder}`,
      version: '1.0.0',
      bin: { 'mcp-server-fake': 'main.js' },
    }),
  );
  await writeFile(join(root, folder, 'main.js'), script);
}

const showcase: Showcase = {
  name: 'fake',
  packageName: '@fake/server',
  folder: 'servers/fake',
  summary: 'A stand-in.',
  prepare: () => Promise.resolve({ args: ['--embedded'], notes: [], run: () => Promise.resolve() }),
};

async function demo(): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const code = await runDemo({ root, showcases: [showcase], write: (line) => lines.push(line) });
  return { code, output: lines.join('\n') };
}

describe('runDemo', () => {
  it('skips a server that is not built, says so, and still succeeds', async () => {
    await mkdir(join(root, 'servers/fake'), { recursive: true });
    await writeFile(
      join(root, 'servers/fake/package.json'),
      JSON.stringify({ bin: { x: 'dist/main.js' } }),
    );
    const { code, output } = await demo();
    expect(code).toBe(0);
    expect(output).toContain('skipped: not built yet (no servers/fake/dist/main.js)');
    expect(output).toContain('No server is built yet');
  });

  it('skips a server that refuses the options with a usage error', async () => {
    await fakeServer(
      'servers/fake',
      "process.stderr.write('mcp-server-fake: unknown option --embedded\\n'); process.exit(2);",
    );
    const { code, output } = await demo();
    expect(code).toBe(0);
    expect(output).toContain('refuses the demo');
    expect(output).toContain('mcp-server-fake: unknown option --embedded');
  });

  it('fails, with the server stderr and no stack trace, when a built server crashes at start', async () => {
    await fakeServer(
      'servers/fake',
      "process.stderr.write('mcp-server-fake ERROR cannot open the database\\n'); process.exit(1);",
    );
    const { code, output } = await demo();
    expect(code).toBe(1);
    expect(output).toContain('failed to start');
    expect(output).toContain('cannot open the database');
    expect(output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });

  it('refuses an unknown showcase name', async () => {
    const lines: string[] = [];
    const code = await runDemo({
      root,
      showcases: [showcase],
      only: ['nope'],
      write: (line) => lines.push(line),
    });
    expect(code).toBe(2);
    expect(lines.join('\n')).toContain('Unknown showcase: nope');
  });
});

describe('toolSummary', () => {
  const names = (count: number): string[] =>
    Array.from({ length: count }, (_, index) => `tool_${index + 1}`);

  it('lists every tool of a short list', () => {
    expect(toolSummary(names(3))).toBe('3 tools: tool_1, tool_2, tool_3');
  });

  it('gives a long list as its count, the first eight and how many more', () => {
    const summary = toolSummary(names(46));
    expect(summary).toMatch(/^46 tools, among them: tool_1, tool_2, /);
    expect(summary).toMatch(/tool_8 and 38 more$/);
    expect(summary).not.toContain('tool_9');
  });

  it('wraps at a readable width', () => {
    const lines = toolSummary(names(24)).split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(97);
  });
});
