import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  argsOfCall,
  BASE_SECONDS,
  BOT_TOKEN,
  defaultWorkspace,
  NOW,
  OFFICIAL_SCOPES,
  tsAt,
} from '../../test/fake-slack.js';
import { harness, type Harness } from '../../test/harness.js';

interface Message {
  ts: string;
  time: string;
  user?: string;
  user_name?: string;
  text: string;
  thread_ts?: string;
  reply_count?: number;
  reactions?: { name: string; count: number }[];
  files?: { id: string; name: string }[];
  permalink?: string;
}

interface History {
  channel: { id: string; name?: string };
  messages: Message[];
  truncated: boolean;
  next_cursor?: string;
}

describe('reading', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('lists public and private channels with member status, without DMs or archived ones', async () => {
    const { channels, truncated } = await h.ok<{
      channels: { id: string; name: string; type: string; is_member: boolean; topic?: string }[];
      truncated: boolean;
    }>('slack_list_channels');
    expect(channels.map((channel) => channel.id)).toEqual([
      'C0GENERAL',
      'C0RANDOM',
      'C0SECRET',
      'C0NOTIN',
    ]);
    expect(channels[0]).toMatchObject({
      name: 'general',
      type: 'public_channel',
      is_member: true,
      topic: 'Company-wide announcements',
    });
    expect(channels[3]).toMatchObject({ is_member: false });
    expect(truncated).toBe(false);
  });

  it('lists DMs and group DMs on request, naming the other person', async () => {
    const { channels, text } = await h.ok<{
      channels: { id: string; type: string; user?: string; user_name?: string }[];
    }>('slack_list_channels', { types: ['im', 'mpim'] });
    expect(channels).toEqual([
      expect.objectContaining({ id: 'D0ALICE', type: 'im', user: 'U0ALICE', user_name: 'alice' }),
      expect.objectContaining({ id: 'G0GROUP', type: 'mpim' }),
    ]);
    expect(text).toContain('DM with @alice');
  });

  it('pages channels with the cursor it hands out, passing Slack’s cursor on', async () => {
    const first = await h.ok<{ channels: { id: string }[]; next_cursor: string }>(
      'slack_list_channels',
      { limit: 3 },
    );
    expect(first.channels.map((channel) => channel.id)).toEqual([
      'C0GENERAL',
      'C0RANDOM',
      'C0SECRET',
    ]);
    expect(first.text).toContain(first.next_cursor);
    h.fake.http.clear();
    const second = await h.ok<{ channels: { id: string }[]; truncated: boolean }>(
      'slack_list_channels',
      { limit: 3, cursor: first.next_cursor },
    );
    expect(second.channels.map((channel) => channel.id)).toEqual(['C0NOTIN']);
    expect(second.truncated).toBe(false);
    const sent = argsOfCall(h.fake.calls('conversations.list')[0]!);
    expect(Buffer.from(sent.cursor!, 'base64').toString()).toBe('offset:3');
  });

  it('reads history newest first with names, readable times, decoded markup and permalinks', async () => {
    const history = await h.ok<History>('slack_get_channel_history', { channel_id: 'C0GENERAL' });
    expect(history.channel).toEqual({ id: 'C0GENERAL' });
    expect(history.messages.map((message) => message.ts)).toEqual([
      tsAt(20),
      tsAt(10),
      tsAt(5),
      tsAt(0),
    ]);
    const [bot, notes, thread, morning] = history.messages;
    expect(morning).toMatchObject({
      user: 'U0ALICE',
      user_name: 'alice',
      time: '2026-11-21T08:00:00Z',
      text: 'Good morning @bob, the deploy is at 10',
      permalink: `https://acme.slack.com/archives/C0GENERAL/p${tsAt(0).replace('.', '')}`,
    });
    expect(notes!.text).toBe('Notes are in the doc (https://docs.example.com/notes) <3');
    expect(notes!.files).toEqual([
      {
        id: 'F0NOTES',
        name: 'notes.txt',
        filetype: 'text',
        mimetype: 'text/plain',
        size: 23,
        permalink: 'https://acme.slack.com/files/U0ALICE/F0NOTES/notes.txt',
      },
    ]);
    expect(thread).toMatchObject({ reply_count: 2, reactions: [{ name: 'eyes', count: 2 }] });
    expect(bot).toMatchObject({ user_name: 'mybot' });
    expect(history.text).toContain('<untrusted-content');
    expect(history.text).toContain('[2026-11-21 08:00:00Z] @alice');
  });

  it('finds a channel by #name and a DM by @handle', async () => {
    h.fake.http.clear();
    const general = await h.ok<History>('slack_get_channel_history', { channel_id: '#general' });
    expect(general.channel).toEqual({ id: 'C0GENERAL', name: 'general' });
    const dm = await h.ok<History>('slack_get_channel_history', { channel_id: '@alice' });
    expect(dm.channel.id).toBe('D0ALICE');
    expect(dm.messages[0]!.text).toBe('hi bot, a private note');
    const asked = h.fake.calls('conversations.history').map((call) => argsOfCall(call).channel);
    expect(asked).toEqual(['C0GENERAL', 'D0ALICE']);
  });

  it('reads private channels and group DMs the app is in', async () => {
    const secret = await h.ok<History>('slack_get_channel_history', {
      channel_id: '#secret-plans',
    });
    expect(secret.messages[0]!.text).toBe('the secret plan');
    const group = await h.ok<History>('slack_get_channel_history', { channel_id: 'G0GROUP' });
    expect(group.messages[0]!.text).toBe('group chat');
  });

  it('narrows history to a time window given as an ISO time or a duration ago', async () => {
    h.fake.http.clear();
    const recent = await h.ok<History>('slack_get_channel_history', {
      channel_id: 'C0GENERAL',
      oldest: '2026-11-21T08:06:00Z',
      latest: '2026-11-21T08:15:00Z',
    });
    expect(recent.messages.map((message) => message.ts)).toEqual([tsAt(10)]);
    await h.ok('slack_get_channel_history', { channel_id: 'C0GENERAL', oldest: '3h' });
    const [windowed, relative] = h.fake.calls('conversations.history').map(argsOfCall);
    expect(windowed).toMatchObject({
      oldest: `${BASE_SECONDS + 360}.000000`,
      latest: `${BASE_SECONDS + 900}.000000`,
    });
    expect(relative!.oldest).toBe(`${NOW / 1000 - 3 * 3600}.000000`);
  });

  it('refuses a time it cannot read, saying what it accepts', async () => {
    const message = await h.fail('slack_get_channel_history', {
      channel_id: 'C0GENERAL',
      oldest: 'last week',
    });
    expect(message).toMatch(/oldest: "last week" is not a time/);
  });

  it('pages history by cursor without repeating or skipping messages', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const result: History = await h.ok<History>('slack_get_channel_history', {
        channel_id: 'C0GENERAL',
        limit: 3,
        ...(cursor === undefined ? {} : { cursor }),
      });
      seen.push(...result.messages.map((message) => message.ts));
      cursor = result.next_cursor;
      if (!result.truncated) break;
    }
    expect(seen).toEqual([tsAt(20), tsAt(10), tsAt(5), tsAt(0)]);
  });

  it('reads a thread parent first, accepting a ts without its dot', async () => {
    const thread = await h.ok<History & { thread_ts: string }>('slack_get_thread_replies', {
      channel_id: 'C0GENERAL',
      thread_ts: tsAt(5).replace('.', ''),
    });
    expect(thread.thread_ts).toBe(tsAt(5));
    expect(thread.messages.map((message) => [message.user_name, message.text])).toEqual([
      ['bob', 'Thread about the release'],
      ['alice', 'First reply'],
      ['admin', 'Second reply & done'],
    ]);
    expect(thread.messages[1]!.permalink).toBe(
      `https://acme.slack.com/archives/C0GENERAL/p${tsAt(6).replace('.', '')}?thread_ts=${tsAt(5)}&cid=C0GENERAL`,
    );
  });

  it('says how to get the app into a channel it is not a member of', async () => {
    expect(await h.fail('slack_get_channel_history', { channel_id: 'C0NOTIN' })).toMatch(
      /not a member.*\/invite/,
    );
  });

  it('says when a #name or @handle does not exist', async () => {
    expect(await h.fail('slack_get_channel_history', { channel_id: '#nope' })).toMatch(
      /No channel #nope/,
    );
    expect(await h.fail('slack_get_user_profile', { user_id: '@nobody' })).toMatch(
      /No user @nobody/,
    );
    expect(await h.fail('slack_get_channel_history', { channel_id: 'general channel!' })).toMatch(
      /not a conversation/,
    );
  });

  it('lists people without deactivated accounts unless asked, and without bots when asked', async () => {
    const everyone = await h.ok<{ users: { id: string; name: string; is_bot: boolean }[] }>(
      'slack_get_users',
    );
    expect(everyone.users.map((user) => user.id)).toEqual(['U0ALICE', 'U0BOB', 'U0ADMIN', 'U0BOT']);
    expect(everyone.users[0]).toMatchObject({
      name: 'alice',
      real_name: 'Alice Liddell',
      title: 'Engineer',
      tz: 'Europe/London',
    });
    const humans = await h.ok<{ users: { id: string }[] }>('slack_get_users', {
      include_bots: false,
      include_deleted: true,
    });
    expect(humans.users.map((user) => user.id)).toEqual(['U0ALICE', 'U0BOB', 'U0ADMIN', 'U0GONE']);
  });

  it('reads a profile by @handle or ID with status, time zone and custom fields', async () => {
    const byHandle = await h.ok('slack_get_user_profile', {
      user_id: '@alice',
    });
    const byId = await h.ok('slack_get_user_profile', {
      user_id: 'U0ALICE',
    });
    expect({ ...byHandle, text: '' }).toEqual({ ...byId, text: '' });
    expect(byId).toMatchObject({
      id: 'U0ALICE',
      name: 'alice',
      real_name: 'Alice Liddell',
      email: 'alice@acme.example',
      status: ':rocket: Deploying',
      tz: 'Europe/London',
      fields: [{ label: 'Team', value: 'Platform' }],
    });
  });
});

