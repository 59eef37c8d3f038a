/**
 * @module
 * What every Slack tool and resource can reach: the operator's configuration, the sessions (the
 * lazily loaded client and the directory caches of whoever the call acts as), the channel
 * policy, plus {@link request} and {@link download}, the only ways a handler talks to Slack
 * (cancellation, one deadline per tool call, the body cap and error mapping included, by the
 * kit's `callUpstream`).
 */
import type { Session, UpstreamSessions } from '@plugboard/kit/sessions';
import { callUpstream, type UpstreamCall } from '@plugboard/kit/upstream';
import type { RequestContext } from '@plugboard/protocol';
import { callDeadline, toolFactory, ToolError } from '@plugboard/protocol';
import type { WebClient } from '@slack/web-api';
import type { SlackConfig } from './config.js';
import { isTokenRejected, toToolError } from './errors.js';
import type { ChannelPolicy } from './policy.js';
import type { DirectoryCache } from './directory.js';
import { DownloadError, type Download, type SlackClient, type TokenKind } from './slack-client.js';

/** A Slack client with its token, and what the directory learnt about what that token sees. */
export interface SlackSession {
  readonly slack: SlackClient;
  readonly cache: DirectoryCache;
}

export interface SlackDeps {
  readonly config: SlackConfig;
  /** Whom each call acts as: the operator's tokens, or (hosted) the caller's own account. */
  readonly sessions: UpstreamSessions<SlackSession>;
  readonly policy: ChannelPolicy;
  /** The deadline of each running tool call, keyed by the call's own signal. */
  readonly deadlines: WeakMap<AbortSignal, AbortSignal>;
  /** Clock for time windows and scheduling (tests pin it). */
  readonly now: () => number;
}

export type SlackContext = RequestContext & SlackDeps;

export const defineTool = toolFactory<SlackDeps>();

/** The kit's upstream call for one request of this tool call: its signal, its one deadline. */
function upstreamCall(
  ctx: SlackContext,
  advice: Pick<UpstreamCall, 'timeoutAdvice' | 'oversizeAdvice' | 'toToolError'>,
): UpstreamCall {
  return {
    upstream: 'Slack',
    signal: ctx.signal,
    deadline: callDeadline(ctx.deadlines, ctx.signal, ctx.config.timeoutMs),
    timeoutMs: ctx.config.timeoutMs,
    ...advice,
  };
}

/**
 * Runs `work` with this call's session; when Slack refuses the caller's own token itself
 * (revoked, expired), their account is forgotten so the next call asks them to connect again.
 */
async function withSession<T>(
  ctx: SlackContext,
  session: Session<SlackSession>,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (session.account && isTokenRejected(error)) await ctx.sessions.rejected(ctx);
    throw error;
  }
}

/**
 * Runs one Web API request for this tool call through the kit's {@link callUpstream}: abandoned
 * the moment the client cancels, the call's deadline passes or an answer passes the body cap;
 * Slack's failures become actionable {@link ToolError}s.
 */
export async function request<T>(
  ctx: SlackContext,
  method: string,
  run: (web: WebClient) => Promise<T>,
  kind: TokenKind = 'bot',
): Promise<T> {
  const session = await ctx.sessions.of(ctx);
  return callUpstream(
    upstreamCall(ctx, {
      timeoutAdvice: 'Try again, or ask for less (a smaller limit, a narrower time window).',
      oversizeAdvice: 'Ask for less: a smaller limit, a narrower time window.',
      toToolError: (error) => toToolError(error, { method, kind, account: session.account }),
    }),
    (signal) => withSession(ctx, session, () => session.slack.request(kind, signal, run)),
  );
}

/** Downloads a private Slack file for this tool call (same cancellation and deadline). */
export async function download(
  ctx: SlackContext,
  url: string,
  maxBytes: number,
): Promise<Download> {
  const { slack } = await ctx.sessions.of(ctx);
  return callUpstream(
    upstreamCall(ctx, {
      timeoutAdvice: 'Read a smaller part (max_bytes).',
      oversizeAdvice: 'Read a smaller part (max_bytes).',
      toToolError: (error) =>
        error instanceof DownloadError
          ? new ToolError(`Could not read the file: ${error.message}.`)
          : new ToolError(
              'Could not download the file from Slack. Check the network and SLACK_API_URL.',
            ),
    }),
    (signal) => slack.download(url, signal, maxBytes),
  );
}

/** Sends a file's bytes to Slack's upload URL for this tool call (same cancellation and deadline). */
export async function upload(ctx: SlackContext, url: string, bytes: Uint8Array): Promise<void> {
  const { slack } = await ctx.sessions.of(ctx);
  return callUpstream(
    upstreamCall(ctx, {
      timeoutAdvice: 'Upload a smaller file, or ask the operator for a longer --timeout.',
      oversizeAdvice: 'Upload a smaller file.',
      toToolError: (error) =>
        error instanceof DownloadError
          ? new ToolError(`Could not upload the file: ${error.message}.`)
          : new ToolError('Could not send the file to Slack. Check the network and SLACK_API_URL.'),
    }),
    (signal) => slack.upload(url, bytes, signal),
  );
}
