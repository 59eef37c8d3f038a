import { nullLogger } from '@plugboard/protocol';
import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from './args.js';
import { isHosted, openAccounts, type AccountsSpec } from './upstream-accounts.js';

const spec = { bin: 'mcp-server-x', version: '1.0.0', prefix: 'X', summary: 'x' };
const KEY = 'k'.repeat(32);
const HOSTED = [
  '--transport',
  'http',
  '--auth-issuer',
  'https://auth.example.com',
  '--auth-client-id',
  'mcp-x',
  '--public-url',
  'https://mcp.example.com',
];
const ENV = { MCP_AUTH_CLIENT_SECRET: 'client-secret', PLUGBOARD_ACCOUNTS_KEY: KEY };
const ACCOUNTS: AccountsSpec = {
  provider: {
    id: 'hub',
    title: 'Hub',
    authorizationEndpoint: 'https://hub.example.com/authorize',
    tokenEndpoint: 'https://hub.example.com/token',
    scopes: ['repo'],
  },
  client: { clientId: 'app', clientSecret: 'app-secret' },
};

function input(argv: string[], env: Record<string, string>) {
  const parsed = parseCommandLine(spec, argv, env);
  if (parsed.kind !== 'run') throw new Error(parsed.kind);
  return { common: parsed.common, env, store: undefined };
}

describe('upstream accounts at start-up', () => {
  it('exist only hosted: HTTP with sign-in, never on stdio or HTTP without it', () => {
    expect(isHosted(input([], ENV))).toBe(false);
    expect(isHosted(input(['--transport', 'http'], ENV))).toBe(false);
    expect(isHosted(input(HOSTED, ENV))).toBe(true);
  });

  it('give the connect routes and the redirect URIs made from --public-url', async () => {
    const accounts = await openAccounts(ACCOUNTS, input(HOSTED, ENV), nullLogger);
    expect(accounts.routes.prefix).toBe('/connect/');
    expect(accounts.redirectUris).toEqual({
      signin: 'https://mcp.example.com/connect/hub/signin',
      callback: 'https://mcp.example.com/connect/hub/callback',
    });
  });

  it('refuse to start without PLUGBOARD_ACCOUNTS_KEY, naming it', async () => {
    const { PLUGBOARD_ACCOUNTS_KEY: _key, ...env } = ENV;
    const failure = openAccounts(ACCOUNTS, input(HOSTED, env), nullLogger);
    await expect(failure).rejects.toBeInstanceOf(UsageError);
    await expect(failure).rejects.toThrow(/PLUGBOARD_ACCOUNTS_KEY/);
    await expect(
      openAccounts(
        ACCOUNTS,
        input(HOSTED, { ...env, PLUGBOARD_ACCOUNTS_KEY: 'short' }),
        nullLogger,
      ),
    ).rejects.toThrow(/at least 32 characters/);
  });

  it('refuse to start without the client the browser signs in with, or without --public-url', async () => {
    const withoutClient = HOSTED.filter((arg) => arg !== '--auth-client-id' && arg !== 'mcp-x');
    const { MCP_AUTH_CLIENT_SECRET: _secret, ...env } = ENV;
    await expect(openAccounts(ACCOUNTS, input(withoutClient, env), nullLogger)).rejects.toThrow(
      /--auth-client-id \(MCP_AUTH_CLIENT_ID\) and MCP_AUTH_CLIENT_SECRET/,
    );
    const withoutUrl = HOSTED.slice(0, -2);
    await expect(openAccounts(ACCOUNTS, input(withoutUrl, ENV), nullLogger)).rejects.toThrow(
      /--public-url/,
    );
  });
});
