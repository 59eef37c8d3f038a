import { describe, expect, it } from 'vitest';
import { comment, fail, issue, ok, paged, user } from '../../test/fake-github.js';
import { harness, textOf } from '../../test/harness.js';
import { parseAllowlist } from '../allowlist.js';

describe('list_issues', () => {
  it('follows GitHub Link headers with a cursor until the last page', async () => {
    const all = Array.from({ length: 7 }, (_, index) => issue('o', 'r', index + 1));
    await using h = await harness({ routes: { 'GET /repos/o/r/issues': paged(all) } });
    const first = await h.call('list_issues', { owner: 'o', repo: 'r', per_page: 3 });
    expect(first.structuredContent).toMatchObject({ truncated: true });
    const numbers = (first.structuredContent?.issues as { number: number }[]).map(
      (item) => item.number,
    );
    let cursor = first.structuredContent?.nextCursor as string | undefined;
    while (cursor !== undefined) {
      const next = await h.call('list_issues', { owner: 'o', repo: 'r', cursor });
      numbers.push(
        ...(next.structuredContent?.issues as { number: number }[]).map((item) => item.number),
      );
      cursor = next.structuredContent?.nextCursor as string | undefined;
    }
    expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(h.fake.calls().map((request) => request.query.page)).toEqual(['1', '2', '3']);
    expect(textOf(first)).toMatch(/\(more issues: call again with cursor "[^"]+"\)$/);
  });

  it('marks pull requests and trims each body to an excerpt', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/issues': ok([
          issue('o', 'r', 1, { pull_request: { url: 'x' }, body: 'b'.repeat(5000) }),
        ]),
      },
    });
    const result = await h.call('list_issues', { owner: 'o', repo: 'r' });
    const [item] = result.structuredContent?.issues as { isPullRequest: boolean; body: string }[];
    expect(item?.isPullRequest).toBe(true);
    expect(item?.body).toBe(
      `${'b'.repeat(1000)}\n[… cut: 1000 of 5000 bytes shown; get_issue has the whole body]`,
    );
    expect(textOf(result)).toMatch(
      /^#1 \[PR open\] Issue number 1 — @octocat \{bug\}, 2 comments, updated 2026-11-02/,
    );
  });
});

describe('get_issue', () => {
  it('returns the full issue with assignees and milestone', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/issues/9': ok(
          issue('o', 'r', 9, {
            assignees: [user('a1'), user('a2')],
            milestone: { title: 'v2', number: 2 },
            state: 'closed',
            state_reason: 'completed',
            closed_at: '2026-11-09T00:00:00Z',
          }),
        ),
      },
    });
    const result = await h.call('get_issue', { owner: 'o', repo: 'r', issue_number: 9 });
    expect(result.structuredContent).toMatchObject({
      number: 9,
      state: 'closed',
      stateReason: 'completed',
      assignees: ['a1', 'a2'],
      milestone: 'v2',
      body: 'Body of issue 9',
    });
    expect(textOf(result)).toContain('assignees: a1, a2; milestone: v2');
  });

  it('cuts a huge body so the result stays within the output budget, and says so', async () => {
    await using h = await harness({
      routes: { 'GET /repos/o/r/issues/2': ok(issue('o', 'r', 2, { body: 'é'.repeat(100_000) })) },
    });
    const result = await h.call('get_issue', { owner: 'o', repo: 'r', issue_number: 2 });
    expect(Buffer.byteLength(textOf(result))).toBeLessThan(65_536);
    expect(result.structuredContent?.body).toMatch(
      /\n\[… cut: 24000 of 200000 bytes shown; the rest is on GitHub at the url\]$/,
    );
  });

  it('explains a missing issue or repository', async () => {
    await using h = await harness({
      routes: { 'GET /repos/o/r/issues/404': fail(404, 'Not Found') },
    });
    const result = await h.call('get_issue', { owner: 'o', repo: 'r', issue_number: 404 });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^Not found \(GET \/repos\/o\/r\/issues\/404\)/);
  });
});

describe('update_issue', () => {
  it("sends the state reason in GitHub's spelling and can clear the milestone", async () => {
    await using h = await harness({
      routes: { 'PATCH /repos/o/r/issues/3': ok(issue('o', 'r', 3, { state: 'closed' })) },
    });
    await h.call('update_issue', {
      owner: 'o',
      repo: 'r',
      issue_number: 3,
      state: 'closed',
      stateReason: 'not_planned',
      milestone: null,
    });
    expect(h.fake.calls().at(-1)?.body).toEqual({
      state: 'closed',
      state_reason: 'not_planned',
      milestone: null,
    });
  });
});

describe('get_issue_comments', () => {
  it('returns attributed, sanitised comments and passes since through', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/issues/1/comments': ok([
          comment('o', 'r', 1, { body: 'First\u200b!' }),
          comment('o', 'r', 2, { body: 'Second', author_association: 'OWNER' }),
        ]),
      },
    });
    const result = await h.call('get_issue_comments', {
      owner: 'o',
      repo: 'r',
      issue_number: 1,
      since: '2026-01-01T00:00:00Z',
    });
    expect(result.structuredContent?.comments).toEqual([
      {
        id: 1,
        author: 'hubot',
        authorAssociation: 'CONTRIBUTOR',
        body: 'First!',
        createdAt: '2026-11-03T10:00:00Z',
        url: 'https://github.com/o/r/issues/1#issuecomment-1',
      },
      {
        id: 2,
        author: 'hubot',
        authorAssociation: 'OWNER',
        body: 'Second',
        createdAt: '2026-11-03T10:00:00Z',
        url: 'https://github.com/o/r/issues/1#issuecomment-2',
      },
    ]);
    expect(h.fake.calls()[0]?.query).toMatchObject({ since: '2026-01-01T00:00:00Z' });
    expect(textOf(result)).toContain(
      '<untrusted-content source="comment" author="hubot" association="CONTRIBUTOR">\nFirst!\n</untrusted-content>',
    );
  });

  it('withholds comments of non-collaborators on public repositories under lockdown', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/issues/1/comments': ok([
          comment('o', 'r', 1, { body: 'run this', author_association: 'FIRST_TIME_CONTRIBUTOR' }),
          comment('o', 'r', 2, { body: 'ok', author_association: 'COLLABORATOR' }),
        ]),
      },
      config: { lockdown: true },
    });
    const result = await h.call('get_issue_comments', { owner: 'o', repo: 'r', issue_number: 1 });
    const bodies = (result.structuredContent?.comments as { body: string }[]).map(
      (item) => item.body,
    );
    expect(bodies).toEqual([
      '[withheld by lockdown mode: @hubot has no write access to this public repository]',
      'ok',
    ]);
  });
});

describe('writes', () => {
  it('creates an issue only inside the allowlist', async () => {
    await using h = await harness({
      routes: { 'POST /repos/acme/app/issues': ok(issue('acme', 'app', 12), {}, 201) },
      config: { allowlist: parseAllowlist(['acme/*']) },
    });
    const created = await h.call('create_issue', { owner: 'acme', repo: 'app', title: 'Hi' });
    expect(created.structuredContent).toEqual({
      number: 12,
      title: 'Issue number 12',
      state: 'open',
      url: 'https://github.com/acme/app/issues/12',
    });
    const refused = await h.call('create_issue', { owner: 'other', repo: 'app', title: 'Hi' });
    expect(refused.isError).toBe(true);
    expect(h.fake.calls()).toHaveLength(1);
  });
});
