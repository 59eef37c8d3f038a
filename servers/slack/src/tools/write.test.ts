import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argsOfCall, NOW, tsAt } from '../../test/fake-slack.js';
import { harness, type Harness } from '../../test/harness.js';

describe('writing', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('posts Markdown as Slack formatting and returns the new ts with its permalink', async () => {
    h.fake.http.clear();
    const posted = await h.ok<{
      channel: string;
      ts: string;
      permalink: string;
      unfurled: boolean;
    }>('slack_post_message', {
      channel_id: '#random',
      text: '## Status\n- **done**: [the PR](https://github.example/pr/1)',
    });
    const sent = argsOfCall(h.fake.calls('chat.postMessage')[0]!);
    expect(sent).toMatchObject({
      channel: 'C0RANDOM',
      text: '*Status*\n• *done*: <https://github.example/pr/1|the PR>',
      mrkdwn: 'true',
      unfurl_links: 'false',
      unfurl_media: 'false',
      link_names: 'false',
    });
    expect(posted.channel).toBe('C0RANDOM');
    expect(posted.ts).toBe(h.fake.workspace.messages.C0RANDOM!.at(-1)!.ts);
    expect(posted.permalink).toBe(
      `https://acme.slack.com/archives/C0RANDOM/p${posted.ts.replace('.', '')}`,
    );
    expect(posted.unfurled).toBe(false);
  });

  it('posts mrkdwn as written and plain text without formatting', async () => {
    h.fake.http.clear();
    await h.ok('slack_post_message', {
      channel_id: 'C0RANDOM',
      text: '*bold* <https://docs.example.com|docs>',
      format: 'mrkdwn',
    });
    await h.ok('slack_post_message', { channel_id: 'C0RANDOM', text: '*a* & b', format: 'plain' });
    const [mrkdwn, plain] = h.fake.calls('chat.postMessage').map(argsOfCall);
    expect(mrkdwn!.text).toBe('*bold* <https://docs.example.com/|docs>');
    expect(plain).toMatchObject({ text: '*a* &amp; b', mrkdwn: 'false' });
  });

  it('replies in a thread and the parent counts the reply', async () => {
    const before = h.fake.workspace.messages.C0GENERAL!.find((m) => m.ts === tsAt(5))!.reply_count;
    const reply = await h.ok<{ thread_ts: string; permalink: string }>('slack_reply_to_thread', {
      channel_id: 'C0GENERAL',
      thread_ts: tsAt(5),
      text: 'on it',
    });
    expect(reply.thread_ts).toBe(tsAt(5));
    expect(reply.permalink).toContain(`?thread_ts=${tsAt(5)}&cid=C0GENERAL`);
    const parent = h.fake.workspace.messages.C0GENERAL!.find((m) => m.ts === tsAt(5))!;
    expect(parent.reply_count).toBe(before! + 1);
  });

  it('says when the thread parent does not exist', async () => {
    expect(
      await h.fail('slack_reply_to_thread', {
        channel_id: 'C0GENERAL',
        thread_ts: '1000000000.000001',
        text: 'hello?',
      }),
    ).toMatch(/No message with that timestamp/);
  });

  it('schedules a message at a duration from now or at an ISO time', async () => {
    h.fake.http.clear();
    const later = await h.ok<{ scheduled_message_id: string; post_at: string }>(
      'slack_schedule_message',
      { channel_id: 'C0GENERAL', text: 'stand-up in 5', post_at: '2h' },
    );
    expect(later.post_at).toBe('2026-11-21T14:00:00Z');
    expect(later.scheduled_message_id).toMatch(/^Q0/);
    await h.ok('slack_schedule_message', {
      channel_id: 'C0GENERAL',
      text: 'in the thread',
      post_at: '2026-11-22T09:00:00Z',
      thread_ts: tsAt(5),
    });
    const [first, second] = h.fake.calls('chat.scheduleMessage').map(argsOfCall);
    expect(first).toMatchObject({ post_at: String(NOW / 1000 + 7200), unfurl_links: 'false' });
    expect(second).toMatchObject({
      post_at: String(Date.parse('2026-11-22T09:00:00Z') / 1000),
      thread_ts: tsAt(5),
    });
  });

  it('refuses to schedule in the past or beyond 120 days, before asking Slack', async () => {
    h.fake.http.clear();
    expect(
      await h.fail('slack_schedule_message', {
        channel_id: 'C0GENERAL',
        text: 'too late',
        post_at: '2026-11-20T09:00:00Z',
      }),
    ).toMatch(/not in the future/);
    expect(
      await h.fail('slack_schedule_message', {
        channel_id: 'C0GENERAL',
        text: 'too early',
        post_at: '200d',
      }),
    ).toMatch(/120 days/);
    expect(h.fake.calls('chat.scheduleMessage')).toHaveLength(0);
  });

  it('adds and removes a reaction, with or without colons', async () => {
    await h.ok('slack_add_reaction', {
      channel_id: 'C0GENERAL',
      timestamp: tsAt(0),
      reaction: ':white_check_mark:',
    });
    const message = h.fake.workspace.messages.C0GENERAL!.find((m) => m.ts === tsAt(0))!;
    expect(message.reactions).toEqual([{ name: 'white_check_mark', count: 1, users: ['U0BOT'] }]);
    expect(
      await h.fail('slack_add_reaction', {
        channel_id: 'C0GENERAL',
        timestamp: tsAt(0),
        reaction: 'white_check_mark',
      }),
    ).toMatch(/already on the message/);
    await h.ok('slack_remove_reaction', {
      channel_id: 'C0GENERAL',
      timestamp: tsAt(0),
      reaction: 'white_check_mark',
    });
    expect(message.reactions![0]!.count).toBe(0);
    expect(
      await h.fail('slack_remove_reaction', {
        channel_id: 'C0GENERAL',
        timestamp: tsAt(0),
        reaction: 'white_check_mark',
      }),
    ).toMatch(/not on the message/);
  });

  it('refuses emoji names that are not names, and says so for unknown ones', async () => {
    h.fake.http.clear();
    expect(
      await h.fail('slack_add_reaction', {
        channel_id: 'C0GENERAL',
        timestamp: tsAt(0),
        reaction: 'thumbs up!',
      }),
    ).toMatch(/not an emoji name/);
    expect(h.fake.calls('reactions.add')).toHaveLength(0);
    expect(
      await h.fail('slack_add_reaction', {
        channel_id: 'C0GENERAL',
        timestamp: tsAt(0),
        reaction: 'no_such_emoji',
      }),
    ).toMatch(/Unknown emoji name/);
  });

  it('says when a channel is archived', async () => {
    expect(await h.fail('slack_post_message', { channel_id: 'C0OLD', text: 'hello' })).toMatch(
      /archived/,
    );
  });
});
