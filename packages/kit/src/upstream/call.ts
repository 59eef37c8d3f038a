/**
 * @module
 * {@link callUpstream}: the one way a server's handler waits on its upstream API. The call is
 * abandoned the moment the client cancels or its deadline passes (client libraries ignore their
 * signal for parts of their work, a token renewal or a retry back-off), a body past the byte cap
 * and a missed deadline become messages that say so, and the server's own mapping turns the
 * library's failures into actionable {@link ToolError}s in one place.
 */
import { settleOrAbort, ToolError } from '@plugboard/protocol';
import { abortableByCap, findBodyTooLarge, formatBytes } from './body-cap.js';

export interface UpstreamCall {
  /** Who answers, named in messages ("GitHub", "Slack", "Google Drive"). */
  readonly upstream: string;
  /** The tool call's own signal: aborted when the client cancels. */
  readonly signal: AbortSignal;
  /** Aborts when the call's time is up. */
  readonly deadline: AbortSignal;
  /** The deadline's length, for the message. */
  readonly timeoutMs: number;
  /** What to do after a missed deadline ("Try again, or ask for less."). */
  readonly timeoutAdvice: string;
  /** What to ask for instead of an answer over the byte cap. */
  readonly oversizeAdvice: string;
  /** The server's mapping of its library's failures; undefined lets the error surface as a bug. */
  readonly toToolError: (error: unknown) => ToolError | undefined;
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} seconds`;
}

/**
 * Runs `run` with a signal that aborts on cancel, on the deadline and when a response body
 * passes its cap (see `abortableByCap`), and settles as soon as any of them fires. A cancelled call rethrows as is (the protocol answers cancellation itself);
 * everything else leaves as a {@link ToolError} or, when the mapping does not know it, unchanged.
 */
export async function callUpstream<T>(
  call: UpstreamCall,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const signal = abortableByCap(AbortSignal.any([call.signal, call.deadline]));
  try {
    return await settleOrAbort(run(signal), signal);
  } catch (error) {
    if (error instanceof ToolError || call.signal.aborted) throw error;
    if (call.deadline.aborted)
      throw new ToolError(
        `${call.upstream} did not answer within ${seconds(call.timeoutMs)}. ${call.timeoutAdvice}`,
      );
    const oversize = findBodyTooLarge(error);
    if (oversize !== undefined)
      throw new ToolError(
        `${oversize.upstream}'s answer was larger than the ${formatBytes(oversize.maxBytes)} cap on upstream responses, so it was not read. ${oversize.advice ?? call.oversizeAdvice}`,
      );
    throw call.toToolError(error) ?? error;
  }
}
