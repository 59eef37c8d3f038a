import { nullLogger, ToolError, type RequestContext } from '@plugboard/protocol';
import { describe, expect, it } from 'vitest';
import { accountSessions, operatorSessions } from './sessions.js';
import type { UpstreamAccounts } from './types.js';

/** The accounts as a server sees them, for users who connected already. */
function connected(tokens: Map<string, string>) {
  const asked: string[] = [];
  const disconnected: string[] = [];
  const accounts: UpstreamAccounts = {
    provider: {
      id: 'example',
      title: 'Example',
      authorizationEndpoint: 'https://example.test/authorize',
      tokenEndpoint: 'https://example.test/token',
      scopes: [],
    },
    accessToken(ctx) {
      const subject = ctx.auth?.subject ?? '';
      asked.push(subject);
      const token = tokens.get(subject);
      return token === undefined
        ? Promise.reject(new ToolError('Connect your Example account first.'))
        : Promise.resolve(token);
    },
    disconnect(ctx) {
      disconnected.push(ctx.auth?.subject ?? '');
      return Promise.resolve(tokens.delete(ctx.auth?.subject ?? ''));
    },
  };
  return { accounts, asked, disconnected };
}

/** A tool call's context: its signal, and the signed-in caller (only `subject` is read). */
function call(subject: string | undefined, signal = new AbortController().signal): RequestContext {
  const auth = subject === undefined ? undefined : ({ subject } as RequestContext['auth']);
  return { signal, auth, logger: nullLogger } as Partial<RequestContext> as RequestContext;
}

describe('upstream sessions', () => {
  it('gives every call the operator’s one session without accounts', async () => {
    const sessions = operatorSessions({ client: 'operator' });
    const session = await sessions.of(call(undefined));
    expect(session).toEqual({ client: 'operator', account: false });
    expect(await sessions.of(call('alice'))).toBe(session);
  });

  it('gives each user a session of their own, made from their own token', async () => {
    const { accounts } = connected(
      new Map([
        ['alice', 'token-a'],
        ['bob', 'token-b'],
      ]),
    );
    const sessions = accountSessions(accounts, (token) => ({ token }));
    const alice = await sessions.of(call('alice'));
    const bob = await sessions.of(call('bob'));
    expect(alice).toEqual({ token: 'token-a', account: true });
    expect(bob).toEqual({ token: 'token-b', account: true });
    expect(await sessions.of(call('alice'))).toBe(alice);
  });

  it('asks for the caller’s token once per call', async () => {
    const { accounts, asked } = connected(new Map([['alice', 'token-a']]));
    const sessions = accountSessions(accounts, (token) => ({ token }));
    const one = call('alice');
    await sessions.of(one);
    await sessions.of(one);
    await sessions.of(call('alice'));
    expect(asked).toEqual(['alice', 'alice']);
  });

  it('passes on the refusal for a user who has not connected, and asks again next time', async () => {
    const tokens = new Map<string, string>();
    const { accounts, asked } = connected(tokens);
    const sessions = accountSessions(accounts, (token) => ({ token }));
    const carol = call('carol');
    await expect(sessions.of(carol)).rejects.toThrow('Connect your Example account first.');
    tokens.set('carol', 'token-c');
    await expect(sessions.of(carol)).resolves.toMatchObject({ token: 'token-c' });
    expect(asked).toEqual(['carol', 'carol']);
  });

  it('forgets the caller’s account when the upstream rejected its token, and no one else’s', async () => {
    const tokens = new Map([
      ['alice', 'token-a'],
      ['bob', 'token-b'],
    ]);
    const { accounts, disconnected } = connected(tokens);
    const sessions = accountSessions(accounts, (token) => ({ token }));
    await sessions.rejected(call('alice'));
    expect(disconnected).toEqual(['alice']);
    await expect(sessions.of(call('alice'))).rejects.toThrow(ToolError);
    await expect(sessions.of(call('bob'))).resolves.toMatchObject({ token: 'token-b' });
  });

  it('disconnects the caller on request, saying whether they had an account; the operator’s not at all', async () => {
    const { accounts, disconnected } = connected(new Map([['alice', 'token-a']]));
    const sessions = accountSessions(accounts, (token) => ({ token }));
    await expect(sessions.disconnect(call('alice'))).resolves.toBe(true);
    await expect(sessions.disconnect(call('alice'))).resolves.toBe(false);
    expect(disconnected).toEqual(['alice', 'alice']);
    await expect(operatorSessions({}).disconnect(call('alice'))).resolves.toBeUndefined();
  });

  it('refuses a call with no signed-in caller even if the accounts answered', async () => {
    const { accounts } = connected(new Map([['', 'token-anyone']]));
    const sessions = accountSessions(accounts, (token) => ({ token }));
    await expect(sessions.of(call(undefined))).rejects.toThrow(
      'Example acts for signed-in users only',
    );
  });
});
