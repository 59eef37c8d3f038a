/**
 * @module
 * {@link AuditRecord}: what the audit trail keeps of one tool call, and how each field is read
 * from the call. It names what was done to what, by whom, and how it ended; it never holds an
 * argument's value except the target's, nor anything of the result.
 */
import type { RequestContext } from '@plugboard/protocol';

/**
 * How a call ended, as its client saw it: a result (`ok`), a result with `isError` (`tool-error`,
 * also what an unexpected failure becomes), a JSON-RPC error (`protocol-error`), or cancelled.
 */
export type AuditOutcome = 'ok' | 'tool-error' | 'protocol-error' | 'cancelled';

/** How a person approved the call, when the operator asked for approval (`--approve`). */
export interface AuditApproval {
  readonly approved: string;
  /** Who approved, when known (the approver's `sub`). */
  readonly by?: string;
}

/** One line of the audit log, one span and log record in OpenTelemetry. */
export interface AuditRecord {
  /** When the call started, ISO 8601 in UTC. */
  readonly time: string;
  /** The server's bin name. */
  readonly server: string;
  readonly tool: string;
  /** Whether the tool only reads (recorded with `--audit-reads` only). */
  readonly readOnly: boolean;
  /** The caller's `sub` in hosted mode; null when the call carries no identity (stdio). */
  readonly user: string | null;
  /** What the call acts on: the arguments the tool names as its target, by name. */
  readonly target: Readonly<Record<string, string | readonly string[]>> | null;
  /** SHA-256 of the arguments' canonical JSON. */
  readonly argumentsSha256: string;
  readonly outcome: AuditOutcome;
  readonly durationMs: number;
  /** The approval the call ran with; null when none was needed. */
  readonly approval: AuditApproval | null;
}

/** Longest target value kept, in characters, and most items of a list target. */
const MAX_TARGET_CHARS = 512;
const MAX_TARGET_ITEMS = 32;

/** A URL without what may carry a credential: its user and password, query and fragment. */
function withoutCredentials(value: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || !URL.canParse(value)) return value;
  const url = new URL(value);
  return `${url.protocol}//${url.host}${url.pathname}`;
}

function text(value: string): string {
  return withoutCredentials(value).slice(0, MAX_TARGET_CHARS);
}

function targetValue(value: unknown): string | readonly string[] | undefined {
  if (typeof value === 'string') return text(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string'))
    return value.slice(0, MAX_TARGET_ITEMS).map(text);
  return undefined;
}

/**
 * The values of the target arguments `names` in `args` that are present and plain (text,
 * numbers, lists of text), each cut to a bounded length, URLs without their user, password,
 * query and fragment; null when there are none.
 */
export function targetOf(
  args: unknown,
  names: readonly string[] | undefined,
): AuditRecord['target'] {
  if (names === undefined || typeof args !== 'object' || args === null) return null;
  const target: Record<string, string | readonly string[]> = {};
  for (const name of names) {
    const value = targetValue((args as Record<string, unknown>)[name]);
    if (value !== undefined) target[name] = value;
  }
  return Object.keys(target).length === 0 ? null : target;
}

/**
 * The caller's identity, from the call's context: the verified token's `sub` (`auth.subject`)
 * in hosted mode; null when the call carries no token (stdio, or HTTP without sign-in).
 */
export function callerOf(ctx: RequestContext): string | null {
  return ctx.auth?.subject ?? null;
}

/**
 * The approval the call ran with, from the call's context (`approval`, set by the approval step
 * before the tool's effect runs): only how and by whom, never what the approver was shown.
 */
export function approvalOf(ctx: RequestContext): AuditApproval | null {
  const approval = (ctx as { readonly approval?: { approved?: unknown; by?: unknown } }).approval;
  if (typeof approval?.approved !== 'string') return null;
  return {
    approved: approval.approved,
    ...(typeof approval.by === 'string' ? { by: approval.by } : {}),
  };
}
