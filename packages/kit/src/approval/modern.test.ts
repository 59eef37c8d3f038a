import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { serveHttp, type HttpListening } from '@plugboard/protocol/http';
import type { Browser } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decideOnPage, HAVE_CHROMIUM, launchChromium } from './test-support/browser.js';
import { approvalFixture, TTL_MS, type Fixture } from './test-support/fixture.js';

type Answer = { action: 'accept' | 'decline' | 'cancel'; content?: Record<string, boolean> };
type Elicitation = { mode?: string; message: string; url?: string; elicitationId?: string };

let fixture: Fixture;
let listening: HttpListening;

async function serve(settings: Parameters<typeof approvalFixture>[0] = {}): Promise<void> {
  fixture = await approvalFixture(settings);
  listening = await serveHttp(fixture.server, { host: '127.0.0.1', port: 0 });
}

afterEach(async () => {
  await listening.close();
  await fixture.close();
});

/** The official 2.x client pinned to 2026-07-28: it answers input-required rounds itself. */
async function modernClient(
  elicitation: Record<string, Record<string, never>>,
  answer: (params: Elicitation) => Answer | Promise<Answer>,
): Promise<{ client: Client; asked: Elicitation[] }> {
  const client = new Client(
    { name: 'approval-test', version: '1' },
    { capabilities: { elicitation }, versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  const asked: Elicitation[] = [];
  client.setRequestHandler('elicitation/create', (request) => {
    const params = request.params as Elicitation;
    asked.push(params);
    return answer(params);
  });
  await client.connect(new StreamableHTTPClientTransport(new URL(listening.url)));
  return { client, asked };
}

interface ToolResult {
  isError?: boolean;
  content: { text?: string }[];
  resultType?: string;
  inputRequests?: Record<string, { method: string; params: Elicitation }>;
  requestState?: string;
}

let nextId = 1;

/** A raw 2026-07-28 tools/call, so a test can send what no honest client would. */
async function rawCall(
  args: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Promise<{ result?: ToolResult; error?: { code: number; message: string } }> {
  const response = await fetch(listening.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': 'remove_file',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: nextId++,
      method: 'tools/call',
      params: {
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientCapabilities': { elicitation: {} },
        },
        name: 'remove_file',
        arguments: args,
        ...extra,
      },
    }),
  });
  return (await response.json()) as {
    result?: ToolResult;
    error?: { code: number; message: string };
  };
}

/** Round one of a call: the question's key and the sealed state to echo. */
async function firstRound(args: Record<string, unknown>): Promise<{ key: string; state: string }> {
  const { result } = await rawCall(args);
  expect(result?.resultType).toBe('input_required');
  const [key] = Object.keys(result!.inputRequests!);
  return { key: key!, state: result!.requestState! };
}

const YES: Answer = { action: 'accept', content: { approve: true } };

function textOf(result: ToolResult | undefined): string {
  return (result?.content ?? []).map((block) => block.text ?? '').join('');
}

