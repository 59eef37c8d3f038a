/**
 * @module
 * What every Slack tool and resource can reach: the operator's configuration, the lazily loaded
 * client, the channel policy and the per-server caches, plus {@link request}, the single way a
 * handler talks to Slack (cancellation, one deadline per tool call, and error mapping included).
 */
import type { RequestContext } from '@plugboard/protocol';
import { callDeadline, settleOrAbort, toolFactory, ToolError } from '@plugboard/protocol';
import type { WebClient } from '@slack/web-api';
import type { SlackConfig } from './config.js';
import type { DirectoryCache } from './directory.js';
import { toToolError } from './errors.js';
import type { ChannelPolicy } from './policy.js';
import { DownloadError, type Download, type SlackClient, type TokenKind } from './slack-client.js';

export interface SlackDeps {
  readonly config: SlackConfig;
  readonly slack: SlackClient;
  readonly policy: ChannelPolicy;
  readonly cache: DirectoryCache;
  /** The deadline of each running tool call, keyed by the call's own signal. */
  readonly deadlines: WeakMap<AbortSignal, AbortSignal>;
  /** Clock for time windows and scheduling (tests pin it). */
  readonly now: () => number;
}

export type SlackContext = RequestContext & SlackDeps;

export const defineTool = toolFactory<SlackDeps>();

/**
 * Runs one Web API request for this tool call: abandoned the moment the client cancels or the
 * call's deadline passes; Slack's failures become actionable {@link ToolError}s.
 */
export async function request<T>(
  ctx: SlackContext,
  method: string,
  run: (web: WebClient) => Promise<T>,
  kind: TokenKind = 'bot',
): Promise<T> {
  const deadline = callDeadline(ctx.deadlines, ctx.signal, ctx.config.timeoutMs);
  const signal = AbortSignal.any([ctx.signal, deadline]);
  try {
    return await settleOrAbort(ctx.slack.request(kind, signal, run), signal);
  } catch (error) {
    if (error instanceof ToolError || ctx.signal.aborted) throw error;
    if (deadline.aborted)
      throw new ToolError(
        `Slack did not answer within ${Math.round(ctx.config.timeoutMs / 1000)} seconds. Try again, or ask for less (a smaller limit, a narrower time window).`,
      );
    throw toToolError(error, { method, kind }) ?? error;
  }
}

/** Downloads a private Slack file for this tool call (same cancellation and deadline). */
export async function download(
  ctx: SlackContext,
  url: string,
  maxBytes: number,
): Promise<Download> {
  const deadline = callDeadline(ctx.deadlines, ctx.signal, ctx.config.timeoutMs);
  const signal = AbortSignal.any([ctx.signal, deadline]);
  try {
    return await settleOrAbort(ctx.slack.download(url, signal, maxBytes), signal);
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    if (deadline.aborted)
      throw new ToolError(
        `The download did not finish within ${Math.round(ctx.config.timeoutMs / 1000)} seconds; read a smaller part (max_bytes).`,
      );
    if (error instanceof DownloadError)
      throw new ToolError(`Could not read the file: ${error.message}.`);
    throw new ToolError(
      'Could not download the file from Slack. Check the network and SLACK_API_URL.',
    );
  }
}
