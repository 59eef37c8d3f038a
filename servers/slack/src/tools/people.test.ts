import { describe, expect, it } from 'vitest';
import { argsOfCall } from '../../test/fake-slack.js';
import { harness } from '../../test/harness.js';

interface Found {
  users: { id: string; name: string }[];
  complete: boolean;
}

describe('finding people', () => {
  it('matches handles, real and display names in part, best matches first', async () => {
    await using h = await harness();
    const bob = await h.ok<Found>('slack_find_users', { query: 'Builder' });
    expect(bob.users.map((u) => u.id)).toEqual(['U0BOB']);
    const a = await h.ok<Found>('slack_find_users', { query: 'a' });
    // Names starting with the query come first; "Bob Builder" and "My Bot" have no "a".
    expect(a.users.map((u) => u.id)).toEqual(['U0ALICE', 'U0ADMIN']);
    const li = await h.ok<Found>('slack_find_users', { query: 'li' });
    expect(li.users.map((u) => u.id)).toEqual(['U0ALICE']);
    const exact = await h.ok<Found>('slack_find_users', { query: '@admin' });
    expect(exact.users[0]!.id).toBe('U0ADMIN');
    expect(a.complete).toBe(true);
    // Deactivated people are left out.
    expect((await h.ok<Found>('slack_find_users', { query: 'former' })).users).toEqual([]);
    // The directory is walked once and then cached.
    expect(h.fake.calls('users.list')).toHaveLength(1);
  });

  it('looks an email address up with users.lookupByEmail', async () => {
    await using h = await harness();
    const found = await h.ok<Found>('slack_find_users', { query: 'Alice@acme.example' });
    expect(found.users).toMatchObject([{ id: 'U0ALICE', email: 'alice@acme.example' }]);
    expect(argsOfCall(h.fake.calls('users.lookupByEmail')[0]!)).toEqual({
      email: 'Alice@acme.example',
    });
    expect(h.fake.calls('users.list')).toHaveLength(0);
    expect(await h.fail('slack_find_users', { query: 'nobody@acme.example' })).toMatch(
      /No such user/,
    );
  });
});

describe('opening DMs and creating channels', () => {
  it('opens a DM or a group DM with conversations.open', async () => {
    await using h = await harness();
    const existing = await h.ok<{ channel: string; already_open: boolean }>('slack_open_dm', {
      users: ['@alice'],
    });
    expect(existing).toMatchObject({ channel: 'D0ALICE', already_open: true });
    const group = await h.ok<{ channel: string }>('slack_open_dm', { users: ['U0ALICE', '@bob'] });
    expect(group.channel).toMatch(/^G0/);
    expect(h.fake.calls('conversations.open').map(argsOfCall)).toEqual([
      { users: 'U0ALICE', return_im: 'false' },
      { users: 'U0ALICE,U0BOB', return_im: 'false' },
    ]);
  });

  it('creates a channel, public or private, with a checked name', async () => {
    await using h = await harness({ flags: { 'allow-create-channels': true } });
    const created = await h.ok<{ channel: string; name: string }>('slack_create_channel', {
      name: '#proj-launch',
    });
    expect(created.name).toBe('proj-launch');
    await h.ok('slack_create_channel', { name: 'war-room', is_private: true });
    expect(h.fake.calls('conversations.create').map(argsOfCall)).toEqual([
      { name: 'proj-launch', is_private: 'false' },
      { name: 'war-room', is_private: 'true' },
    ]);
    expect(h.fake.workspace.channels.find((c) => c.name === 'war-room')).toMatchObject({
      is_private: true,
    });
    expect(await h.fail('slack_create_channel', { name: 'general' })).toMatch(/already exists/);
    h.fake.http.clear();
    expect(await h.fail('slack_create_channel', { name: 'Has Spaces' })).toMatch(
      /not a channel name/,
    );
    expect(h.fake.calls()).toHaveLength(0);
  });

  it('opens and creates nothing under SLACK_CHANNEL_IDS, which a new conversation could not be in', async () => {
    await using h = await harness({
      flags: { 'channel-ids': ['C0GENERAL'], 'allow-create-channels': true },
    });
    expect(await h.fail('slack_open_dm', { users: ['U0BOB'] })).toMatch(/SLACK_CHANNEL_IDS/);
    expect(await h.fail('slack_create_channel', { name: 'new-one' })).toMatch(/SLACK_CHANNEL_IDS/);
    expect(h.fake.calls()).toHaveLength(0);
  });
});
