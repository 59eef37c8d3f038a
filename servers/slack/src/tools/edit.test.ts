import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argsOfCall, tsAt } from '../../test/fake-slack.js';
import { harness, type Harness } from '../../test/harness.js';

describe('editing and deleting own messages', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => {
    await h.close();
  });

  const post = async (text: string, threadTs?: string): Promise<string> => {
    const posted = await h.ok<{ ts: string }>(
      threadTs === undefined ? 'slack_post_message' : 'slack_reply_to_thread',
      {
        channel_id: 'C0RANDOM',
        text,
        ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
      },
    );
    return posted.ts;
  };
  const message = (ts: string) => h.fake.workspace.messages.C0RANDOM!.find((m) => m.ts === ts);

  it('finds the message, checks it is its own, and sends the new text as a post would', async () => {
    const ts = await post('first draft');
    h.fake.http.clear();
    const edited = await h.ok<{ channel: string; ts: string; permalink: string }>(
      'slack_update_message',
      { channel_id: '#random', timestamp: ts, text: 'the **final** text' },
    );
    expect(h.fake.calls().map((call) => call.path)).toEqual([
      '/api/conversations.list',
      '/api/conversations.history',
      '/api/chat.update',
    ]);
    expect(argsOfCall(h.fake.calls('conversations.history')[0]!)).toMatchObject({
      channel: 'C0RANDOM',
      oldest: ts,
      latest: ts,
      inclusive: 'true',
      limit: '1',
    });
    expect(argsOfCall(h.fake.calls('chat.update')[0]!)).toEqual({
      channel: 'C0RANDOM',
      ts,
      text: 'the *final* text',
      unfurl_links: 'false',
      unfurl_media: 'false',
      link_names: 'false',
    });
    expect(message(ts)!.text).toBe('the *final* text');
    expect(edited).toMatchObject({ channel: 'C0RANDOM', ts });
    expect(edited.permalink).toBe(
      `https://acme.slack.com/archives/C0RANDOM/p${ts.replace('.', '')}`,
    );
  });

  it('finds its own thread reply through the thread', async () => {
    const parent = await post('parent');
    const reply = await post('a reply', parent);
    h.fake.http.clear();
    const edited = await h.ok<{ thread_ts: string; permalink: string }>('slack_update_message', {
      channel_id: 'C0RANDOM',
      timestamp: reply,
      text: 'an edited reply',
    });
    expect(argsOfCall(h.fake.calls('conversations.replies')[0]!)).toMatchObject({
      channel: 'C0RANDOM',
      ts: reply,
      oldest: reply,
      latest: reply,
      inclusive: 'true',
    });
    expect(edited.thread_ts).toBe(parent);
    expect(edited.permalink).toContain(`?thread_ts=${parent}&cid=C0RANDOM`);
    expect(message(reply)!.text).toBe('an edited reply');
  });

  it("refuses someone else's message with the reason, before chat.update or chat.delete", async () => {
    h.fake.http.clear();
    expect(
      await h.fail('slack_update_message', {
        channel_id: 'C0GENERAL',
        timestamp: tsAt(0),
        text: 'rewritten',
      }),
    ).toMatch(/posted by U0ALICE, not by this token \(U0BOT \/ B0BOT\); this server may edit only/);
    expect(
      await h.fail('slack_delete_message', { channel_id: 'C0GENERAL', timestamp: tsAt(5) }),
    ).toMatch(/posted by U0BOB, not by this token .*may delete only/);
    expect(h.fake.calls('chat.update')).toHaveLength(0);
    expect(h.fake.calls('chat.delete')).toHaveLength(0);
    expect(h.fake.workspace.messages.C0GENERAL![0]!.text).toContain('Good morning');
  });

  it("recognises the app's own bot messages by bot_id", async () => {
    h.fake.workspace.messages.C0RANDOM!.push({ ts: tsAt(30), bot_id: 'B0BOT', text: 'via app' });
    await h.ok('slack_update_message', {
      channel_id: 'C0RANDOM',
      timestamp: tsAt(30),
      text: 'still the app',
    });
    expect(message(tsAt(30))!.text).toBe('still the app');
  });

  it('says when there is no such message', async () => {
    expect(
      await h.fail('slack_delete_message', {
        channel_id: 'C0RANDOM',
        timestamp: '1000000000.000001',
      }),
    ).toMatch(/No message with that timestamp in this conversation/);
    expect(h.fake.calls('chat.delete')).toHaveLength(0);
  });

  it('applies the posting rules to the new text before asking Slack anything', async () => {
    const ts = await post('to be edited');
    h.fake.http.clear();
    expect(
      await h.fail('slack_update_message', {
        channel_id: 'C0RANDOM',
        timestamp: ts,
        text: 'hey @channel',
      }),
    ).toMatch(/--allow-mass-mentions/);
    expect(
      await h.fail('slack_update_message', {
        channel_id: 'C0RANDOM',
        timestamp: ts,
        text: 'see https://attacker.example/?d=secret',
      }),
    ).toMatch(/links to attacker\.example.*--unfurl-domains/);
    await h.ok('slack_update_message', {
      channel_id: 'C0RANDOM',
      timestamp: ts,
      text: 'hi <@U0ALICE> & <b>',
      format: 'mrkdwn',
    });
    expect(h.fake.calls().map((call) => call.path)).toEqual([
      '/api/conversations.history',
      '/api/chat.update',
    ]);
    expect(message(ts)!.text).toBe('hi &lt;@U0ALICE&gt; &amp; &lt;b&gt;');
  });

  it('deletes its own message', async () => {
    const ts = await post('short-lived');
    h.fake.http.clear();
    const deleted = await h.ok<{ channel: string; ts: string; permalink?: string }>(
      'slack_delete_message',
      {
        channel_id: 'C0RANDOM',
        timestamp: ts,
      },
    );
    expect(argsOfCall(h.fake.calls('chat.delete')[0]!)).toEqual({ channel: 'C0RANDOM', ts });
    expect(message(ts)).toBeUndefined();
    expect(deleted).toMatchObject({ channel: 'C0RANDOM', ts });
    expect(deleted.permalink).toBeUndefined();
  });
});

describe('editing under the operator policy', () => {
  it('edits links on allowed domains, and only where writing is allowed', async () => {
    await using h = await harness({
      flags: { 'post-channels': ['C0RANDOM'], 'unfurl-domains': ['docs.example.com'] },
    });
    const { ts } = await h.ok<{ ts: string }>('slack_post_message', {
      channel_id: 'C0RANDOM',
      text: 'soon',
    });
    await h.ok('slack_update_message', {
      channel_id: 'C0RANDOM',
      timestamp: ts,
      text: 'see [the doc](https://docs.example.com/a)',
    });
    expect(argsOfCall(h.fake.calls('chat.update')[0]!).text).toBe(
      'see <https://docs.example.com/a|the doc>',
    );
    h.fake.http.clear();
    expect(
      await h.fail('slack_delete_message', { channel_id: 'C0GENERAL', timestamp: tsAt(20) }),
    ).toMatch(/--post-channels/);
    expect(
      await h.fail('slack_update_message', {
        channel_id: 'C0SECRET',
        timestamp: tsAt(2),
        text: 'x',
      }),
    ).toMatch(/--post-channels/);
    expect(h.fake.calls()).toHaveLength(0);
  });
});
