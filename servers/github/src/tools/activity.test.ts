import { describe, expect, it } from 'vitest';
import { ok, repository, user } from '../../test/fake-github.js';
import { harness, textOf } from '../../test/harness.js';
import { parseAllowlist } from '../allowlist.js';

function notification(id: string, owner: string, name: string, isPrivate = false) {
  return {
    id,
    repository: repository(owner, name, isPrivate),
    subject: {
      title: `Review requested on ${name}`,
      url: '',
      latest_comment_url: '',
      type: 'PullRequest',
    },
    reason: 'review_requested',
    unread: true,
    updated_at: '2026-11-20T10:00:00Z',
    last_read_at: null,
    url: `https://api.github.com/notifications/threads/${id}`,
    subscription_url: '',
  };
}

describe('notifications', () => {
  it('lists notifications and withholds those outside the allowlist', async () => {
    await using h = await harness({
      routes: {
        'GET /notifications': ok([
          notification('1', 'acme', 'app'),
          notification('2', 'secret', 'x'),
        ]),
      },
      config: { allowlist: parseAllowlist(['acme/*']) },
    });
    const result = await h.call('list_notifications', { all: true });
    expect(result.structuredContent).toMatchObject({
      notifications: [
        {
          id: '1',
          repository: 'acme/app',
          type: 'PullRequest',
          reason: 'review_requested',
          unread: true,
        },
      ],
      withheld: 1,
    });
    expect(h.fake.calls()[0]?.query).toMatchObject({ all: 'true' });
    expect(textOf(result)).not.toContain('secret/x');
  });

  it("reads one repository's notifications when owner and repo are given", async () => {
    await using h = await harness({
      routes: { 'GET /repos/o/r/notifications': ok([notification('3', 'o', 'r')]) },
    });
    const result = await h.call('list_notifications', { owner: 'o', repo: 'r' });
    expect((result.structuredContent?.notifications as unknown[]).length).toBe(1);
    expect(textOf(await h.call('list_notifications', { owner: 'o' }))).toMatch(
      /both owner and repo/,
    );
  });

  it('marks a thread read only when its repository is allowed', async () => {
    await using h = await harness({
      routes: {
        'GET /notifications/threads/3': ok(notification('3', 'o', 'r')),
        'GET /notifications/threads/4': ok(notification('4', 'x', 'y')),
        'PATCH /notifications/threads/:id': { status: 205 },
      },
      config: { allowlist: parseAllowlist(['o/r']) },
    });
    expect((await h.call('mark_notification_read', { threadId: '3' })).isError).toBeUndefined();
    expect((await h.call('mark_notification_read', { threadId: '4' })).isError).toBe(true);
    expect(
      h.fake
        .calls()
        .filter((request) => request.method === 'PATCH')
        .map((request) => request.path),
    ).toEqual(['/notifications/threads/3']);
  });
});

function gist(
  id: string,
  isPublic: boolean,
  files: Record<string, { content?: string; size: number }>,
) {
  return {
    id,
    description: 'notes',
    public: isPublic,
    owner: user('octocat'),
    files: Object.fromEntries(
      Object.entries(files).map(([name, file]) => [
        name,
        { filename: name, language: 'Markdown', ...file },
      ]),
    ),
    updated_at: '2026-11-20T10:00:00Z',
    html_url: `https://gist.github.com/${id}`,
  };
}

describe('gists', () => {
  it('creates secret gists unless asked, and a public one is a public sink for the guard', async () => {
    await using h = await harness({
      repos: { 'o/vault': { private: true } },
      routes: {
        'POST /gists': (request) =>
          ok(
            gist('abc123', (request.body as { public: boolean }).public, { 'a.md': { size: 1 } }),
            {},
            201,
          ),
        'GET /repos/o/vault/branches': ok([]),
      },
    });
    const secret = await h.call('create_gist', { files: [{ filename: 'a.md', content: 'x' }] });
    expect(secret.structuredContent).toMatchObject({ id: 'abc123', public: false });
    expect(h.fake.calls()[0]?.body).toEqual({ files: { 'a.md': { content: 'x' } }, public: false });
    await h.call('list_branches', { owner: 'o', repo: 'vault' });
    const refused = await h.call('create_gist', {
      files: [{ filename: 'a.md', content: 'x' }],
      public: true,
    });
    expect(textOf(refused)).toMatch(/a public gist is public/);
    expect(
      (await h.call('create_gist', { files: [{ filename: 'b.md', content: 'y' }] })).isError,
    ).toBeUndefined();
  });

  it('reads a gist, holding back a file too large for one answer', async () => {
    await using h = await harness({
      routes: {
        'GET /gists/abc123': ok(
          gist('abc123', true, {
            'small.md': { content: 'hello', size: 5 },
            'big.txt': { content: 'z'.repeat(20_000), size: 20_000 },
          }),
        ),
      },
      config: { outputBudget: 8192 },
    });
    const result = await h.call('get_gist', { gistId: 'abc123' });
    expect(result.structuredContent).toMatchObject({
      contents: [
        { filename: 'small.md', content: 'hello', truncated: false },
        { filename: 'big.txt', truncated: true },
      ],
      truncated: true,
    });
    expect(textOf(result)).toContain(
      'not shown: too large for one answer; ask for this file alone',
    );
    const single = await h.call('get_gist', { gistId: 'abc123', filename: 'small.md' });
    expect((single.structuredContent?.contents as unknown[]).length).toBe(1);
  });

  it("lists a user's gists and refuses malformed ids", async () => {
    await using h = await harness({
      routes: { 'GET /users/mona/gists': ok([gist('1', true, { 'x.md': { size: 1 } })]) },
    });
    const result = await h.call('list_gists', { username: 'mona' });
    expect(textOf(result)).toBe('1 public x.md — notes (2026-11-20)');
    expect((await h.call('get_gist', { gistId: '../user' })).isError).toBe(true);
  });
});
