import { describe, expect, it } from 'vitest';
import { issue, ok, repository } from '../../test/fake-github.js';
import { harness, textOf } from '../../test/harness.js';
import { parseAllowlist } from '../allowlist.js';
import { narrowQuery } from './search.js';

describe('narrowQuery', () => {
  it('adds allowlist qualifiers of one kind to a query that names no scope', () => {
    expect(narrowQuery('bug', parseAllowlist(['acme/app', 'acme/lib']))).toBe(
      'bug repo:acme/app repo:acme/lib',
    );
    expect(narrowQuery('bug', parseAllowlist(['acme/*', 'team/*']))).toBe(
      'bug user:acme user:team',
    );
  });

  it('leaves the query alone when it scopes itself, mixes kinds, or would grow too long', () => {
    const allowlist = parseAllowlist(['acme/app']);
    expect(narrowQuery('bug repo:other/x', allowlist)).toBe('bug repo:other/x');
    expect(narrowQuery('bug org:x', allowlist)).toBe('bug org:x');
    expect(narrowQuery('bug', parseAllowlist(['acme/*', 'solo/x']))).toBe('bug');
    expect(narrowQuery('x'.repeat(250), allowlist)).toBe('x'.repeat(250));
    expect(narrowQuery('bug', undefined)).toBe('bug');
  });
});

describe('search results and the allowlist', () => {
  it('drops issues from other repositories even when the query names them, and counts them', async () => {
    await using h = await harness({
      routes: {
        'GET /search/issues': ok({
          total_count: 3,
          incomplete_results: false,
          items: [
            issue('acme', 'app', 1),
            issue('evil', 'x', 2, { title: 'secret-looking' }),
            issue('ACME', 'App', 3),
          ],
        }),
      },
      config: { allowlist: parseAllowlist(['acme/app']) },
    });
    const result = await h.call('search_issues', { q: 'token repo:evil/x' });
    expect(h.fake.calls()[0]?.query.q).toBe('token repo:evil/x');
    expect(
      (result.structuredContent?.items as { number: number }[]).map((item) => item.number),
    ).toEqual([1, 3]);
    expect(result.structuredContent).toMatchObject({ totalCount: 3, withheld: 1 });
    expect(textOf(result)).not.toContain('secret-looking');
    expect(textOf(result)).toContain('1 outside the allowed repositories withheld');
  });

  it('drops repositories and code outside the allowlist', async () => {
    await using h = await harness({
      routes: {
        'GET /search/repositories': ok({
          total_count: 2,
          incomplete_results: true,
          items: [repository('acme', 'app'), repository('other', 'app')],
        }),
        'GET /search/code': ok({
          total_count: 2,
          incomplete_results: false,
          items: [
            {
              name: 'a',
              path: 'a',
              sha: 'a'.repeat(40),
              html_url: 'h',
              repository: repository('other', 'z'),
            },
            {
              name: 'b',
              path: 'src/b.ts',
              sha: 'b'.repeat(40),
              html_url: 'h2',
              repository: repository('acme', 'app'),
            },
          ],
        }),
      },
      config: { allowlist: parseAllowlist(['acme/app']) },
    });
    const repos = await h.call('search_repositories', { query: 'app' });
    expect(h.fake.calls()[0]?.query.q).toBe('app repo:acme/app');
    expect(repos.structuredContent).toMatchObject({
      repositories: [{ fullName: 'acme/app' }],
      withheld: 1,
      incompleteResults: true,
    });
    const code = await h.call('search_code', { q: 'needle' });
    expect(code.structuredContent).toMatchObject({
      items: [{ repository: 'acme/app', path: 'src/b.ts' }],
      withheld: 1,
    });
  });

  it('counts search hits from private repositories as private reads for the guard', async () => {
    await using h = await harness({
      routes: {
        'GET /search/code': ok({
          total_count: 1,
          incomplete_results: false,
          items: [
            {
              name: 'k',
              path: 'keys.txt',
              sha: 'a'.repeat(40),
              html_url: 'h',
              repository: repository('o', 'vault', true),
              text_matches: [{ fragment: 'KEY=1' }],
            },
          ],
        }),
      },
    });
    await h.call('search_code', { q: 'KEY' });
    const leaked = await h.call('add_issue_comment', {
      owner: 'o',
      repo: 'public-site',
      issue_number: 1,
      body: 'KEY=1',
    });
    expect(textOf(leaked)).toMatch(/read private repository content \(o\/vault\)/);
  });

  it('pages search results by cursor', async () => {
    const items = Array.from({ length: 5 }, (_, index) => issue('o', 'r', index + 1));
    await using h = await harness({
      routes: {
        'GET /search/issues': (request) => {
          const page = Number(request.query.page);
          const link =
            page === 1
              ? { link: `<http://${request.headers.host}/search/issues?q=x&page=2>; rel="next"` }
              : {};
          return ok(
            {
              total_count: 5,
              incomplete_results: false,
              items: page === 1 ? items.slice(0, 3) : items.slice(3),
            },
            link,
          );
        },
      },
    });
    const first = await h.call('search_issues', { q: 'x', per_page: 3 });
    expect(first.structuredContent).toMatchObject({ truncated: true, totalCount: 5 });
    const second = await h.call('search_issues', {
      q: 'x',
      cursor: first.structuredContent?.nextCursor,
    });
    expect(
      (second.structuredContent?.items as { number: number }[]).map((item) => item.number),
    ).toEqual([4, 5]);
    expect(second.structuredContent?.truncated).toBe(false);
  });
});
