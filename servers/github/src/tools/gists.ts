/**
 * @module
 * Gists: list (yours or a user's), read one, create one. New gists are secret unless asked
 * otherwise, and a public gist counts as publishing for the private-to-public guard.
 */
import { structured, ToolError, utf8Length } from '@plugboard/protocol';
import { z } from 'zod';
import { call, defineTool } from '../context.js';
import { pageFields, pagedShape, startAt, listOf, listingText, pageInput } from '../paging.js';
import { day, defined, login, untrusted } from '../render.js';
import { sanitizeLine } from '../sanitize.js';
import { checkOwner } from '../validate.js';
import { CREATE, itemBudget, listPage, READ } from './common.js';

const gistId = z
  .string()
  .regex(/^[0-9a-f]{1,64}$/i)
  .describe('Gist id (hex, from list_gists or the gist URL)');

const gistSummary = z.object({
  id: z.string(),
  description: z.string().optional(),
  public: z.boolean(),
  files: z.array(z.string()),
  owner: z.string().optional(),
  updatedAt: z.string(),
  url: z.string(),
});

interface RawGist {
  id: string;
  description: string | null;
  public: boolean;
  files: Record<
    string,
    {
      filename?: string;
      size?: number;
      language?: string | null;
      content?: string;
      truncated?: boolean;
    } | null
  >;
  owner?: { login: string } | null;
  updated_at: string;
  html_url: string;
}

function summarize(raw: RawGist) {
  return defined({
    id: raw.id,
    description:
      raw.description === null || raw.description === ''
        ? undefined
        : sanitizeLine(raw.description),
    public: raw.public,
    files: Object.keys(raw.files).map((name) => sanitizeLine(name, 200)),
    owner: login(raw.owner),
    updatedAt: raw.updated_at,
    url: raw.html_url,
  });
}

function gistLine(gist: z.infer<typeof gistSummary>): string {
  return `${gist.id} ${gist.public ? 'public' : 'secret'} ${gist.files.join(', ')}${gist.description === undefined ? '' : ` — ${gist.description}`} (${day(gist.updatedAt)})`;
}

export const listGists = defineTool({
  name: 'list_gists',
  title: 'List gists',
  description: "Your gists, or a user's public gists, newest first.",
  input: z.object({
    username: z
      .string()
      .optional()
      .describe('Whose public gists (default: yours, secret ones included)'),
    since: z.string().optional().describe('Only gists updated after this ISO 8601 time'),
    ...pageInput,
  }),
  output: z.object({ gists: listOf(gistSummary), ...pagedShape }),
  toolset: 'gists',
  annotations: READ,
  auditTarget: ['username'],
  async run(args, ctx) {
    const username =
      args.username === undefined ? undefined : checkOwner(args.username, 'username');
    const since = defined({ since: args.since });
    const paged = await listPage(
      ctx,
      startAt(args),
      (octokit, req) =>
        username === undefined
          ? octokit.rest.gists.list({ ...since, ...req })
          : octokit.rest.gists.listForUser({ username, ...since, ...req }),
      summarize,
    );
    return structured(
      { gists: paged.items, ...pageFields(paged) },
      listingText(paged.items.map(gistLine), 'No gists.', paged, 'gists'),
    );
  },
});

const gistFile = z.object({
  filename: z.string(),
  language: z.string().optional(),
  size: z.number(),
  content: z.string().optional(),
  truncated: z.boolean(),
});

export const getGist = defineTool({
  name: 'get_gist',
  title: 'Get gist',
  description:
    'One gist with the content of its files (or of one file). Files too large for one answer are marked truncated.',
  input: z.object({ gistId, filename: z.string().optional().describe('Only this file') }),
  output: gistSummary.extend({ contents: listOf(gistFile), truncated: z.boolean() }),
  toolset: 'gists',
  annotations: READ,
  auditTarget: ['gistId'],
  async run(args, ctx) {
    const { data } = await call(ctx, (octokit, req) =>
      octokit.rest.gists.get({ gist_id: args.gistId, ...req }),
    );
    const raw = data as RawGist;
    let budget = itemBudget(ctx);
    const files = Object.values(raw.files).filter(
      (file) => file !== null && (args.filename === undefined || file.filename === args.filename),
    );
    if (args.filename !== undefined && files.length === 0)
      throw new ToolError(`filename: the gist has no file "${sanitizeLine(args.filename, 100)}".`);
    const contents = files.map((file) => {
      const content = file?.content ?? '';
      const fits = utf8Length(content) <= budget;
      budget -= fits ? utf8Length(content) : 0;
      return defined({
        filename: sanitizeLine(file?.filename ?? '', 200),
        language: file?.language ?? undefined,
        size: file?.size ?? 0,
        content: fits ? content : undefined,
        truncated: !fits || file?.truncated === true,
      });
    });
    const truncated = contents.some((file) => file.truncated);
    const summary = summarize(raw);
    const blocks = contents.map(
      (file) =>
        `--- ${file.filename} (${file.size} B)${file.content === undefined ? ' not shown: too large for one answer; ask for this file alone' : `\n${untrusted('gist file', file.content, summary.owner)}`}`,
    );
    return structured(
      { ...summary, contents, truncated },
      `${gistLine(summary)}\n${blocks.join('\n')}`,
    );
  },
});

export const createGist = defineTool({
  name: 'create_gist',
  title: 'Create gist',
  description: 'Create a gist from one or more files. Secret (unlisted) unless public is true.',
  input: z.object({
    description: z.string().max(1000).optional().describe('Gist description'),
    files: z
      .array(
        z.object({
          filename: z.string().min(1).max(200).describe('File name'),
          content: z.string().min(1).describe('File content'),
        }),
      )
      .min(1)
      .max(20)
      .describe('Files of the gist'),
    public: z.boolean().optional().describe('Make the gist public (default false: secret)'),
  }),
  output: gistSummary,
  toolset: 'gists',
  annotations: CREATE,
  async run(args, ctx) {
    if (args.public === true) await ctx.policy.guardPublicSink(ctx, 'a public gist');
    const files = Object.fromEntries(
      args.files.map((file) => [file.filename, { content: file.content }]),
    );
    const { data } = await call(ctx, (octokit, req) =>
      octokit.rest.gists.create({
        files,
        public: args.public === true,
        ...(args.description === undefined ? {} : { description: args.description }),
        ...req,
      }),
    );
    const summary = summarize(data as RawGist);
    return structured(
      summary,
      `Created ${summary.public ? 'public' : 'secret'} gist ${summary.id}: ${summary.url}`,
    );
  },
});
