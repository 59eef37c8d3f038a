import { describe, expect, it } from 'vitest';
import { fail, ok, pull } from '../../test/fake-github.js';
import { harness, textOf } from '../../test/harness.js';

const SHA = 'a'.repeat(40);

describe('get_pull_request', () => {
  it('summarises branches, size and mergeability', async () => {
    await using h = await harness({ routes: { 'GET /repos/o/r/pulls/6': ok(pull('o', 'r', 6)) } });
    const result = await h.call('get_pull_request', { owner: 'o', repo: 'r', pull_number: 6 });
    expect(result.structuredContent).toMatchObject({
      number: 6,
      head: 'o:feature',
      base: 'main',
      headSha: SHA,
      mergeable: true,
      mergeableState: 'clean',
      additions: 10,
      deletions: 4,
      changedFiles: 2,
      commits: 3,
      requestedReviewers: ['reviewer'],
      author: 'octocat',
      authorAssociation: 'CONTRIBUTOR',
    });
    expect(textOf(result)).toContain('3 commits, 2 files, +10 -4, head aaaaaaa, mergeable: clean');
  });
});

describe('get_pull_request_diff', () => {
  const diff =
    Array.from({ length: 300 }, (_, index) => `+line ${index + 1} ${'z'.repeat(60)}`).join('\n') +
    '\n';

  it('asks GitHub for the diff media type and pages it by line', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/pulls/6': {
          status: 200,
          headers: { 'content-type': 'application/vnd.github.diff; charset=utf-8' },
          body: diff,
        },
      },
      config: { outputBudget: 8192 },
    });
    const first = await h.call('get_pull_request_diff', { owner: 'o', repo: 'r', pull_number: 6 });
    expect(h.fake.calls()[0]?.headers.accept).toBe('application/vnd.github.v3.diff');
    const page = first.structuredContent as {
      startLine: number;
      endLine: number;
      totalLines: number;
      nextStartLine: number;
      truncated: boolean;
      diff: string;
    };
    expect(page).toMatchObject({ startLine: 1, totalLines: 300, truncated: true });
    expect(page.nextStartLine).toBe(page.endLine + 1);
    const second = await h.call('get_pull_request_diff', {
      owner: 'o',
      repo: 'r',
      pull_number: 6,
      startLine: page.nextStartLine,
    });
    expect(
      (second.structuredContent as { diff: string }).diff.startsWith(
        `+line ${page.nextStartLine} `,
      ),
    ).toBe(true);
  });
});

describe('get_pull_request_status', () => {
  it('combines commit statuses and check runs of the head commit', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/pulls/6': ok(pull('o', 'r', 6)),
        [`GET /repos/o/r/commits/${SHA}/status`]: ok({
          state: 'failure',
          sha: SHA,
          total_count: 1,
          statuses: [
            {
              context: 'legacy-ci',
              state: 'failure',
              description: 'Tests failed',
              target_url: null,
            },
          ],
        }),
        [`GET /repos/o/r/commits/${SHA}/check-runs`]: ok({
          total_count: 101,
          check_runs: [
            {
              id: 1,
              name: 'build',
              status: 'completed',
              conclusion: 'success',
              html_url: 'https://github.com/o/r/runs/1',
            },
            { id: 2, name: 'lint', status: 'in_progress', conclusion: null, html_url: null },
          ],
        }),
      },
    });
    const result = await h.call('get_pull_request_status', {
      owner: 'o',
      repo: 'r',
      pull_number: 6,
    });
    expect(result.structuredContent).toEqual({
      sha: SHA,
      state: 'failure',
      statuses: [{ context: 'legacy-ci', state: 'failure', description: 'Tests failed' }],
      checkRuns: [
        {
          name: 'build',
          status: 'completed',
          conclusion: 'success',
          url: 'https://github.com/o/r/runs/1',
        },
        { name: 'lint', status: 'in_progress' },
      ],
      totalCheckRuns: 101,
      truncated: true,
    });
    expect(textOf(result)).toContain('(99 more check runs not shown)');
  });
});

describe('get_pull_request_files', () => {
  it('cuts very long patches and points at the diff tool', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/pulls/6/files': ok([
          {
            sha: SHA,
            filename: 'big.ts',
            status: 'modified',
            additions: 900,
            deletions: 0,
            changes: 900,
            patch: 'p'.repeat(10_000),
          },
        ]),
      },
    });
    const result = await h.call('get_pull_request_files', {
      owner: 'o',
      repo: 'r',
      pull_number: 6,
    });
    const [file] = result.structuredContent?.files as { patch: string }[];
    expect(file?.patch).toMatch(
      /^p{4000}\n\[… patch cut at 4000 characters; see get_pull_request_diff\]$/,
    );
  });
});

describe('merge_pull_request', () => {
  it('passes the expected head sha and explains a refusal', async () => {
    await using h = await harness({
      routes: { 'PUT /repos/o/r/pulls/6/merge': fail(405, 'Pull Request is not mergeable') },
    });
    const result = await h.call('merge_pull_request', {
      owner: 'o',
      repo: 'r',
      pull_number: 6,
      sha: SHA,
    });
    expect(textOf(result)).toBe(
      `GitHub refused the request (405).\n<untrusted-content source="GitHub error message">\nPull Request is not mergeable\n</untrusted-content>`,
    );
    expect(h.fake.calls()[0]?.body).toEqual({ sha: SHA });
  });
});

describe('create_pull_request', () => {
  it('refuses malformed head and base branches before sending', async () => {
    await using h = await harness();
    for (const [head, base] of [
      ['a..b', 'main'],
      ['x:y:z', 'main'],
      ['topic', 'main?x'],
      ['../x:y', 'main'],
    ]) {
      const result = await h.call('create_pull_request', {
        owner: 'o',
        repo: 'r',
        title: 't',
        head,
        base,
      });
      expect(result.isError, `${head} ${base}`).toBe(true);
    }
    expect(h.fake.requests).toEqual([]);
  });
});
