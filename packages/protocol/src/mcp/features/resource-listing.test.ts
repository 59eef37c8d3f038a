import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../jsonrpc/error-code.js';
import { ProtocolError } from '../../jsonrpc/errors.js';
import { InMemoryTransport } from '../../transport/in-memory.js';
import { defineResource, defineResourceTemplate } from './resource.js';
import {
  decodeListCursor,
  encodeListCursor,
  listAcross,
  type ResourceListPage,
  type ResourceSource,
} from './resource-listing.js';
import { createServer } from '../server.js';
import type { ResourceDescriptor } from '../types.js';

const named = (prefix: string, count: number): ResourceDescriptor[] =>
  Array.from({ length: count }, (_, i) => ({ uri: `${prefix}://${i}`, name: `${prefix}${i}` }));

/** An upstream that pages itself, two items a page, with cursors of its own; it records them. */
function upstream(items: ResourceDescriptor[], seen: (string | undefined)[] = []): ResourceSource {
  return (cursor): ResourceListPage => {
    seen.push(cursor);
    const start = cursor === undefined ? 0 : Number(cursor.slice('up-'.length));
    const end = start + 2;
    return end < items.length
      ? { resources: items.slice(start, end), nextCursor: `up-${end}` }
      : { resources: items.slice(start, end) };
  };
}

async function walk(sources: ResourceSource[], pageSize: number) {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await listAcross(sources, cursor, pageSize);
    pages.push(page.resources.map((resource) => resource.name));
    cursor = page.nextCursor;
  } while (cursor !== undefined && pages.length < 50);
  return pages;
}

describe('listAcross', () => {
  it('pages whole lists by offset and paged upstreams by their own cursors, in source order', async () => {
    const seen: (string | undefined)[] = [];
    const pages = await walk(
      [() => named('fixed', 3), upstream(named('drive', 5), seen), () => named('table', 1)],
      2,
    );
    // Pages fill across sources; an upstream's page goes in whole, and ends the page when it has more.
    expect(pages).toEqual([
      ['fixed0', 'fixed1'],
      ['fixed2', 'drive0', 'drive1'],
      ['drive2', 'drive3'],
      ['drive4', 'table0'],
    ]);
    expect(seen).toEqual([undefined, 'up-2', 'up-4']);
  });

  it('puts every source in the first page when they fit, as clients that read one page expect', async () => {
    const seen: (string | undefined)[] = [];
    const sources = [
      () => named('fixed', 1),
      upstream(named('drive', 2), seen),
      () => named('t', 2),
    ];
    expect(await listAcross(sources, undefined, 100)).toEqual({
      resources: [...named('fixed', 1), ...named('drive', 2), ...named('t', 2)],
    });
    expect(seen).toEqual([undefined]);
  });

  it('skips empty sources within one call and ends without a cursor', async () => {
    expect(await walk([() => [], upstream([]), () => named('last', 1)], 10)).toEqual([['last0']]);
    expect(await listAcross([() => [], () => []], undefined, 10)).toEqual({ resources: [] });
  });

  it('refuses cursors it did not make, or that point where no source is, with -32602', async () => {
    const sources = [() => named('fixed', 3), upstream(named('drive', 5))];
    const refused = [
      'garbage',
      42,
      `r1:${'A'.repeat(5000)}`,
      `r1:${Buffer.from('{"a":1}').toString('base64url')}`,
      encodeListCursor({ source: 7, offset: 0 }),
      encodeListCursor({ source: 0, cursor: 'up-2' }),
      encodeListCursor({ source: 1, offset: 3 }),
      `r1:${Buffer.from('[0,-1]').toString('base64url')}`,
    ];
    for (const cursor of refused) {
      const error = await listAcross(sources, cursor, 2).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error, String(cursor)).toBeInstanceOf(ProtocolError);
      expect((error as ProtocolError).code).toBe(ErrorCode.InvalidParams);
    }
  });

  it('round-trips both kinds of position', () => {
    expect(decodeListCursor(encodeListCursor({ source: 2, offset: 40 }))).toEqual({
      source: 2,
      offset: 40,
    });
    expect(decodeListCursor(encodeListCursor({ source: 1, cursor: 'tok/+=' }))).toEqual({
      source: 1,
      cursor: 'tok/+=',
    });
  });
});

describe('resources/list with a template that pages its upstream', () => {
  it('lets the official client walk every page, passing the template its own cursors', async () => {
    const cursors: (string | undefined)[] = [];
    const server = createServer({
      name: 'paged',
      version: '1',
      pageSize: 2,
      resources: [defineResource({ uri: 'fixed://readme', name: 'readme', read: () => [] })],
      resourceTemplates: [
        defineResourceTemplate({
          uriTemplate: 'drive:///{id}',
          name: 'file',
          list: (_ctx, cursor) => {
            cursors.push(cursor);
            return upstream(named('drive', 5))(cursor);
          },
          read: () => [],
        }),
      ],
    });
    const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'c', version: '1' });
    await client.connect(clientSide as unknown as Parameters<Client['connect']>[0]);
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listResources(cursor === undefined ? {} : { cursor });
      names.push(...page.resources.map((resource) => resource.name));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    expect(names).toEqual(['readme', 'drive0', 'drive1', 'drive2', 'drive3', 'drive4']);
    expect(cursors).toEqual([undefined, 'up-2', 'up-4']);
    await expect(client.listResources({ cursor: 'not-ours' })).rejects.toMatchObject({
      code: ErrorCode.InvalidParams,
    });
    await client.close();
  });
});
