import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { rawStdio, type RawStdioPeer } from './raw-stdio.js';

const ECHO = fileURLToPath(new URL('../test/fixtures/line-echo.mjs', import.meta.url));
const hex = (text: string): string => Buffer.from(text).toString('hex');

describe('rawStdio', () => {
  let peer: RawStdioPeer | undefined;
  const start = (): RawStdioPeer => {
    peer = rawStdio({
      command: process.execPath,
      args: [ECHO],
      env: { MARKER: 'yes' },
      timeoutMs: 5_000,
    });
    return peer;
  };
  afterEach(async () => {
    await peer?.close();
    peer = undefined;
  });

  it('sends a request and resolves with the response carrying its id', async () => {
    const server = start();
    const response = await server.request('hello', { who: 'world' });
    expect(response.id).toBe(1);
    expect(response.result).toMatchObject({ params: { who: 'world' } });
    expect(server.messages).toHaveLength(1);
    server.assertStdoutPure();
  });

  it('delivers a message written in several chunks as one line', async () => {
    const server = start();
    const line = JSON.stringify({
      jsonrpc: '2.0',
      id: 'split',
      method: 'emoji',
      params: { s: '😀' },
    });
    const bytes = Buffer.from(`${line}\n`);
    const cut = bytes.indexOf(Buffer.from('😀')) + 2; // inside the 4-byte character
    await server.write(bytes.subarray(0, cut));
    await server.write(bytes.subarray(cut));
    const response = await server.responseTo('split');
    expect(response.result).toMatchObject({ params: { s: '😀' } });
  });

  it('reports stdout lines that are not JSON-RPC, invalid UTF-8 and an unterminated last line', async () => {
    const server = start();
    await server.send({ jsonrpc: '2.0', method: 'say', params: { hex: hex('debug: hello\n') } });
    await server.send({
      jsonrpc: '2.0',
      method: 'say',
      params: { hex: `${hex('{"jsonrpc":"2.0","id":1,"result":"')}ff${hex('"}\n')}` },
    });
    await server.send({
      jsonrpc: '2.0',
      method: 'say',
      params: { hex: hex('{"jsonrpc":"1.0","id":2,"result":{}}\n') },
    });
    await server.waitForLine((line) => line.includes('"1.0"'));
    expect(server.impureOutput()).toEqual([
      'not JSON: debug: hello',
      expect.stringMatching(/^invalid UTF-8: /),
      expect.stringMatching(/^jsonrpc is not "2.0"/),
    ]);
    expect(() => server.assertStdoutPure()).toThrow(/3 non-JSON-RPC line/);
    await server.send({ jsonrpc: '2.0', method: 'say', params: { hex: hex('{"jsonrpc":"2.0"') } });
    await server.send({ jsonrpc: '2.0', method: 'exit', params: { code: 0 } });
    await server.exit;
    expect(server.impureOutput().at(-1)).toBe('unterminated last line: {"jsonrpc":"2.0"');
  });

  it('waits only for messages after a mark', async () => {
    const server = start();
    await server.request('first');
    const mark = server.mark();
    const pending = server.waitFor((message) => 'result' in message, { since: mark });
    await server.send({ jsonrpc: '2.0', id: 'second', method: 'second' });
    expect((await pending).id).toBe('second');
  });

  it('passes the environment and reports the exit code; waiting after exit fails fast', async () => {
    const server = start();
    const response = await server.request('env');
    expect(response.result).toBeDefined();
    await server.send({ jsonrpc: '2.0', method: 'exit', params: { code: 3 } });
    expect(await server.exit).toEqual({ code: 3, signal: null });
    await expect(server.responseTo(99)).rejects.toThrow(/exited \(3\)/);
  });

  it('gives up on a missing response with the output so far in the message', async () => {
    const server = start();
    await expect(server.responseTo(42, { timeoutMs: 50 })).rejects.toThrow(/Timed out after 50 ms/);
  });

  it('ends stdin on close, so a well-behaved peer exits 0', async () => {
    const server = start();
    expect(await server.close()).toEqual({ code: 0, signal: null });
  });

  it('kills a peer that ignores the end of its input', async () => {
    peer = rawStdio({ command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'] });
    expect(await peer.close(100)).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('closing our read end makes the peer see its stdout fail', async () => {
    const server = start();
    await server.request('ready');
    server.closeOutput();
    await server.send({ jsonrpc: '2.0', method: 'flood' });
    expect((await server.exit).code).toBe(7);
    expect(server.stderr()).toContain('stdout failed: EPIPE');
  });
});
