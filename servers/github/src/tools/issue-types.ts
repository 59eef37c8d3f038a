/**
 * @module
 * Issue types (Bug, Feature, Task, ...): an organisation's, or those a repository offers, by the
 * names `issue_write`-style tools and searches (`type:Bug`) use.
 */
import { structured } from '@plugboard/protocol';
import { z } from 'zod';
import { call, defineTool } from '../context.js';
import { graphql } from '../graphql.js';
import { defined } from '../render.js';
import { sanitizeLine } from '../sanitize.js';
import { checkOwner } from '../validate.js';
import { READ } from './common.js';

const issueType = z.object({
  id: z.string().describe('Node id'),
  name: z.string(),
  description: z.string().optional(),
  color: z.string().optional(),
  enabled: z.boolean().optional(),
});

type IssueType = z.infer<typeof issueType>;

interface RawType {
  id: string;
  name: string;
  description: string | null;
  color: string | null;
  enabled?: boolean;
}

function toType(raw: RawType): IssueType {
  return defined({
    id: raw.id,
    name: sanitizeLine(raw.name, 100),
    description:
      raw.description === null || raw.description === ''
        ? undefined
        : sanitizeLine(raw.description, 300),
    color: raw.color ?? undefined,
    enabled: raw.enabled,
  });
}

const REPOSITORY_ISSUE_TYPES = `query RepositoryIssueTypes($owner: String!, $repo: String!) {
  repository(owner: $owner, name: $repo) {
    issueTypes(first: 100) { nodes { id name description color } }
  }
}`;

export const listIssueTypes = defineTool({
  name: 'list_issue_types',
  title: 'List issue types',
  description:
    'The issue types of an organisation, or the ones a repository offers when repo is given.',
  input: z.object({
    owner: z.string().describe('The organisation, or the owner of repo'),
    repo: z
      .string()
      .optional()
      .describe('A repository: its issue types instead of the organisation’s'),
  }),
  output: z.object({ issueTypes: z.array(issueType) }),
  toolset: 'issues',
  annotations: READ,
  auditTarget: ['owner', 'repo'],
  async run(args, ctx) {
    let types: IssueType[];
    if (args.repo === undefined) {
      const org = checkOwner(args.owner);
      const { data } = await call(ctx, (octokit, req) =>
        octokit.request('GET /orgs/{org}/issue-types', { org, ...req }),
      );
      types = (
        data as {
          node_id: string;
          name: string;
          description: string | null;
          color?: string | null;
          is_enabled?: boolean;
        }[]
      ).map((raw) =>
        toType({
          id: raw.node_id,
          name: raw.name,
          description: raw.description,
          color: raw.color ?? null,
          ...(raw.is_enabled === undefined ? {} : { enabled: raw.is_enabled }),
        }),
      );
    } else {
      const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
      const data = await graphql<{
        repository: { issueTypes: { nodes: RawType[] } | null } | null;
      }>(ctx, REPOSITORY_ISSUE_TYPES, { owner: target.owner, repo: target.repo });
      types = (data.repository?.issueTypes?.nodes ?? []).map(toType);
    }
    const lines = types.map(
      (item) =>
        `${item.name}${item.description === undefined ? '' : ` — ${item.description}`}${item.enabled === false ? ' (disabled)' : ''}`,
    );
    return structured(
      { issueTypes: types },
      lines.length === 0 ? 'No issue types.' : lines.join('\n'),
    );
  },
});
