import { UsageError } from '@plugboard/kit/cli';
import { describe, expect, it } from 'vitest';
import { parseApiUrl, parseConfig, serviceRoot } from './config.js';
import { grants, SCOPES, scopesFor } from './scopes.js';
import type { PathContext } from './paths.js';

const paths: PathContext = { env: {}, platform: 'linux', home: '/home/ada', cwd: '/work' };

function flags(entries: Record<string, string | boolean | number>) {
  return new Map(Object.entries(entries));
}

describe('configuration', () => {
  it('defaults to read-only, Google endpoints and files under ~/.config', () => {
    const config = parseConfig(flags({}), {}, paths);
    expect(config).toMatchObject({
      apiUrl: 'https://www.googleapis.com/',
      tokenUrl: undefined,
      oauthPath: '/home/ada/.config/mcp-server-gdrive/gcp-oauth.keys.json',
      credentialsPath: '/home/ada/.config/mcp-server-gdrive/credentials.json',
      allowWrite: false,
      allowSharing: false,
      scopes: [SCOPES.readOnly],
      outputBudget: 65_536,
      timeoutMs: 60_000,
    });
  });

  it('takes a web OAuth client for per-user accounts, with Google’s endpoints or the configured ones', () => {
    const app = {
      GDRIVE_OAUTH_CLIENT_ID: 'id.apps.googleusercontent.com',
      GDRIVE_OAUTH_CLIENT_SECRET: 's',
    };
    expect(parseConfig(flags({}), {}, paths).accounts).toBeUndefined();
    expect(parseConfig(flags({}), app, paths).accounts).toEqual({
      client: { clientId: 'id.apps.googleusercontent.com', clientSecret: 's' },
      authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
      tokenUrl: 'https://oauth2.googleapis.com/token',
    });
    const local = parseConfig(
      flags({ 'auth-url': 'http://127.0.0.1:9/auth', 'token-url': 'http://127.0.0.1:9/token' }),
      app,
      paths,
    );
    expect(local.accounts).toMatchObject({
      authorizeUrl: 'http://127.0.0.1:9/auth',
      tokenUrl: 'http://127.0.0.1:9/token',
    });
  });

  it('refuses half a web OAuth client and a consent page that is not a plain URL', () => {
    expect(() => parseConfig(flags({}), { GDRIVE_OAUTH_CLIENT_ID: 'id' }, paths)).toThrow(
      /GDRIVE_OAUTH_CLIENT_SECRET is not set/,
    );
    expect(() => parseConfig(flags({}), { GDRIVE_OAUTH_CLIENT_SECRET: 's' }, paths)).toThrow(
      /GDRIVE_OAUTH_CLIENT_ID is not set/,
    );
    const app = { GDRIVE_OAUTH_CLIENT_ID: 'id', GDRIVE_OAUTH_CLIENT_SECRET: 's' };
    expect(() => parseConfig(flags({ 'auth-url': 'javascript:alert(1)' }), app, paths)).toThrow(
      UsageError,
    );
  });

  it('expands ~ and resolves relative paths, and honours XDG_CONFIG_HOME and APPDATA', () => {
    const config = parseConfig(
      flags({ 'oauth-path': '~/keys.json', 'credentials-path': 'creds.json' }),
      { GOOGLE_APPLICATION_CREDENTIALS: '~/sa.json' },
      paths,
    );
    expect(config).toMatchObject({
      oauthPath: '/home/ada/keys.json',
      credentialsPath: '/work/creds.json',
      applicationCredentials: '/home/ada/sa.json',
    });
    expect(
      parseConfig(flags({}), {}, { ...paths, env: { XDG_CONFIG_HOME: '/xdg' } }).credentialsPath,
    ).toBe('/xdg/mcp-server-gdrive/credentials.json');
    expect(
      parseConfig(
        flags({}),
        {},
        { ...paths, platform: 'win32', env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' } },
      ).credentialsPath,
    ).toContain('mcp-server-gdrive');
  });

  it('asks for the full Drive scope only when writing or sharing is on', () => {
    expect(parseConfig(flags({ 'allow-write': true }), {}, paths).scopes).toEqual([SCOPES.full]);
    expect(parseConfig(flags({ 'allow-sharing': true }), {}, paths).scopes).toEqual([SCOPES.full]);
  });

  it('asks only for the scopes of the groups that are on: --read-only keeps the read scope', () => {
    expect(
      parseConfig(
        flags({ 'allow-write': true, 'allow-sharing': true, 'read-only': true }),
        {},
        paths,
      ).scopes,
    ).toEqual([SCOPES.readOnly]);
    // The full Drive scope lets Sheets and Docs write too, so their own scopes are not asked.
    expect(scopesFor({ allowWrite: true, allowSharing: false, readOnly: false })).toEqual([
      SCOPES.full,
    ]);
    expect(grants([SCOPES.full], SCOPES.spreadsheets)).toBe(true);
    expect(grants([SCOPES.full], SCOPES.documents)).toBe(true);
    expect(grants([SCOPES.readOnly, SCOPES.documents], SCOPES.spreadsheets)).toBe(false);
    expect(grants([SCOPES.spreadsheets], SCOPES.readOnly)).toBe(false);
  });

  it('points Sheets and Docs at their own hosts, or at --api-url when it is set', () => {
    expect(serviceRoot('https://www.googleapis.com/', 'sheets')).toBe(
      'https://sheets.googleapis.com/',
    );
    expect(serviceRoot('https://www.googleapis.com/', 'docs')).toBe('https://docs.googleapis.com/');
    expect(serviceRoot('http://127.0.0.1:9/', 'docs')).toBe('http://127.0.0.1:9/');
  });

  it('refuses bad configuration with one line saying what to fix', () => {
    for (const [entries, message] of [
      [{ 'allow-public-sharing': true }, /--allow-public-sharing needs --allow-sharing/],
      [{ 'api-url': 'ftp://example.com/' }, /must use https/],
      [{ 'api-url': 'https://proxy.example.com/google/' }, /ignores a path/],
      [{ 'api-url': 'https://user:pass@example.com/' }, /must not contain credentials/],
      [{ 'token-url': 'not a url' }, /--token-url \(GDRIVE_TOKEN_URL\) must be a URL/],
      [{ impersonate: 'not-an-email' }, /must be an email address/],
      [{ 'output-budget': 10 }, /--output-budget must be a whole number of at least 4096/],
      [{ 'upload-chunk-bytes': 1000 }, /--upload-chunk-bytes must be a whole number of at least/],
      [{ 'upload-chunk-bytes': 300_000 }, /must be a multiple of 262144 \(256 KiB\), as Drive/],
    ] as const)
      expect(() => parseConfig(flags(entries), {}, paths), JSON.stringify(entries)).toThrow(
        message,
      );
    expect(() => parseConfig(flags({ timeout: 0 }), {}, paths)).toThrow(UsageError);
  });

  it('has no local directory unless the operator names one, expanded like the other paths', () => {
    expect(parseConfig(flags({}), {}, paths)).toMatchObject({
      localDir: undefined,
      maxTransferBytes: 1024 * 1024 * 1024,
      chunkBytes: 8 * 1024 * 1024,
    });
    expect(
      parseConfig(flags({ 'local-dir': '~/Transfers', 'upload-chunk-bytes': 524_288 }), {}, paths),
    ).toMatchObject({ localDir: '/home/ada/Transfers', chunkBytes: 524_288 });
    expect(parseConfig(flags({ 'local-dir': 'out' }), {}, paths).localDir).toBe('/work/out');
  });

  it('normalises an API root to scheme, host and port', () => {
    expect(parseApiUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080/');
    expect(parseApiUrl('https://drive-proxy.corp.example')).toBe(
      'https://drive-proxy.corp.example/',
    );
  });
});
