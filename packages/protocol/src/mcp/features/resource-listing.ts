/**
 * @module
 * `resources/list` over several sources: the fixed resources first, then each template that
 * lists its members. A template lists either everything at once (an array, paged here by offset)
 * or one page at a time from an upstream that pages itself (a {@link ResourceListPage} whose
 * `nextCursor` is handed back to it). The cursor given to the client names the source and its
 * position; it is opaque, and anything that does not decode is refused with -32602.
 */
import { ProtocolError } from '../../jsonrpc/errors.js';
import type { ResourceDescriptor } from '../types.js';
import { packCursor, unpackCursor } from '../../kit/cursor.js';

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

const TAG = 'r1:';

function invalidCursor(): ProtocolError {
  return ProtocolError.invalidParams(
    'Invalid cursor: it must be a string from a previous nextCursor',
  );
}

export function encodeListCursor(position: Position): string {
  const body =
    'cursor' in position ? [position.source, position.cursor] : [position.source, position.offset];
  return packCursor(body, TAG);
}

export function decodeListCursor(cursor: unknown): Position {
  if (cursor === undefined) return { source: 0, offset: 0 };
  const body = unpackCursor(cursor, TAG);
  if (!Array.isArray(body) || body.length !== 2) throw invalidCursor();
  const [source, at] = body as [unknown, unknown];
  if (typeof source !== 'number' || !Number.isSafeInteger(source) || source < 0)
    throw invalidCursor();
  if (typeof at === 'string') return { source, cursor: at };
  if (typeof at === 'number' && Number.isSafeInteger(at) && at >= 0) return { source, offset: at };
  throw invalidCursor();
}

/**
 * The page of `sources` at `cursor`. A page is filled from one source after another, as the
 * handshake-era clients that read only the first page expect. A whole list contributes up to
 * the room left; a paged upstream contributes its whole page, and when it has more, the page
 * ends there, so each call asks each source at most once.
 */
export async function listAcross(
  sources: readonly ResourceSource[],
  cursor: unknown,
  pageSize: number,
): Promise<{ resources: ResourceDescriptor[]; nextCursor?: string }> {
  let position = decodeListCursor(cursor);
  if (position.source >= sources.length && cursor !== undefined) throw invalidCursor();
  const resources: ResourceDescriptor[] = [];
  while (position.source < sources.length && resources.length < pageSize) {
    const { source } = position;
    const listed = await sources[source]!('cursor' in position ? position.cursor : undefined);
    if (Array.isArray(listed)) {
      if ('cursor' in position) throw invalidCursor();
      const end = position.offset + (pageSize - resources.length);
      resources.push(...listed.slice(position.offset, end));
      position = end < listed.length ? { source, offset: end } : { source: source + 1, offset: 0 };
      continue;
    }
    if (!('cursor' in position) && position.offset !== 0) throw invalidCursor();
    resources.push(...listed.resources);
    if (listed.nextCursor !== undefined) {
      position = { source, cursor: listed.nextCursor };
      break;
    }
    position = { source: source + 1, offset: 0 };
  }
  return position.source < sources.length
    ? { resources, nextCursor: encodeListCursor(position) }
    : { resources };
}
