import { describe, expect, it } from 'vitest';
import { parseAllowlist } from '../allowlist.js';
import {
  graphqlEndpoint,
  graphqlRequests,
  issue,
  ok,
  type GraphqlResolver,
} from '../../test/fake-github.js';
import { harness, textOf } from '../../test/harness.js';

const project =
  (isPublic: boolean): GraphqlResolver =>
  () => ({
    data: {
      repositoryOwner: { projectV2: { id: 'PVT_kwDOproj', title: 'Roadmap', public: isPublic } },
    },
  });

function itemNode(id: string, owner: string, repo: string, number: number, association = 'MEMBER') {
  return {
    id,
    type: 'ISSUE',
    isArchived: false,
    content: {
      __typename: 'Issue',
      number,
      title: `Issue ${number}`,
      url: `https://github.com/${owner}/${repo}/issues/${number}`,
      issueState: 'OPEN',
      authorAssociation: association,
      repository: { name: repo, isPrivate: false, owner: { login: owner } },
    },
    fieldValues: {
      nodes: [
        { name: 'In progress', field: { name: 'Status' } },
        { number: 3, field: { name: 'Estimate' } },
        {},
      ],
    },
  };
}

/** The project's items, one page, as GitHub answers `ProjectItems`. */
function itemsEndpoint(nodes: readonly unknown[]) {
  return graphqlEndpoint({
    ProjectItems: () => ({
      data: {
        repositoryOwner: {
          projectV2: {
            items: {
              totalCount: nodes.length,
              pageInfo: { hasNextPage: false, endCursor: null },
              edges: nodes.map((node, index) => ({
                cursor: String.fromCharCode(97 + index),
                node,
              })),
            },
          },
        },
      },
    }),
  });
}

describe('reading projects', () => {
  it('lists an owner’s projects with GraphQL paging', async () => {
    await using h = await harness({
      routes: {
        'POST /graphql': graphqlEndpoint({
          OwnerProjects: () => ({
            data: {
              repositoryOwner: {
                projectsV2: {
                  totalCount: 3,
                  pageInfo: { hasNextPage: true, endCursor: 'Mg' },
                  edges: [
                    {
                      cursor: 'MQ',
                      node: {
                        id: 'PVT_kwDOa',
                        number: 1,
                        title: 'Roadmap',
                        shortDescription: null,
                        public: true,
                        closed: false,
                        updatedAt: '2026-11-01T00:00:00Z',
                        url: 'https://github.com/orgs/acme/projects/1',
                      },
                    },
                  ],
                },
              },
            },
          }),
        }),
      },
    });
    const result = await h.call('list_projects', { owner: 'acme', perPage: 1 });
    expect(graphqlRequests(h.fake.calls())[0]!.variables).toEqual({
      login: 'acme',
      first: 1,
      after: null,
    });
    expect(result.structuredContent).toMatchObject({
      totalCount: 3,
      truncated: true,
      nextCursor: 'Mg',
      projects: [{ id: 'PVT_kwDOa', number: 1, public: true }],
    });
  });

  it('lists fields with the option and iteration ids updates need', async () => {
    await using h = await harness({
      routes: {
        'POST /graphql': graphqlEndpoint({
          ProjectFields: () => ({
            data: {
              repositoryOwner: {
                projectV2: {
                  fields: {
                    totalCount: 2,
                    pageInfo: { hasNextPage: false, endCursor: null },
                    edges: [
                      {
                        cursor: 'a',
                        node: {
                          id: 'PVTSSF_s',
                          name: 'Status',
                          dataType: 'SINGLE_SELECT',
                          options: [{ id: 'f75ad846', name: 'Todo' }],
                        },
                      },
                      {
                        cursor: 'b',
                        node: {
                          id: 'PVTIF_i',
                          name: 'Sprint',
                          dataType: 'ITERATION',
                          configuration: {
                            iterations: [
                              {
                                id: 'cfc16e4d',
                                title: 'Sprint 1',
                                startDate: '2026-11-02',
                                duration: 14,
                              },
                            ],
                          },
                        },
                      },
                    ],
                  },
                },
              },
            },
          }),
        }),
      },
    });
    const result = await h.call('list_project_fields', { owner: 'acme', project_number: 1 });
    expect(result.structuredContent).toEqual({
      fields: [
        {
          id: 'PVTSSF_s',
          name: 'Status',
          dataType: 'SINGLE_SELECT',
          options: [{ id: 'f75ad846', name: 'Todo' }],
        },
        {
          id: 'PVTIF_i',
          name: 'Sprint',
          dataType: 'ITERATION',
          iterations: [
            { id: 'cfc16e4d', title: 'Sprint 1', startDate: '2026-11-02', duration: 14 },
          ],
        },
      ],
      truncated: false,
    });
  });

  it('lists items with field values, withholding those outside the allowlist', async () => {
    await using h = await harness({
      config: { allowlist: parseAllowlist(['acme/app']) },
      routes: {
        'POST /graphql': itemsEndpoint([
          itemNode('PVTI_1', 'acme', 'app', 4),
          itemNode('PVTI_2', 'acme', 'secret', 9),
        ]),
      },
    });
    const result = await h.call('list_project_items', { owner: 'acme', project_number: 1 });
    expect(result.structuredContent).toEqual({
      items: [
        {
          id: 'PVTI_1',
          type: 'ISSUE',
          archived: false,
          repository: 'acme/app',
          number: 4,
          title: 'Issue 4',
          state: 'OPEN',
          url: 'https://github.com/acme/app/issues/4',
          fields: { Status: 'In progress', Estimate: 3 },
        },
      ],
      totalCount: 2,
      withheld: 1,
      truncated: false,
    });
    expect(JSON.stringify(result)).not.toContain('secret');
  });

  it('gives a pull request item its own state, selected apart from an issue’s', async () => {
    const issueNode = itemNode('PVTI_3', 'acme', 'app', 5);
    const { issueState: _issueState, ...content } = issueNode.content;
    const pullNode = {
      ...issueNode,
      type: 'PULL_REQUEST',
      content: { ...content, __typename: 'PullRequest', pullRequestState: 'MERGED' },
    };
    await using h = await harness({
      routes: {
        'POST /graphql': itemsEndpoint([pullNode]),
      },
    });
    const result = await h.call('list_project_items', { owner: 'acme', project_number: 1 });
    expect(result.structuredContent).toMatchObject({
      items: [{ id: 'PVTI_3', type: 'PULL_REQUEST', number: 5, state: 'MERGED' }],
    });
  });
});

