/**
 * @module
 * What approval decided for one call, kept on the call's request context so that whatever wraps
 * the tool besides approval (an audit record) reads it with {@link approvalOf}.
 */
import type { RequestContext } from '@plugboard/protocol';

/** Why a call that needed approval did not get it. */
export type ApprovalRefusal =
  'denied' | 'expired' | 'replayed' | 'altered' | 'forged' | 'no-elicitation';

/**
 * `approved`: how a person approved the call (the client's form or this server's page), and who
 * when the server knows (`by`, the signed-in user). `refused`: why the call did not run.
 */
export type ApprovalOutcome =
  | { readonly approved: 'form' | 'url'; readonly by?: string }
  | { readonly refused: ApprovalRefusal };

const OUTCOME = Symbol('approval');

/** The approval outcome of the call `ctx` belongs to; undefined when it needed none. */
export function approvalOf(ctx: RequestContext): ApprovalOutcome | undefined {
  return (ctx as unknown as { [OUTCOME]?: ApprovalOutcome })[OUTCOME];
}

/** Records `outcome` on the call's context (see {@link approvalOf}). */
export function recordApproval(ctx: RequestContext, outcome: ApprovalOutcome): void {
  Object.defineProperty(ctx, OUTCOME, { value: outcome, configurable: true });
}
