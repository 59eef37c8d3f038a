/**
 * @module
 * Whom a tool call acts as at Slack. On stdio and with the operator's tokens, every call shares
 * one {@link SlackSession}: the operator's client and directory. In hosted mode with per-user
 * accounts, each call acts with the caller's own user token (`accounts.accessToken(ctx)`, which
 * asks the user to connect Slack when they have not), through a client and a directory of their
 * own: kept per user and token in a bounded cache keyed by a hash, so one user's conversations,
 * people and workspace are never served to another. The session is resolved once per tool call,
 * before the call's Slack deadline starts (connecting may take the user a while).
 */
import { UserClients, type UpstreamAccounts } from '@plugboard/kit/accounts';
import { ToolError, type RequestContext } from '@plugboard/protocol';
import type { DirectoryCache } from './directory.js';
import type { SlackClient } from './slack-client.js';

/** A client with its token, and what the directory learnt about what that token sees. */
export interface SlackSession {
  readonly slack: SlackClient;
  readonly cache: DirectoryCache;
  /** True when the token is the caller's own, from the account they connected. */
  readonly account: boolean;
}

export interface SlackSessions {
  /** The session `ctx`'s tool call acts with, the same for every request of the call. */
  of(ctx: RequestContext): Promise<SlackSession>;
  /**
   * After Slack refused the caller's token itself: forgets their account, so that the next call
   * asks them to connect again. Does nothing for the operator's tokens.
   */
  rejected(ctx: RequestContext): Promise<void>;
}

/** Everyone acts with the operator's tokens. */
export function operatorSessions(session: Omit<SlackSession, 'account'>): SlackSessions {
  const shared: SlackSession = { ...session, account: false };
  return { of: () => Promise.resolve(shared), rejected: () => Promise.resolve() };
}

/** Each signed-in user acts with their own Slack account; `make` builds a user's session. */
export function accountSessions(
  accounts: UpstreamAccounts,
  make: (accessToken: string) => Omit<SlackSession, 'account'>,
  maxUsers?: number,
): SlackSessions {
  const users = new UserClients<SlackSession>(
    (token) => ({ ...make(token), account: true }),
    maxUsers,
  );
  const calls = new WeakMap<AbortSignal, Promise<SlackSession>>();
  const resolve = async (ctx: RequestContext): Promise<SlackSession> => {
    const token = await accounts.accessToken(ctx);
    const subject = ctx.auth?.subject;
    if (subject === undefined)
      throw new ToolError('Slack acts for signed-in users only; sign in to this server first.');
    return users.get(subject, token);
  };
  return {
    of(ctx) {
      let session = calls.get(ctx.signal);
      if (session === undefined) {
        session = resolve(ctx);
        calls.set(ctx.signal, session);
        // A failed resolution (declined, not signed in) is not kept for the call's later requests.
        session.catch(() => calls.delete(ctx.signal));
      }
      return session;
    },
    async rejected(ctx) {
      calls.delete(ctx.signal);
      await accounts.disconnect(ctx).catch(() => false);
    },
  };
}
