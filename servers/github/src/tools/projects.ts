/**
 * @module
 * Reading Projects (v2): an owner's projects, a project's fields (with the option and iteration
 * ids updates need) and its items with their field values, paged by GraphQL cursors. Items from
 * repositories outside the allowlist are withheld; issue and pull request titles follow lockdown.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool, type GithubContext } from '../context.js';
import { connectionFields, graphCursor, graphql, pageOf, type Connection } from '../graphql.js';
import { continuation, cursorField, pageFields, pagedShape, perPageField } from '../paging.js';
import { day, defined, title } from '../render.js';
import { sanitizeLine } from '../sanitize.js';
import { checkOwner } from '../validate.js';
import { itemBudget, READ } from './common.js';
import { projectNumber, projectOwner } from './project-board.js';

const project = z.object({
  id: z.string(),
  number: z.number(),
  title: z.string(),
  description: z.string().optional(),
  public: z.boolean(),
  closed: z.boolean(),
  updatedAt: z.string(),
  url: z.string(),
});

interface RawProject {
  id: string;
  number: number;
  title: string;
  shortDescription: string | null;
  public: boolean;
  closed: boolean;
  updatedAt: string;
  url: string;
}

const PROJECTS = `query OwnerProjects($login: String!, $first: Int!, $after: String) {
  repositoryOwner(login: $login) {
    ... on ProjectV2Owner {
      projectsV2(first: $first, after: $after) {
        ${connectionFields('id number title shortDescription public closed updatedAt url')}
      }
    }
  }
}`;

const paging = { perPage: perPageField, cursor: cursorField };

function missingProject(login: string, number: number): never {
  throw new ToolError(
    `Not found: ${login} has no project ${number}, or the token cannot see it (it needs the Projects permission).`,
  );
}

export const listProjects = defineTool({
  name: 'list_projects',
  title: 'List projects',
  description: 'The Projects (v2) boards of a user or organization, with their numbers and ids.',
  input: z.object({ owner: projectOwner, ...paging }),
  output: z.object({ projects: z.array(project), totalCount: z.number(), ...pagedShape }),
  toolset: 'projects',
  annotations: READ,
  auditTarget: ['owner'],
  async run(args, ctx) {
    const login = checkOwner(args.owner);
    const data = await graphql<{
      repositoryOwner: { projectsV2?: Connection<RawProject> } | null;
    }>(ctx, PROJECTS, {
      login,
      first: args.perPage ?? 30,
      after: graphCursor(args.cursor) ?? null,
    });
    const connection = data.repositoryOwner?.projectsV2 ?? {
      totalCount: 0,
      pageInfo: { hasNextPage: false, endCursor: null },
      edges: [],
    };
    const paged = pageOf(
      connection,
      (raw) =>
        defined({
          id: raw.id,
          number: raw.number,
          title: sanitizeLine(raw.title, 200),
          description:
            raw.shortDescription === null || raw.shortDescription === ''
              ? undefined
              : sanitizeLine(raw.shortDescription, 300),
          public: raw.public,
          closed: raw.closed,
          updatedAt: raw.updatedAt,
          url: raw.url,
        }),
      itemBudget(ctx),
    );
    const lines = paged.items.map(
      (item) =>
        `#${item.number} ${item.title}${item.public ? ' (public)' : ''}${item.closed ? ' [closed]' : ''}, updated ${day(item.updatedAt)}`,
    );
    return structured(
      { projects: paged.items, totalCount: connection.totalCount, ...pageFields(paged) },
      `${lines.length === 0 ? `No projects for ${login}.` : lines.join('\n')}${continuation(paged, 'projects')}`,
    );
  },
});

const field = z.object({
  id: z.string(),
  name: z.string(),
  dataType: z.string(),
  options: z
    .array(z.object({ id: z.string(), name: z.string() }))
    .optional()
    .describe('Single select options: pass an id as singleSelectOptionId'),
  iterations: z
    .array(
      z.object({ id: z.string(), title: z.string(), startDate: z.string(), duration: z.number() }),
    )
    .optional()
    .describe('Iterations: pass an id as iterationId'),
});

interface RawField {
  id?: string;
  name?: string;
  dataType?: string;
  options?: { id: string; name: string }[];
  configuration?: {
    iterations: { id: string; title: string; startDate: string; duration: number }[];
  };
}

const FIELDS = `query ProjectFields($login: String!, $number: Int!, $first: Int!, $after: String) {
  repositoryOwner(login: $login) {
    ... on ProjectV2Owner {
      projectV2(number: $number) {
        fields(first: $first, after: $after) {
          ${connectionFields(
            '... on ProjectV2FieldCommon { id name dataType } ... on ProjectV2SingleSelectField { options { id name } } ... on ProjectV2IterationField { configuration { iterations { id title startDate duration } } }',
          )}
        }
      }
    }
  }
}`;

export const listProjectFields = defineTool({
  name: 'list_project_fields',
  title: 'List project fields',
  description:
    "A project's fields with their type, and the option and iteration ids update_project_item_field takes.",
  input: z.object({ owner: projectOwner, project_number: projectNumber, ...paging }),
  output: z.object({ fields: z.array(field), ...pagedShape }),
  toolset: 'projects',
  annotations: READ,
  auditTarget: ['owner', 'project_number'],
  async run(args, ctx) {
    const login = checkOwner(args.owner);
    const data = await graphql<{
      repositoryOwner: { projectV2?: { fields: Connection<RawField> } | null } | null;
    }>(ctx, FIELDS, {
      login,
      number: args.project_number,
      first: args.perPage ?? 50,
      after: graphCursor(args.cursor) ?? null,
    });
    const connection = data.repositoryOwner?.projectV2?.fields;
    if (connection === undefined) return missingProject(login, args.project_number);
    const paged = pageOf(
      connection,
      (raw) =>
        defined({
          id: raw.id ?? '',
          name: sanitizeLine(raw.name ?? '', 200),
          dataType: raw.dataType ?? 'UNKNOWN',
          options: raw.options?.map((option) => ({
            id: option.id,
            name: sanitizeLine(option.name, 200),
          })),
          iterations: raw.configuration?.iterations.map((iteration) => ({
            ...iteration,
            title: sanitizeLine(iteration.title, 200),
          })),
        }),
      itemBudget(ctx),
    );
    const lines = paged.items.map(
      (item) =>
        `${item.id} ${item.name} (${item.dataType})${item.options === undefined ? '' : `: ${item.options.map((option) => `${option.name}=${option.id}`).join(', ')}`}${item.iterations === undefined ? '' : `: ${item.iterations.map((iteration) => `${iteration.title}=${iteration.id}`).join(', ')}`}`,
    );
    return structured(
      { fields: paged.items, ...pageFields(paged) },
      `${lines.length === 0 ? 'No fields.' : lines.join('\n')}${continuation(paged, 'fields')}`,
    );
  },
});

interface RawContent {
  __typename?: string;
  number?: number;
  title?: string;
  url?: string;
  issueState?: string;
  pullRequestState?: string;
  authorAssociation?: string;
  repository?: { name: string; isPrivate: boolean; owner: { login: string } };
}

interface RawItem {
  id: string;
  type: string;
  isArchived: boolean;
  content: RawContent | null;
  fieldValues: {
    nodes: {
      text?: string;
      number?: number;
      date?: string;
      name?: string;
      title?: string;
      field?: { name?: string };
    }[];
  };
}

// An issue's and a pull request's states are different enums, so GitHub needs them under
// different response names in one selection.
const CONTENT = 'number title url authorAssociation repository { name isPrivate owner { login } }';

const ITEMS = `query ProjectItems($login: String!, $number: Int!, $first: Int!, $after: String) {
  repositoryOwner(login: $login) {
    ... on ProjectV2Owner {
      projectV2(number: $number) {
        items(first: $first, after: $after) {
          ${connectionFields(
            `id type isArchived
            content { __typename ... on Issue { ${CONTENT} issueState: state } ... on PullRequest { ${CONTENT} pullRequestState: state } ... on DraftIssue { title } }
            fieldValues(first: 20) { nodes {
              ... on ProjectV2ItemFieldTextValue { text field { ... on ProjectV2FieldCommon { name } } }
              ... on ProjectV2ItemFieldNumberValue { number field { ... on ProjectV2FieldCommon { name } } }
              ... on ProjectV2ItemFieldDateValue { date field { ... on ProjectV2FieldCommon { name } } }
              ... on ProjectV2ItemFieldSingleSelectValue { name field { ... on ProjectV2FieldCommon { name } } }
              ... on ProjectV2ItemFieldIterationValue { title field { ... on ProjectV2FieldCommon { name } } }
            } }`,
          )}
        }
      }
    }
  }
}`;

const item = z.object({
  id: z.string().describe('Project item node id'),
  type: z.string().describe('ISSUE, PULL_REQUEST, DRAFT_ISSUE or REDACTED'),
  archived: z.boolean(),
  repository: z.string().optional(),
  number: z.number().optional(),
  title: z.string().optional(),
  state: z.string().optional(),
  url: z.string().optional(),
  fields: z.record(z.string(), z.union([z.string(), z.number()])),
});

type Item = z.infer<typeof item>;

async function toItem(ctx: GithubContext, raw: RawItem): Promise<Item | undefined> {
  const content = raw.content ?? {};
  const repo = content.repository;
  let trusted = true;
  if (repo !== undefined) {
    if (!ctx.policy.admit(repo.owner.login, repo.name, repo.isPrivate)) return undefined;
    const trust = await ctx.policy.trust(ctx, { owner: repo.owner.login, repo: repo.name });
    trusted = trust(content.authorAssociation);
  }
  const fields: Record<string, string | number> = {};
  for (const value of raw.fieldValues.nodes) {
    const name = value.field?.name;
    const shown = value.text ?? value.number ?? value.date ?? value.name ?? value.title;
    if (name !== undefined && shown !== undefined)
      fields[sanitizeLine(name, 100)] =
        typeof shown === 'number' ? shown : sanitizeLine(shown, 300);
  }
  return defined({
    id: raw.id,
    type: raw.type,
    archived: raw.isArchived,
    repository: repo === undefined ? undefined : `${repo.owner.login}/${repo.name}`,
    number: content.number,
    title: content.title === undefined ? undefined : title(content.title, trusted),
    state: content.issueState ?? content.pullRequestState,
    url: content.url,
    fields,
  });
}

export const listProjectItems = defineTool({
  name: 'list_project_items',
  title: 'List project items',
  description:
    'The items of a project (issues, pull requests, drafts) with their field values and item ids, paged. Items from repositories outside the allowlist are withheld.',
  input: z.object({ owner: projectOwner, project_number: projectNumber, ...paging }),
  output: z.object({
    items: z.array(item),
    totalCount: z.number(),
    withheld: z.number().optional(),
    ...pagedShape,
  }),
  toolset: 'projects',
  annotations: READ,
  auditTarget: ['owner', 'project_number'],
  async run(args, ctx) {
    const login = checkOwner(args.owner);
    const data = await graphql<{
      repositoryOwner: { projectV2?: { items: Connection<RawItem> } | null } | null;
    }>(ctx, ITEMS, {
      login,
      number: args.project_number,
      first: args.perPage ?? 30,
      after: graphCursor(args.cursor) ?? null,
    });
    const connection = data.repositoryOwner?.projectV2?.items;
    if (connection === undefined) return missingProject(login, args.project_number);
    const mapped = await Promise.all(connection.edges.map((edge) => toItem(ctx, edge.node)));
    const kept = connection.edges.flatMap((edge, index) => {
      const node = mapped[index];
      return node === undefined ? [] : [{ cursor: edge.cursor, node }];
    });
    const withheld = connection.edges.length - kept.length;
    const paged = pageOf({ ...connection, edges: kept }, (node) => node, itemBudget(ctx));
    const lines = paged.items.map(
      (entry) =>
        `${entry.id} ${entry.type}${entry.repository === undefined ? '' : ` ${entry.repository}#${entry.number ?? '?'}`} ${entry.title ?? ''}${
          Object.keys(entry.fields).length === 0
            ? ''
            : ` — ${Object.entries(entry.fields)
                .map(([key, value]) => `${key}: ${value}`)
                .join(', ')}`
        }`,
    );
    const note = withheld > 0 ? `\n(${withheld} outside the allowed repositories withheld)` : '';
    return structured(
      {
        items: paged.items,
        totalCount: connection.totalCount,
        ...(withheld > 0 ? { withheld } : {}),
        ...pageFields(paged),
      },
      `${lines.length === 0 ? 'No items.' : lines.join('\n')}${note}${continuation(paged, 'items')}`,
    );
  },
});
