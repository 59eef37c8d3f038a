/**
 * The built `dist/main.js` as hosts run it: spawned over stdio with the official SDK client on
 * the other end (and once over Streamable HTTP), GDRIVE_API_URL and GDRIVE_TOKEN_URL pointing
 * at the Drive fake, credentials in a temp directory. Also the `auth` subcommand of the binary.
 */
import { access, chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  connectHttp,
  connectStdio,
  callWhilePinging,
  runOnce,
  streamedBody,
  tmpDir,
  type RunResult,
  type TmpDir,
  startupBuiltins,
} from '@plugboard/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeGrant } from '../src/credentials.js';
import { DOC, fakeDrive, FULL_SCOPE, READ_SCOPE, SHEET, type FakeDrive } from './fake-drive.js';
import { CLIENT_ID, CLIENT_SECRET, textOf, writeClientKeys, type CallResult } from './harness.js';

const SERVER = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const PACKAGE = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const READ_TOOLS = [
  'search',
  'read_file',
  'list_folder',
  'get_file_metadata',
  'list_shared_drives',
  'list_revisions',
  'list_permissions',
  'list_comments',
];

let fake: FakeDrive;
let dir: TmpDir;
let env: Record<string, string>;
let refreshToken: string;

beforeEach(async () => {
  fake = await fakeDrive();
  fake.addClient(CLIENT_ID, CLIENT_SECRET);
  dir = await tmpDir('gdrive-e2e-');
  refreshToken = fake.grant(CLIENT_ID, READ_SCOPE);
  await writeGrant(join(dir.path, 'credentials.json'), {
    refreshToken,
    accessToken: undefined,
    expiryDate: undefined,
    scope: READ_SCOPE,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
  });
  await writeClientKeys(join(dir.path, 'keys.json'), fake);
  env = {
    HOME: dir.path,
    GDRIVE_CREDENTIALS_PATH: join(dir.path, 'credentials.json'),
    GDRIVE_OAUTH_PATH: join(dir.path, 'keys.json'),
    GDRIVE_API_URL: fake.url,
    GDRIVE_TOKEN_URL: fake.tokenUrl,
  };
});

afterEach(async () => {
  await fake.close();
  await dir.cleanup();
});

