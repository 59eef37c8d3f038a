/**
 * @module
 * Finding people and starting conversations: `slack_find_users` (by handle, name or display name
 * through the cached directory, which walks users.list; by email through users.lookupByEmail),
 * `slack_open_dm` (conversations.open) and `slack_create_channel` (conversations.create, a new
 * power the operator turns on with `--allow-create-channels`; see `gates.ts`).
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool } from '../context.js';
import type { UserEntry } from '../directory.js';
import { clampLimit } from '../paging.js';
import { untrusted } from '../sanitize.js';
import {
  checkedWorkspace,
  directoryOf,
  resolveUser,
  slack,
  teamArgument,
  toUserEntry,
} from '../workspace.js';
import { limitField, POST, READ, SET } from './common.js';
import { userLine, userSchema } from './users.js';

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/** Best matches first: exact handle or name, then names that start with the query, then the rest. */
function rank(user: UserEntry, query: string): number {
  const names = [user.name, user.display_name, user.real_name]
    .filter((name): name is string => name !== undefined)
    .map((name) => name.toLowerCase());
  if (names.some((name) => name === query)) return 0;
  if (names.some((name) => name.startsWith(query) || name.includes(` ${query}`))) return 1;
  return names.some((name) => name.includes(query)) ? 2 : -1;
}

export const slackFindUsers = defineTool({
  name: 'slack_find_users',
  title: 'Find users',
  description:
    'Find people by handle, real or display name (part of one is enough), or by exact email address. Best matches first; deactivated accounts left out.',
  input: z.object({
    query: z.string().min(1).max(200).describe('A name, part of one, @handle, or email address'),
    limit: limitField(10, 50, 'people'),
  }),
  output: z.object({ users: z.array(userSchema), complete: z.boolean() }),
  annotations: READ,
  async run(args, ctx) {
    const query = args.query.trim();
    let users: UserEntry[];
    let complete = true;
    if (EMAIL.test(query)) {
      const found = await slack(ctx, 'users.lookupByEmail', (web) =>
        web.users.lookupByEmail({ email: query }),
      );
      users = found.user === undefined ? [] : [toUserEntry(found.user)];
    } else {
      const wanted = query.replace(/^@/, '').toLowerCase();
      await checkedWorkspace(ctx);
      const listing = await directoryOf(ctx).users();
      complete = listing.complete;
      users = listing.items
        .filter((user) => !user.deleted)
        .map((user) => ({ user, score: rank(user, wanted) }))
        .filter((match) => match.score >= 0)
        .sort((a, b) => a.score - b.score)
        .map((match) => match.user);
    }
    const shown = users.slice(0, clampLimit(args.limit, 10, 50));
    const text =
      shown.length === 0
        ? `Nobody matches "${query.slice(0, 80)}".`
        : `${shown.length} people:\n${untrusted('slack profiles', shown.map(userLine).join('\n'))}`;
    return structured(
      { users: shown.map((user) => ({ ...user })), complete },
      text + (complete ? '' : '\n(only part of the directory was searched)'),
    );
  },
});

export const slackOpenDm = defineTool({
  name: 'slack_open_dm',
  title: 'Open DM',
  description:
    'Open (or find) the direct message with one person, or a group DM with up to eight, and return its ID for posting and reading.',
  input: z.object({
    users: z
      .array(z.string().min(1).max(100))
      .min(1)
      .max(8)
      .describe('People, as user IDs (U…) or @handles'),
  }),
  output: z.object({ channel: z.string(), already_open: z.boolean() }),
  annotations: SET,
  auditTarget: ['users'],
  async run(args, ctx) {
    if (ctx.policy.limited)
      throw new ToolError(
        'SLACK_CHANNEL_IDS is set, so only those conversations can be used; a DM must be added there by the operator (use its D… ID).',
      );
    const people = await Promise.all(args.users.map((raw) => resolveUser(ctx, raw)));
    const ids = [...new Set(people.map((person) => person.id))];
    const opened = await slack(ctx, 'conversations.open', (web) =>
      web.conversations.open({ users: ids.join(','), return_im: false }),
    );
    const channel = opened.channel?.id;
    if (channel === undefined) throw new ToolError('Slack did not return the conversation.');
    const result = { channel, already_open: opened.already_open === true };
    return structured(
      result,
      `${result.already_open ? 'The' : 'Opened the'} conversation with ${ids.join(', ')}: ${channel}.`,
    );
  },
});

export const slackCreateChannel = defineTool({
  name: 'slack_create_channel',
  title: 'Create channel',
  description:
    'Create a public or private channel; the app becomes a member. Returns the new channel ID.',
  input: z.object({
    name: z
      .string()
      .min(1)
      .max(80)
      .describe('Lower case letters, digits, - and _ (at most 80), such as "proj-launch"'),
    is_private: z.boolean().optional().describe('Create a private channel (default public)'),
  }),
  output: z.object({ channel: z.string(), name: z.string(), is_private: z.boolean() }),
  requires: ['allowCreateChannels'],
  annotations: POST,
  auditTarget: ['name'],
  async run(args, ctx) {
    const name = args.name.trim().replace(/^#/, '');
    if (!/^[a-z0-9][a-z0-9_-]{0,79}$/.test(name))
      throw new ToolError(
        `name: "${args.name.slice(0, 80)}" is not a channel name; use lower case letters, digits, - and _.`,
      );
    if (ctx.policy.limited)
      throw new ToolError(
        'SLACK_CHANNEL_IDS is set, so a new channel could not be used; the operator adds channels there.',
      );
    const isPrivate = args.is_private === true;
    const created = await slack(ctx, 'conversations.create', (web) =>
      web.conversations.create({ name, is_private: isPrivate, ...teamArgument(ctx) }),
    );
    const channel = created.channel?.id;
    if (channel === undefined) throw new ToolError('Slack did not return the new channel.');
    ctx.logger.info('created a channel', { channel, private: isPrivate });
    return structured(
      { channel, name: created.channel?.name ?? name, is_private: isPrivate },
      `Created ${isPrivate ? 'private ' : ''}channel #${name} (${channel}).`,
    );
  },
});
