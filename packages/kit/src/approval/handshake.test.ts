import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ElicitRequestSchema, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { InMemoryTransport } from '@plugboard/protocol/testing';
import type { Browser } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decideOnPage, HAVE_CHROMIUM, launchChromium } from './test-support/browser.js';
import { approvalFixture, TTL_MS, type Fixture } from './test-support/fixture.js';

type Elicitation = { mode?: string; message: string; url?: string; elicitationId?: string };

interface Connected {
  readonly client: Client;
  readonly asked: Elicitation[];
  readonly notifications: { method: string; params?: unknown }[];
}

async function connect(
  fixture: Fixture,
  capabilities: Record<string, unknown>,
  answer: (params: Elicitation) => ElicitResult | Promise<ElicitResult>,
): Promise<Connected> {
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await fixture.server.connect(serverSide);
  const client = new Client({ name: 'approval-test', version: '1' }, { capabilities });
  const asked: Elicitation[] = [];
  const notifications: { method: string; params?: unknown }[] = [];
  if (capabilities.elicitation !== undefined)
    client.setRequestHandler(ElicitRequestSchema, (request) => {
      const params = request.params as Elicitation;
      asked.push(params);
      return answer(params);
    });
  client.fallbackNotificationHandler = (notification) => {
    notifications.push(notification);
    return Promise.resolve();
  };
  await client.connect(clientSide as unknown as Parameters<Client['connect']>[0]);
  return { client, asked, notifications };
}

