/**
 * @module
 * Labels of a repository: list, read one, create one. Applying labels to an issue is update_issue.
 */
import { structured } from '@plugboard/protocol';
import { z } from 'zod';
import { call, defineTool } from '../context.js';
import { pageFields, pagedShape, startAt, listOf, listingText, pageInput } from '../paging.js';
import { defined } from '../render.js';
import { sanitizeLine } from '../sanitize.js';
import { checkSegment } from '../validate.js';
import { CREATE, listPage, owner, READ, repo } from './common.js';

const label = z.object({ name: z.string(), color: z.string(), description: z.string().optional() });

function toLabel(raw: { name: string; color: string; description: string | null }) {
  return defined({
    name: sanitizeLine(raw.name, 100),
    color: raw.color,
    description:
      raw.description === null || raw.description === ''
        ? undefined
        : sanitizeLine(raw.description, 200),
  });
}

function labelLine(item: z.infer<typeof label>): string {
  return `${item.name} #${item.color}${item.description === undefined ? '' : ` — ${item.description}`}`;
}

export const listLabels = defineTool({
  name: 'list_labels',
  title: 'List labels',
  description: 'The labels defined in a repository, with colors and descriptions.',
  input: z.object({ owner, repo, ...pageInput }),
  output: z.object({ labels: listOf(label), ...pagedShape }),
  toolset: 'labels',
  annotations: READ,
  auditTarget: ['owner', 'repo'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const paged = await listPage(
      ctx,
      startAt(args, 100),
      (octokit, req) => octokit.rest.issues.listLabelsForRepo({ ...target, ...req }),
      toLabel,
    );
    return structured(
      { labels: paged.items, ...pageFields(paged) },
      listingText(paged.items.map(labelLine), 'No labels.', paged, 'labels'),
    );
  },
});

export const getLabel = defineTool({
  name: 'get_label',
  title: 'Get label',
  description: 'One label of a repository by name.',
  input: z.object({ owner, repo, name: z.string().describe('Label name') }),
  output: label,
  toolset: 'labels',
  annotations: READ,
  auditTarget: ['owner', 'repo', 'name'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const name = checkSegment(args.name, 'name');
    const { data } = await call(ctx, (octokit, req) =>
      octokit.rest.issues.getLabel({ ...target, name, ...req }),
    );
    const item = toLabel(data);
    return structured(item, labelLine(item));
  },
});

export const createLabel = defineTool({
  name: 'create_label',
  title: 'Create label',
  description: 'Define a new label in a repository.',
  input: z.object({
    owner,
    repo,
    name: z.string().min(1).max(50).describe('Label name'),
    color: z
      .string()
      .regex(/^#?[0-9a-fA-F]{6}$/)
      .optional()
      .describe('Hex color such as "d73a4a" (default: GitHub picks one)'),
    description: z.string().max(100).optional().describe('Short description'),
  }),
  output: label,
  toolset: 'labels',
  annotations: CREATE,
  auditTarget: ['owner', 'repo', 'name'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'write');
    const name = checkSegment(args.name, 'name');
    const { data } = await call(ctx, (octokit, req) =>
      octokit.rest.issues.createLabel({
        ...target,
        name,
        ...defined({ color: args.color?.replace(/^#/, ''), description: args.description }),
        ...req,
      }),
    );
    const item = toLabel(data);
    return structured(item, `Created label ${labelLine(item)}`);
  },
});
