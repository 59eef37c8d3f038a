/**
 * @module
 * Issue types (Bug, Feature, Task, ...): an organisation's, or those a repository offers, by the
 * names `issue_write`-style tools and searches (`type:Bug`) use. Issue types belong to the
 * organisation (GitHub's GraphQL schema has none on a repository), so a repository offers its
 * owner's, read through the same REST endpoint once the repository passed the allowlist.
 */
import { structured } from '@plugboard/protocol';
import { z } from 'zod';
import { call, defineTool, type GithubContext } from '../context.js';
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

/** `GET /orgs/{org}/issue-types` as GitHub answers it. */
interface RawType {
  node_id: string;
  name: string;
  description: string | null;
  color?: string | null;
  is_enabled?: boolean;
}

function toType(raw: RawType): IssueType {
  return defined({
    id: raw.node_id,
    name: sanitizeLine(raw.name, 100),
    description:
      raw.description === null || raw.description === ''
        ? undefined
        : sanitizeLine(raw.description, 300),
    color: raw.color ?? undefined,
    enabled: raw.is_enabled,
  });
}

async function issueTypesOf(ctx: GithubContext, org: string): Promise<IssueType[]> {
  const { data } = await call(ctx, (octokit, req) =>
    octokit.request('GET /orgs/{org}/issue-types', { org, ...req }),
  );
  return (data as RawType[]).map(toType);
}

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
      .describe('A repository of owner: the issue types it offers, its organisation’s'),
  }),
  output: z.object({ issueTypes: z.array(issueType) }),
  toolset: 'issues',
  annotations: READ,
  auditTarget: ['owner', 'repo'],
  async run(args, ctx) {
    const org =
      args.repo === undefined
        ? checkOwner(args.owner)
        : (await ctx.policy.target(ctx, args.owner, args.repo, 'read')).owner;
    const types = await issueTypesOf(ctx, org);
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
