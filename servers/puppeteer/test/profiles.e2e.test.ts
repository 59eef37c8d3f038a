/**
 * Sessions that persist, as hosts run the server: `node dist/main.js` over stdio with a
 * --profiles-dir. A local login form sets an HttpOnly cookie in a named profile; the server
 * process ends, a new one starts with the same directory, and the page shows the user signed in
 * again in that profile (and signed out in a temporary one).
 */
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { connectStdio, type StdioConnection } from '@plugboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_ENV, SERVER } from './built-server.js';
import { startSite, type Site } from './site.js';

let site: Site;
let profiles: string;

beforeAll(async () => {
  site = await startSite();
  profiles = realpathSync(mkdtempSync(join(tmpdir(), 'profiles-e2e-')));
});

afterAll(async () => {
  await site?.close();
  rmSync(profiles, { recursive: true, force: true });
});

function start(): Promise<StdioConnection> {
  return connectStdio({
    command: process.execPath,
    args: [SERVER, '--profiles-dir', profiles],
    env: BROWSER_ENV,
  });
}

async function ok(
  server: StdioConnection,
  name: string,
  args: Record<string, unknown> = {},
): Promise<string> {
  const result = (await server.client.callTool({ name, arguments: args })) as CallToolResult;
  const text = result.content.map((block) => (block.type === 'text' ? block.text : '')).join('\n');
  expect(result.isError, text).not.toBe(true);
  return text;
}

async function account(server: StdioConnection): Promise<string> {
  await ok(server, 'puppeteer_navigate', { url: `${site.url}/account` });
  return ok(server, 'puppeteer_snapshot');
}

describe('named profiles across server restarts', () => {
  it('keeps a login made in a profile for the next server process', async () => {
    const first = await start();
    try {
      expect(await ok(first, 'puppeteer_use_profile', { name: 'work' })).toContain(
        'the profile "work"',
      );
      await ok(first, 'puppeteer_navigate', { url: `${site.url}/login` });
      await ok(first, 'puppeteer_fill', { selector: 'input[name=user]', value: 'alice' });
      await ok(first, 'puppeteer_click', { selector: 'button[type=submit]' });
      expect(await ok(first, 'puppeteer_snapshot')).toContain('Signed in as alice');
    } finally {
      await first.close();
    }

    const second = await start();
    try {
      // A new process starts in a temporary profile: nobody is signed in there.
      expect(await account(second)).toContain('Signed out');
      const switched = await ok(second, 'puppeteer_use_profile', { name: 'work' });
      expect(switched).toMatch(/Closed tabs t\d+ of the previous one/);
      expect(await account(second)).toContain('Signed in as alice');
    } finally {
      await second.close();
    }
  });
});