describe('approval in 2026-07-28, form mode (SDK 2.x client answering)', () => {
  it('runs the call after an input-required round the person approves', async () => {
    await serve();
    await fixture.create('keep.txt');
    const { client, asked } = await modernClient({}, () => YES);
    const result = await client.callTool({ name: 'remove_file', arguments: { name: 'keep.txt' } });
    expect(result.isError).toBeFalsy();
    expect(result.content).toEqual([
      { type: 'text', text: 'removed keep.txt; approval {"approved":"form"}' },
    ]);
    expect(fixture.exists('keep.txt')).toBe(false);
    expect(asked[0]!.message).toContain('Delete the file keep.txt.');
    await client.close();
  });

  it('runs nothing when the person says no', async () => {
    await serve();
    await fixture.create('keep.txt');
    const { client } = await modernClient({}, () => ({ action: 'decline' }));
    const result = await client.callTool({ name: 'remove_file', arguments: { name: 'keep.txt' } });
    expect(result.isError).toBe(true);
    expect(fixture.exists('keep.txt')).toBe(true);
    await client.close();
  });

  it('still asks when the arguments say confirmed: true', async () => {
    await serve();
    await fixture.create('keep.txt');
    const { result } = await rawCall({ name: 'keep.txt', confirmed: true });
    expect(result?.resultType).toBe('input_required');
    expect(fixture.exists('keep.txt')).toBe(true);
  });

  it('refuses a replayed approval: the same retry sent again runs nothing', async () => {
    await serve();
    await fixture.create('keep.txt');
    const { key, state } = await firstRound({ name: 'keep.txt' });
    const retry = { inputResponses: { [key]: YES }, requestState: state };
    expect(textOf((await rawCall({ name: 'keep.txt' }, retry)).result)).toContain(
      'removed keep.txt',
    );
    await fixture.create('keep.txt');
    const replayed = await rawCall({ name: 'keep.txt' }, retry);
    expect(replayed.result?.isError).toBe(true);
    expect(textOf(replayed.result)).toContain('the approval it carries was already used');
    expect(fixture.exists('keep.txt')).toBe(true);
  });

  it('refuses an approval carried over to other arguments', async () => {
    await serve();
    await fixture.create('asked.txt');
    await fixture.create('other.txt');
    const { key, state } = await firstRound({ name: 'asked.txt' });
    // With the sealed state, the protocol itself refuses other arguments...
    const sealed = await rawCall(
      { name: 'other.txt' },
      { inputResponses: { [key]: YES }, requestState: state },
    );
    expect(sealed.error?.message).toContain('it belongs to a different request');
    // ...and without it, the approval's own binding does.
    const unsealed = await rawCall({ name: 'other.txt' }, { inputResponses: { [key]: YES } });
    expect(textOf(unsealed.result)).toContain('given for other arguments than these');
    expect(fixture.exists('other.txt')).toBe(true);
    expect(fixture.exists('asked.txt')).toBe(true);
  });

  it('refuses an approval the server never asked for', async () => {
    await serve();
    await fixture.create('keep.txt');
    const { key } = await firstRound({ name: 'keep.txt' });
    const forged = `${key.slice(0, -4)}AAAA`;
    for (const made of [forged, 'approval.form.x.y.z.w']) {
      const result = await rawCall({ name: 'keep.txt' }, { inputResponses: { [made]: YES } });
      expect(textOf(result.result)).toContain('not one this server asked for');
    }
    expect(fixture.exists('keep.txt')).toBe(true);
  });

  it('refuses an approval that comes back after it expired', async () => {
    await serve();
    await fixture.create('keep.txt');
    const { key, state } = await firstRound({ name: 'keep.txt' });
    fixture.advance(TTL_MS + 1);
    const late = await rawCall(
      { name: 'keep.txt' },
      { inputResponses: { [key]: YES }, requestState: state },
    );
    expect(textOf(late.result)).toContain('the approval has expired');
    expect(fixture.exists('keep.txt')).toBe(true);
  });
});

describe.skipIf(!HAVE_CHROMIUM)('approval in 2026-07-28, URL mode (Chromium clicking)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser.close());

  it('runs the call on the retry after the person approves on the page', async () => {
    await serve({ approveVia: 'url' });
    await fixture.create('keep.txt');
    const summaries: string[] = [];
    const { client, asked } = await modernClient({ url: {} }, async (params) => {
      summaries.push(await decideOnPage(browser, params.url!, 'approve'));
      return { action: 'accept' };
    });
    const result = await client.callTool({ name: 'remove_file', arguments: { name: 'keep.txt' } });
    expect(result.content).toEqual([
      { type: 'text', text: 'removed keep.txt; approval {"approved":"url"}' },
    ]);
    expect(summaries).toEqual(['Delete the file keep.txt.']);
    expect(asked[0]).toMatchObject({ mode: 'url' });
    expect(asked[0]!.elicitationId).toBeUndefined();
    expect(fixture.exists('keep.txt')).toBe(false);
    await client.close();
  });

  it('runs nothing when the person denies on the page, though the client says accept', async () => {
    await serve({ approveVia: 'url' });
    await fixture.create('keep.txt');
    const { client } = await modernClient({ url: {} }, async (params) => {
      await decideOnPage(browser, params.url!, 'deny');
      return { action: 'accept' };
    });
    const result = await client.callTool({ name: 'remove_file', arguments: { name: 'keep.txt' } });
    expect(result.isError).toBe(true);
    expect(fixture.exists('keep.txt')).toBe(true);
    await client.close();
  });
});
