/**
 * @module
 * `resources/list` over several sources: the fixed resources first, then each template that
 * lists its members. A template lists either everything at once (an array, paged here by offset)
 * or one page at a time from an upstream that pages itself (a {@link ResourceListPage} whose
 * `nextCursor` is handed back to it). The cursor given to the client names the source and its
 * position; it is opaque, and anything that does not decode is refused with -32602.
 */
import { ProtocolError } from '../jsonrpc/errors.js';
import type { ResourceDescriptor } from './types.js';

/** One page of a template's members, from an upstream with its own paging. */
export interface ResourceListPage {
  resources: ResourceDescriptor[];
  /** The template's own cursor for the next page; absent on the last page. */
  nextCursor?: string;
}

/** Lists one source at a position: an offset into a whole list, or the source's own cursor. */
export type ResourceSource = (
  cursor: string | undefined,
) => Promise<ResourceDescriptor[] | ResourceListPage> | ResourceDescriptor[] | ResourceListPage;

type Position = { source: number; offset: number } | { source: number; cursor: string };

const PREFIX = 'r1:';
/** Longer cursors are refused before they are decoded. */
const MAX_CURSOR_LENGTH = 4096;

function invalidCursor(): ProtocolError {
  return ProtocolError.invalidParams(
    'Invalid cursor: it must be a string from a previous nextCursor',
  );
}

export function encodeListCursor(position: Position): string {
  const body =
    'cursor' in position ? [position.source, position.cursor] : [position.source, position.offset];
  return PREFIX + Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

export function decodeListCursor(cursor: unknown): Position {
  if (cursor === undefined) return { source: 0, offset: 0 };
  if (typeof cursor !== 'string' || !cursor.startsWith(PREFIX) || cursor.length > MAX_CURSOR_LENGTH)
    throw invalidCursor();
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(cursor.slice(PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(body) || body.length !== 2) throw invalidCursor();
  const [source, at] = body as [unknown, unknown];
  if (typeof source !== 'number' || !Number.isSafeInteger(source) || source < 0)
    throw invalidCursor();
  if (typeof at === 'string') return { source, cursor: at };
  if (typeof at === 'number' && Number.isSafeInteger(at) && at >= 0) return { source, offset: at };
  throw invalidCursor();
}

/**
 * The page of `sources` at `cursor`. A page holds members of one source only; an exhausted or
 * empty source hands over to the next within the same call, so a page is empty only at the end.
 */
export async function listAcross(
  sources: readonly ResourceSource[],
  cursor: unknown,
  pageSize: number,
): Promise<{ resources: ResourceDescriptor[]; nextCursor?: string }> {
  let position = decodeListCursor(cursor);
  if (position.source >= sources.length && cursor !== undefined) throw invalidCursor();
  while (position.source < sources.length) {
    const { source } = position;
    const listed = await sources[source]!('cursor' in position ? position.cursor : undefined);
    let resources: ResourceDescriptor[];
    let next: Position;
    if (Array.isArray(listed)) {
      if ('cursor' in position) throw invalidCursor();
      const end = position.offset + pageSize;
      resources = listed.slice(position.offset, end);
      next = end < listed.length ? { source, offset: end } : { source: source + 1, offset: 0 };
    } else {
      if (!('cursor' in position) && position.offset !== 0) throw invalidCursor();
      resources = listed.resources;
      next =
        listed.nextCursor === undefined
          ? { source: source + 1, offset: 0 }
          : { source, cursor: listed.nextCursor };
    }
    if (resources.length > 0 || 'cursor' in next) {
      return next.source < sources.length
        ? { resources, nextCursor: encodeListCursor(next) }
        : { resources };
    }
    position = next;
  }
  return { resources: [] };
}
