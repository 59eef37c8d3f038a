/**
 * @module
 * {@link HostedAccounts}: the {@link UpstreamAccounts} a server's handlers hold in hosted mode.
 * `accessToken(ctx)` finds the signed-in caller's grant (sealed, in the shared store), refreshes
 * it when it expires within a minute (one refresh at a time per user on this instance; a refused
 * refresh drops the grant and the user is asked again), and otherwise asks the caller to connect
 * their account: a URL-mode elicitation whose URL names a one-time pending connect and nothing
 * else, or `-32042` where a handshake-era client cannot take URL mode. Once the caller accepts,
 * the call waits (bounded by the pending connect's expiry, abortable) for the browser flow to
 * end, and goes on with the new grant. Failures become a `ToolError` here, in one place.
 */
import { StoreError, ToolError, type RequestContext } from '@plugboard/protocol';
import type { Logger } from '@plugboard/protocol';
import {
  askThroughUrl,
  takesUrlElicitation,
  urlElicitationRequired,
  type UrlQuestion,
} from '../elicitation/url-question.js';
import { AccountsKeyError, TokenEndpointError } from './errors.js';
import {
  TooManyConnects,
  type ConnectOutcome,
  type ConnectRecords,
  type PendingConnect,
} from './records.js';
import { subjectKey } from './secrets.js';
import { readGrant, requestToken } from './token-endpoint.js';
import type { UpstreamAccounts, UpstreamClient, UpstreamGrant, UpstreamProvider } from './types.js';
import type { GrantVault } from './vault.js';

/** A token expiring sooner than this is refreshed first. */
const REFRESH_MARGIN_MS = 60_000;

export interface HostedAccountsParts {
  readonly provider: UpstreamProvider;
  readonly client: UpstreamClient;
  readonly vault: GrantVault;
  readonly records: ConnectRecords;
  /** The connect link of a pending connect. */
  readonly link: (id: string) => string;
  readonly logger: Logger;
  readonly now: () => number;
  /** How often a waiting call looks for the end of the flow. */
  readonly pollMs: number;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

export class HostedAccounts implements UpstreamAccounts {
  readonly provider: UpstreamProvider;
  readonly #parts: HostedAccountsParts;
  /** Refreshes under way on this instance, by hashed subject. */
  readonly #refreshing = new Map<string, Promise<UpstreamGrant | undefined>>();
  readonly #key: string;

  constructor(parts: HostedAccountsParts) {
    this.provider = parts.provider;
    this.#parts = parts;
    this.#key = `account.${parts.provider.id}.`;
  }

