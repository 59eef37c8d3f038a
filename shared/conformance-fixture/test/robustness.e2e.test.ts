/**
 * Hostile and careless input over stdio, byte for byte, against the built fixture: every case of
 * reference sections 3.H (cross-server) and 3.I (protocol robustness) that applies to stdio. The
 * peer is the raw driver, so nothing between the test and the server forgives a malformed message.
 * After every test, every line the server wrote to stdout must be a JSON-RPC message.
 */
import { readFileSync } from 'node:fs';
import { rawStdio, waitFor, type JsonRpcMessage, type RawStdioPeer } from '@plugboard/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE } from './peer.js';

const INVALID_REQUEST = -32600;
const PARSE_ERROR = -32700;

function startFixture(args: readonly string[] = []): RawStdioPeer {
  return rawStdio({
    command: process.execPath,
    args: [FIXTURE, ...args],
    env: { LOG_LEVEL: 'warn' },
  });
}

const HOST = { name: 'robustness-test', version: '1.0.0' };
const ping = (id: unknown): Record<string, unknown> => ({ jsonrpc: '2.0', id, method: 'ping' });
const call = (id: unknown, name: string, args: Record<string, unknown> = {}, meta?: object) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: args, ...(meta === undefined ? {} : { _meta: meta }) },
});
const errorOf = (message: JsonRpcMessage) => message.error;
const textOf = (message: JsonRpcMessage): string =>
  (message.result as { content: { text: string }[] }).content[0]!.text;

/** Peak resident memory of a process in bytes (Linux), or undefined elsewhere. */
function peakRss(pid: number): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? undefined : Number(match[1]) * 1024;
  } catch {
    return undefined;
  }
}

