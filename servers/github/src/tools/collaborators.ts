/**
 * @module
 * Who can work on a repository: its collaborators with their role.
 */
import { structured } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool } from '../context.js';
import { listingText, listOf, pageFields, pagedShape, pageInput, startAt } from '../paging.js';
import { defined } from '../render.js';
import { sanitizeLine } from '../sanitize.js';
import { listPage, owner, READ, repo } from './common.js';

const collaborator = z.object({
  login: z.string(),
  type: z.string(),
  role: z.string().optional().describe('admin, maintain, write, triage, read or a custom role'),
});

export const listRepositoryCollaborators = defineTool({
  name: 'list_repository_collaborators',
  title: 'List repository collaborators',
  description:
    'The collaborators of a repository and their role; affiliation narrows to outside or direct collaborators. Needs push access.',
  input: z.object({
    owner,
    repo,
    affiliation: z
      .enum(['outside', 'direct', 'all'])
      .optional()
      .describe(
        'outside: outside collaborators only; direct: with direct permission; all (default)',
      ),
    ...pageInput,
  }),
  output: z.object({ collaborators: listOf(collaborator), ...pagedShape }),
  toolset: 'repos',
  annotations: READ,
  auditTarget: ['owner', 'repo'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const paged = await listPage(
      ctx,
      startAt(args),
      (octokit, req) =>
        octokit.rest.repos.listCollaborators({
          ...target,
          ...(args.affiliation === undefined ? {} : { affiliation: args.affiliation }),
          ...req,
        }),
      (raw) =>
        defined({
          login: sanitizeLine(raw.login, 60),
          type: raw.type,
          role: raw.role_name === undefined ? undefined : sanitizeLine(raw.role_name, 60),
        }),
    );
    const lines = paged.items.map(
      (item) =>
        `${item.login}${item.type === 'User' ? '' : ` (${item.type})`}: ${item.role ?? '?'}`,
    );
    return structured(
      { collaborators: paged.items, ...pageFields(paged) },
      listingText(lines, 'No collaborators.', paged, 'collaborators'),
    );
  },
});
