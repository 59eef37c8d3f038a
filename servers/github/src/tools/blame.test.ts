import { describe, expect, it } from 'vitest';
import { graphqlEndpoint, graphqlRequests } from '../../test/fake-github.js';
import { harness, textOf } from '../../test/harness.js';

const shaOf = (index: number) => String(index).repeat(40).slice(0, 40);

/** GitHub's Blame object: contiguous ranges over the whole file, newest commits with age 10. */
function blameOf(ranges: [number, number, number][]) {
  return () => ({
    data: {
      repository: {
        object: {
          blame: {
            ranges: ranges.map(([start, end, commit]) => ({
              startingLine: start,
              endingLine: end,
              age: commit,
              commit: {
                oid: shaOf(commit),
                messageHeadline: `Change ${commit}`,
                committedDate: '2026-11-01T00:00:00Z',
                url: `https://github.com/o/r/commit/${shaOf(commit)}`,
                author: { name: 'Mona Lisa', user: commit === 2 ? null : { login: 'mona' } },
              },
            })),
          },
        },
      },
    },
  });
}

const RANGES: [number, number, number][] = [
  [1, 4, 1],
  [5, 9, 2],
  [10, 20, 1],
  [21, 30, 3],
];

describe('get_file_blame', () => {
  it('returns the ranges overlapping the window, each commit once', async () => {
    await using h = await harness({
      routes: { 'POST /graphql': graphqlEndpoint({ FileBlame: blameOf(RANGES) }) },
    });
    const result = await h.call('get_file_blame', {
      owner: 'o',
      repo: 'r',
      path: 'src/a.ts',
      ref: 'v1.0',
      start_line: 8,
      end_line: 12,
    });
    expect(graphqlRequests(h.fake.calls())[0]!.variables).toEqual({
      owner: 'o',
      repo: 'r',
      ref: 'v1.0',
      path: 'src/a.ts',
    });
    expect(result.structuredContent).toEqual({
      path: 'src/a.ts',
      ref: 'v1.0',
      ranges: [
        { startLine: 5, endLine: 9, sha: shaOf(2), age: 2 },
        { startLine: 10, endLine: 20, sha: shaOf(1), age: 1 },
      ],
      commits: {
        [shaOf(2)]: {
          message: 'Change 2',
          author: 'Mona Lisa',
          date: '2026-11-01T00:00:00Z',
          url: `https://github.com/o/r/commit/${shaOf(2)}`,
        },
        [shaOf(1)]: {
          message: 'Change 1',
          author: 'mona',
          date: '2026-11-01T00:00:00Z',
          url: `https://github.com/o/r/commit/${shaOf(1)}`,
        },
      },
      truncated: false,
    });
  });

  it('pages ranges by perPage and the cursor, blaming HEAD by default', async () => {
    await using h = await harness({
      routes: { 'POST /graphql': graphqlEndpoint({ FileBlame: blameOf(RANGES) }) },
    });
    const first = await h.call('get_file_blame', { owner: 'o', repo: 'r', path: 'a', perPage: 3 });
    const page = first.structuredContent as { ranges: { startLine: number }[]; nextCursor: string };
    expect(page.ranges.map((item) => item.startLine)).toEqual([1, 5, 10]);
    expect(graphqlRequests(h.fake.calls())[0]!.variables.ref).toBe('HEAD');
    const second = await h.call('get_file_blame', {
      owner: 'o',
      repo: 'r',
      path: 'a',
      perPage: 3,
      after: page.nextCursor,
    });
    expect(second.structuredContent).toMatchObject({
      ranges: [{ startLine: 21, endLine: 30 }],
      truncated: false,
    });
  });

  it('refuses a reversed window and an unknown ref clearly', async () => {
    await using h = await harness({
      routes: {
        'POST /graphql': graphqlEndpoint({
          FileBlame: () => ({ data: { repository: { object: null } } }),
        }),
      },
    });
    const reversed = await h.call('get_file_blame', {
      owner: 'o',
      repo: 'r',
      path: 'a',
      start_line: 9,
      end_line: 3,
    });
    expect(textOf(reversed)).toContain('end_line');
    expect(h.fake.calls()).toEqual([]);
    const missing = await h.call('get_file_blame', {
      owner: 'o',
      repo: 'r',
      path: 'a',
      ref: 'nope',
    });
    expect(textOf(missing)).toContain('has no commit "nope"');
  });
});
