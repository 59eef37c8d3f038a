/**
 * The `auth` subcommand against the fake's consent page and token endpoint, with a real
 * loopback redirect: a stand-in browser (a program named by BROWSER) follows the consent page's
 * redirect back to the listener, as a browser would after the user clicks Allow.
 */
import { access, chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpDir, type TmpDir } from '@plugboard/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeDrive, FULL_SCOPE, READ_SCOPE, type FakeDrive } from '../../test/fake-drive.js';
import { CLIENT_ID, CLIENT_SECRET, writeClientKeys } from '../../test/harness.js';
import { runAuth } from './command.js';

let fake: FakeDrive;
let dir: TmpDir;
let browser: string;
let browserLog: string;

/** A program that acts as the user's browser: records its arguments, follows the consent page. */
async function writeBrowser(path: string, log: string): Promise<void> {
  await writeFile(
    path,
    `#!/usr/bin/env node
const fs = require('node:fs');
fs.writeFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)));
(async () => {
  const consent = await fetch(process.argv[2], { redirect: 'manual' });
  const back = await fetch(consent.headers.get('location'));
  fs.writeFileSync(${JSON.stringify(`${log}.page`)}, back.status + ' ' + (await back.text()));
})();
`,
  );
  await chmod(path, 0o755);
}

beforeEach(async () => {
  fake = await fakeDrive();
  fake.addClient(CLIENT_ID, CLIENT_SECRET);
  dir = await tmpDir('gdrive-auth-');
  await writeClientKeys(join(dir.path, 'keys.json'), fake);
  browser = join(dir.path, 'browser.cjs');
  browserLog = join(dir.path, 'browser.log');
  await writeBrowser(browser, browserLog);
});

afterEach(async () => {
  await fake.close();
  await dir.cleanup();
});

function run(args: string[], env: Record<string, string> = {}) {
  const err: string[] = [];
  const out: string[] = [];
  const done = runAuth(args, {
    env: {
      HOME: dir.path,
      GDRIVE_OAUTH_PATH: join(dir.path, 'keys.json'),
      GDRIVE_CREDENTIALS_PATH: join(dir.path, 'saved', 'credentials.json'),
      BROWSER: browser,
      ...env,
    },
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
  });
  return { done, stderr: () => err.join(''), stdout: () => out.join('') };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

describe('mcp-server-gdrive auth', () => {
  it('signs in through the browser and a loopback redirect, and saves a private, renewable grant', async () => {
    const auth = run([]);
    expect(await auth.done).toBe(0);
    const saved = join(dir.path, 'saved', 'credentials.json');
    expect((await stat(saved)).mode & 0o777).toBe(0o600);
    const grant = JSON.parse(await readFile(saved, 'utf8')) as Record<string, unknown>;
    expect(grant).toMatchObject({
      type: 'authorized_user',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      scope: READ_SCOPE,
      refresh_token: expect.stringMatching(/^1\/\//),
    });
    // The browser got the address as one argument, nothing for a shell to interpret.
    const argv = JSON.parse(await readFile(browserLog, 'utf8')) as string[];
    expect(argv).toHaveLength(1);
    const consent = new URL(argv[0]!);
    expect(consent.origin + consent.pathname).toBe(fake.authUrl);
    expect(Object.fromEntries(consent.searchParams)).toMatchObject({
      client_id: CLIENT_ID,
      response_type: 'code',
      scope: READ_SCOPE,
      access_type: 'offline',
      prompt: 'consent',
      code_challenge_method: 'S256',
      redirect_uri: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/),
    });
    expect(await readFile(`${browserLog}.page`, 'utf8')).toMatch(
      /^200 .*Signed in to Google Drive/,
    );
    const [exchange] = fake.tokenRequests();
    expect(exchange!.body).toMatchObject({
      grant_type: 'authorization_code',
      redirect_uri: consent.searchParams.get('redirect_uri'),
      code_verifier: expect.stringMatching(/^[A-Za-z0-9_-]{43,128}$/),
    });
    expect(auth.stderr()).toContain('Signed in (read-only access)');
    expect(auth.stderr()).not.toContain(String(grant.refresh_token));
  });

  it('asks for the full Drive scope with --allow-write', async () => {
    const auth = run(['--allow-write']);
    expect(await auth.done).toBe(0);
    const argv = JSON.parse(await readFile(browserLog, 'utf8')) as string[];
    expect(new URL(argv[0]!).searchParams.get('scope')).toBe(FULL_SCOPE);
    expect(auth.stderr()).toContain('read and write access');
  });

  it('prints the address with --no-browser and ignores a redirect with the wrong state', async () => {
    const auth = run(['--no-browser']);
    let printed: URL | undefined;
    while (printed === undefined) {
      const match = /(http:\/\/127\.0\.0\.1:\d+\/o\/oauth2\/v2\/auth\?\S+)/.exec(auth.stderr());
      if (match !== null) printed = new URL(match[1]!);
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const redirect = new URL(printed.searchParams.get('redirect_uri')!);
    const forged = await fetch(`${redirect.href}?code=attacker&state=wrong`);
    expect(forged.status).toBe(400);
    const consent = await fetch(printed, { redirect: 'manual' });
    const back = await fetch(consent.headers.get('location')!);
    expect(back.status).toBe(200);
    expect(await auth.done).toBe(0);
    expect(await exists(browserLog)).toBe(false);
    expect(
      fake.tokenRequests().map((request) => (request.body as { code: string }).code),
    ).not.toContain('attacker');
  });

  it('reports a refused consent and saves nothing', async () => {
    fake.denyConsent = true;
    const auth = run([]);
    expect(await auth.done).toBe(1);
    expect(auth.stderr()).toContain('Google did not grant access (access_denied)');
    expect(await exists(join(dir.path, 'saved', 'credentials.json'))).toBe(false);
  });

  it('explains how to get OAuth client keys when there are none', async () => {
    const auth = run([], { GDRIVE_OAUTH_PATH: join(dir.path, 'missing.json') });
    expect(await auth.done).toBe(2);
    expect(auth.stderr()).toContain('create an OAuth client of type "Desktop app"');
  });

  it('gives up when no sign-in arrives in time', async () => {
    const auth = run(['--no-browser', '--wait', '1']);
    expect(await auth.done).toBe(1);
    expect(auth.stderr()).toContain('No sign-in arrived within 1 seconds');
  });
});

describe('consent addresses that must never be opened (mcp-remote class, CVE-2025-6514)', () => {
  for (const hostile of [
    'javascript:alert(document.cookie)',
    'file:///etc/passwd',
    'a:$(touch /tmp/gdrive-pwned)',
    'cmd:/c calc.exe',
    'http://accounts.evil.example/o/oauth2/auth',
  ]) {
    it(`refuses ${hostile} from the client keys file without starting the browser`, async () => {
      await writeClientKeys(join(dir.path, 'keys.json'), fake, { auth_uri: hostile });
      const auth = run([]);
      expect(await auth.done).toBe(1);
      expect(auth.stderr()).toContain('refusing to open');
      expect(await exists(browserLog)).toBe(false);
      expect(await exists('/tmp/gdrive-pwned')).toBe(false);
      expect(fake.requests).toEqual([]);
    });
  }

  it('refuses a non-web GDRIVE_AUTH_URL as bad configuration', async () => {
    const auth = run([], { GDRIVE_AUTH_URL: 'javascript:alert(1)' });
    expect(await auth.done).toBe(2);
    expect(auth.stderr()).toContain('--auth-url (GDRIVE_AUTH_URL) must use https');
    expect(await exists(browserLog)).toBe(false);
  });
});