describe('an initialized session under hostile input', () => {
  let peer: RawStdioPeer;
  beforeAll(async () => {
    peer = startFixture();
    await peer.initialize();
  });
  afterEach(() => {
    peer.assertStdoutPure();
  });
  afterAll(async () => {
    expect(await peer.close()).toEqual({ code: 0, signal: null });
  });

  /**
   * Sends raw lines and returns every reply they produced. Handlers finish in microtasks, so once
   * a ping written after the first ping's answer is answered too, every earlier reply is out.
   */
  async function exchange(...lines: (string | Uint8Array)[]): Promise<JsonRpcMessage[]> {
    const mark = peer.mark();
    for (const line of lines) await peer.write(line);
    for (const round of [1, 2]) {
      const id = `settle-${mark}-${round}`;
      await peer.send(ping(id));
      await peer.responseTo(id, { since: mark });
    }
    return peer.messages
      .slice(mark)
      .filter((message) => !(typeof message.id === 'string' && message.id.startsWith('settle-')));
  }

  describe('P-01 malformed lines', () => {
    it('answers each unparsable line with -32700 and id null, then serves the next request', async () => {
      const replies = await exchange(
        '{"jsonrpc":"2.0","id":1,"method":"ping"\n',
        'not json\n',
        '{"jsonrpc":"2.0","id":2,"method":"ping"}}\n',
        "{'a':1}\n",
        'NaN\n',
      );
      expect(replies).toHaveLength(5);
      for (const reply of replies) {
        expect(reply).toEqual({
          jsonrpc: '2.0',
          id: null,
          error: { code: PARSE_ERROR, message: 'Parse error: message is not valid JSON' },
        });
      }
    });

    it('ignores blank lines and accepts CRLF line endings', async () => {
      const replies = await exchange(
        '\n',
        '   \r\n',
        '\t\n',
        `${JSON.stringify(ping('crlf'))}\r\n`,
      );
      expect(replies).toEqual([{ jsonrpc: '2.0', id: 'crlf', result: {} }]);
    });

    it('assembles a message written one byte at a time', async () => {
      const bytes = Buffer.from(
        `${JSON.stringify(call('bytewise', 'test_echo', { text: 'héllo 😀' }))}\n`,
      );
      const mark = peer.mark();
      for (const byte of bytes) await peer.write(Buffer.of(byte));
      expect(textOf(await peer.responseTo('bytewise', { since: mark }))).toBe('héllo 😀');
    });

    it('answers two messages that arrive in one write', async () => {
      const mark = peer.mark();
      await peer.write(`${JSON.stringify(ping('one'))}\n${JSON.stringify(ping('two'))}\n`);
      await peer.responseTo('two', { since: mark });
      expect(peer.messages.slice(mark).map((message) => message.id)).toEqual(['one', 'two']);
    });
  });

  describe('P-04 deep nesting', () => {
    const deep = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;

    it('refuses 10,000 levels in arguments or _meta with an error and stays alive', async () => {
      const inArguments = `{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"test_echo","arguments":{"text":${deep(10_000)}}}}\n`;
      const inMeta = `{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"test_echo","arguments":{"text":"x"},"_meta":{"deep":${deep(10_000)}}}}\n`;
      const replies = await exchange(inArguments, inMeta);
      expect(replies.map((reply) => [reply.id, errorOf(reply)?.code])).toEqual([
        [4, INVALID_REQUEST],
        [5, INVALID_REQUEST],
      ]);
      expect(errorOf(replies[0]!)?.message).toMatch(/deeper than 64/);
    });

    it('accepts ordinary nesting', async () => {
      const nested = `{"jsonrpc":"2.0","id":"ok-depth","method":"tools/call","params":{"name":"test_echo","arguments":{"text":"fine"},"_meta":{"x":${deep(20)}}}}\n`;
      const [reply] = await exchange(nested);
      expect(textOf(reply!)).toBe('fine');
    });
  });

  describe('P-05 bad envelopes', () => {
    it.each([
      ['jsonrpc "1.0"', { jsonrpc: '1.0', id: 51, method: 'ping' }, 51],
      ['jsonrpc as a number', { jsonrpc: 2.0, id: 52, method: 'ping' }, 52],
      ['no jsonrpc', { id: 53, method: 'ping' }, 53],
      ['a numeric method', { jsonrpc: '2.0', id: 54, method: 123 }, 54],
      ['an empty method', { jsonrpc: '2.0', id: 55, method: '' }, 55],
      ['a bad envelope and a bad id', { jsonrpc: '1.0', id: { x: 1 }, method: 'ping' }, null],
    ])('answers %s with -32600 and the id only when it is valid', async (_case, message, id) => {
      const replies = await exchange(`${JSON.stringify(message)}\n`);
      expect(replies).toEqual([
        { jsonrpc: '2.0', id, error: expect.objectContaining({ code: INVALID_REQUEST }) },
      ]);
    });
  });

  describe('P-06 request ids', () => {
    it.each([
      ['null', 'null'],
      ['a fraction', '1.5'],
      ['an object', '{}'],
      ['an array', '[]'],
      ['a boolean', 'true'],
      ['an integer beyond 2^53', '9007199254740993'],
    ])('refuses %s as an id with -32600 and id null', async (_case, raw) => {
      const replies = await exchange(`{"jsonrpc":"2.0","id":${raw},"method":"ping"}\n`);
      expect(replies).toEqual([
        { jsonrpc: '2.0', id: null, error: expect.objectContaining({ code: INVALID_REQUEST }) },
      ]);
    });

    it.each([
      ['zero', 0],
      ['a negative integer', -1],
      ['an empty string', ''],
      ['a numeric string', '1'],
      ['a unicode string', 'ïd-😀'],
    ])('echoes %s with its exact type', async (_case, id) => {
      const line = `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"method":"ping"}\n`;
      const replies = await exchange(line);
      expect(replies).toEqual([{ jsonrpc: '2.0', id, result: {} }]);
      expect(peer.lines.at(-3)).toBe(`{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{}}`);
    });
  });

  describe('P-07 duplicate in-flight ids', () => {
    it('refuses a second request with an id in use, and a cancel reaches only the first', async () => {
      const mark = peer.mark();
      await peer.send(
        call(7, 'test_wait_for_cancellation', { tag: 'dup-7' }, { progressToken: 'dup' }),
      );
      await peer.waitFor((message) => message.method === 'notifications/progress', { since: mark });
      await peer.send(call(7, 'test_simple_text'));
      const duplicate = await peer.responseTo(7, { since: mark });
      expect(errorOf(duplicate)).toMatchObject({
        code: INVALID_REQUEST,
        message: expect.stringMatching(/already in use/),
      });
      await peer.notify('notifications/cancelled', { requestId: 7, reason: 'test' });
      const check = await peer.request('tools/call', { name: 'test_cancellations', arguments: {} });
      expect(
        (check.result as { structuredContent: { tags: string[] } }).structuredContent.tags,
      ).toContain('dup-7');
      await exchange();
      // A cancelled request is not answered, so the only reply with id 7 is the refusal.
      expect(peer.messages.slice(mark).filter((message) => message.id === 7)).toHaveLength(1);
    });
  });

  describe('P-09 unknown names', () => {
    it('answers an unknown method with -32601, an unknown tool with -32602, an unknown resource with -32002', async () => {
      const replies = await exchange(
        '{"jsonrpc":"2.0","id":91,"method":"tools/lisst"}\n',
        `${JSON.stringify(call(92, 'nope'))}\n`,
        '{"jsonrpc":"2.0","id":93,"method":"resources/read","params":{"uri":"file:///etc/passwd"}}\n',
      );
      expect(replies.map((reply) => [reply.id, errorOf(reply)?.code])).toEqual([
        [91, -32601],
        [92, -32602],
        [93, -32002],
      ]);
    });

    it('ignores an unknown notification without a reply', async () => {
      expect(
        await exchange('{"jsonrpc":"2.0","method":"notifications/foo","params":{}}\n'),
      ).toEqual([]);
    });
  });

  describe('P-10 wrong parameter types', () => {
    it.each([
      ['an array', '[]'],
      ['a string', '"x"'],
      ['null', 'null'],
    ])('refuses params that are %s with -32600', async (_case, raw) => {
      const replies = await exchange(
        `{"jsonrpc":"2.0","id":"p10","method":"tools/call","params":${raw}}\n`,
      );
      expect(errorOf(replies[0]!)?.code).toBe(INVALID_REQUEST);
    });

    it('refuses a non-string tool name and non-object arguments with -32602', async () => {
      const replies = await exchange(
        '{"jsonrpc":"2.0","id":101,"method":"tools/call","params":{"name":42}}\n',
        '{"jsonrpc":"2.0","id":102,"method":"tools/call","params":{"name":"test_echo","arguments":"path=/etc"}}\n',
      );
      expect(replies.map((reply) => errorOf(reply)?.code)).toEqual([-32602, -32602]);
    });

    it('answers arguments of the wrong type or with unknown keys with an actionable error result', async () => {
      const replies = await exchange(
        `${JSON.stringify(call(103, 'test_echo', { text: 123 }))}\n`,
        `${JSON.stringify(call(104, 'test_echo', { text: 'x', mode: 'write' }))}\n`,
      );
      expect(replies.map((reply) => (reply.result as { isError?: boolean }).isError)).toEqual([
        true,
        true,
      ]);
      expect(textOf(replies[0]!)).toMatch(/^Invalid arguments for test_echo: text: /);
      expect(textOf(replies[1]!)).toMatch(/mode/);
    });
  });

  describe('P-11 notification and request confusion', () => {
    it('answers a notification method sent with an id as an unknown request', async () => {
      const replies = await exchange(
        '{"jsonrpc":"2.0","id":9,"method":"notifications/initialized"}\n',
      );
      expect(replies).toEqual([
        { jsonrpc: '2.0', id: 9, error: expect.objectContaining({ code: -32601 }) },
      ]);
    });

    it('neither answers nor runs a tool call sent without an id', async () => {
      const replies = await exchange(
        '{"jsonrpc":"2.0","method":"tools/call","params":{"name":"test_trigger_tool_change","arguments":{}}}\n',
      );
      expect(replies).toEqual([]);
      const { result } = await peer.request('tools/list');
      expect(
        (result as { tools: { name: string }[] }).tools.map((tool) => tool.name),
      ).not.toContain('test_dynamic_tool');
    });

    it('ignores an unsolicited response', async () => {
      expect(
        await exchange(
          '{"jsonrpc":"2.0","id":10,"result":{}}\n',
          '{"jsonrpc":"2.0","id":11,"error":{"code":-32000,"message":"x"}}\n',
          '{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"x"}}\n',
        ),
      ).toEqual([]);
    });
  });

  describe('P-12 encoding', () => {
    it('answers invalid and overlong UTF-8 with -32700', async () => {
      const prefix = Buffer.from(
        '{"jsonrpc":"2.0","id":"utf","method":"tools/call","params":{"name":"test_echo","arguments":{"text":"',
      );
      const suffix = Buffer.from('"}}}\n');
      const replies = await exchange(
        Buffer.concat([prefix, Buffer.of(0xff, 0xfe), suffix]),
        Buffer.concat([prefix, Buffer.of(0xc0, 0xaf), suffix]),
      );
      expect(replies).toEqual([
        {
          jsonrpc: '2.0',
          id: null,
          error: { code: PARSE_ERROR, message: 'Parse error: message is not valid UTF-8' },
        },
        {
          jsonrpc: '2.0',
          id: null,
          error: { code: PARSE_ERROR, message: 'Parse error: message is not valid UTF-8' },
        },
      ]);
    });

    it('echoes a lone surrogate escape as an escape, keeping stdout valid UTF-8', async () => {
      const replies = await exchange(
        '{"jsonrpc":"2.0","id":"sur","method":"tools/call","params":{"name":"test_echo","arguments":{"text":"a\\ud800b"}}}\n',
      );
      expect(textOf(replies[0]!)).toBe('a\ud800b');
      expect(peer.lines.find((line) => line.includes('"id":"sur"'))).toContain('a\\ud800b');
    });

    it('decodes a 4-byte character split across two writes', async () => {
      const bytes = Buffer.from(`${JSON.stringify(call('split', 'test_echo', { text: '😀' }))}\n`);
      const cut = bytes.indexOf(Buffer.from('😀')) + 1;
      const replies = await exchange(bytes.subarray(0, cut), bytes.subarray(cut));
      expect(textOf(replies[0]!)).toBe('😀');
    });
  });

  describe('P-13 batches', () => {
    it.each([
      ['an empty array', '[]'],
      ['an array of numbers', '[1,2]'],
      ['two pings', `[${JSON.stringify(ping('b1'))},${JSON.stringify(ping('b2'))}]`],
      ['notifications only', '[{"jsonrpc":"2.0","method":"notifications/initialized"}]'],
      [
        '10,000 requests',
        `[${Array.from({ length: 10_000 }, (_, i) => JSON.stringify(ping(i))).join(',')}]`,
      ],
    ])(
      'answers %s with one -32600 and runs nothing in a 2025-11-25 session',
      async (_case, raw) => {
        const replies = await exchange(`${raw}\n`);
        expect(replies).toEqual([
          {
            jsonrpc: '2.0',
            id: null,
            error: {
              code: INVALID_REQUEST,
              message: expect.stringMatching(
                /^Batches are accepted only in sessions at protocol revision 2025-03-26/,
              ),
            },
          },
        ]);
      },
    );
  });

  describe('P-15 stdout purity', () => {
    it('keeps stdout for protocol messages when a dependency writes to it', async () => {
      const { result } = await peer.request('tools/call', {
        name: 'test_stdout_noise',
        arguments: {},
      });
      expect(result).toMatchObject({ content: [{ text: 'wrote to stdout' }] });
      peer.assertStdoutPure();
      await waitFor(() => peer.stderr().includes('stray console.log from a dependency'));
      expect(peer.stderr()).toContain('stray process.stdout.write from a dependency');
    });
  });

  describe('P-19 concurrency', () => {
    it('answers 500 concurrent calls and 100 pings exactly once each, with matching ids', async () => {
      const mark = peer.mark();
      const lines: string[] = [];
      for (let i = 0; i < 500; i++)
        lines.push(JSON.stringify(call(`c${i}`, 'test_echo', { text: `n${i}` })));
      for (let i = 0; i < 100; i++) lines.push(JSON.stringify(ping(`p${i}`)));
      await peer.write(`${lines.join('\n')}\n`);
      await peer.waitFor(() => peer.messages.length - mark >= 600, {
        since: mark,
        timeoutMs: 20_000,
      });
      await exchange();
      const replies = peer.messages
        .slice(mark)
        .filter((message) => typeof message.id === 'string' && /^[cp]\d+$/.test(message.id));
      expect(replies).toHaveLength(600);
      expect(new Set(replies.map((reply) => reply.id)).size).toBe(600);
      for (const reply of replies.filter((message) => String(message.id).startsWith('c'))) {
        expect(textOf(reply)).toBe(`n${String(reply.id).slice(1)}`);
      }
    });
  });

  describe('P-20 cancellation races', () => {
    it('ignores a cancel that arrives before its request', async () => {
      await peer.notify('notifications/cancelled', { requestId: 'early' });
      const response = await peer.request('tools/call', {
        name: 'test_simple_text',
        arguments: {},
      });
      expect(response.result).toBeDefined();
      const replies = await exchange(`${JSON.stringify(call('early', 'test_simple_text'))}\n`);
      expect(replies.map((reply) => reply.id)).toEqual(['early']);
    });

    it('ignores a cancel after the response, and unknown or malformed cancels', async () => {
      const replies = await exchange(
        `${JSON.stringify(ping('done'))}\n`,
        '{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"done"}}\n',
        '{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"never-sent"}}\n',
        '{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":{"x":1}}}\n',
        '{"jsonrpc":"2.0","method":"notifications/cancelled"}\n',
      );
      expect(replies).toEqual([{ jsonrpc: '2.0', id: 'done', result: {} }]);
    });

    it('serves a new request that reuses the id of a cancelled one', async () => {
      const mark = peer.mark();
      await peer.send(
        call('reuse', 'test_wait_for_cancellation', { tag: 'reuse' }, { progressToken: 'reuse' }),
      );
      await peer.waitFor((message) => message.method === 'notifications/progress', { since: mark });
      await peer.notify('notifications/cancelled', { requestId: 'reuse' });
      await peer.send(call('reuse', 'test_simple_text'));
      const reply = await peer.responseTo('reuse', { since: mark });
      expect(textOf(reply)).toBe('This is a simple text response for testing.');
      await exchange();
      expect(peer.messages.slice(mark).filter((message) => message.id === 'reuse')).toHaveLength(1);
    });
  });

  describe('X-01 and X-04 arguments that try to change the server', () => {
    it.each([
      ['a security switch', '{"text":"x","allowDangerous":true}'],
      ['__proto__', '{"text":"x","__proto__":{"isAdmin":true,"executablePath":"/bin/sh"}}'],
      ['constructor.prototype', '{"text":"x","constructor":{"prototype":{"polluted":1}}}'],
    ])('refuses %s in arguments and leaves Object.prototype untouched', async (_case, args) => {
      const replies = await exchange(
        `{"jsonrpc":"2.0","id":"x","method":"tools/call","params":{"name":"test_echo","arguments":${args}}}\n`,
        `{"jsonrpc":"2.0","id":"y","method":"tools/call","params":{"name":"test_echo","arguments":{"text":"x"},"__proto__":{"isAdmin":true},"_meta":{"__proto__":{"polluted":1}}}}\n`,
      );
      expect((replies[0]!.result as { isError: boolean }).isError).toBe(true);
      expect(textOf(replies[1]!)).toBe('x');
      const check = await peer.request('tools/call', {
        name: 'test_prototype_check',
        arguments: {},
      });
      expect(check.result).toMatchObject({ structuredContent: { inheritedKeys: [] } });
    });

    it('treats names that exist on every object as unknown methods, tools, prompts and resources', async () => {
      const replies = await exchange(
        '{"jsonrpc":"2.0","id":1,"method":"__proto__"}\n',
        '{"jsonrpc":"2.0","id":2,"method":"constructor"}\n',
        '{"jsonrpc":"2.0","id":3,"method":"hasOwnProperty"}\n',
        `${JSON.stringify(call(4, 'toString'))}\n`,
        `${JSON.stringify(call(5, '__proto__'))}\n`,
        '{"jsonrpc":"2.0","id":6,"method":"prompts/get","params":{"name":"constructor"}}\n',
        '{"jsonrpc":"2.0","id":7,"method":"resources/read","params":{"uri":"__proto__"}}\n',
        '{"jsonrpc":"2.0","id":8,"method":"completion/complete","params":{"ref":{"type":"ref/resource","uri":"test://template/{id}/data"},"argument":{"name":"__proto__","value":""}}}\n',
      );
      expect(replies.map((reply) => errorOf(reply)?.code ?? 'ok')).toEqual([
        -32601,
        -32601,
        -32601,
        -32602,
        -32602,
        -32602,
        -32002,
        'ok',
      ]);
      expect(replies[7]!.result).toEqual({ completion: { values: [], total: 0, hasMore: false } });
    });
  });

  describe('X-05 secrets in failures', () => {
    it('redacts a token in an error message and never sends a stack', async () => {
      const token = `ghp_${'a1B2c3D4e5'.repeat(4)}`;
      const { result } = await peer.request('tools/call', {
        name: 'test_unexpected_error',
        arguments: { message: `upstream said: bad credentials ${token}` },
      });
      const text = (result as { content: { text: string }[] }).content[0]!.text;
      expect(text).toMatch(/^test_unexpected_error failed: upstream said: bad credentials /);
      expect(text).not.toContain(token);
      expect(peer.lines.join('\n')).not.toContain(token);
      expect(peer.lines.join('\n')).not.toMatch(/\bat .*\.js:\d+/);
      expect(peer.stderr()).not.toContain(token);
    });
  });

  describe('X-08 URI template abuse', () => {
    it('refuses a 100 KB URI before matching it and keeps serving', async () => {
      const replies = await exchange(
        `${JSON.stringify({ jsonrpc: '2.0', id: 'long', method: 'resources/read', params: { uri: `test://template/${',a'.repeat(50_000)}/data` } })}\n`,
        `${JSON.stringify({ jsonrpc: '2.0', id: 'edge', method: 'resources/read', params: { uri: `test://template/${'a'.repeat(2000)}/data` } })}\n`,
      );
      expect(errorOf(replies[0]!)).toMatchObject({
        code: -32602,
        message: expect.stringMatching(/longer than 2048/),
      });
      expect(replies[1]!.result).toMatchObject({ contents: [{ mimeType: 'application/json' }] });
    });
  });
});

