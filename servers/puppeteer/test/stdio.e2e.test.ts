/**
 * The built server as hosts run it: `node dist/main.js` spawned over stdio with the official SDK
 * client on the other end. Covers the drop-in promise (the reference server's tools, arguments
 * and resources), lazy browser start, start-up errors, and a clean exit with no Chromium left.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { connectStdio, waitFor, type StdioConnection, startupBuiltins } from '@plugboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { descendants, isAlive } from './processes.js';
import { BROWSER_ENV, SERVER } from './built-server.js';
import { startSite, type Site } from './site.js';

const OFFICIAL_TOOLS = [
  'puppeteer_navigate',
  'puppeteer_screenshot',
  'puppeteer_click',
  'puppeteer_fill',
  'puppeteer_select',
  'puppeteer_hover',
  'puppeteer_evaluate',
];

function text(result: CallToolResult): string {
  return result.content.map((block) => (block.type === 'text' ? block.text : '')).join('\n');
}

async function call(
  connection: StdioConnection,
  name: string,
  args: Record<string, unknown>,
): Promise<CallToolResult> {
  return (await connection.client.callTool({ name, arguments: args })) as CallToolResult;
}

function start(args: string[], env: Record<string, string> = {}): Promise<StdioConnection> {
  return connectStdio({
    command: process.execPath,
    args: [SERVER, ...args],
    env: { ...BROWSER_ENV, ...env },
  });
}

/** Runs the server with a bad configuration: it must stop with exit code 2 and one stderr line. */
function startupFailure(args: string[], env: Record<string, string> = {}): string {
  const run = spawnSync(process.execPath, [SERVER, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    input: '',
    timeout: 20_000,
  });
  expect(run.status).toBe(2);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  return run.stderr;
}

let site: Site;

beforeAll(async () => {
  site = await startSite();
});

afterAll(async () => {
  await site?.close();
});

describe('drop-in replacement for @modelcontextprotocol/server-puppeteer', () => {
  let server: StdioConnection;

  beforeAll(async () => {
    server = await start(['--allow-evaluate']);
  });

  afterAll(async () => {
    await server?.close();
  });

  it('reaches tools/list without loading node:child_process or node:dns', async () => {
    // The browser's launcher and the resolver of the URL policy load on the first navigation.
    const builtins = await startupBuiltins({
      command: process.execPath,
      args: [SERVER],
      env: BROWSER_ENV,
    });
    expect(builtins).toContain('fs');
    expect(builtins).not.toContain('child_process');
    expect(builtins).not.toContain('dns/promises');
  });

  it('lists every reference tool and resource before any browser starts', async () => {
    const { tools } = await server.client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(OFFICIAL_TOOLS));
    const navigate = tools.find((tool) => tool.name === 'puppeteer_navigate')!;
    expect(Object.keys(navigate.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(['url', 'launchOptions', 'allowDangerous']),
    );
    const { resources } = await server.client.listResources();
    expect(resources).toContainEqual(
      expect.objectContaining({ uri: 'console://logs', mimeType: 'text/plain' }),
    );
    expect(descendants(server.pid!)).toEqual([]);
  });

  it('runs the reference tools with the reference arguments', async () => {
    const navigated = await call(server, 'puppeteer_navigate', { url: `${site.url}/form` });
    expect(text(navigated)).toContain(`${site.url}/form`);
    // The built bundle serialises the in-page snapshot script; it must still run in the page.
    const snapshot = await call(server, 'puppeteer_snapshot', {});
    expect(text(snapshot)).toMatch(/- textbox "Name" \[ref=e\d+\]/);
    expect(
      (await call(server, 'puppeteer_fill', { selector: '#name', value: 'Ada' })).isError,
    ).not.toBe(true);
    expect(
      (await call(server, 'puppeteer_select', { selector: '#colour', value: 'green' })).isError,
    ).not.toBe(true);
    expect((await call(server, 'puppeteer_hover', { selector: '#submit' })).isError).not.toBe(true);
    const evaluated = await call(server, 'puppeteer_evaluate', {
      script:
        "console.log('checking'); [document.querySelector('#name').value, document.querySelector('#colour').value]",
    });
    expect(text(evaluated)).toBe(
      'Execution result:\n["Ada","green"]\n\nConsole output:\n[log] checking',
    );
    const clicked = await call(server, 'puppeteer_click', { selector: '#submit' });
    expect(text(clicked)).toContain('/submitted?name=Ada');
    const shot = await call(server, 'puppeteer_screenshot', {
      name: 'after-submit',
      width: 640,
      height: 480,
    });
    expect(text(shot)).toContain("Screenshot 'after-submit' taken at 640x480");
    expect(shot.content).toContainEqual(
      expect.objectContaining({ type: 'image', mimeType: 'image/png' }),
    );
    const encoded = await call(server, 'puppeteer_screenshot', {
      name: 'encoded',
      selector: 'h1',
      encoded: true,
    });
    expect(text(encoded)).toMatch(/data:image\/png;base64,[A-Za-z0-9+/]+=*/);
  });

  it('serves console://logs and screenshot://<name>, announcing new screenshots', async () => {
    await call(server, 'puppeteer_navigate', { url: `${site.url}/console` });
    const logs = await waitFor(async () => {
      const read = await server.client.readResource({ uri: 'console://logs' });
      const body = (read.contents[0] as { text: string }).text;
      return body.includes('[warn] warn line') ? body : undefined;
    });
    expect(logs).toContain('[log] log line');
    const shot = await server.client.readResource({ uri: 'screenshot://after-submit' });
    expect(shot.contents[0]).toMatchObject({
      uri: 'screenshot://after-submit',
      mimeType: 'image/png',
    });
    const { resources } = await server.client.listResources();
    expect(resources.map((resource) => resource.uri)).toEqual(
      expect.arrayContaining(['screenshot://after-submit', 'screenshot://encoded']),
    );
    expect(
      server.received.some(
        (message) =>
          'method' in message && message.method === 'notifications/resources/list_changed',
      ),
    ).toBe(true);
  });

  it("accepts the reference server's launchOptions and allowDangerous arguments and refuses them", async () => {
    const result = await call(server, 'puppeteer_navigate', {
      url: site.url,
      launchOptions: { headless: false, args: ['--no-sandbox'] },
      allowDangerous: true,
    });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain(
      'launch options only from its operator (PUPPETEER_LAUNCH_OPTIONS and ALLOW_DANGEROUS',
    );
  });

  it('blocks a redirect to the cloud metadata address, resolving names with the system resolver', async () => {
    const result = await call(server, 'puppeteer_navigate', {
      url: `${site.url}/redirect?to=${encodeURIComponent('http://169.254.169.254/latest/meta-data/')}`,
    });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('169.254.169.254 is a cloud metadata address');
    const file = await call(server, 'puppeteer_navigate', { url: 'file:///etc/passwd' });
    expect(text(file)).toContain('file: URLs are blocked');
  });

  it('closes Chromium and removes its profile when the client goes away', async () => {
    const pid = server.pid!;
    const family = descendants(pid);
    const profile = family
      .flatMap((info) => info.args)
      .find((arg) => arg.startsWith('--user-data-dir='))
      ?.slice('--user-data-dir='.length);
    expect(family.length).toBeGreaterThan(0);
    expect(profile).toBeDefined();
    expect(server.stderr()).toMatch(/browser started executable=/);
    await server.close();
    await waitFor(() => !isAlive(pid) && family.every((info) => !isAlive(info.pid)), {
      timeoutMs: 15_000,
    });
    expect(existsSync(profile!)).toBe(false);
  });
});

