/**
 * @module
 * The workspace as tools see it: {@link slack} (a request made only after the token's workspace
 * was checked against SLACK_TEAM_ID), the directory wired to Slack, and the resolution of what a
 * model writes for a conversation (`C0123ABCD`, `#general`, `@alice` for a DM) or a person (`U…`,
 * `@alice`) into IDs, with the channel policy applied to the resolved ID.
 */
import { ToolError } from '@plugboard/protocol';
import type { WebClient } from '@slack/web-api';
import { request, type SlackContext } from './context.js';
import {
  createDirectory,
  walkPages,
  type ConversationEntry,
  type ConversationType,
  type Directory,
  type DirectorySources,
  type UserEntry,
  type WorkspaceInfo,
} from './directory.js';
import { CONVERSATION_ID, USER_ID } from './ids.js';
import { sanitizeLine } from './sanitize.js';
import type { TokenKind } from './slack-client.js';

interface SlackChannel {
  id?: string;
  name?: string;
  is_private?: boolean;
  is_im?: boolean;
  is_mpim?: boolean;
  is_member?: boolean;
  is_archived?: boolean;
  user?: string;
  num_members?: number;
  topic?: { value?: string };
  purpose?: { value?: string };
}

interface SlackMember {
  id?: string;
  name?: string;
  real_name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  is_admin?: boolean;
  tz?: string;
  profile?: {
    real_name?: string;
    display_name?: string;
    title?: string;
    email?: string;
  };
}

function typeOf(channel: SlackChannel): ConversationType {
  if (channel.is_im === true) return 'im';
  if (channel.is_mpim === true) return 'mpim';
  return channel.is_private === true ? 'private_channel' : 'public_channel';
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined || value === '' ? {} : { [key]: value }) as { [P in K]?: V };
}

/** A conversation trimmed to what a model needs, names and topics sanitised. */
export function toConversationEntry(channel: SlackChannel): ConversationEntry {
  return {
    id: channel.id ?? '',
    name: sanitizeLine(channel.name ?? '', 80),
    type: typeOf(channel),
    is_member: channel.is_member === true || channel.is_im === true,
    is_archived: channel.is_archived === true,
    ...optional('user', channel.user),
    ...optional('members', channel.num_members),
    ...optional('topic', sanitizeLine(channel.topic?.value ?? '', 250)),
    ...optional('purpose', sanitizeLine(channel.purpose?.value ?? '', 250)),
  };
}

export function toUserEntry(member: SlackMember): UserEntry {
  const profile = member.profile ?? {};
  return {
    id: member.id ?? '',
    name: sanitizeLine(member.name ?? '', 80),
    ...optional('real_name', sanitizeLine(profile.real_name ?? member.real_name ?? '', 120)),
    ...optional('display_name', sanitizeLine(profile.display_name ?? '', 120)),
    ...optional('title', sanitizeLine(profile.title ?? '', 160)),
    ...optional('email', profile.email),
    ...optional('tz', member.tz),
    is_bot: member.is_bot === true,
    ...(member.is_admin === true ? { is_admin: true } : {}),
    deleted: member.deleted === true,
  };
}

/** The `team_id` argument org-wide apps need on listing methods. */
export function teamArgument(ctx: SlackContext): { team_id?: string } {
  return ctx.config.teamId === undefined ? {} : { team_id: ctx.config.teamId };
}

function workspaceSource(ctx: SlackContext, kind: TokenKind): Promise<WorkspaceInfo> {
  return request(ctx, 'auth.test', (web) => web.auth.test(), kind).then((info) => {
    const url =
      typeof info.url === 'string' && /^https:\/\/[^/]+\/$/.test(info.url) ? info.url : undefined;
    const scopes = info.response_metadata?.scopes;
    return {
      teamId: info.team_id ?? '',
      enterpriseId:
        info.is_enterprise_install === true ? (info.enterprise_id ?? info.team_id) : undefined,
      teamName: sanitizeLine(info.team ?? '', 80),
      url,
      userId: info.user_id ?? '',
      botId: info.bot_id,
      scopes: scopes === undefined ? undefined : new Set(scopes),
    };
  });
}

/** Where the directory loads from for this call: Slack, with this call's signal and deadline. */
function directorySources(ctx: SlackContext): DirectorySources {
  return {
    workspace: (kind) => workspaceSource(ctx, kind),
    conversations: async (types) => {
      if (types.length === 0) return { items: [], complete: true };
      return walkPages(async (cursor) => {
        const page = await request(ctx, 'conversations.list', (web) =>
          web.conversations.list({
            types: types.join(','),
            exclude_archived: true,
            limit: 200,
            ...(cursor === '' ? {} : { cursor }),
            ...teamArgument(ctx),
          }),
        );
        return {
          items: (page.channels ?? []).map(toConversationEntry).filter((entry) => entry.id !== ''),
          nextCursor: page.response_metadata?.next_cursor,
        };
      });
    },
    users: () =>
      walkPages(async (cursor) => {
        const page = await request(ctx, 'users.list', (web) =>
          web.users.list({
            limit: 200,
            ...(cursor === '' ? {} : { cursor }),
            ...teamArgument(ctx),
          }),
        );
        return {
          items: (page.members ?? []).map(toUserEntry).filter((entry) => entry.id !== ''),
          nextCursor: page.response_metadata?.next_cursor,
        };
      }),
    user: async (id) => {
      const found = await request(ctx, 'users.info', (web) => web.users.info({ user: id }));
      return found.user === undefined ? undefined : toUserEntry(found.user);
    },
  };
}