describe('the lifecycle (P-08)', () => {
  it('refuses requests before initialize, runs nothing, and still answers ping', async () => {
    const peer = startFixture();
    await peer.send(call(1, 'test_trigger_tool_change'));
    expect(errorOf(await peer.responseTo(1))).toMatchObject({
      code: INVALID_REQUEST,
      message: 'Send initialize before tools/call',
    });
    expect(await peer.request('ping')).toMatchObject({ result: {} });
    await peer.initialize();
    const { result } = await peer.request('tools/list');
    expect((result as { tools: { name: string }[] }).tools.map((tool) => tool.name)).not.toContain(
      'test_dynamic_tool',
    );
    peer.assertStdoutPure();
    await peer.close();
  });

  it('refuses a second initialize', async () => {
    const peer = startFixture();
    await peer.initialize();
    expect(errorOf(await peer.initialize())).toMatchObject({ code: INVALID_REQUEST });
    await peer.close();
  });

  it.each([
    ['2024-11-05', '2024-11-05'],
    ['2025-03-26', '2025-03-26'],
    ['2025-06-18', '2025-06-18'],
    ['2025-11-25', '2025-11-25'],
    ['1999-01-01', '2025-11-25'],
    ['2026-07-28', '2025-11-25'],
  ])('answers initialize for %s with %s', async (requested, answered) => {
    const peer = startFixture();
    const response = await peer.initialize({ protocolVersion: requested });
    expect(response.result).toMatchObject({ protocolVersion: answered });
    await peer.close();
  });

  it('refuses a protocol version that is not a string with -32602', async () => {
    const peer = startFixture();
    await peer.send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: 5, capabilities: {} },
    });
    expect(errorOf(await peer.responseTo(1))?.code).toBe(-32602);
    await peer.close();
  });

  it('serves a client that never sends notifications/initialized', async () => {
    const peer = startFixture();
    await peer.request('initialize', {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'x', version: '1' },
    });
    const response = await peer.request('tools/call', { name: 'test_simple_text', arguments: {} });
    expect(textOf(response)).toBe('This is a simple text response for testing.');
    await peer.close();
  });

  it('does not cancel initialize (P-20 d)', async () => {
    const peer = startFixture();
    await peer.write(
      `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {} } })}\n` +
        `${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1 } })}\n`,
    );
    expect((await peer.responseTo(1)).result).toMatchObject({ protocolVersion: '2025-11-25' });
    await peer.close();
  });

  it('accepts a UTF-8 byte order mark before the first message', async () => {
    const peer = startFixture();
    await peer.write(
      Buffer.concat([Buffer.of(0xef, 0xbb, 0xbf), Buffer.from(`${JSON.stringify(ping(1))}\n`)]),
    );
    expect((await peer.responseTo(1)).result).toEqual({});
    await peer.close();
  });

  it('routes a request carrying 2026-07-28 _meta to the stateless era without initialize', async () => {
    const peer = startFixture();
    const meta = {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientCapabilities': {},
    };
    const response = await peer.request('tools/call', {
      name: 'test_simple_text',
      arguments: {},
      _meta: meta,
    });
    expect(response.result).toMatchObject({ resultType: 'complete' });
    for (const method of ['ping', 'logging/setLevel', 'resources/subscribe', 'initialize']) {
      expect(errorOf(await peer.request(method, { _meta: meta }))?.code, method).toBe(-32601);
    }
    peer.assertStdoutPure();
    await peer.close();
  });
});