describe('process', () => {
  it('reports a missing browser with the exact fix, without failing start-up', async () => {
    const server = await start([], { PUPPETEER_EXECUTABLE_PATH: '/nonexistent/chrome' });
    try {
      const result = await call(server, 'puppeteer_navigate', { url: site.url });
      expect(result.isError).toBe(true);
      expect(text(result)).toContain(
        'PUPPETEER_EXECUTABLE_PATH is /nonexistent/chrome, which is not an executable file',
      );
    } finally {
      await server.close();
    }
  });

  it('hides every tool that acts on pages with --read-only', async () => {
    const server = await start(['--read-only']);
    try {
      const { tools } = await server.client.listTools();
      expect(tools.every((tool) => tool.annotations?.readOnlyHint === true)).toBe(true);
      expect(tools.map((tool) => tool.name)).toContain('puppeteer_snapshot');
      expect(tools.map((tool) => tool.name)).not.toContain('puppeteer_evaluate');
    } finally {
      await server.close();
    }
  });

  it('lists puppeteer_evaluate only with --allow-evaluate, and refuses to be asked for it without', async () => {
    const server = await start([]);
    try {
      const { tools } = await server.client.listTools();
      expect(tools.map((tool) => tool.name)).not.toContain('puppeteer_evaluate');
      expect(tools.map((tool) => tool.name)).toContain('puppeteer_snapshot');
      expect(server.client.getInstructions()).toMatch(/puppeteer_evaluate .*--allow-evaluate/);
      await expect(
        server.client.callTool({ name: 'puppeteer_evaluate', arguments: { script: '1 + 1' } }),
      ).rejects.toMatchObject({
        code: -32602,
        message: expect.stringMatching(
          /puppeteer_evaluate is turned off on this server; the operator turns it on with --allow-evaluate/,
        ),
      });
    } finally {
      await server.close();
    }
    expect(startupFailure(['--tools', 'puppeteer_evaluate'])).toContain(
      'puppeteer_evaluate: the evaluate tools need --allow-evaluate',
    );
  });

  it('stops at start-up with one line and exit code 2 on unsafe launch options', () => {
    expect(startupFailure([], { PUPPETEER_LAUNCH_OPTIONS: '{"args":["--no-sandbox"]}' })).toContain(
      'ALLOW_DANGEROUS=true',
    );
  });

  it('prints --help without waiting for stdin', () => {
    const run = spawnSync(process.execPath, [SERVER, '--help'], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('--allow-evaluate');
    expect(run.stdout).toContain('PUPPETEER_LAUNCH_OPTIONS');
  });
});
