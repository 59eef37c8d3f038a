/**
 * @module
 * Page tokens that can stop in the middle of a Drive page. Drive pages by its own
 * `nextPageToken`; when one of its pages does not fit the output budget, the rest of it must
 * still be reachable, so the token handed to the model is Drive's token for the page plus how
 * many of its items were already shown. Opaque to the model, checked when it comes back.
 */
import { takeWithinBudget, ToolError } from '@plugboard/protocol';

export interface PagePosition {
  /** Drive's token for the page to fetch; undefined for the first page. */
  readonly driveToken: string | undefined;
  /** Items of that page already shown. */
  readonly skip: number;
}

const PREFIX = 'gd1.';

export function encodePageToken(position: PagePosition): string {
  const body = JSON.stringify({ t: position.driveToken ?? null, s: position.skip });
  return `${PREFIX}${Buffer.from(body, 'utf8').toString('base64url')}`;
}

export function decodePageToken(token: string | undefined): PagePosition {
  if (token === undefined || token === '') return { driveToken: undefined, skip: 0 };
  const invalid = new ToolError(
    'pageToken is not one this server gave out; pass nextPageToken from the previous result unchanged, or leave it out to start over.',
  );
  if (!token.startsWith(PREFIX) || token.length > 4096) throw invalid;
  try {
    const parsed = JSON.parse(
      Buffer.from(token.slice(PREFIX.length), 'base64url').toString('utf8'),
    ) as unknown;
    if (typeof parsed !== 'object' || parsed === null) throw invalid;
    const { t, s } = parsed as { t?: unknown; s?: unknown };
    if (
      (t !== null && typeof t !== 'string') ||
      typeof s !== 'number' ||
      !Number.isSafeInteger(s) ||
      s < 0
    )
      throw invalid;
    return { driveToken: t ?? undefined, skip: s };
  } catch {
    throw invalid;
  }
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
