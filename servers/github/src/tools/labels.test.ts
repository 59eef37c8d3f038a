import { describe, expect, it } from 'vitest';
import { issue, ok } from '../../test/fake-github.js';
import { harness, textOf } from '../../test/harness.js';

describe('labels', () => {
  it('lists labels with descriptions', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/labels': ok([
          {
            id: 1,
            name: 'bug',
            color: 'd73a4a',
            description: "Something isn't working",
            default: true,
          },
          { id: 2, name: 'ui', color: '00ff00', description: null },
        ]),
      },
    });
    const result = await h.call('list_labels', { owner: 'o', repo: 'r' });
    expect(result.structuredContent?.labels).toEqual([
      { name: 'bug', color: 'd73a4a', description: "Something isn't working" },
      { name: 'ui', color: '00ff00' },
    ]);
    expect(h.fake.calls()[0]?.query.per_page).toBe('100');
  });

  it('encodes a label name with spaces and slashes as one path segment', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/labels/*': ok({
          id: 3,
          name: 'area/ci x',
          color: 'ffffff',
          description: '',
        }),
      },
    });
    await h.call('get_label', { owner: 'o', repo: 'r', name: 'area/ci x' });
    expect(h.fake.calls()[0]?.path).toBe('/repos/o/r/labels/area%2Fci%20x');
    const refused = await h.call('get_label', { owner: 'o', repo: 'r', name: '..' });
    expect(refused.isError).toBe(true);
  });

  it('creates a label without the leading # of a colour', async () => {
    await using h = await harness({
      routes: {
        'POST /repos/o/r/labels': ok(
          { id: 4, name: 'p1', color: 'ff0000', description: 'urgent' },
          {},
          201,
        ),
      },
    });
    await h.call('create_label', {
      owner: 'o',
      repo: 'r',
      name: 'p1',
      color: '#ff0000',
      description: 'urgent',
    });
    expect(h.fake.calls()[0]?.body).toEqual({ name: 'p1', color: 'ff0000', description: 'urgent' });
  });
});

describe('sub-issues', () => {
  it('lists the children of an issue', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/issues/1/sub_issues': ok([issue('o', 'r', 2), issue('o', 'r', 3)]),
      },
    });
    const result = await h.call('list_sub_issues', { owner: 'o', repo: 'r', issue_number: 1 });
    expect(
      (result.structuredContent?.subIssues as { number: number }[]).map((item) => item.number),
    ).toEqual([2, 3]);
  });

  it('attaches and detaches children by number, sending the id GitHub wants', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/issues/5': ok(issue('o', 'r', 5)),
        'POST /repos/o/r/issues/1/sub_issues': ok(issue('o', 'r', 1), {}, 201),
        'DELETE /repos/o/r/issues/1/sub_issue': ok(issue('o', 'r', 1)),
      },
    });
    const added = await h.call('add_sub_issue', {
      owner: 'o',
      repo: 'r',
      issue_number: 1,
      subIssueNumber: 5,
      replaceParent: true,
    });
    expect(textOf(added)).toBe('#5 is now a sub-issue of #1.');
    await h.call('remove_sub_issue', { owner: 'o', repo: 'r', issue_number: 1, subIssueNumber: 5 });
    const writes = h.fake.calls().filter((request) => request.method !== 'GET');
    expect(writes.map((request) => [request.method, request.body])).toEqual([
      ['POST', { sub_issue_id: 5_000_005, replace_parent: true }],
      ['DELETE', { sub_issue_id: 5_000_005 }],
    ]);
  });
});
