import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError, type ParsedCommand } from './args.js';

const spec = { bin: 'mcp-server-x', version: '1.0.0', prefix: 'X', summary: 'x' };

function http(argv: string[], env: Record<string, string> = {}) {
  const parsed: ParsedCommand = parseCommandLine(spec, argv, env);
  if (parsed.kind !== 'run') throw new Error(parsed.kind);
  return parsed.common.http;
}

describe('the sign-in flags', () => {
  it('leave sign-in off unless an issuer is given', () => {
    expect(http([]).signIn).toBeUndefined();
  });

  it('come from flags or their env twins, with the scopes both required and published', () => {
    expect(
      http(['--auth-issuer', 'https://auth.example.com', '--auth-scopes', 'x:read,x:write'], {
        MCP_AUTH_RESOURCE: 'https://mcp.example.com/mcp',
      }).signIn,
    ).toEqual({
      issuer: 'https://auth.example.com',
      resource: 'https://mcp.example.com/mcp',
      requiredScopes: ['x:read', 'x:write'],
      scopesSupported: ['x:read', 'x:write'],
    });
  });

  it('take the write scope from --auth-write-scope or MCP_AUTH_WRITE_SCOPE, publishing it beside the required scopes', () => {
    const expected = {
      issuer: 'https://auth.example.com',
      requiredScopes: ['x:read'],
      writeScope: 'x:write',
      scopesSupported: ['x:read', 'x:write'],
    };
    const issuer = ['--auth-issuer', 'https://auth.example.com', '--auth-scopes', 'x:read'];
    expect(http([...issuer, '--auth-write-scope', 'x:write']).signIn).toEqual(expected);
    expect(http(issuer, { MCP_AUTH_WRITE_SCOPE: 'x:write' }).signIn).toEqual(expected);
    expect(() => http(['--auth-write-scope', 'x:write'])).toThrow(/needs --auth-issuer/);
  });

  it('take the introspection client secret from the environment only', () => {
    const signIn = http(['--auth-issuer', 'https://auth.example.com', '--auth-client-id', 'mcp'], {
      MCP_AUTH_CLIENT_SECRET: 's3cret',
    }).signIn;
    expect(signIn?.introspection).toEqual({ clientId: 'mcp', clientSecret: 's3cret' });
    expect(() =>
      http(['--auth-issuer', 'https://auth.example.com', '--auth-client-secret', 's3cret']),
    ).toThrow(/Unknown option --auth-client-secret/);
  });

  it('refuse an introspection client without its secret', () => {
    expect(() =>
      http(['--auth-issuer', 'https://auth.example.com', '--auth-client-id', 'mcp']),
    ).toThrow(/MCP_AUTH_CLIENT_SECRET/);
  });

  it('refuse a static token and an issuer together', () => {
    expect(() =>
      http(['--auth-issuer', 'https://auth.example.com'], { MCP_AUTH_TOKEN: 't' }),
    ).toThrow(UsageError);
  });

  it('refuse sign-in settings without an issuer', () => {
    expect(() => http(['--auth-scopes', 'x:read'])).toThrow(/needs --auth-issuer/);
  });
});
