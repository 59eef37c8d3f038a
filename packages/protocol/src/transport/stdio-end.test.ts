import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Connection, type MessageHandler } from '../jsonrpc/connection.js';
import { LocalError, LocalErrorCode } from '../jsonrpc/errors.js';
import type { JsonObject } from '../jsonrpc/message.js';
import { jsonLines } from '../../test/support/json-lines.js';
import { StdioServerTransport } from './stdio.js';

/** A connection over real streams; `handle` answers each request by method. */
function open(
  handle: (method: string, signal: AbortSignal) => Promise<JsonObject> | JsonObject,
  drainMs = 1000,
) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const { lines } = jsonLines(stdout);
  const handler: MessageHandler = {
    request: (message, incoming) => handle(message.method, incoming.signal),
    notification: () => undefined,
  };
  const connection = new Connection(new StdioServerTransport({ stdin, stdout }), handler, {
    drainMs,
  });
  const closed = new Promise<void>((resolve) => {
    connection.onclose = () => resolve();
  });
  void connection.start();
  const send = (message: object): void => {
    stdin.write(`${JSON.stringify(message)}\n`);
  };
  return { connection, stdin, lines, closed, send };
}

const later = <T>(ms: number, value: T): Promise<T> =>
  new Promise((resolve) => setTimeout(() => resolve(value), ms));

describe('stdio: the end of input', () => {
  it('closes at once when nothing is in flight, without waiting out the drain limit', async () => {
    // With an hour to drain, only closing at once lets this test finish.
    const peer = open(() => ({}), 3_600_000);
    peer.send({ jsonrpc: '2.0', id: 1, method: 'ping' });
    await expect.poll(() => peer.lines.length).toBe(1);
    peer.stdin.end();
    await peer.closed;
    expect(peer.lines).toEqual([{ jsonrpc: '2.0', id: 1, result: {} }]);
  });

  it('answers requests received before the end, then closes', async () => {
    const peer = open((method) => (method === 'slow' ? later(100, { done: true }) : {}));
    peer.send({ jsonrpc: '2.0', id: 1, method: 'slow' });
    peer.send({ jsonrpc: '2.0', id: 2, method: 'ping' });
    peer.stdin.end();
    await peer.closed;
    await later(0, undefined);
    expect(peer.lines).toEqual([
      { jsonrpc: '2.0', id: 2, result: {} },
      { jsonrpc: '2.0', id: 1, result: { done: true } },
    ]);
    expect(peer.connection.closed).toBe(true);
  });

  it('cancels what is still running after the drain limit, without an answer', async () => {
    let aborted: unknown;
    const peer = open(
      (_method, signal) =>
        new Promise<JsonObject>((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            aborted = signal.reason;
            reject(new Error('stopped'));
          });
        }),
      200,
    );
    peer.send({ jsonrpc: '2.0', id: 1, method: 'forever' });
    await later(20, undefined);
    peer.stdin.end();
    // The handler never finishes by itself: only the drain limit can close the connection.
    await peer.closed;
    expect(aborted).toBeInstanceOf(LocalError);
    expect(peer.lines).toEqual([]);
  });

  it('fails its own requests to the peer, which can no longer answer', async () => {
    let outcome: unknown;
    const peer = open(async (method) => {
      if (method !== 'ask') return {};
      await later(50, undefined);
      try {
        await peer.connection.request('roots/list', undefined);
      } catch (error) {
        outcome = error;
      }
      return { asked: true };
    });
    const waiting = peer.connection.request('sampling/createMessage', {});
    peer.send({ jsonrpc: '2.0', id: 'a', method: 'ask' });
    await later(10, undefined);
    peer.stdin.end();
    await expect(waiting).rejects.toMatchObject({ code: LocalErrorCode.ConnectionClosed });
    await peer.closed;
    expect(outcome).toMatchObject({ code: LocalErrorCode.ConnectionClosed });
    expect(peer.lines.filter((line) => line.id === 'a')).toEqual([
      { jsonrpc: '2.0', id: 'a', result: { asked: true } },
    ]);
  });
});