describe('sealed request state of 2026-07-28 input-required rounds', () => {
  const meta = {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientCapabilities': { elicitation: {} },
  };
  const answer = { user_name: { action: 'accept', content: { name: 'Ada' } } };

  it('refuses altered, truncated or transplanted state with -32602 and accepts the genuine one', async () => {
    const peer = startFixture();
    const retry = (name: string, requestState: unknown) =>
      peer.request('tools/call', {
        name,
        arguments: {},
        _meta: meta,
        inputResponses: answer,
        requestState,
      });
    const round1 = await peer.request('tools/call', {
      name: 'test_input_required_result_tampered_state',
      arguments: {},
      _meta: meta,
    });
    const state = (round1.result as { requestState: string }).requestState;
    const [body, signature] = state.split('.') as [string, string];
    const altered = `${body.slice(0, 10)}${body[10] === 'A' ? 'B' : 'A'}${body.slice(11)}.${signature}`;
    // 41 characters (4n+1) cannot be base64 at all.
    const truncated = `${body}.${signature.slice(0, 41)}`;
    for (const bad of [altered, `${body}.A`, truncated, `${state}.x`, 'x'.repeat(5000), 42]) {
      expect(
        errorOf(await retry('test_input_required_result_tampered_state', bad)),
        String(bad).slice(0, 20),
      ).toMatchObject({
        code: -32602,
        message: expect.stringMatching(/^Invalid requestState/),
      });
    }
    expect(errorOf(await retry('test_input_required_result_elicitation', state))).toMatchObject({
      code: -32602,
      message: expect.stringMatching(/different request/),
    });
    const genuine = await retry('test_input_required_result_tampered_state', state);
    expect(textOf(genuine)).toBe('Hello, Ada! The request state was intact.');
    expect(peer.stderr()).not.toMatch(/failed|error/i);
    peer.assertStdoutPure();
    await peer.close();
  });
});

