import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argsOfCall, defaultWorkspace, tsAt, USER_TOKEN } from '../../test/fake-slack.js';
import { harness, type Harness } from '../../test/harness.js';

interface Match {
  ts: string;
  text: string;
  user_name?: string;
  permalink?: string;
  channel: { id: string; name?: string };
}

describe('search', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ env: { SLACK_USER_TOKEN: USER_TOKEN } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('searches with the user token and returns matches with channel, author and permalink', async () => {
    h.fake.http.clear();
    const { query, matches, total } = await h.ok<{
      query: string;
      matches: Match[];
      total: number;
    }>('slack_search_messages', { query: 'reply' });
    expect(query).toBe('reply');
    expect(total).toBe(2);
    expect(matches[0]).toMatchObject({
      ts: tsAt(6),
      text: 'First reply',
      user_name: 'alice',
      channel: { id: 'C0GENERAL', name: 'general' },
      permalink: `https://acme.slack.com/archives/C0GENERAL/p${tsAt(6).replace('.', '')}`,
    });
    expect(h.fake.calls('search.messages')[0]!.headers.authorization).toBe(`Bearer ${USER_TOKEN}`);
  });

  it('turns the filters into Slack search modifiers', async () => {
    h.fake.http.clear();
    const { query, matches } = await h.ok<{ query: string; matches: Match[] }>(
      'slack_search_messages',
      {
        query: 'release',
        in_channel: '#general',
        from_user: '@bob',
        after: '2026-11-20',
        before: '2026-11-22',
      },
    );
    expect(query).toBe('release in:#general from:<@U0BOB> after:2026-11-20 before:2026-11-22');
    expect(matches.map((match) => match.text)).toEqual(['Thread about the release']);
    const { query: onDay } = await h.ok<{ query: string }>('slack_search_messages', {
      query: '',
      on: '1d',
    });
    expect(onDay).toBe('on:2026-11-20');
  });

  it('pages search results by Slack page number', async () => {
    const first = await h.ok<{ matches: Match[]; next_cursor: string }>('slack_search_messages', {
      query: 'e',
      limit: 2,
    });
    expect(first.matches).toHaveLength(2);
    h.fake.http.clear();
    const second = await h.ok<{ matches: Match[] }>('slack_search_messages', {
      query: 'e',
      limit: 2,
      cursor: first.next_cursor,
    });
    expect(argsOfCall(h.fake.calls('search.messages')[0]!).page).toBe('2');
    expect(second.matches.map((match) => match.ts)).not.toContain(first.matches[0]!.ts);
  });

  it('asks for words or a filter when given neither', async () => {
    expect(await h.fail('slack_search_messages', { query: '  ' })).toMatch(/at least one filter/);
  });
});

