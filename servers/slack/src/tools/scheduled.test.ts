import { describe, expect, it } from 'vitest';
import { argsOfCall, NOW } from '../../test/fake-slack.js';
import { harness, type Harness } from '../../test/harness.js';

interface Listed {
  scheduled_messages: { id: string; channel: string; post_at: string; text: string }[];
  hidden?: number;
  truncated: boolean;
  next_cursor?: string;
}

async function schedule(h: Harness, channel_id: string, text: string, post_at: string) {
  return (
    await h.ok<{ scheduled_message_id: string }>('slack_schedule_message', {
      channel_id,
      text,
      post_at,
    })
  ).scheduled_message_id;
}

describe('scheduled messages', () => {
  it('lists what this app scheduled, soonest first, with the window Slack was asked for', async () => {
    await using h = await harness();
    const late = await schedule(h, 'C0GENERAL', 'the **retro** notes', '2026-11-23T09:00:00Z');
    const soon = await schedule(h, 'C0RANDOM', 'lunch?', '1h');
    h.fake.http.clear();
    const all = await h.ok<Listed>('slack_list_scheduled_messages', {});
    expect(all.scheduled_messages).toEqual([
      {
        id: soon,
        channel: 'C0RANDOM',
        post_at: '2026-11-21T13:00:00Z',
        created: expect.any(String),
        text: 'lunch?',
      },
      {
        id: late,
        channel: 'C0GENERAL',
        post_at: '2026-11-23T09:00:00Z',
        created: expect.any(String),
        text: 'the *retro* notes',
      },
    ]);
    expect(all.truncated).toBe(false);
    expect(all.text).toMatch(/<untrusted-content[^>]*>[\s\S]*lunch\?/);
    const some = await h.ok<Listed>('slack_list_scheduled_messages', {
      channel_id: '#general',
      latest: '3d',
      limit: 1000,
    });
    expect(some.scheduled_messages.map((message) => message.id)).toEqual([late]);
    expect(argsOfCall(h.fake.calls('chat.scheduledMessages.list')[1]!)).toEqual({
      channel: 'C0GENERAL',
      latest: String(NOW / 1000 + 3 * 86_400),
      limit: '100',
    });
  });

  it('pages with the cursor Slack gives', async () => {
    await using h = await harness();
    for (const hours of ['1h', '2h', '3h']) await schedule(h, 'C0GENERAL', `at ${hours}`, hours);
    const first = await h.ok<Listed>('slack_list_scheduled_messages', { limit: 2 });
    expect(first.scheduled_messages.map((message) => message.text)).toEqual(['at 1h', 'at 2h']);
    expect(first.truncated).toBe(true);
    const rest = await h.ok<Listed>('slack_list_scheduled_messages', {
      limit: 2,
      cursor: first.next_cursor,
    });
    expect(rest.scheduled_messages.map((message) => message.text)).toEqual(['at 3h']);
    expect(rest.truncated).toBe(false);
  });

  it('withdraws a scheduled message with chat.deleteScheduledMessage', async () => {
    await using h = await harness();
    const id = await schedule(h, 'C0GENERAL', 'never mind', '2h');
    const deleted = await h.ok('slack_delete_scheduled_message', {
      channel_id: '#general',
      scheduled_message_id: id,
    });
    expect(deleted).toMatchObject({ channel: 'C0GENERAL', scheduled_message_id: id });
    expect(argsOfCall(h.fake.calls('chat.deleteScheduledMessage')[0]!)).toEqual({
      channel: 'C0GENERAL',
      scheduled_message_id: id,
    });
    expect(h.fake.workspace.scheduled).toEqual([]);
    expect(
      await h.fail('slack_delete_scheduled_message', {
        channel_id: 'C0GENERAL',
        scheduled_message_id: id,
      }),
    ).toMatch(/No such scheduled message in this conversation/);
  });

  it('keeps to the channel allowlists: others are left out of the list, and not withdrawn', async () => {
    await using h = await harness({
      flags: { 'channel-ids': ['C0GENERAL', 'C0RANDOM'], 'post-channels': ['C0RANDOM'] },
    });
    h.fake.workspace.scheduled.push(
      { id: 'Q0SECRET', channel: 'C0SECRET', post_at: NOW / 1000 + 600, text: 'secret' },
      { id: 'Q0GENERAL', channel: 'C0GENERAL', post_at: NOW / 1000 + 700, text: 'general' },
    );
    const listed = await h.ok<Listed>('slack_list_scheduled_messages', {});
    expect(listed.scheduled_messages.map((message) => message.id)).toEqual(['Q0GENERAL']);
    expect(listed.hidden).toBe(1);
    expect(listed.text).not.toContain('secret');
    expect(await h.fail('slack_list_scheduled_messages', { channel_id: 'C0SECRET' })).toMatch(
      /outside SLACK_CHANNEL_IDS/,
    );
    expect(
      await h.fail('slack_delete_scheduled_message', {
        channel_id: 'C0GENERAL',
        scheduled_message_id: 'Q0GENERAL',
      }),
    ).toMatch(/Writing to C0GENERAL is not allowed/);
    expect(h.fake.calls('chat.deleteScheduledMessage')).toHaveLength(0);
    expect(h.fake.workspace.scheduled).toHaveLength(2);
  });
});