  accessToken(ctx: RequestContext): Promise<string> {
    return this.#guard(async () => {
      const subject = this.#subject(ctx);
      const grant = await this.#usable(subject);
      return grant?.accessToken ?? this.#connect(ctx, subject);
    });
  }

  disconnect(ctx: RequestContext): Promise<boolean> {
    return this.#guard(async () => {
      const subject = this.#subject(ctx);
      const { vault, provider, client, logger } = this.#parts;
      let grant: UpstreamGrant | undefined;
      try {
        grant = await vault.get(subject);
      } catch (error) {
        // A grant no key opens is forgotten all the same; it cannot be revoked from here.
        if (!(error instanceof AccountsKeyError)) throw error;
        await vault.delete(subject);
        return true;
      }
      if (grant === undefined) return false;
      await vault.delete(subject);
      logger.info('upstream account disconnected', { provider: provider.id });
      if (provider.revoke !== undefined) {
        try {
          await provider.revoke(grant, client, ctx.signal);
        } catch (error) {
          logger.warn('revoking the upstream grant failed; it is forgotten here all the same', {
            provider: provider.id,
            error: error instanceof Error ? error.message : String(error),
          });
        }
      }
      return true;
    });
  }

  #subject(ctx: RequestContext): string {
    const subject = ctx.auth?.subject;
    if (subject === undefined)
      throw new ToolError(
        `Each user connects their own ${this.provider.title} account, which needs a signed-in caller: this request carries none.`,
      );
    return subject;
  }

  /** The caller's grant, refreshed when it is about to expire; undefined when there is none to use. */
  async #usable(subject: string): Promise<UpstreamGrant | undefined> {
    const grant = await this.#parts.vault.get(subject);
    if (grant === undefined) return undefined;
    if (grant.expiresAt === undefined || grant.expiresAt - this.#parts.now() > REFRESH_MARGIN_MS)
      return grant;
    if (grant.refreshToken === undefined) {
      if (grant.expiresAt > this.#parts.now()) return grant;
      await this.#parts.vault.delete(subject);
      return undefined;
    }
    const key = await subjectKey(subject);
    let refresh = this.#refreshing.get(key);
    if (refresh === undefined) {
      refresh = this.#refresh(subject, grant).finally(() => this.#refreshing.delete(key));
      this.#refreshing.set(key, refresh);
    }
    return refresh;
  }

  async #refresh(subject: string, grant: UpstreamGrant): Promise<UpstreamGrant | undefined> {
    const { provider, client, vault, logger } = this.#parts;
    let fresh: UpstreamGrant;
    try {
      const body = await requestToken({
        endpoint: provider.tokenEndpoint,
        upstream: provider.title,
        client,
        clientAuth: 'post',
        parameters: { grant_type: 'refresh_token', refresh_token: grant.refreshToken! },
        // A refresh serves every waiting call of this user: no one call's cancellation ends it.
        signal: new AbortController().signal,
      });
      fresh = (provider.readGrant ?? readGrant)(body);
    } catch (error) {
      if (!(error instanceof TokenEndpointError && error.refused)) throw error;
      logger.info('upstream refresh refused: the user is asked to connect again', {
        provider: provider.id,
        error: error.message,
      });
      await vault.delete(subject);
      return undefined;
    }
    const kept: UpstreamGrant = {
      ...fresh,
      ...(fresh.refreshToken === undefined && grant.refreshToken !== undefined
        ? { refreshToken: grant.refreshToken }
        : {}),
      ...(fresh.account === undefined && grant.account !== undefined
        ? { account: grant.account }
        : {}),
    };
    await vault.put(subject, kept);
    return kept;
  }

  async #connect(ctx: RequestContext, subject: string): Promise<string> {
    const { link, provider } = this.#parts;
    const pending = (await this.#answered(ctx, subject)) ?? (await this.#begin(ctx, subject));
    const question: UrlQuestion = {
      id: pending.id,
      key: `${this.#key}${pending.id}`,
      message: `Connect your ${provider.title} account to go on: open the link, sign in as yourself, and grant access. The link is yours alone and expires in ${Math.ceil((pending.expiresAt - this.#parts.now()) / 60_000)} minutes.`,
      url: link(pending.id),
    };
    if (ctx.client.era === 'handshake' && !takesUrlElicitation(ctx))
      throw urlElicitationRequired(question);
    const answer = await askThroughUrl(ctx, question, (signal) => this.#wait(pending, signal));
    if (answer.action !== 'accept')
      throw new ToolError(
        `Your ${provider.title} account is not connected: the request to connect it was ${answer.action === 'decline' ? 'declined' : 'cancelled'}. Call the tool again to be asked anew.`,
      );
    const outcome = answer.value;
    if (outcome === undefined) {
      ctx.signal.throwIfAborted();
      throw new ToolError(
        `Your ${provider.title} account was not connected in time. Call the tool again for a new link.`,
      );
    }
    if (outcome.kind === 'refused')
      throw new ToolError(`Your ${provider.title} account was not connected: ${outcome.reason}`);
    const grant = await this.#usable(subject);
    if (grant === undefined)
      throw new ToolError(
        `Your ${provider.title} account was connected, but its grant is gone. Call the tool again.`,
      );
    return grant.accessToken;
  }

  /** A 2026-07-28 retry: the pending connect this server asked about, if it is the caller's. */
  async #answered(ctx: RequestContext, subject: string): Promise<PendingConnect | undefined> {
    for (const key of ctx.answeredKeys(this.#key)) {
      const id = key.slice(this.#key.length);
      const outcome = await this.#parts.records.outcome(id);
      const pending = await this.#parts.records.find(id);
      if (pending?.subject === subject) return pending;
      if (outcome?.kind === 'refused')
        throw new ToolError(
          `Your ${this.provider.title} account was not connected: ${outcome.reason}`,
        );
    }
    return undefined;
  }

  async #begin(ctx: RequestContext, subject: string): Promise<PendingConnect> {
    try {
      return await this.#parts.records.begin(subject, ctx.auth?.clientId);
    } catch (error) {
      if (error instanceof TooManyConnects) throw new ToolError(error.message);
      throw error;
    }
  }

  /** How the flow of `pending` ended, once it has; undefined at its expiry or on abort. */
  async #wait(pending: PendingConnect, signal: AbortSignal): Promise<ConnectOutcome | undefined> {
    while (!signal.aborted && this.#parts.now() < pending.expiresAt) {
      const outcome = await this.#parts.records.outcome(pending.id);
      if (outcome !== undefined) return outcome;
      await sleep(this.#parts.pollMs, signal);
    }
    return undefined;
  }

  /** The one place where the accounts' failures become what a tool answers. */
  async #guard<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof StoreError)
        throw new ToolError(
          `The store of ${this.provider.title} accounts is unavailable; try again shortly.`,
        );
      if (error instanceof AccountsKeyError) throw new ToolError(error.message);
      if (error instanceof TokenEndpointError)
        throw new ToolError(`${this.provider.title} could not renew your access: ${error.message}`);
      throw error;
    }
  }
}