describe('files', () => {
  let h: Harness;
  beforeAll(async () => {
    const workspace = defaultWorkspace();
    workspace.files.push({
      id: 'F0BIN',
      name: 'data.txt',
      filetype: 'text',
      mimetype: 'text/plain',
      user: 'U0BOB',
      created: 1_795_250_000,
      channels: ['C0RANDOM'],
      content: new Uint8Array([104, 105, 0, 1, 2]),
    });
    h = await harness({ workspace });
  });
  afterAll(async () => {
    await h.close();
  });

  it('lists files with names, sizes, authors and whether they are readable text', async () => {
    const { files } = await h.ok<{
      files: { id: string; is_text: boolean; user_name?: string; size?: number }[];
    }>('slack_list_files');
    expect(files.map((file) => [file.id, file.is_text])).toEqual([
      ['F0NOTES', true],
      ['F0IMAGE', false],
      ['F0SECRET', true],
      ['F0BIN', true],
    ]);
    expect(files[0]).toMatchObject({ user_name: 'alice', size: 23 });
  });

  it('filters files by conversation, person and time', async () => {
    h.fake.http.clear();
    const inGeneral = await h.ok<{ files: { id: string }[] }>('slack_list_files', {
      channel_id: '#general',
      user: '@alice',
      oldest: '2026-11-21T08:00:00Z',
    });
    expect(inGeneral.files.map((file) => file.id)).toEqual(['F0NOTES']);
    expect(argsOfCall(h.fake.calls('files.list')[0]!)).toMatchObject({
      channel: 'C0GENERAL',
      user: 'U0ALICE',
      ts_from: String(Date.parse('2026-11-21T08:00:00Z') / 1000),
    });
  });

  it('reads a text file with the bot token and fences its content', async () => {
    const read = await h.ok<{ content: string; truncated: boolean; bytes: number }>(
      'slack_read_file',
      { file_id: 'F0NOTES' },
    );
    expect(read).toMatchObject({
      content: 'Release notes\nline two\n',
      truncated: false,
      bytes: 23,
    });
    expect(read.text).toContain('<untrusted-content source="slack file F0NOTES">');
    const download = h.fake.http.requests.find((request) =>
      request.path.startsWith('/files-pri/'),
    )!;
    expect(download.headers.authorization).toBe(`Bearer ${h.config.botToken!}`);
  });

  it('reads part of a file from an offset and a byte count', async () => {
    const part = await h.ok<{ content: string; offset: number; next_offset: number }>(
      'slack_read_file',
      { file_id: 'F0NOTES', offset: 8, max_bytes: 5 },
    );
    expect(part).toMatchObject({ content: 'notes', offset: 8, next_offset: 13, truncated: true });
  });

  it('refuses images and binary content', async () => {
    expect(await h.fail('slack_read_file', { file_id: 'F0IMAGE' })).toMatch(/only text files/);
    expect(await h.fail('slack_read_file', { file_id: 'F0BIN' })).toMatch(/binary data/);
    expect(await h.fail('slack_read_file', { file_id: 'notes.txt' })).toMatch(/not a file ID/);
    expect(await h.fail('slack_read_file', { file_id: 'F0MISSING' })).toMatch(/No such file/);
  });

  it('says when the token may not download files', async () => {
    await using scopeless = await harness({
      tokens: {
        [h.config.botToken!]: {
          kind: 'bot',
          scopes: ['files:read', 'users:read'],
          userId: 'U0BOT',
        },
      },
    });
    scopeless.fake.http.route('GET /files-pri/:key/:name', {
      status: 302,
      headers: { location: `${scopeless.fake.url}/signin` },
      body: '',
    });
    expect(await scopeless.fail('slack_read_file', { file_id: 'F0NOTES' })).toMatch(
      /redirected the download.*files:read/,
    );
  });
});

describe('directories as resources', () => {
  it('lists the conversations and people as CSV', async () => {
    const workspace = defaultWorkspace();
    workspace.users[1]!.profile.title = '=HYPERLINK("https://evil.example")';
    workspace.users[1]!.profile.real_name = 'Bob, "the" Builder';
    await using h = await harness({ workspace });
    const { resources } = await h.client.listResources();
    expect(resources.map((resource) => resource.uri)).toEqual([
      'slack://channels',
      'slack://users',
    ]);
    const channels = (await h.client.readResource({ uri: 'slack://channels' })).contents[0] as {
      text: string;
      mimeType: string;
    };
    expect(channels.mimeType).toBe('text/csv');
    expect(channels.text.split('\n')[0]).toBe('id,name,type,is_member,members,user,topic');
    expect(channels.text).toContain(
      'C0GENERAL,general,public_channel,true,4,,Company-wide announcements',
    );
    expect(channels.text).toContain('D0ALICE,,im,true,,U0ALICE,');
    const users = (await h.client.readResource({ uri: 'slack://users' })).contents[0] as {
      text: string;
    };
    expect(users.text).toContain('U0ALICE,alice,Alice Liddell,Alice,Engineer,Europe/London,false');
    expect(users.text).toContain(
      'U0BOB,bob,"Bob, ""the"" Builder",,"\'=HYPERLINK(""https://evil.example"")"',
    );
    expect(users.text).not.toContain('U0GONE');
  });

  it('reports a Slack failure as an error with the reason', async () => {
    await using h = await harness();
    h.fake.override('users.list', {
      body: { ok: false, error: 'missing_scope', needed: 'users:read', provided: 'chat:write' },
    });
    await expect(h.client.readResource({ uri: 'slack://users' })).rejects.toThrow(/`users:read`/);
  });
});