describe('the end of the session', () => {
  it('P-14 exits 0 when stdin ends in the middle of a message, without answering it', async () => {
    const peer = startFixture();
    await peer.initialize();
    const mark = peer.mark();
    await peer.write('{"jsonrpc":"2.0","id":99,"method":"tools/call","params":{"name":"navi');
    peer.endInput();
    expect(await peer.exit).toEqual({ code: 0, signal: null });
    expect(peer.messages.slice(mark)).toEqual([]);
    peer.assertStdoutPure();
  });

  it('P-14 answers the requests it already has when stdin ends, then exits 0', async () => {
    const peer = startFixture();
    // Piped all at once, as `printf ... | mcp-server` does: the tool call is still loading its
    // tools when stdin ends, and its answer must not be lost.
    await peer.write(
      [
        JSON.stringify({
          jsonrpc: '2.0',
          id: 0,
          method: 'initialize',
          params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: HOST },
        }),
        JSON.stringify(call(1, 'test_simple_text', {})),
        JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }),
        '',
      ].join('\n'),
    );
    peer.endInput();
    expect(await peer.exit).toEqual({ code: 0, signal: null });
    expect(peer.messages.map((message) => message.id).sort()).toEqual([0, 1, 2]);
    const answer = peer.messages.find((message) => message.id === 1);
    expect(answer?.result).toMatchObject({
      content: [{ type: 'text', text: 'This is a simple text response for testing.' }],
    });
    peer.assertStdoutPure();
  });

  it('P-14 exits 0 when stdin ends during a long call, aborting it', async () => {
    const peer = startFixture();
    await peer.initialize();
    await peer.send(
      call(1, 'test_wait_for_cancellation', { tag: 'eof' }, { progressToken: 'eof' }),
    );
    await peer.waitFor((message) => message.method === 'notifications/progress');
    // close() kills with SIGKILL after the grace period; a clean exit has no signal.
    expect(await peer.close(8_000)).toEqual({ code: 0, signal: null });
  });

  it('P-17 exits 0 by itself, without an error storm, when the client stops reading', async () => {
    const peer = startFixture();
    await peer.initialize();
    peer.closeOutput();
    // stdin stays open: only the failed writes to stdout can end the session.
    for (let i = 0; i < 20; i++) {
      await peer
        .send(call(i, 'test_tool_with_progress', {}, { progressToken: i }))
        .catch(() => undefined);
    }
    const status = await Promise.race([
      peer.exit,
      new Promise((resolve) => setTimeout(() => resolve('still running'), 10_000).unref()),
    ]);
    expect(status).toEqual({ code: 0, signal: null });
    expect(peer.stderr()).not.toMatch(/Unhandled|uncaught|at .*\.js:\d+/i);
    expect(peer.stderr().length).toBeLessThan(10_000);
    await peer.close();
  });
});

