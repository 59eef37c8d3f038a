/**
 * @module
 * {@link Approver}: asks a person to approve one call before it runs, the same way in both
 * protocol eras (`ctx.elicit`: a request to the client in the handshake era, an input-required
 * round in 2026-07-28, the tool re-run on the retry). Only the person's answer counts, never the
 * call's arguments: the answer must come to a question this server asked, under a one-time token
 * bound to the tool and its exact arguments (see {@link ApprovalTokens}). Handlers must not catch
 * `InputRequired`, so neither does this: everything before the question is safe to run again.
 */
import { ToolError, type RequestContext } from '@plugboard/protocol';
import { askThroughUrl } from '../elicitation/url-question.js';
import { recordApproval, type ApprovalOutcome } from './outcome.js';
import type { ApprovalPage } from './page.js';
import { ApprovalTokens, callDigest, TokenRefused, type ApprovalMode } from './tokens.js';

/** The key of the question in 2026-07-28 rounds: this prefix and the token. */
const KEY_PREFIX = 'approval.';

/** One call that needs approval. */
export interface ApprovalCall {
  readonly tool: string;
  /** The `--approve` entry that caught it: the tool's name or its action class. */
  readonly entry: string;
  readonly args: unknown;
  /** Exactly what will happen, in plain words. */
  readonly summary: string;
}

export interface ApproverOptions {
  /** `form` unless the operator chose the page (`--approve-via url`). */
  readonly via: ApprovalMode;
  /** How the operator turns approval off, for refusals: `--approve (GIT_APPROVE)`. */
  readonly flag: string;
  readonly ttlMs: number;
  readonly now: () => number;
  /** The loopback page, made on the first URL approval. */
  readonly page: () => ApprovalPage;
}

const APPROVE_SCHEMA = {
  type: 'object',
  properties: {
    approve: {
      type: 'boolean',
      title: 'Approve',
      description: 'Tick to let exactly this run; leave it to refuse',
      default: false,
    },
  },
  required: ['approve'],
};

/** The mode this client can be asked in, preferring the operator's; undefined when none. */
function modeFor(ctx: RequestContext, via: ApprovalMode): ApprovalMode | undefined {
  const elicitation = ctx.client.capabilities.elicitation;
  if (typeof elicitation !== 'object' || elicitation === null) return undefined;
  // An empty elicitation capability means form mode only.
  const declared = Object.keys(elicitation).length === 0 ? ['form'] : Object.keys(elicitation);
  if (via === 'url' && declared.includes('url')) return 'url';
  return declared.includes('form') ? 'form' : undefined;
}

export class Approver {
  readonly #options: ApproverOptions;
  readonly #tokens: ApprovalTokens;

  constructor(options: ApproverOptions) {
    this.#options = options;
    this.#tokens = new ApprovalTokens(options.ttlMs, options.now);
  }

  /**
   * Resolves when a person approved `call`; otherwise throws a {@link ToolError} saying why it
   * did not run. Records the outcome on `ctx` either way.
   */
  async approve(call: ApprovalCall, ctx: RequestContext): Promise<void> {
    const refuse = (outcome: ApprovalOutcome & { refused: unknown }, why: string): never => {
      recordApproval(ctx, outcome);
      throw new ToolError(`${call.tool} did not run: ${why}`);
    };
    const mode = modeFor(ctx, this.#options.via);
    if (mode === undefined)
      return refuse(
        { refused: 'no-elicitation' },
        `it needs a person's approval (${call.entry} is in ${this.#options.flag}), and this client cannot ask for one (it supports no elicitation). Use a client that supports elicitation, or start the server without ${call.entry} in ${this.#options.flag}.`,
      );
    // Bound to the caller too: in hosted mode one user's approval is no other user's.
    const caller = ctx.auth?.subject ?? null;
    const digest = callDigest(call.tool, call.args, caller);
    const keys = ctx.answeredKeys(KEY_PREFIX);
    if (keys.length > 1) return refuse({ refused: 'forged' }, 'it carries more than one approval.');
    const token = keys[0]?.slice(KEY_PREFIX.length) ?? this.#tokens.issue(mode, digest);
    try {
      this.#tokens.check(token, mode, digest);
      const granted =
        mode === 'form'
          ? await this.#askForm(call, token, ctx)
          : await this.#askPage(call, token, ctx);
      this.#tokens.consume(token, mode, digest);
      if (!granted) return refuse({ refused: 'denied' }, 'the person asked to approve it said no.');
    } catch (error) {
      if (!(error instanceof TokenRefused)) throw error;
      return refuse(
        { refused: error.reason },
        `${error.message}. Nothing was changed; call the tool again to ask anew.`,
      );
    }
    recordApproval(ctx, caller === null ? { approved: mode } : { approved: mode, by: caller });
  }

  async #askForm(call: ApprovalCall, token: string, ctx: RequestContext): Promise<boolean> {
    const answer = await ctx.elicit(
      {
        mode: 'form',
        message: `Approve this call of ${call.tool}? Nothing runs unless you do.\n\n${call.summary}`,
        requestedSchema: APPROVE_SCHEMA,
      },
      `${KEY_PREFIX}${token}`,
    );
    return answer.action === 'accept' && answer.content?.approve === true;
  }

  async #askPage(call: ApprovalCall, token: string, ctx: RequestContext): Promise<boolean> {
    const page = this.#options.page();
    const url = await page.open(token, {
      tool: call.tool,
      summary: call.summary,
      expires: this.#tokens.expiry(token),
    });
    const answer = await askThroughUrl(
      ctx,
      {
        id: token,
        key: `${KEY_PREFIX}${token}`,
        message: `Open this page to approve or deny a call of ${call.tool}. Nothing runs unless you approve it there.`,
        url,
      },
      (signal) => page.decision(token, signal),
    );
    if (answer.action !== 'accept') {
      page.discard(token);
      return false;
    }
    if (answer.value === undefined) {
      ctx.signal.throwIfAborted();
      throw new TokenRefused('expired', 'the approval page was not answered in time');
    }
    return answer.value === 'approve';
  }
}