/**
 * The directory for this call: the caches of whoever the call acts as (the operator's, or the
 * caller's own in hosted mode), loaded with this call's signal and deadline.
 */
export function directoryOf(ctx: SlackContext): Directory {
  const directory = async (): Promise<Directory> =>
    createDirectory((await ctx.sessions.of(ctx)).cache, directorySources(ctx), ctx.now, ctx.signal);
  return {
    workspace: async (kind) => (await directory()).workspace(kind),
    conversations: async () => (await directory()).conversations(),
    users: async () => (await directory()).users(),
    userNames: async (ids) => (await directory()).userNames(ids),
    user: async (id) => (await directory()).user(id),
  };
}

/**
 * Who the token is, checked against SLACK_TEAM_ID: a token for another workspace is refused
 * before it reads or writes anything there.
 */
export async function checkedWorkspace(
  ctx: SlackContext,
  kind: TokenKind = 'bot',
): Promise<WorkspaceInfo> {
  const info = await directoryOf(ctx).workspace(kind);
  const expected = ctx.config.teamId;
  if (expected !== undefined && info.enterpriseId === undefined && info.teamId !== expected)
    throw new ToolError(
      `The Slack ${kind} token belongs to workspace ${info.teamId}, but SLACK_TEAM_ID is ${expected}. The operator must make them match.`,
    );
  return info;
}

/** One Web API request, made after the token's workspace was checked. */
export async function slack<T>(
  ctx: SlackContext,
  method: string,
  run: (web: WebClient) => Promise<T>,
  kind: TokenKind = 'bot',
): Promise<T> {
  await checkedWorkspace(ctx, kind);
  return request(ctx, method, run, kind);
}

export interface ConversationRef {
  readonly id: string;
  /** `#general (C0123ABCD)`, or the ID alone, for messages. */
  readonly label: string;
  readonly name?: string;
}

function incompleteHint(complete: boolean, what: string): string {
  return complete ? '' : ` (only the first ${what} were searched; use the ID instead)`;
}

/** A person by ID, `@handle` or handle, display name or real name. */
export async function resolveUser(
  ctx: SlackContext,
  raw: string,
): Promise<{ id: string; name?: string }> {
  const value = raw.trim();
  if (USER_ID.test(value)) return { id: value };
  const handle = value.replace(/^@/, '').toLowerCase();
  if (handle === '' || handle.length > 80)
    throw new ToolError(`"${raw.slice(0, 40)}" is not a user ID (U…) or @handle.`);
  await checkedWorkspace(ctx);
  const listing = await directoryOf(ctx).users();
  const live = listing.items.filter((user) => !user.deleted);
  const match =
    live.find((user) => user.name.toLowerCase() === handle) ??
    live.find((user) => user.display_name?.toLowerCase() === handle) ??
    live.find((user) => user.real_name?.toLowerCase() === handle);
  if (match === undefined)
    throw new ToolError(
      `No user @${handle} in the workspace${incompleteHint(listing.complete, `${listing.items.length} people`)}. Find people with slack_get_users.`,
    );
  return { id: match.id, name: match.name };
}

/** Which of the policy's checks a conversation must pass. */
export type Access = 'read' | 'write';

function check(ctx: SlackContext, ref: ConversationRef, access: Access): ConversationRef {
  if (access === 'write') ctx.policy.checkWrite(ref.id, ref.label);
  else ctx.policy.checkRead(ref.id, ref.label);
  return ref;
}

/**
 * A conversation from an ID, `#name` (or a bare lower-case name), or `@handle` / user ID for the
 * DM with that person; refused unless the channel policy allows `access` to the resolved ID.
 */
export async function resolveConversation(
  ctx: SlackContext,
  raw: string,
  access: Access,
): Promise<ConversationRef> {
  const value = raw.trim();
  // An ID is checked before any request: a refused conversation is never even looked up.
  if (CONVERSATION_ID.test(value)) return check(ctx, { id: value, label: value }, access);
  const byName = /^#?([a-z0-9][a-z0-9._-]{0,79})$/.exec(value);
  const byUser = value.startsWith('@') || USER_ID.test(value);
  if (byName === null && !byUser)
    throw new ToolError(
      `"${raw.slice(0, 40)}" is not a conversation: give an ID such as C0123ABCD, a #channel-name, or an @handle for a DM.`,
    );
  await checkedWorkspace(ctx);
  const listing = await directoryOf(ctx).conversations();
  if (byName !== null && !byUser) {
    const name = byName[1]!.toLowerCase();
    const found = listing.items.find(
      (entry) => entry.type !== 'im' && entry.name.toLowerCase() === name,
    );
    if (found === undefined)
      throw new ToolError(
        `No channel #${name} that the token can see${incompleteHint(listing.complete, `${listing.items.length} conversations`)}. Private channels are visible only once the app is a member; list channels with slack_list_channels.`,
      );
    return check(
      ctx,
      { id: found.id, label: `#${found.name} (${found.id})`, name: found.name },
      access,
    );
  }
  const person = await resolveUser(ctx, value);
  const dm = listing.items.find((entry) => entry.type === 'im' && entry.user === person.id);
  const who = person.name === undefined ? person.id : `@${person.name}`;
  if (dm === undefined)
    throw new ToolError(
      `No direct message with ${who} is open to this token (it needs the im:read scope, and the person must have a DM with the app).`,
    );
  return check(ctx, { id: dm.id, label: `the DM with ${who} (${dm.id})`, name: who }, access);
}
