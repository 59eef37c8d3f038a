import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialize, JSON_HEADERS, raw } from '../../../test/support/http-raw.js';
import { createTestServer } from '../../../test/support/http-server.js';
import { recordingStore } from '../../../test/support/recording-store.js';
import { createHash } from 'node:crypto';
import { createMemoryStore } from '../../store/memory.js';
import { sealStore } from '../../store/sealed.js';
import type { Store } from '../../store/store.js';
import { serveHttp, type HttpListening } from './index.js';

const KEYS = ['shared-store-key-for-tests'];

let store: Store;
/** Every value written to the backing store, as it was written. */
const written: string[] = [];
let a: HttpListening;
let b: HttpListening;

/** One instance of the test server on `store`, as a second process behind a balancer would be. */
function instance(): Promise<HttpListening> {
  return serveHttp(createTestServer({ value: false }), {
    host: '127.0.0.1',
    port: 0,
    store,
    storeKeys: KEYS,
  });
}

beforeAll(async () => {
  const backing = createMemoryStore();
  // What reaches the backing store, recorded: the test reads what Redis would hold.
  store = recordingStore(backing, written);
  a = await instance();
  b = await instance();
});
afterAll(async () => {
  await a.close();
  await b.close();
  await store.close();
});

function post(url: string, session: string, body: object) {
  return raw(url, {
    headers: { ...JSON_HEADERS, 'mcp-session-id': session },
    body: JSON.stringify({ jsonrpc: '2.0', ...body }),
  });
}

describe('a handshake-era session in the shared store', () => {
  it('opened on one instance, is served by another', async () => {
    const session = await initialize(a.url);
    const response = await post(b.url, session, {
      id: 1,
      method: 'tools/call',
      params: { name: 'echo', arguments: { message: 'across' } },
    });
    expect(response.status).toBe(200);
    expect(response.body).toContain('"echoed":"across"');
  });

  it('keeps what the client set since initialize (the log level) for the other instance', async () => {
    const session = await initialize(a.url);
    const set = await post(a.url, session, {
      id: 1,
      method: 'logging/setLevel',
      params: { level: 'debug' },
    });
    expect(set.status).toBe(200);
    const key = `session:${createHash('sha256').update(session).digest('base64url')}`;
    const saved = await sealStore(store, KEYS).scope('mcp:http-test').get(key);
    expect(JSON.parse(saved!)).toMatchObject({
      handshake: { version: '2025-11-25', logLevel: 'debug', clientInfo: { name: 'raw' } },
    });
    const response = await post(b.url, session, { id: 2, method: 'tools/list' });
    expect(response.status).toBe(200);
    expect(response.body).toContain('"echo"');
  });

  it('ends everywhere on DELETE, whichever instance gets it', async () => {
    const session = await initialize(a.url);
    expect((await post(a.url, session, { id: 1, method: 'ping' })).status).toBe(200);
    const removed = await raw(b.url, { method: 'DELETE', headers: { 'mcp-session-id': session } });
    expect(removed.status).toBe(200);
    expect((await post(a.url, session, { id: 2, method: 'ping' })).status).toBe(404);
    expect((await post(b.url, session, { id: 3, method: 'ping' })).status).toBe(404);
  });

  it('resumes a request stream on the other instance from Last-Event-ID, to its end', async () => {
    const session = await initialize(a.url);
    // The slow tool streams progress; the client goes away after the second event.
    const first = await raw(a.url, {
      headers: { ...JSON_HEADERS, 'mcp-session-id': session },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 7,
        method: 'tools/call',
        params: { name: 'slow', arguments: { steps: 8 }, _meta: { progressToken: 'p' } },
      }),
      untilBody: (body) => (body.match(/"progress":/g) ?? []).length >= 2,
    });
    const ids = [...first.body.matchAll(/^id: (\S+)$/gm)].map((match) => match[1]!);
    const last = ids.at(-1)!;
    expect(first.body).not.toContain('"result"');
    const resumed = await raw(b.url, {
      method: 'GET',
      headers: { accept: 'text/event-stream', 'mcp-session-id': session, 'last-event-id': last },
    });
    expect(resumed.status).toBe(200);
    const resumedIds = [...resumed.body.matchAll(/^id: (\S+)$/gm)].map((match) => match[1]!);
    const seq = (id: string) => Number(id.slice(id.lastIndexOf('.') + 1));
    // Every event after the last one seen, once each, in order, ending with the answer.
    expect(resumedIds.map(seq)).toEqual(
      Array.from({ length: resumedIds.length }, (_, index) => seq(last) + 1 + index),
    );
    expect(resumed.body).toContain('"progress":8');
    expect(resumed.body).toContain('"result"');
    expect(resumed.body).toContain('done');
    // Resumed after the answer itself, on either instance, the stream ends at once, empty.
    const after = await raw(a.url, {
      method: 'GET',
      headers: {
        accept: 'text/event-stream',
        'mcp-session-id': session,
        'last-event-id': resumedIds.at(-1)!,
      },
    });
    expect(after.status).toBe(200);
    expect(after.body).not.toContain('id:');
  });

  it('answers an unknown stream of a known session with 400 on the other instance', async () => {
    const session = await initialize(a.url);
    const response = await raw(b.url, {
      method: 'GET',
      headers: {
        accept: 'text/event-stream',
        'mcp-session-id': session,
        'last-event-id': 'nosuchstream.3',
      },
    });
    expect(response.status).toBe(400);
  });
  it('keeps nothing readable in the store: no session id, no client, no streamed event', async () => {
    const session = await initialize(a.url);
    await post(a.url, session, {
      id: 1,
      method: 'tools/call',
      params: { name: 'echo', arguments: { message: 'private words' } },
    });
    const dump = written.join('\n');
    expect(dump).toContain('session:');
    expect(dump).not.toContain(session);
    expect(dump).not.toContain('private words');
    expect(dump).not.toContain('"raw"');
    expect(dump).toContain('events:');
    expect(dump).not.toContain('"progressToken"');
    expect(dump).not.toContain('"progress"');
  });
});