/** Runs the binary to completion, for --help, bad configuration and auth. */
function run(args: string[], extra: Record<string, string> = {}): Promise<RunResult> {
  return runOnce(process.execPath, [SERVER, ...args], extra);
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

describe('mcp-server-gdrive over stdio', () => {
  it('reaches tools/list without loading node:child_process or node:crypto', async () => {
    const builtins = await startupBuiltins({ command: process.execPath, args: [SERVER], env });
    expect(builtins).toContain('fs');
    expect(builtins).not.toContain('child_process');
    expect(builtins).not.toContain('crypto');
  });

  it('lists the read-only tools and answers calls from the fake', async () => {
    const doc = fake.add({
      name: 'Launch plan',
      mimeType: DOC,
      exports: { 'text/markdown': '# Launch\n' },
    });
    await using connection = await connectStdio({ command: process.execPath, args: [SERVER], env });
    const { tools } = await connection.client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(READ_TOOLS);
    const found = (await connection.client.callTool({
      name: 'search',
      arguments: { query: 'launch' },
    })) as CallResult;
    expect(found.structuredContent).toMatchObject({ files: [{ id: doc.id, name: 'Launch plan' }] });
    const read = (await connection.client.callTool({
      name: 'read_file',
      arguments: { fileId: doc.id },
    })) as CallResult;
    expect(read.structuredContent).toMatchObject({
      text: '# Launch\n',
      contentType: 'text/markdown',
    });
    expect(connection.stderr()).not.toContain(refreshToken);
  });

  it('offers writing and sharing only with their flags', async () => {
    await using connection = await connectStdio({
      command: process.execPath,
      args: [SERVER, '--allow-write', '--allow-sharing', '--exclude-tools', 'trash_file'],
      env,
    });
    const names = (await connection.client.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual([
      ...READ_TOOLS,
      'create_folder',
      'create_file',
      'update_file',
      'copy_file',
      'move_file',
      'rename_file',
      'update_sheet_values',
      'append_sheet_rows',
      'append_to_document',
      'add_comment',
      'reply_to_comment',
      'resolve_comment',
      'share_file',
      'unshare_file',
    ]);
    expect(connection.stderr()).toMatch(/saved sign-in is read-only.*auth --allow-write/);
  });

  it('writes a Sheet and a Doc through the Sheets and Docs clients it loads on first use', async () => {
    const write = fake.grant(CLIENT_ID, FULL_SCOPE);
    await writeGrant(env.GDRIVE_CREDENTIALS_PATH!, {
      refreshToken: write,
      accessToken: undefined,
      expiryDate: undefined,
      scope: FULL_SCOPE,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
    });
    const sheet = fake.add({
      name: 'Log',
      mimeType: SHEET,
      sheets: [{ title: 'Sheet1', rows: [['day']] }],
    });
    const doc = fake.add({ name: 'Diary', mimeType: DOC, docText: 'Monday\n' });
    await using connection = await connectStdio({
      command: process.execPath,
      args: [SERVER, '--allow-write'],
      env,
    });
    const appended = (await connection.client.callTool({
      name: 'append_sheet_rows',
      arguments: { spreadsheetId: sheet.id, range: 'Sheet1', rows: [['Tuesday']] },
    })) as CallResult;
    expect(appended.isError).toBeFalsy();
    expect(sheet.sheets![0]!.rows).toEqual([['day'], ['Tuesday']]);
    const written = (await connection.client.callTool({
      name: 'append_to_document',
      arguments: { documentId: doc.id, text: 'Tuesday' },
    })) as CallResult;
    expect(written.isError).toBeFalsy();
    expect(doc.docText).toBe('Monday\nTuesday\n');
    expect(
      fake.apiRequests().map((request) => `${request.method} ${request.path.split('/')[1]}`),
    ).toEqual(['GET drive', 'POST v4', 'GET drive', 'GET v1', 'POST v1']);
  });

  it('offers the transfers only with --local-dir (upload also with --allow-write), not under --read-only', async () => {
    const local = join(dir.path, 'local');
    const names = async (args: string[]) => {
      await using connection = await connectStdio({
        command: process.execPath,
        args: [SERVER, ...args],
        env,
      });
      return {
        names: (await connection.client.listTools()).tools.map((tool) => tool.name),
        stderr: connection.stderr(),
      };
    };
    expect((await names(['--local-dir', local])).names).toEqual([...READ_TOOLS, 'download_file']);
    expect((await names(['--local-dir', local, '--read-only'])).names).toEqual(READ_TOOLS);
    const writing = await names(['--local-dir', local, '--allow-write']);
    expect(writing.names).toEqual(expect.arrayContaining(['upload_file', 'download_file']));
    // The kit warns once per withheld tool, naming every flag it still needs.
    const asked = await names(['--tools', 'search,upload_file,download_file']);
    expect(asked.names).toEqual(['search']);
    expect(asked.stderr.match(/is not offered without/g)).toHaveLength(2);
    expect(asked.stderr).toContain(
      'upload_file is not offered without --local-dir and --allow-write\n',
    );
    expect(asked.stderr).toContain('download_file is not offered without --local-dir\n');
    const localOnly = await names(['--tools', 'upload_file,download_file', '--local-dir', local]);
    expect(localOnly.names).toEqual(['download_file']);
    expect(localOnly.stderr).toContain('upload_file is not offered without --allow-write');
  });

  it('answers a revoked grant with an isError result naming the command, and keeps running', async () => {
    fake.revoke(refreshToken);
    await using connection = await connectStdio({ command: process.execPath, args: [SERVER], env });
    const result = (await connection.client.callTool({
      name: 'search',
      arguments: { query: 'x' },
    })) as CallResult;
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('npx -y @plugboard/server-gdrive auth');
    await expect(connection.client.ping()).resolves.toEqual({});
  });

  it('prints help and version without starting', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    for (const needle of [
      'GDRIVE_OAUTH_PATH',
      'GDRIVE_CREDENTIALS_PATH',
      'GDRIVE_API_URL',
      'GDRIVE_TOKEN_URL',
      '--allow-write',
      '--allow-sharing',
    ])
      expect(help.stdout).toContain(needle);
    const authHelp = await run(['auth', '--help']);
    expect(authHelp.stdout).toContain('--no-browser');
    expect((await run(['--version'])).stdout.trim()).toBe(PACKAGE.version);
  });

  it('fails fast without credentials: one line naming the command, no browser started (GD-04)', async () => {
    const marker = join(dir.path, 'browser-started');
    const browser = join(dir.path, 'browser.sh');
    await writeFile(browser, `#!/bin/sh\ntouch ${marker}\n`);
    await chmod(browser, 0o755);
    const result = await run([], {
      HOME: dir.path,
      GDRIVE_CREDENTIALS_PATH: join(dir.path, 'none.json'),
      BROWSER: browser,
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('run `npx -y @plugboard/server-gdrive auth`');
    expect(result.stdout).toBe('');
    expect(await exists(marker)).toBe(false);
  });

  it('refuses a saved sign-in that other users can read (GD-04)', async () => {
    await chmod(env.GDRIVE_CREDENTIALS_PATH!, 0o644);
    const result = await run([], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`run chmod 600 ${env.GDRIVE_CREDENTIALS_PATH}`);
  });

  it('refuses bad configuration with exit code 2 and one line', async () => {
    for (const args of [
      ['--api-url', 'ftp://x'],
      ['--allow-public-sharing'],
      ['--tools', 'serach'],
      ['extra'],
    ]) {
      const bad = await run(args, env);
      expect(bad.code, args.join(' ')).toBe(2);
      expect(bad.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });
});

describe('mcp-server-gdrive auth (the built binary)', () => {
  it('signs in through a real loopback redirect and saves the grant with mode 0600', async () => {
    const browser = join(dir.path, 'browser.cjs');
    await writeFile(
      browser,
      `#!/usr/bin/env node
(async () => {
  const consent = await fetch(process.argv[2], { redirect: 'manual' });
  await fetch(consent.headers.get('location'));
})();
`,
    );
    await chmod(browser, 0o755);
    const saved = join(dir.path, 'fresh', 'credentials.json');
    const result = await run(['auth'], {
      ...env,
      GDRIVE_CREDENTIALS_PATH: saved,
      BROWSER: browser,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Signed in (read-only access)');
    expect((await stat(saved)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(saved, 'utf8'))).toMatchObject({
      client_id: CLIENT_ID,
      refresh_token: expect.any(String),
    });
  });
});

describe('mcp-server-gdrive over Streamable HTTP', () => {
  it('serves the same tools behind a bearer token, never forwarding it to Google', async () => {
    const mcpToken = 'mcp-client-secret-0123456789';
    fake.add({ name: 'report.txt', content: 'quarterly report' });
    await using connection = await connectHttp({
      command: process.execPath,
      args: [SERVER, '--transport', 'http', '--port', '0'],
      env: { ...env, MCP_AUTH_TOKEN: mcpToken },
      bearerToken: mcpToken,
    });
    const result = (await connection.client.callTool({
      name: 'search',
      arguments: { query: 'quarterly' },
    })) as CallResult;
    expect(result.structuredContent).toMatchObject({ files: [{ name: 'report.txt' }] });
    await connection.close();
    expect(
      fake.requests.map((request) => JSON.stringify(request.headers)).join('\n'),
    ).not.toContain(mcpToken);
  });
});

describe('mcp-server-gdrive against an oversized answer', () => {
  const MiB = 1024 * 1024;

  it.each([
    ['a 200 MB file listing, length undeclared', 200, false],
    ['a 200 MB error body, length declared', 400, true],
  ])(
    'stops reading %s at the cap, stays small and answers ping throughout',
    async (_name, status, declareLength) => {
      const body = streamedBody(200 * MiB, { status, declareLength });
      fake.http.route('GET /drive/v3/files', body);
      await using connection = await connectStdio({
        command: process.execPath,
        args: [SERVER],
        env,
      });
      const call = await callWhilePinging(connection, 'search', { query: 'launch' });
      expect(call.isError).toBe(true);
      expect(call.text).toMatch(
        /^Google Drive's answer was larger than the 32 MiB cap on upstream responses, so it was not read\. Ask for less/,
      );
      expect(call.pings).toBeGreaterThan(0);
      expect(call.peakBytes).toBeLessThan(400 * MiB);
      expect(body.written()).toBeLessThan(100 * MiB);
    },
  );
});
