import { describe, expect, it } from 'vitest';
import { argsOfCall, tsAt, USER_TOKEN } from '../../test/fake-slack.js';
import { harness } from '../../test/harness.js';

interface Unreads {
  unreads: {
    id: string;
    unread: number;
    at_least: boolean;
    last_read: string;
    newest_ts: string;
  }[];
  truncated: boolean;
  next_cursor?: string;
}

describe('unreads', () => {
  it("lists the user's conversations with unread messages and their counts, with the user token", async () => {
    await using h = await harness({ env: { SLACK_USER_TOKEN: USER_TOKEN } });
    const result = await h.ok<Unreads>('slack_list_unreads', {});
    expect(result.unreads).toEqual([
      {
        id: 'C0GENERAL',
        name: 'general',
        type: 'public_channel',
        unread: 2,
        at_least: false,
        last_read: tsAt(5),
        newest_ts: tsAt(20),
      },
      {
        id: 'D0ALICE',
        name: 'DM with @alice',
        type: 'im',
        unread: 1,
        at_least: false,
        last_read: '0000000000.000000',
        newest_ts: tsAt(3),
      },
    ]);
    expect(result.truncated).toBe(false);
    const listing = h.fake.calls('users.conversations');
    expect(argsOfCall(listing[0]!)).toMatchObject({
      types: 'public_channel,private_channel,mpim,im',
      exclude_archived: 'true',
      limit: '20',
    });
    expect(argsOfCall(h.fake.calls('conversations.history')[0]!)).toMatchObject({
      channel: 'C0GENERAL',
      oldest: tsAt(5),
      limit: '100',
    });
    // Read positions are the person's: every request about them carries the user token.
    for (const method of ['users.conversations', 'conversations.info', 'conversations.history'])
      for (const call of h.fake.calls(method))
        expect(call.headers.authorization, method).toBe(`Bearer ${USER_TOKEN}`);
  });

  it('checks a few conversations per call and continues with the cursor', async () => {
    await using h = await harness({ env: { SLACK_USER_TOKEN: USER_TOKEN } });
    const first = await h.ok<Unreads>('slack_list_unreads', { limit: 2 });
    expect(first.unreads.map((u) => u.id)).toEqual(['C0GENERAL']);
    expect(first.truncated).toBe(true);
    const seen = [...first.unreads];
    let cursor = first.next_cursor;
    while (cursor !== undefined) {
      const next = await h.ok<Unreads>('slack_list_unreads', { limit: 2, cursor });
      seen.push(...next.unreads);
      cursor = next.next_cursor;
    }
    expect(seen.map((u) => u.id)).toEqual(['C0GENERAL', 'D0ALICE']);
  });

  it('checks only SLACK_CHANNEL_IDS when set', async () => {
    await using h = await harness({
      env: { SLACK_USER_TOKEN: USER_TOKEN },
      flags: { 'channel-ids': ['C0RANDOM', 'D0ALICE'] },
    });
    const result = await h.ok<Unreads>('slack_list_unreads', {});
    expect(result.unreads.map((u) => u.id)).toEqual(['D0ALICE']);
    expect(h.fake.calls('users.conversations')).toHaveLength(0);
    expect(h.fake.calls('conversations.info').map((call) => argsOfCall(call).channel)).toEqual([
      'C0RANDOM',
      'D0ALICE',
    ]);
  });

  it('marks a conversation read up to a message, or up to the newest', async () => {
    await using h = await harness({ env: { SLACK_USER_TOKEN: USER_TOKEN } });
    const marked = await h.ok<{ last_read: string }>('slack_mark_read', {
      channel_id: '#general',
      timestamp: tsAt(10),
    });
    expect(marked.last_read).toBe(tsAt(10));
    expect(argsOfCall(h.fake.calls('conversations.mark')[0]!)).toEqual({
      channel: 'C0GENERAL',
      ts: tsAt(10),
    });
    expect(h.fake.calls('conversations.mark')[0]!.headers.authorization).toBe(
      `Bearer ${USER_TOKEN}`,
    );
    const after = await h.ok<Unreads>('slack_list_unreads', { types: ['public_channel'] });
    expect(after.unreads).toMatchObject([{ id: 'C0GENERAL', unread: 1 }]);
    await h.ok('slack_mark_read', { channel_id: 'C0GENERAL' });
    expect(h.fake.workspace.lastRead.C0GENERAL).toBe(tsAt(20));
    const none = await h.ok<Unreads>('slack_list_unreads', { types: ['public_channel'] });
    expect(none.unreads).toEqual([]);
  });

  it('marks read only within SLACK_CHANNEL_IDS, but anywhere there (not only --post-channels)', async () => {
    await using h = await harness({
      env: { SLACK_USER_TOKEN: USER_TOKEN },
      flags: { 'channel-ids': ['C0GENERAL', 'C0RANDOM'], 'post-channels': ['C0RANDOM'] },
    });
    expect(await h.fail('slack_mark_read', { channel_id: 'C0SECRET', timestamp: tsAt(2) })).toMatch(
      /outside SLACK_CHANNEL_IDS/,
    );
    expect(h.fake.calls('conversations.mark')).toHaveLength(0);
    await h.ok('slack_mark_read', { channel_id: 'C0GENERAL', timestamp: tsAt(7) });
    expect(h.fake.workspace.lastRead.C0GENERAL).toBe(tsAt(7));
  });
});
