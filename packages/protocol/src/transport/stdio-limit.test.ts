import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Connection, type MessageHandler } from '../jsonrpc/connection.js';
import { ErrorCode } from '../jsonrpc/error-code.js';
import { peekRequestId } from '../jsonrpc/peek-id.js';
import { jsonLines } from '../../test/support/json-lines.js';
import { StdioServerTransport } from './stdio.js';

const MiB = 1024 * 1024;

/** A connection over real streams that answers ping; returns every line it writes. */
function open(maxLineBytes?: number) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const { until } = jsonLines(stdout);
  const handler: MessageHandler = {
    request: (message) => (message.method === 'ping' ? {} : { echoed: message.method }),
    notification: () => undefined,
  };
  const transport = new StdioServerTransport({
    stdin,
    stdout,
    ...(maxLineBytes === undefined ? {} : { maxLineBytes }),
  });
  const connection = new Connection(transport, handler);
  void connection.start();
  return { stdin, until, connection };
}

/** Writes `size` bytes of a request with `id` in 1 MiB chunks, the id where `where` says. */
function writeHuge(stdin: PassThrough, size: number, id: number | string, where: 'first' | 'last') {
  const head =
    where === 'first'
      ? `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"method":"tools/call","params":{"name":"x","arguments":{"text":"`
      : `{"method":"tools/call","params":{"name":"x","arguments":{"text":"`;
  const tail = where === 'first' ? '"}}}' : `"}},"jsonrpc":"2.0","id":${JSON.stringify(id)}}`;
  stdin.write(head);
  const chunk = Buffer.alloc(MiB, 'a');
  let left = size - head.length - tail.length;
  while (left > 0) {
    stdin.write(left >= MiB ? chunk : chunk.subarray(0, left));
    left -= MiB;
  }
  stdin.write(`${tail}\n`);
}

describe('a stdio message over the line limit', () => {
  it('a 40 MiB line is answered with its own id and the flag that raises the limit; the ping behind it is served', async () => {
    const { stdin, until, connection } = open();
    writeHuge(stdin, 40 * MiB, 41, 'first');
    stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 42, method: 'ping' })}\n`);
    const [refusal, pong] = await until(2);
    expect(refusal).toEqual({
      jsonrpc: '2.0',
      id: 41,
      error: {
        code: ErrorCode.ParseError,
        message: `Parse error: message of ${40 * MiB} bytes is larger than the ${16 * MiB}-byte line limit; it was dropped. Start the server with --max-line-bytes N (or MCP_MAX_LINE_BYTES=N) to raise it.`,
      },
    });
    expect(pong).toEqual({ jsonrpc: '2.0', id: 42, result: {} });
    await connection.close();
  });

  it('finds an id the SDK writes last, and honours a raised limit', async () => {
    const { stdin, until, connection } = open(2 * MiB);
    writeHuge(stdin, 3 * MiB, 'req-7', 'last');
    writeHuge(stdin, MiB, 8, 'first');
    const [refusal, served] = await until(2);
    expect(refusal).toMatchObject({ id: 'req-7', error: { code: ErrorCode.ParseError } });
    expect((refusal!.error as { message: string }).message).toContain(`${2 * MiB}-byte line limit`);
    expect(served).toEqual({ jsonrpc: '2.0', id: 8, result: { echoed: 'tools/call' } });
    await connection.close();
  });
});

describe('peekRequestId', () => {
  it('reads top-level ids only, from either end', () => {
    expect(peekRequestId('{"jsonrpc":"2.0","id":7,"method":"x","params":{"a":"', '')).toBe(7);
    expect(peekRequestId(' {"id":"a\\"b","params":', '')).toBe('a"b');
    expect(peekRequestId('{"method":"x","params":{"id":1,', 'aaa"}},"id":9}\r')).toBe(9);
    // An id inside params, or an end that closes a nested object, is not the request's.
    expect(peekRequestId('{"params":{"id":1', 'aaa","id":3}}')).toBeUndefined();
    expect(peekRequestId('{"method":"x","params":{', 'aaa\\",\\"id\\":4}"}}')).toBeUndefined();
    expect(peekRequestId('aaaa', 'aaaa')).toBeUndefined();
    expect(peekRequestId('{"id":1.5,', '')).toBeUndefined();
    expect(peekRequestId('{"id":{"x":1}}', '')).toBeUndefined();
  });
});