describe('reading with the official scopes only', () => {
  it('lists public channels without asking for the private ones it may not list', async () => {
    await using h = await harness({
      tokens: { [BOT_TOKEN]: { kind: 'bot', scopes: OFFICIAL_SCOPES, userId: 'U0BOT' } },
    });
    const { channels } = await h.ok<{ channels: { id: string }[] }>('slack_list_channels');
    expect(channels.map((channel) => channel.id)).toEqual(['C0GENERAL', 'C0RANDOM', 'C0NOTIN']);
    expect(argsOfCall(h.fake.calls('conversations.list')[0]!).types).toBe('public_channel');
  });

  it('names the missing scope and the granted ones when asked for DMs', async () => {
    await using h = await harness({
      tokens: { [BOT_TOKEN]: { kind: 'bot', scopes: OFFICIAL_SCOPES, userId: 'U0BOT' } },
    });
    const message = await h.fail('slack_list_channels', { types: ['im'] });
    expect(message).toContain('`im:read`');
    expect(message).toContain('`channels:read`');
    expect(message).toMatch(/bot token \(SLACK_BOT_TOKEN\)/);
  });
});

describe('budgets', () => {
  it('cuts a page at the output budget and continues on the same Slack page', async () => {
    const workspace = defaultWorkspace();
    workspace.messages.C0RANDOM = Array.from({ length: 6 }, (_, index) => ({
      ts: tsAt(30 + index),
      user: 'U0BOB',
      text: `${'long text '.repeat(150)}#${index}`,
    }));
    await using h = await harness({ workspace, flags: { 'output-budget': 4096 } });
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result: History = await h.ok<History>('slack_get_channel_history', {
        channel_id: 'C0RANDOM',
        limit: 6,
        ...(cursor === undefined ? {} : { cursor }),
      });
      expect(Buffer.byteLength(JSON.stringify(result.messages))).toBeLessThanOrEqual(4096);
      seen.push(...result.messages.map((message) => message.ts));
      cursor = result.next_cursor;
      if (!result.truncated) break;
    }
    expect(seen).toEqual(Array.from({ length: 6 }, (_, index) => tsAt(35 - index)));
    // Every page came from Slack's first page: the cursor carried how far into it to go on.
    for (const call of h.fake.calls('conversations.history'))
      expect(argsOfCall(call).cursor).toBeUndefined();
  });

  it('cuts a very long message in a listing and says how to read it whole', async () => {
    const workspace = defaultWorkspace();
    workspace.messages.C0RANDOM = [{ ts: tsAt(30), user: 'U0BOB', text: 'x'.repeat(9000) }];
    await using h = await harness({ workspace });
    const listed = await h.ok<History>('slack_get_channel_history', { channel_id: 'C0RANDOM' });
    expect(listed.messages[0]!.text).toMatch(
      /cut at 4000 of 9000 characters; ask for this message alone/,
    );
    const alone = await h.ok<History>('slack_get_channel_history', {
      channel_id: 'C0RANDOM',
      limit: 1,
    });
    expect(alone.messages[0]!.text).toBe('x'.repeat(9000));
  });
});