describe('changing projects', () => {
  it('adds an issue by its node id', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/acme/app/issues/4': ok(issue('acme', 'app', 4)),
        'POST /graphql': graphqlEndpoint({
          Project: project(false),
          AddProjectItem: () => ({ data: { addProjectV2ItemById: { item: { id: 'PVTI_new' } } } }),
        }),
      },
    });
    const result = await h.call('add_project_item', {
      owner: 'acme',
      project_number: 1,
      item_owner: 'acme',
      item_repo: 'app',
      item_type: 'issue',
      item_number: 4,
    });
    expect(result.structuredContent).toEqual({ itemId: 'PVTI_new', projectId: 'PVT_kwDOproj' });
    expect(graphqlRequests(h.fake.calls())[1]).toMatchObject({
      operation: 'AddProjectItem',
      variables: { projectId: 'PVT_kwDOproj', contentId: 'I_4' },
    });
  });

  it('refuses to put anything on a public project after private reads', async () => {
    await using h = await harness({
      repos: { 'acme/private': { private: true } },
      routes: {
        'GET /repos/acme/private/issues/1': ok(issue('acme', 'private', 1)),
        'POST /graphql': graphqlEndpoint({ Project: project(true) }),
      },
    });
    await h.call('get_issue', { owner: 'acme', repo: 'private', issue_number: 1 });
    const result = await h.call('update_project_item_field', {
      owner: 'acme',
      project_number: 1,
      item_id: 'PVTI_1',
      field_id: 'PVTF_notes',
      value: { text: 'copied from the private issue' },
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('public project acme#1');
    expect(graphqlRequests(h.fake.calls()).map((request) => request.operation)).toEqual([
      'Project',
    ]);
  });

  for (const value of [
    { text: 'note' },
    { number: 5 },
    { date: '2026-12-24' },
    { singleSelectOptionId: 'f75ad846' },
    { iterationId: 'cfc16e4d' },
  ]) {
    it(`sets a ${Object.keys(value)[0]} field`, async () => {
      await using h = await harness({
        routes: {
          'POST /graphql': graphqlEndpoint({
            Project: project(false),
            UpdateProjectItemField: () => ({
              data: { updateProjectV2ItemFieldValue: { projectV2Item: { id: 'PVTI_1' } } },
            }),
          }),
        },
      });
      const result = await h.call('update_project_item_field', {
        owner: 'acme',
        project_number: 1,
        item_id: 'PVTI_1',
        field_id: 'PVTF_f',
        value,
      });
      expect(result.isError, textOf(result)).toBeUndefined();
      expect(graphqlRequests(h.fake.calls())[1]!.variables).toEqual({
        projectId: 'PVT_kwDOproj',
        itemId: 'PVTI_1',
        fieldId: 'PVTF_f',
        value,
      });
    });
  }

  it('refuses a malformed date before any request', async () => {
    await using h = await harness();
    const result = await h.call('update_project_item_field', {
      owner: 'acme',
      project_number: 1,
      item_id: 'PVTI_1',
      field_id: 'PVTF_f',
      value: { date: '24/12/2026' },
    });
    expect(result.isError).toBe(true);
    expect(h.fake.calls()).toEqual([]);
  });

  it('removes an item', async () => {
    await using h = await harness({
      routes: {
        'POST /graphql': graphqlEndpoint({
          Project: project(false),
          DeleteProjectItem: ({ variables }) => ({
            data: { deleteProjectV2Item: { deletedItemId: variables.itemId } },
          }),
        }),
      },
    });
    const result = await h.call('delete_project_item', {
      owner: 'acme',
      project_number: 1,
      item_id: 'PVTI_1',
    });
    expect(result.structuredContent).toEqual({ deletedItemId: 'PVTI_1' });
  });
});
