/**
 * @module
 * A question a person answers on a page outside the client (URL-mode elicitation, MCP
 * 2025-11-25), the same way in both protocol eras: the client shows the URL and the person's
 * consent to open it; once they accept, the handler waits (bounded, abortable) for the page's
 * side to finish, and a handshake-era client is told it is done
 * (`notifications/elicitation/complete`). In 2026-07-28 the question ends the round and the
 * handler runs again on the client's retry. Used by the approval page and the account connect
 * flow. Where a handshake-era client cannot take URL mode, {@link urlElicitationRequired} is the
 * `-32042` error that hands it the URL instead.
 */
import { ErrorCode, ProtocolError, type RequestContext } from '@plugboard/protocol';

export interface UrlQuestion {
  /** Names the question in `notifications/elicitation/complete` (handshake era). */
  readonly id: string;
  /** Names the question across 2026-07-28 rounds. */
  readonly key: string;
  readonly message: string;
  /** The page: no secret in it, nothing that acts by being opened. */
  readonly url: string;
}

export type UrlAnswer<T> =
  | { readonly action: 'accept'; readonly value: T | undefined }
  | { readonly action: 'decline' | 'cancel' };

/** Whether the client declared URL-mode elicitation. */
export function takesUrlElicitation(ctx: RequestContext): boolean {
  const elicitation = ctx.client.capabilities.elicitation;
  return typeof elicitation === 'object' && elicitation !== null && 'url' in elicitation;
}

/**
 * Asks `question`; once accepted, resolves with what `wait` found (undefined: nothing in time).
 * Must not be wrapped in a catch: in 2026-07-28 the question is thrown to end the round.
 */
export async function askThroughUrl<T>(
  ctx: RequestContext,
  question: UrlQuestion,
  wait: (signal: AbortSignal) => Promise<T | undefined>,
): Promise<UrlAnswer<T>> {
  const answer = await ctx.elicit(
    {
      mode: 'url',
      message: question.message,
      url: question.url,
      ...(ctx.client.era === 'handshake' ? { elicitationId: question.id } : {}),
    },
    question.key,
  );
  if (answer.action !== 'accept') return { action: answer.action };
  const value = await wait(ctx.signal);
  await ctx.completeElicitation(question.id);
  return { action: 'accept', value };
}

/** `-32042` URLElicitationRequired: the client opens the URL itself and retries the call. */
export function urlElicitationRequired(question: UrlQuestion): ProtocolError {
  return new ProtocolError(ErrorCode.UrlElicitationRequired, question.message, {
    elicitations: [
      { mode: 'url', elicitationId: question.id, url: question.url, message: question.message },
    ],
  });
}
