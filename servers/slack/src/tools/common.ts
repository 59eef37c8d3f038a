/**
 * @module
 * Pieces every Slack tool shares: the annotation sets, argument fields with their descriptions,
 * and the time-window arguments turned into Slack's `oldest`/`latest`.
 */
import { annotationPresets } from '@plugboard/kit/tools';
import { z } from 'zod';
import { parseInstant, toTs } from '../ids.js';

/**
 * The hints of Slack tools: reading; posting (adds to a conversation others read: not
 * destructive, not idempotent); setting state to a given value (a read position, an open DM);
 * changing or removing what is there (an edit, a deletion: destructive, idempotent).
 */
export const { READ, CREATE: POST, SET, REPLACE: CHANGE } = annotationPresets({ openWorld: true });

export const channelField = z
  .string()
  .min(1)
  .max(100)
  .describe(
    'The conversation: an ID such as C0123ABCD (channels), G… (private) or D… (DMs); or #channel-name; or @handle for the DM with that person',
  );

export const threadTsField = z
  .string()
  .min(1)
  .max(40)
  .describe(
    "Timestamp of the thread's parent message, such as '1234567890.123456' (a ts without the dot gains one before the last six digits)",
  );

export const timeField = (what: string) =>
  z
    .string()
    .max(40)
    .optional()
    .describe(
      `${what}: an ISO date or time ("2026-11-20", "2026-11-20T09:00:00Z"), Unix seconds, a message ts, or a duration ago such as "2h", "7d"`,
    );

export const limitField = (fallback: number, max: number, what: string) =>
  z
    .number()
    .int()
    .min(1)
    .optional()
    .describe(
      `Most ${what} to return (default ${fallback}, at most ${max}; larger values are clamped)`,
    );

/** Slack's `oldest`/`latest` arguments from the model's time window. */
export function timeWindow(
  args: { oldest?: string | undefined; latest?: string | undefined },
  now: number,
): { oldest?: string; latest?: string } {
  const window: { oldest?: string; latest?: string } = {};
  if (args.oldest !== undefined) window.oldest = toTs(parseInstant(args.oldest, 'oldest', now));
  if (args.latest !== undefined) window.latest = toTs(parseInstant(args.latest, 'latest', now));
  return window;
}
