/**
 * @module
 * Page tokens that can stop in the middle of a Drive page. Drive pages by its own
 * `nextPageToken`; when one of its pages does not fit the output budget, the rest of it must
 * still be reachable, so the token handed to the model is Drive's token for the page plus how
 * many of its items were already shown. Opaque to the model, checked when it comes back.
 */
import { packCursor, takeWithinBudget, ToolError, unpackCursor } from '@plugboard/protocol';

export interface PagePosition {
  /** Drive's token for the page to fetch; undefined for the first page. */
  readonly driveToken: string | undefined;
  /** Items of that page already shown. */
  readonly skip: number;
}

const TAG = 'gd1.';

export function encodePageToken(position: PagePosition): string {
  return packCursor({ t: position.driveToken ?? null, s: position.skip }, TAG);
}

export function decodePageToken(token: string | undefined): PagePosition {
  if (token === undefined || token === '') return { driveToken: undefined, skip: 0 };
  const parsed = unpackCursor(token, TAG);
  if (typeof parsed === 'object' && parsed !== null) {
    const { t, s } = parsed as { t?: unknown; s?: unknown };
    if ((t === null || typeof t === 'string') && Number.isSafeInteger(s) && (s as number) >= 0)
      return { driveToken: t ?? undefined, skip: s as number };
  }
  throw new ToolError(
    'pageToken is not one this server gave out; pass nextPageToken from the previous result unchanged, or leave it out to start over.',
  );
}

export interface Paged<T> {
  readonly items: T[];
  readonly nextPageToken: string | undefined;
  readonly truncated: boolean;
}

/**
 * The items of one fetched Drive page from `position.skip` on that fit `maxBytes`, and the
 * token for what comes next (later in this page, or Drive's next page).
 */
export function pageWithin<T>(
  items: readonly T[],
  position: PagePosition,
  driveNext: string | undefined,
  maxBytes: number,
  sizeOf: (item: T) => number,
): Paged<T> {
  const rest = items.slice(position.skip);
  const shown = takeWithinBudget(rest, maxBytes, sizeOf).items;
  if (shown.length < rest.length)
    return {
      items: shown,
      nextPageToken: encodePageToken({
        driveToken: position.driveToken,
        skip: position.skip + shown.length,
      }),
      truncated: true,
    };
  return {
    items: shown,
    nextPageToken:
      driveNext === undefined ? undefined : encodePageToken({ driveToken: driveNext, skip: 0 }),
    truncated: false,
  };
}

/** A listing result's `truncated`, and `nextPageToken` when there is one. */
export function pageFields(page: Paged<unknown>): { truncated: boolean; nextPageToken?: string } {
  return page.nextPageToken === undefined
    ? { truncated: page.truncated }
    : { truncated: page.truncated, nextPageToken: page.nextPageToken };
}

/** Drive's `pageToken` request parameter for `position`: none for the first page. */
export function pageTokenParam(position: PagePosition): { pageToken?: string } {
  return position.driveToken === undefined ? {} : { pageToken: position.driveToken };
}