describe('P-02 a 100 MiB line', () => {
  it('is dropped with one -32700 while memory stays bounded, and the next message is served', async () => {
    const peer = startFixture();
    await peer.initialize();
    const before = peakRss(peer.pid);
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    for (let i = 0; i < 100; i++) await peer.write(chunk);
    const mark = peer.mark();
    await peer.write(`\n${JSON.stringify(ping(3))}\n`);
    await peer.responseTo(3, { since: mark, timeoutMs: 20_000 });
    expect(peer.messages.slice(mark)).toEqual([
      {
        jsonrpc: '2.0',
        id: null,
        error: {
          code: PARSE_ERROR,
          message: `Parse error: message of ${100 * 1024 * 1024} bytes is larger than the ${16 * 1024 * 1024}-byte line limit; it was dropped. Start the server with --max-line-bytes N (or MCP_MAX_LINE_BYTES=N) to raise it.`,
        },
      },
      { jsonrpc: '2.0', id: 3, result: {} },
    ]);
    const after = peakRss(peer.pid);
    if (before !== undefined && after !== undefined) {
      // Measured: about 40 MiB over the baseline for any line past the 16 MiB cap (the capped
      // buffer, stream buffers, garbage not yet collected). Holding the line whole would add
      // well over 100 MiB.
      expect(after - before).toBeLessThan(64 * 1024 * 1024);
    }
    peer.assertStdoutPure();
    expect(await peer.close()).toEqual({ code: 0, signal: null });
  });
});

describe('P-18 a client that reads slowly', () => {
  it('gets twenty responses of about 1 MB intact and in order once it reads again', async () => {
    const peer = startFixture();
    await peer.initialize();
    peer.child.stdout.pause();
    const text = 'z'.repeat(900_000);
    const lines = Array.from({ length: 20 }, (_, i) =>
      JSON.stringify(call(`big${i}`, 'test_echo', { text: `${i}:${text}` })),
    );
    await peer.write(`${lines.join('\n')}\n`);
    peer.child.stdout.resume();
    await peer.responseTo('big19', { timeoutMs: 20_000 });
    const replies = peer.messages.filter((message) => String(message.id).startsWith('big'));
    expect(replies.map((reply) => reply.id)).toEqual(
      Array.from({ length: 20 }, (_, i) => `big${i}`),
    );
    for (const [i, reply] of replies.entries()) expect(textOf(reply)).toBe(`${i}:${text}`);
    peer.assertStdoutPure();
    await peer.close();
  });
});
