/**
 * @module
 * The shapes of Slack identifiers and times, checked before anything reaches the API: conversation
 * and user IDs, message timestamps (`ts`), and the instants a model may write for time windows
 * (a `ts`, Unix seconds, an ISO date or time, or "7d" for seven days ago).
 */
import { ToolError } from '@plugboard/protocol';

/** Public channels (C), private channels and group DMs (G, older workspaces), and DMs (D). */
export const CONVERSATION_ID = /^[CDG][A-Z0-9]{2,20}$/;
/** People (U) and, on Enterprise Grid, org-level users (W). */
export const USER_ID = /^[UW][A-Z0-9]{2,20}$/;
export const FILE_ID = /^F[A-Z0-9]{2,20}$/;
export const TEAM_ID = /^[TE][A-Z0-9]{2,20}$/;
/** A message timestamp: seconds, a dot, six digits of sequence. */
export const MESSAGE_TS = /^\d{9,10}\.\d{6}$/;

/**
 * A message timestamp as Slack expects it. The official server's hint stands: "1234567890123456"
 * (from a permalink's `p1234567890123456`) gains its dot before the last six digits.
 */
export function normalizeTs(raw: string, field: string): string {
  const value = raw.trim().replace(/^p(?=\d{15,16}$)/, '');
  if (MESSAGE_TS.test(value)) return value;
  if (/^\d{15,16}$/.test(value)) return `${value.slice(0, -6)}.${value.slice(-6)}`;
  throw new ToolError(
    `${field}: "${raw.slice(0, 40)}" is not a message timestamp; use the ts of a message as listed, such as "1700000000.000100".`,
  );
}

const UNITS = { m: 60, h: 3600, d: 86_400, w: 604_800 } as const;

/** Seconds from "30m", "2h", "7d" or "1w"; undefined for anything else. */
function relativeSeconds(raw: string): number | undefined {
  const match = /^(\d{1,6})\s*(m|min|mins|minutes?|h|hours?|d|days?|w|weeks?)$/i.exec(raw);
  if (match === null) return undefined;
  const unit = match[2]!.toLowerCase()[0] as keyof typeof UNITS;
  return Number(match[1]) * UNITS[unit];
}

/**
 * An instant as Unix seconds: a message ts, Unix seconds, an ISO 8601 date ("2026-11-20", UTC
 * midnight) or date-time, or a duration before `now` ("30m", "2h", "7d", "2w").
 */
export function parseInstant(raw: string, field: string, now = Date.now()): number {
  const value = raw.trim();
  if (/^\d{9,10}(\.\d{1,6})?$/.test(value)) return Number(value);
  const ago = relativeSeconds(value);
  if (ago !== undefined) return Math.floor(now / 1000) - ago;
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    const iso = value.length === 10 ? `${value}T00:00:00Z` : value.replace(' ', 'T');
    const withZone = /(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`;
    const millis = Date.parse(withZone);
    if (!Number.isNaN(millis)) return millis / 1000;
  }
  throw new ToolError(
    `${field}: "${raw.slice(0, 40)}" is not a time; use an ISO date or time ("2026-11-20", "2026-11-20T09:00:00Z"), Unix seconds, a message ts, or a duration ago such as "2h" or "7d".`,
  );
}

/** A future instant for scheduling: like {@link parseInstant}, but "2h" or "+2h" means from now. */
export function parseFutureInstant(raw: string, field: string, now = Date.now()): number {
  const value = raw
    .trim()
    .replace(/^\+\s*/, '')
    .replace(/^in\s+/i, '');
  const ahead = relativeSeconds(value);
  if (ahead !== undefined) return Math.floor(now / 1000) + ahead;
  return parseInstant(value, field, now);
}

/** Unix seconds as the `ts` string Slack's `oldest`/`latest` take. */
export function toTs(seconds: number): string {
  return seconds.toFixed(6);
}

/** "2026-11-21T10:00:00Z" from a message ts or Unix seconds. */
export function isoTime(ts: string | number | undefined): string {
  const seconds = typeof ts === 'number' ? ts : Number(ts);
  if (!Number.isFinite(seconds) || seconds <= 0) return '';
  return new Date(Math.floor(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** "2026-11-21" from Unix seconds: the form Slack's search modifiers take. */
export function isoDay(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}
