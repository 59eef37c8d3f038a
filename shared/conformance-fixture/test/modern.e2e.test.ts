/**
 * The 2.x client pinned to the stateless 2026-07-28 revision over stdio: discovery instead of a
 * handshake, `_meta` on every request, and input-required rounds that the client fulfils through
 * the same handlers a handshake-era server would reach with requests. The fixture's tools are the
 * same ones the handshake-era tests call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonRpcMessage } from '@plugboard/testing';
import { connectPeer, firstText, notifications, type Peer } from './peer.js';

function resultsAfter(peer: Peer, mark: number): Record<string, unknown>[] {
  return peer.received
    .slice(mark)
    .filter((message: JsonRpcMessage) => message.result !== undefined)
    .map((message) => message.result as Record<string, unknown>);
}

describe('the v2 client pinned to 2026-07-28 over stdio', () => {
  let peer: Peer;
  const asked: { method: string; params: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    peer = await connectPeer('v2', {
      modern: true,
      capabilities: { sampling: {}, elicitation: { form: {} }, roots: {} },
    });
    peer.onRequest('elicitation/create', (params) => {
      asked.push({ method: 'elicitation/create', params });
      return {
        action: 'accept',
        content: { name: 'Ada', color: 'teal', ok: true, context: 'tests' },
      };
    });
    peer.onRequest('sampling/createMessage', (params) => {
      asked.push({ method: 'sampling/createMessage', params });
      return { role: 'assistant', content: { type: 'text', text: 'Paris' }, model: 'test-model' };
    });
    peer.onRequest('roots/list', (params) => {
      asked.push({ method: 'roots/list', params });
      return { roots: [{ uri: 'file:///work/project' }] };
    });
  });
  afterAll(async () => {
    await peer.close();
  });

  it('discovers the server instead of initializing, and sees both eras offered', () => {
    expect(peer.received.some((message) => message.method === 'initialize')).toBe(false);
    // The client probes with server/discover on a short-lived sibling process, so the result is
    // read from the client rather than from this connection's wire.
    const client = peer.client as unknown as { getDiscoverResult(): unknown };
    const discover = client.getDiscoverResult() as {
      supportedVersions: string[];
      capabilities: object;
    };
    expect(discover.supportedVersions).toEqual([
      '2026-07-28',
      '2025-11-25',
      '2025-06-18',
      '2025-03-26',
      '2024-11-05',
    ]);
    expect(discover.capabilities).toMatchObject({
      tools: { listChanged: true },
      prompts: { listChanged: true },
    });
    expect(peer.client.getServerVersion()).toMatchObject({ name: 'plugboard-conformance-fixture' });
  });

  it('marks every result complete and signs it with the server info', async () => {
    const mark = peer.received.length;
    const { tools } = await peer.client.listTools();
    expect(tools.length).toBeGreaterThan(30);
    expect(firstText(await peer.callTool('test_simple_text'))).toBe(
      'This is a simple text response for testing.',
    );
    const [list, call] = resultsAfter(peer, mark);
    expect(list).toMatchObject({ resultType: 'complete', ttlMs: 0, cacheScope: 'public' });
    expect(call).toMatchObject({
      resultType: 'complete',
      _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'plugboard-conformance-fixture' } },
    });
  });

  it('fulfils an elicitation round and retries with the answer and the sealed state', async () => {
    const mark = peer.received.length;
    const result = await peer.callTool('test_input_required_result_elicitation');
    expect(firstText(result)).toBe('Hello, Ada!');
    const [round1, round2] = resultsAfter(peer, mark);
    expect(round1).toMatchObject({
      resultType: 'input_required',
      inputRequests: {
        user_name: { method: 'elicitation/create', params: { message: 'What is your name?' } },
      },
      requestState: expect.stringMatching(/^[\w-]+\.[\w-]+$/),
    });
    expect(round2).toMatchObject({ resultType: 'complete' });
  });

  it('carries earlier answers across rounds in the request state', async () => {
    const mark = peer.received.length;
    const result = await peer.callTool('test_input_required_result_multi_round');
    expect(firstText(result)).toBe('Completed after 2 rounds: name=Ada, color=teal');
    const rounds = resultsAfter(peer, mark);
    expect(rounds.map((round) => round['resultType'])).toEqual([
      'input_required',
      'input_required',
      'complete',
    ]);
    expect(Object.keys(rounds[1]!['inputRequests'] as object)).toEqual(['step2']);
    expect(rounds[1]!['requestState']).not.toBe(rounds[0]!['requestState']);
  });

  it('asks for elicitation, sampling and roots in one round', async () => {
    const before = asked.length;
    const result = await peer.callTool('test_input_required_result_multiple_inputs');
    expect(firstText(result)).toMatch(/greeting from test-model, 1 root\(s\)/);
    expect(
      asked
        .slice(before)
        .map((entry) => entry.method)
        .sort(),
    ).toEqual(['elicitation/create', 'roots/list', 'sampling/createMessage']);
  });

  it('asks for input while rendering a prompt', async () => {
    const prompt = await peer.client.getPrompt({ name: 'test_input_required_result_prompt' });
    expect(prompt.messages[0]!.content.text).toBe('Use this context: tests');
  });

  it('sends progress with the request token and no log messages the request did not ask for', async () => {
    const mark = peer.received.length;
    await peer.callTool('test_tool_with_progress', {}, { onprogress: () => undefined });
    await peer.callTool('test_logging_tool');
    const progress = peer.received
      .slice(mark)
      .filter((message) => message.method === 'notifications/progress');
    expect(progress.map((message) => (message.params as { progress: number }).progress)).toEqual([
      0, 50, 100,
    ]);
    expect(notifications(peer, 'notifications/message')).toEqual([]);
  });

  it('reports a missing resource as -32602 with the URI', async () => {
    await expect(peer.client.readResource({ uri: 'test://nowhere' })).rejects.toThrow(
      /Resource not found/,
    );
    expect(peer.received.at(-1)?.error).toMatchObject({
      code: -32602,
      data: { uri: 'test://nowhere' },
    });
  });
});

describe('a 2026-07-28 client that declared only sampling', () => {
  let peer: Peer;
  beforeAll(async () => {
    peer = await connectPeer('v2', { modern: true, capabilities: { sampling: {} } });
    peer.onRequest('sampling/createMessage', () => ({
      role: 'assistant',
      content: { type: 'text', text: 'hi' },
      model: 'test-model',
    }));
  });
  afterAll(async () => {
    await peer.close();
  });

  it('is asked only for the kinds of input it declared', async () => {
    const mark = peer.received.length;
    const result = await peer.callTool('test_input_required_result_capabilities');
    expect(firstText(result)).toBe('Asked only for: greeting');
    expect(Object.keys(resultsAfter(peer, mark)[0]!['inputRequests'] as object)).toEqual([
      'greeting',
    ]);
  });

  it('gets -32021 naming the capability a tool needs', async () => {
    await using bare = await connectPeer('v2', { modern: true, capabilities: {} });
    await expect(bare.callTool('test_missing_capability')).rejects.toThrow();
    expect(bare.received.at(-1)?.error).toMatchObject({
      code: -32021,
      data: { requiredCapabilities: { sampling: {} } },
    });
  });
});
