/**
 * @module
 * People: `slack_get_users` (the workspace's members, paged) and `slack_get_user_profile` (one
 * person's profile, by ID or @handle).
 */
import { structured } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool } from '../context.js';
import type { UserEntry } from '../directory.js';
import {
  clampLimit,
  continuation,
  cursorField,
  cursorParam,
  decodeCursor,
  nextSlackCursor,
  pageFields,
  pagedShape,
  pageWithin,
} from '../paging.js';
import { sanitizeLine, untrusted } from '../sanitize.js';
import { directoryOf, resolveUser, slack, teamArgument, toUserEntry } from '../workspace.js';
import { limitField, READ } from './common.js';

export const userSchema = z.object({
  id: z.string(),
  name: z.string().describe('The handle, as in @name'),
  real_name: z.string().optional(),
  display_name: z.string().optional(),
  title: z.string().optional(),
  email: z.string().optional(),
  tz: z.string().optional(),
  is_bot: z.boolean(),
  is_admin: z.boolean().optional(),
  deleted: z.boolean(),
});

export function userLine(user: UserEntry): string {
  const names = [user.real_name, user.display_name].filter(
    (name, index, all) => name !== undefined && name !== '' && all.indexOf(name) === index,
  );
  const flags = [
    user.is_bot ? 'bot' : '',
    user.deleted ? 'deactivated' : '',
    user.is_admin ? 'admin' : '',
  ]
    .filter((flag) => flag !== '')
    .join(', ');
  return [
    `${user.id} @${user.name}`,
    names.length === 0 ? '' : ` (${names.join(' / ')})`,
    user.title === undefined ? '' : ` ${user.title}`,
    user.tz === undefined ? '' : ` [${user.tz}]`,
    flags === '' ? '' : ` {${flags}}`,
  ].join('');
}

export const slackGetUsers = defineTool({
  name: 'slack_get_users',
  title: 'Get users',
  description:
    'List the people in the workspace with their IDs, handles, names, titles and time zones (deactivated accounts left out unless asked). Paged; pass next_cursor to continue.',
  input: z.object({
    cursor: cursorField,
    limit: limitField(100, 200, 'people'),
    include_deleted: z
      .boolean()
      .optional()
      .describe('Also list deactivated accounts (default false)'),
    include_bots: z.boolean().optional().describe('Also list bots and apps (default true)'),
  }),
  output: z.object({ users: z.array(userSchema), ...pagedShape }),
  annotations: READ,
  async run(args, ctx) {
    const limit = clampLimit(args.limit, 100, 200);
    const at = decodeCursor(args.cursor);
    const result = await slack(ctx, 'users.list', (web) =>
      web.users.list({
        limit,
        ...cursorParam(at),
        ...teamArgument(ctx),
      }),
    );
    const users = (result.members ?? [])
      .map(toUserEntry)
      .filter(
        (user) =>
          user.id !== '' &&
          (args.include_deleted === true || !user.deleted) &&
          (args.include_bots !== false || !user.is_bot),
      );
    const next = nextSlackCursor(result.response_metadata?.next_cursor, at.cursor);
    const paged = pageWithin(
      users,
      at,
      next === undefined ? undefined : { cursor: next, page: 1, skip: 0 },
      ctx.config.outputBudget,
    );
    const text =
      paged.items.length === 0
        ? 'No people on this page.'
        : `${paged.items.length} people:\n${untrusted('slack profiles', paged.items.map(userLine).join('\n'))}`;
    return structured(
      { users: paged.items.map((user) => ({ ...user })), ...pageFields(paged) },
      text + continuation(paged, 'people'),
    );
  },
});

interface SlackProfile {
  real_name?: string;
  display_name?: string;
  title?: string;
  email?: string;
  phone?: string;
  pronouns?: string;
  status_text?: string;
  status_emoji?: string;
  fields?: Record<string, { value?: string; label?: string; alt?: string }> | null;
}

const profileSchema = z.object({
  id: z.string(),
  name: z.string().optional().describe('The handle'),
  real_name: z.string().optional(),
  display_name: z.string().optional(),
  title: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  pronouns: z.string().optional(),
  status: z.string().optional(),
  tz: z.string().optional(),
  fields: z.array(z.object({ label: z.string(), value: z.string() })).optional(),
});

type ProfileRecord = z.infer<typeof profileSchema>;

export const slackGetUserProfile = defineTool({
  name: 'slack_get_user_profile',
  title: 'Get user profile',
  description:
    "Get one person's profile: names, title, email and phone (when the token may see them), status, time zone and custom fields. Takes a user ID or @handle.",
  input: z.object({
    user_id: z
      .string()
      .min(1)
      .max(100)
      .describe('The person: a user ID such as U0123ABCD, or an @handle'),
  }),
  output: profileSchema,
  annotations: READ,
  auditTarget: ['user_id'],
  async run(args, ctx) {
    const person = await resolveUser(ctx, args.user_id);
    const [result, entry] = await Promise.all([
      slack(ctx, 'users.profile.get', (web) =>
        web.users.profile.get({ user: person.id, include_labels: true }),
      ),
      directoryOf(ctx)
        .user(person.id)
        .catch(() => undefined),
    ]);
    const profile = (result.profile ?? {}) as SlackProfile;
    const record: ProfileRecord = { id: person.id };
    const set = (
      key: Exclude<keyof ProfileRecord, 'id' | 'fields'>,
      value: string | undefined,
      max = 200,
    ): void => {
      const clean = value === undefined ? '' : sanitizeLine(value, max);
      if (clean !== '') record[key] = clean;
    };
    set('name', entry?.name ?? person.name);
    set('real_name', profile.real_name);
    set('display_name', profile.display_name);
    set('title', profile.title);
    set('email', profile.email);
    set('phone', profile.phone);
    set('pronouns', profile.pronouns);
    set(
      'status',
      [profile.status_emoji, profile.status_text]
        .filter((part) => part !== undefined && part !== '')
        .join(' '),
    );
    set('tz', entry?.tz);
    const fields = Object.values(profile.fields ?? {})
      .slice(0, 30)
      .map((field) => ({
        label: sanitizeLine(field.label ?? '', 80),
        value: sanitizeLine(
          field.alt !== undefined && field.alt !== '' ? field.alt : (field.value ?? ''),
          300,
        ),
      }))
      .filter((field) => field.value !== '');
    if (fields.length > 0) record.fields = fields;
    const lines = [
      `${record.id}${record.name === undefined ? '' : ` @${record.name}`}`,
      ...(
        [
          'real_name',
          'display_name',
          'title',
          'email',
          'phone',
          'pronouns',
          'status',
          'tz',
        ] as const
      )
        .filter((key) => record[key] !== undefined)
        .map((key) => `${key}: ${record[key]!}`),
      ...(record.fields ?? []).map((field) => `${field.label}: ${field.value}`),
    ];
    return structured(record, untrusted('slack profile', lines.join('\n')));
  },
});
