/**
 * @module
 * Trimming GitHub's payloads to what a model needs, and the compact text renderings of them.
 * Text written by people on GitHub is untrusted: it is sanitised, attributed to its author, and
 * in text output wrapped in an `<untrusted-content>` element that the text itself cannot close.
 */
import { fenceUntrusted } from '@plugboard/kit/untrusted';
import { jsonSize, truncateText } from '@plugboard/protocol';
import { z } from 'zod';
import { sanitizeLine, sanitizeText } from './sanitize.js';

/** Bytes of one body kept in a listing (the full text is one call away). */
export const LISTING_BODY_BYTES = 1000;

/**
 * Bytes of one body kept anywhere: even a single item must leave room within the output budget
 * (64 KiB by default) for the rest of the result and its structured copy.
 */
export const FULL_BODY_BYTES = 24_000;

export interface Authored {
  author?: string;
  authorAssociation?: string;
}

/** GitHub's `user` objects reduced to a login. */
export function login(user: { login?: string } | null | undefined): string | undefined {
  return user?.login === undefined ? undefined : sanitizeLine(user.login, 60);
}

/** Keys whose value may be undefined become optional; the others stay required. */
export type Defined<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/** Leaves out undefined values, which exactOptionalPropertyTypes and JSON both prefer absent. */
export function defined<T extends Record<string, unknown>>(value: T): Defined<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, item]) => item !== undefined),
  ) as Defined<T>;
}

export interface BodyOptions {
  /** False when lockdown mode withholds this author's text. */
  trusted: boolean;
  author?: string | undefined;
  /** Cut after this many UTF-8 bytes (default {@link FULL_BODY_BYTES}). */
  maxBytes?: number;
  /** Where the rest can be read, for the note that marks a cut. */
  rest?: string;
}

/** A body as returned: sanitised, cut to `maxBytes` with a note saying so, or withheld under lockdown. */
export function body(text: string | null | undefined, options: BodyOptions): string {
  if (!options.trusted)
    return `[withheld by lockdown mode: ${options.author === undefined ? 'the author' : `@${options.author}`} has no write access to this public repository]`;
  const cut = truncateText(sanitizeText(text ?? ''), options.maxBytes ?? FULL_BODY_BYTES);
  if (!cut.truncated) return cut.text;
  return `${cut.text}\n[… cut: ${cut.bytes} of ${cut.totalBytes} bytes shown; ${options.rest ?? 'the rest is on GitHub at the url'}]`;
}

/** A title (or other one-line text), withheld like bodies under lockdown. */
export function title(text: string | null | undefined, trusted: boolean): string {
  return trusted ? sanitizeLine(text ?? '') : '[withheld by lockdown mode]';
}

/**
 * Text for the model with untrusted content fenced off (nothing for blank text) by the protocol
 * kit's fence: any closing tag inside the content, or a look-alike of one, is defused, so the
 * content cannot end the element and pose as the server.
 */
export function untrusted(
  source: string,
  text: string,
  author?: string,
  association?: string,
): string {
  if (text.trim() === '') return '';
  return fenceUntrusted(source, text, { author, association });
}

/** `2026-11-21T10:00:00Z` becomes `2026-11-21`; listings need the day, not the second. */
export function day(timestamp: string | null | undefined): string {
  return timestamp === null || timestamp === undefined ? '' : timestamp.slice(0, 10);
}

export function shortSha(sha: string | null | undefined): string {
  return (sha ?? '').slice(0, 7);
}

/**
 * A body in a summary: left out when `maxBytes` is 0, else cut to `maxBytes` like {@link body};
 * an excerpt shorter than {@link FULL_BODY_BYTES} says where the whole text is (`rest`).
 */
export function bodyExcerpt(
  text: string | null | undefined,
  maxBytes: number,
  options: Pick<BodyOptions, 'trusted' | 'author'>,
  rest: string,
): string | undefined {
  if (maxBytes === 0) return undefined;
  return body(text, { ...options, maxBytes, ...(maxBytes < FULL_BODY_BYTES ? { rest } : {}) });
}

/** The measure used for output budgets: an item's size as compact JSON. */
export const sizeOf = jsonSize;

export const authorShape = {
  author: z.string().optional(),
  authorAssociation: z.string().optional(),
};
