/**
 * @module
 * {@link UpstreamSessions}: whom a tool call acts as upstream. On stdio and with the operator's
 * credentials, every call shares one session (the operator's client and what it caches). In
 * hosted mode with per-user accounts, each call acts with the caller's own access token
 * (`accounts.accessToken(ctx)`, which asks the user to connect when they have not), through a
 * session of their own, kept per user and token in {@link UserClients}: one user's client, and
 * whatever it caches, is never another's. The session is resolved once per tool call (by its
 * signal), before any upstream deadline starts, since connecting may take the user a while.
 */
import { ToolError, type RequestContext } from '@plugboard/protocol';
import type { UpstreamAccounts } from './types.js';
import { UserClients } from './user-clients.js';

/** A session, and whether its token is the caller's own (from the account they connected). */
export type Session<T> = T & { readonly account: boolean };

export interface UpstreamSessions<T> {
  /** The session `ctx`'s tool call acts with, the same for every request of the call. */
  of(ctx: RequestContext): Promise<Session<T>>;
  /**
   * After the upstream refused the caller's token itself (revoked, expired): forgets their
   * account, so that their next call asks them to connect again. Nothing for the operator's.
   */
  rejected(ctx: RequestContext): Promise<void>;
  /**
   * The caller asked to disconnect: forgets their account and revokes it upstream. False when
   * they had none connected; undefined for the operator's sessions, where nothing is per user.
   */
  disconnect(ctx: RequestContext): Promise<boolean | undefined>;
}

/** Everyone acts with the operator's credentials, through `session`. */
export function operatorSessions<T extends object>(session: T): UpstreamSessions<T> {
  const shared: Session<T> = { ...session, account: false };
  return {
    of: () => Promise.resolve(shared),
    rejected: () => Promise.resolve(),
    disconnect: () => Promise.resolve(undefined),
  };
}

/** Each signed-in user acts with their own account; `make` builds one user's session. */
export function accountSessions<T extends object>(
  accounts: UpstreamAccounts,
  make: (accessToken: string) => T,
  maxUsers?: number,
): UpstreamSessions<T> {
  const users = new UserClients<Session<T>>(
    (token) => ({ ...make(token), account: true }),
    maxUsers,
  );
  const calls = new WeakMap<AbortSignal, Promise<Session<T>>>();
  const resolve = async (ctx: RequestContext): Promise<Session<T>> => {
    const token = await accounts.accessToken(ctx);
    const subject = ctx.auth?.subject;
    if (subject === undefined)
      throw new ToolError(
        `${accounts.provider.title} acts for signed-in users only; sign in to this server first.`,
      );
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
    disconnect(ctx) {
      calls.delete(ctx.signal);
      return accounts.disconnect(ctx);
    },
  };
}