interface Result {
  isError?: boolean;
  content: { type: string; text?: string }[];
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<Result> {
  return (await client.callTool({ name, arguments: args })) as Result;
}

function textOf(result: Result): string {
  return result.content.map((block) => block.text ?? '').join('');
}

let fixture: Fixture;
afterEach(() => fixture.close());

describe('approval in the handshake era, form mode (SDK 1.x client answering)', () => {
  it('runs the call only after the person approves, having shown them exactly what happens', async () => {
    fixture = await approvalFixture();
    await fixture.create('keep.txt');
    const { client, asked } = await connect(fixture, { elicitation: {} }, () => ({
      action: 'accept',
      content: { approve: true },
    }));
    const result = await call(client, 'remove_file', { name: 'keep.txt' });
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe('removed keep.txt; approval {"approved":"form"}');
    expect(fixture.exists('keep.txt')).toBe(false);
    expect(asked).toHaveLength(1);
    expect(asked[0]!.message).toContain('Delete the file keep.txt.');
  });

  it('runs nothing when the person says no, or declines to answer', async () => {
    fixture = await approvalFixture();
    await fixture.create('keep.txt');
    const answers: ElicitResult[] = [
      { action: 'accept', content: { approve: false } },
      { action: 'decline' },
      { action: 'cancel' },
    ];
    const { client } = await connect(fixture, { elicitation: {} }, () => answers.shift()!);
    for (let round = 0; round < 3; round++) {
      const result = await call(client, 'remove_file', { name: 'keep.txt' });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain(
        'remove_file did not run: the person asked to approve it said no',
      );
    }
    expect(fixture.exists('keep.txt')).toBe(true);
  });

  it('counts arguments such as confirmed: true for nothing, and refuses clients that cannot ask', async () => {
    fixture = await approvalFixture();
    await fixture.create('keep.txt');
    const { client } = await connect(fixture, {}, () => {
      throw new Error('a client without elicitation is never asked');
    });
    const result = await call(client, 'remove_file', { name: 'keep.txt', confirmed: true });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('this client cannot ask for one (it supports no elicitation)');
    expect(textOf(result)).toContain('without delete in --approve (TEST_APPROVE)');
    expect(fixture.exists('keep.txt')).toBe(true);
  });

  it('refuses an approval given after it expired', async () => {
    fixture = await approvalFixture();
    await fixture.create('keep.txt');
    const { client } = await connect(fixture, { elicitation: {} }, () => {
      fixture.advance(TTL_MS + 1);
      return { action: 'accept', content: { approve: true } };
    });
    const result = await call(client, 'remove_file', { name: 'keep.txt' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('the approval has expired');
    expect(fixture.exists('keep.txt')).toBe(true);
  });

  it('asks only for the calls of the class the tool picks, and for all when named itself', async () => {
    fixture = await approvalFixture();
    await fixture.create('scratch-1.txt');
    const { client, asked } = await connect(fixture, { elicitation: {} }, () => ({
      action: 'decline',
    }));
    expect((await call(client, 'remove_file', { name: 'scratch-1.txt' })).isError).toBeFalsy();
    expect(asked).toHaveLength(0);
    await fixture.close();
    fixture = await approvalFixture({ approve: ['remove_file'] });
    await fixture.create('scratch-1.txt');
    const named = await connect(fixture, { elicitation: {} }, () => ({ action: 'decline' }));
    expect((await call(named.client, 'remove_file', { name: 'scratch-1.txt' })).isError).toBe(true);
    expect(fixture.exists('scratch-1.txt')).toBe(true);
  });

  it('leaves the tools --approve does not name alone', async () => {
    fixture = await approvalFixture();
    const { client, asked } = await connect(fixture, { elicitation: {} }, () => ({
      action: 'decline',
    }));
    expect(textOf(await call(client, 'touch_file', { name: 'new.txt' }))).toBe(
      'touched new.txt; approval undefined',
    );
    expect(fixture.exists('new.txt')).toBe(true);
    expect(asked).toHaveLength(0);
  });

  it('asks for every call of a tool named in --approve, with a summary of its arguments', async () => {
    fixture = await approvalFixture({ approve: ['touch_file'] });
    const { client, asked } = await connect(fixture, { elicitation: {} }, () => ({
      action: 'accept',
      content: { approve: true },
    }));
    await call(client, 'touch_file', { name: 'new.txt' });
    expect(fixture.exists('new.txt')).toBe(true);
    expect(asked[0]!.message).toContain('Run touch_file with:\nname: new.txt');
  });
});

describe.skipIf(!HAVE_CHROMIUM)(
  'approval in the handshake era, URL mode (Chromium clicking)',
  () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(() => browser.close());

    it('runs the call once the person approves on the loopback page, then completes the elicitation', async () => {
      fixture = await approvalFixture({ approveVia: 'url' });
      await fixture.create('keep.txt');
      const summaries: Promise<string>[] = [];
      const { client, asked, notifications } = await connect(
        fixture,
        { elicitation: { form: {}, url: {} } },
        (params) => {
          // The person opens the page after the client has their consent, as a host would.
          summaries.push(decideOnPage(browser, params.url!, 'approve'));
          return { action: 'accept' };
        },
      );
      const result = await call(client, 'remove_file', { name: 'keep.txt' });
      expect(textOf(result)).toBe('removed keep.txt; approval {"approved":"url"}');
      expect(fixture.exists('keep.txt')).toBe(false);
      expect(await summaries[0]).toBe('Delete the file keep.txt.');
      expect(asked[0]).toMatchObject({ mode: 'url' });
      expect(new URL(asked[0]!.url!).hostname).toBe('127.0.0.1');
      await expect
        .poll(() => notifications)
        .toContainEqual(
          expect.objectContaining({
            method: 'notifications/elicitation/complete',
            params: { elicitationId: asked[0]!.elicitationId },
          }),
        );
    });

    it('runs nothing when the person clicks deny', async () => {
      fixture = await approvalFixture({ approveVia: 'url' });
      await fixture.create('keep.txt');
      const { client } = await connect(fixture, { elicitation: { url: {} } }, async (params) => {
        await decideOnPage(browser, params.url!, 'deny');
        return { action: 'accept' };
      });
      const result = await call(client, 'remove_file', { name: 'keep.txt' });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain('said no');
      expect(fixture.exists('keep.txt')).toBe(true);
    });

    it('asks in form mode when the client declares no URL mode', async () => {
      fixture = await approvalFixture({ approveVia: 'url' });
      await fixture.create('keep.txt');
      const { client, asked } = await connect(fixture, { elicitation: { form: {} } }, () => ({
        action: 'accept',
        content: { approve: true },
      }));
      await call(client, 'remove_file', { name: 'keep.txt' });
      expect(asked[0]).toMatchObject({ mode: 'form' });
      expect(fixture.exists('keep.txt')).toBe(false);
    });
  },
);
