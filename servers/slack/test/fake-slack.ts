/**
 * @module
 * A local stand-in for slack.com's Web API that speaks its wire format: form-encoded (or JSON)
 * POSTs to `/api/<method>`, the token in `Authorization: Bearer`, `{ok: true, …}` bodies and
 * `{ok: false, error, needed, provided}` failures with HTTP 200, `x-oauth-scopes` headers,
 * `response_metadata.next_cursor` pagination, page/count paging for search and files, 429 with
 * Retry-After, and private file downloads that redirect to a sign-in page without a valid token.
 * The real `@slack/web-api` client reaches it through SLACK_API_URL; every request is recorded.
 */
import {
  fakeHttp,
  type FakeHandler,
  type FakeHttp,
  type FakeResponse,
  type RecordedRequest,
} from '@plugboard/testing';
import {
  applyChanges,
  CanvasFailure,
  canvasHtml,
  lookupSections,
  toSections,
  type CanvasChange,
  type FakeCanvas,
} from './fake-canvases.js';
import {
  fakeSlackOAuth,
  type FakeSlackApp,
  type FakeSlackOAuth,
  type FakeSlackPerson,
  type IssuedToken,
} from './fake-slack-oauth.js';

export const BOT_TOKEN = 'xoxb-1111-2222-TestBotTokenThatMustNeverLeak';
/** The app's bot ID, as auth.test gives it for the bot token. */
export const BOT_ID = 'B0BOT';
export const USER_TOKEN = 'xoxp-3333-4444-TestUserTokenThatMustNeverLeak';

export const BOT_SCOPES = [
  'channels:read',
  'channels:history',
  'groups:read',
  'groups:history',
  'im:read',
  'im:history',
  'mpim:read',
  'mpim:history',
  'chat:write',
  'reactions:write',
  'users:read',
  'users.profile:read',
  'files:read',
  'files:write',
  'users:read.email',
  'im:write',
  'mpim:write',
  'channels:manage',
  'groups:write',
  'canvases:read',
  'canvases:write',
] as const;

/** The scopes the official server's README asks for. */
export const OFFICIAL_SCOPES = [
  'channels:history',
  'channels:read',
  'chat:write',
  'reactions:write',
  'users:read',
  'users.profile:read',
] as const;

/** 2026-11-21T12:00:00Z: the clock of the fake and of the server under test. */
export const NOW = Date.parse('2026-11-21T12:00:00Z');
/** Messages start at 2026-11-21T08:00:00Z, one a minute. */
export const BASE_SECONDS = Date.parse('2026-11-21T08:00:00Z') / 1000;

export function tsAt(minute: number, sequence = 100): string {
  return `${BASE_SECONDS + minute * 60}.${String(sequence).padStart(6, '0')}`;
}

export type TokenInfo = IssuedToken;

export interface FakeChannel {
  id: string;
  name?: string;
  is_private?: boolean;
  is_im?: boolean;
  is_mpim?: boolean;
  is_member: boolean;
  is_archived?: boolean;
  user?: string;
  num_members?: number;
  topic?: { value: string };
  purpose?: { value: string };
}

export interface FakeUser {
  id: string;
  name: string;
  deleted?: boolean;
  is_bot?: boolean;
  is_admin?: boolean;
  tz?: string;
  profile: {
    real_name?: string;
    display_name?: string;
    title?: string;
    email?: string;
    phone?: string;
    status_text?: string;
    status_emoji?: string;
    fields?: Record<string, { value: string; alt: string; label?: string }>;
  };
}

export interface FakeMessage {
  ts: string;
  user?: string;
  bot_id?: string;
  text: string;
  thread_ts?: string;
  reply_count?: number;
  reactions?: { name: string; count: number; users: string[] }[];
  files?: { id: string; name: string; filetype: string }[];
  subtype?: string;
}

export interface FakeFile {
  id: string;
  name: string;
  title?: string;
  filetype: string;
  mimetype: string;
  user: string;
  created: number;
  channels: string[];
  groups?: string[];
  ims?: string[];
  content: string | Uint8Array;
  /** Where url_private points, when not the fake itself. */
  url?: string;
}

export interface Workspace {
  team: { id: string; name: string; domain: string };
  channels: FakeChannel[];
  users: FakeUser[];
  messages: Record<string, FakeMessage[]>;
  files: FakeFile[];
  /** Canvases (files too, kept as sections for lookups and edits). */
  canvases: FakeCanvas[];
  /** Messages waiting to be posted, with who scheduled them (Slack lists only the caller's). */
  scheduled: { id: string; channel: string; post_at: number; text: string; user?: string }[];
  /** Uploads begun with files.getUploadURLExternal, by file ID, until completed. */
  uploads: Map<string, { filename: string; length: number; received?: string }>;
  /** The user token's read position per conversation (bots have none). */
  lastRead: Record<string, string>;
}

export function defaultWorkspace(): Workspace {
  const general: FakeMessage[] = [
    { ts: tsAt(0), user: 'U0ALICE', text: 'Good morning <@U0BOB>, the deploy is at 10' },
    {
      ts: tsAt(5),
      user: 'U0BOB',
      text: 'Thread about the release',
      reply_count: 2,
      thread_ts: tsAt(5),
      reactions: [{ name: 'eyes', count: 2, users: ['U0ALICE', 'U0ADMIN'] }],
    },
    { ts: tsAt(6), user: 'U0ALICE', text: 'First reply', thread_ts: tsAt(5) },
    { ts: tsAt(7), user: 'U0ADMIN', text: 'Second reply &amp; done', thread_ts: tsAt(5) },
    {
      ts: tsAt(10),
      user: 'U0ALICE',
      text: 'Notes are in <https://docs.example.com/notes|the doc> &lt;3',
      files: [{ id: 'F0NOTES', name: 'notes.txt', filetype: 'text' }],
    },
    { ts: tsAt(20), bot_id: 'B0BOT', user: 'U0BOT', text: 'Build passed', subtype: 'bot_message' },
  ];
  return {
    team: { id: 'T0TEST', name: 'Acme', domain: 'acme' },
    channels: [
      {
        id: 'C0GENERAL',
        name: 'general',
        is_member: true,
        num_members: 4,
        topic: { value: 'Company-wide announcements' },
        purpose: { value: 'Everyone' },
      },
      { id: 'C0RANDOM', name: 'random', is_member: true, num_members: 3 },
      { id: 'C0SECRET', name: 'secret-plans', is_private: true, is_member: true, num_members: 2 },
      { id: 'C0NOTIN', name: 'not-joined', is_member: false, num_members: 9 },
      { id: 'C0OLD', name: 'old-stuff', is_member: true, is_archived: true },
      { id: 'D0ALICE', is_im: true, is_member: true, user: 'U0ALICE' },
      {
        id: 'G0GROUP',
        name: 'mpdm-alice--bob-1',
        is_mpim: true,
        is_private: true,
        is_member: true,
      },
    ],
    users: [
      {
        id: 'U0ALICE',
        name: 'alice',
        tz: 'Europe/London',
        profile: {
          real_name: 'Alice Liddell',
          display_name: 'Alice',
          title: 'Engineer',
          email: 'alice@acme.example',
          phone: '+44 20 0000 0000',
          status_text: 'Deploying',
          status_emoji: ':rocket:',
          fields: { Xf01: { value: 'Platform', alt: '', label: 'Team' } },
        },
      },
      { id: 'U0BOB', name: 'bob', tz: 'America/New_York', profile: { real_name: 'Bob Builder' } },
      { id: 'U0ADMIN', name: 'admin', is_admin: true, profile: { real_name: 'Ada Admin' } },
      { id: 'U0BOT', name: 'mybot', is_bot: true, profile: { real_name: 'My Bot' } },
      { id: 'U0GONE', name: 'gone', deleted: true, profile: { real_name: 'Former Person' } },
    ],
    messages: {
      C0GENERAL: general,
      C0RANDOM: [{ ts: tsAt(1), user: 'U0BOB', text: 'random chatter' }],
      C0SECRET: [{ ts: tsAt(2), user: 'U0ADMIN', text: 'the secret plan' }],
      D0ALICE: [{ ts: tsAt(3), user: 'U0ALICE', text: 'hi bot, a private note' }],
      G0GROUP: [{ ts: tsAt(4), user: 'U0BOB', text: 'group chat' }],
      C0NOTIN: [{ ts: tsAt(4), user: 'U0BOB', text: 'you cannot read this' }],
    },
    files: [
      {
        id: 'F0NOTES',
        name: 'notes.txt',
        title: 'Release notes',
        filetype: 'text',
        mimetype: 'text/plain',
        user: 'U0ALICE',
        created: BASE_SECONDS + 600,
        channels: ['C0GENERAL'],
        content: 'Release notes\nline two\n',
      },
      {
        id: 'F0IMAGE',
        name: 'photo.png',
        filetype: 'png',
        mimetype: 'image/png',
        user: 'U0BOB',
        created: BASE_SECONDS + 700,
        channels: ['C0GENERAL'],
        content: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]),
      },
      {
        id: 'F0SECRET',
        name: 'secret.txt',
        filetype: 'text',
        mimetype: 'text/plain',
        user: 'U0ADMIN',
        created: BASE_SECONDS + 800,
        channels: [],
        groups: ['C0SECRET'],
        content: 'top secret\n',
      },
    ],
    canvases: defaultCanvases(),
    scheduled: [],
    uploads: new Map(),
    lastRead: {
      C0GENERAL: tsAt(5),
      C0RANDOM: tsAt(1),
      C0SECRET: tsAt(2),
      D0ALICE: '0000000000.000000',
    },
  };
}

function defaultCanvases(): FakeCanvas[] {
  let sequence = 0;
  const id = (canvas: string) => () => `temp:C:${canvas}${String(++sequence).padStart(4, '0')}`;
  return [
    {
      id: 'F0CANVAS',
      title: 'Release plan',
      user: 'U0ALICE',
      created: BASE_SECONDS + 900,
      channel: 'C0GENERAL',
      shared: [],
      sections: toSections(
        [
          '# Release plan',
          'Ship on **Friday**; see [the plan](https://docs.example.com/plan)',
          '## Risks',
          '- rollback tested',
          '- the database migration',
          '## Owners',
          'Alice runs the deploy',
        ].join('\n'),
        id('CANVAS'),
      ),
    },
    {
      id: 'F0SECRETCV',
      title: 'Secret roadmap',
      user: 'U0ADMIN',
      created: BASE_SECONDS + 950,
      channel: 'C0SECRET',
      shared: [],
      sections: toSections('# Roadmap\nthe secret plan', id('SECRET')),
    },
    {
      id: 'F0HANDBOOK',
      title: 'Handbook',
      user: 'U0ADMIN',
      created: BASE_SECONDS + 960,
      shared: ['C0RANDOM'],
      access: 'read',
      sections: toSections('# Handbook\nBe kind', id('HANDBOOK')),
    },
  ];
}

export interface FakeSlackOptions {
  readonly tokens?: Readonly<Record<string, TokenInfo>>;
  readonly workspace?: Workspace;
  readonly now?: number;
  /** The operator's Slack app, for the OAuth endpoints, and who can sign in to it. */
  readonly oauth?: { readonly app: FakeSlackApp; readonly people: readonly FakeSlackPerson[] };
}

export interface FakeSlack {
  /** Root of the fake, `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** What SLACK_API_URL should be: `<url>/api/`. */
  readonly apiUrl: string;
  readonly http: FakeHttp;
  readonly workspace: Workspace;
  /** Recorded Web API requests, optionally of one method only. */
  calls(method?: string): RecordedRequest[];
  /** The OAuth endpoints, when `oauth` was given. */
  readonly oauth: FakeSlackOAuth | undefined;
  /** Answers `method` with `handler` instead of the model workspace (later overrides win). */
  override(method: string, handler: FakeHandler | FakeResponse): void;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

type Args = Record<string, string>;

class SlackFailure extends Error {
  readonly error: string;
  readonly extra: Record<string, unknown>;

  constructor(error: string, extra: Record<string, unknown> = {}) {
    super(error);
    this.error = error;
    this.extra = extra;
  }
}

/** Form-encoded and JSON bodies both arrive as string maps, as Slack reads them. */
function argsOf(request: RecordedRequest): Args {
  const body = request.body;
  const out: Args = {};
  for (const [key, value] of Object.entries(request.query))
    out[key] = Array.isArray(value) ? (value[0] ?? '') : value;
  if (typeof body === 'object' && body !== null) {
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      out[key] = typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  return out;
}

function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64');
}

function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return 0;
  const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (match === null) throw new SlackFailure('invalid_cursor');
  return Number(match[1]);
}

function paginate<T>(items: readonly T[], args: Args, fallback = 100): { page: T[]; next: string } {
  const offset = decodeCursor(args.cursor);
  const limit = Math.max(1, Number(args.limit ?? fallback) || fallback);
  const page = items.slice(offset, offset + limit);
  return { page, next: offset + limit < items.length ? encodeCursor(offset + limit) : '' };
}

function typeOf(channel: FakeChannel): 'public_channel' | 'private_channel' | 'mpim' | 'im' {
  if (channel.is_im === true) return 'im';
  if (channel.is_mpim === true) return 'mpim';
  return channel.is_private === true ? 'private_channel' : 'public_channel';
}

const READ_SCOPE = {
  public_channel: 'channels:read',
  private_channel: 'groups:read',
  mpim: 'mpim:read',
  im: 'im:read',
} as const;

const WRITE_SCOPE = {
  public_channel: 'channels:write',
  private_channel: 'groups:write',
  mpim: 'mpim:write',
  im: 'im:write',
} as const;

const WRITE_SCOPES = Object.values(WRITE_SCOPE);

const HISTORY_SCOPE = {
  public_channel: 'channels:history',
  private_channel: 'groups:history',
  mpim: 'mpim:history',
  im: 'im:history',
} as const;

export async function fakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const workspace = options.workspace ?? defaultWorkspace();
  const now = options.now ?? NOW;
  const tokens = new Map<string, TokenInfo>(
    Object.entries(
      options.tokens ?? {
        [BOT_TOKEN]: { kind: 'bot', scopes: BOT_SCOPES, userId: 'U0BOT' },
        [USER_TOKEN]: {
          kind: 'user',
          scopes: [...BOT_SCOPES, ...WRITE_SCOPES, 'search:read'],
          userId: 'U0ALICE',
        },
      },
    ),
  );
  const oauth =
    options.oauth === undefined
      ? undefined
      : fakeSlackOAuth(options.oauth.app, options.oauth.people, workspace.team, tokens);
  const overrides = new Map<string, FakeHandler | FakeResponse>();
  let sequence = 0;
  let origin = '';

  const tokenOf = (request: RecordedRequest, args: Args): TokenInfo => {
    const header = request.headers.authorization;
    const raw =
      typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : args.token;
    if (raw === undefined || raw === '') throw new SlackFailure('not_authed');
    const info = tokens.get(raw);
    if (info === undefined) throw new SlackFailure('invalid_auth');
    if (info.expiresAt !== undefined && info.expiresAt <= Date.now())
      throw new SlackFailure('token_expired');
    return info;
  };

  const need = (token: TokenInfo, scope: string): void => {
    if (!token.scopes.includes(scope))
      throw new SlackFailure('missing_scope', { needed: scope, provided: token.scopes.join(',') });
  };

  const channel = (id: string | undefined): FakeChannel => {
    const found = workspace.channels.find((candidate) => candidate.id === id);
    if (found === undefined) throw new SlackFailure('channel_not_found');
    return found;
  };

  /** Whether the token's person is in `found`: their own list when they have one, else everyone's. */
  const isMember = (found: FakeChannel, token: TokenInfo): boolean =>
    token.channels === undefined ? found.is_member : token.channels.includes(found.id);

  const readable = (
    token: TokenInfo,
    id: string | undefined,
    scopes: typeof READ_SCOPE | typeof HISTORY_SCOPE,
  ): FakeChannel => {
    const found = channel(id);
    const type = typeOf(found);
    need(token, scopes[type]);
    if (!isMember(found, token) && type !== 'public_channel')
      throw new SlackFailure('channel_not_found');
    return found;
  };

  const userOf = (id: string | undefined): FakeUser => {
    const found = workspace.users.find((user) => user.id === id);
    if (found === undefined) throw new SlackFailure('user_not_found');
    return found;
  };

  const messageIn = (channelId: string, ts: string | undefined): FakeMessage => {
    const found = (workspace.messages[channelId] ?? []).find((message) => message.ts === ts);
    if (found === undefined) throw new SlackFailure('message_not_found');
    return found;
  };

  const window = (messages: readonly FakeMessage[], args: Args): FakeMessage[] => {
    const inclusive = args.inclusive === 'true' || args.inclusive === '1';
    const oldest = args.oldest === undefined ? -Infinity : Number(args.oldest);
    const latest = args.latest === undefined ? Infinity : Number(args.latest);
    return messages.filter((message) => {
      const ts = Number(message.ts);
      return inclusive ? ts >= oldest && ts <= latest : ts > oldest && ts < latest;
    });
  };

  const channelJson = (found: FakeChannel, token?: TokenInfo): Record<string, unknown> => ({
    ...found,
    is_member: token === undefined ? found.is_member : isMember(found, token),
    is_channel: typeOf(found) === 'public_channel',
    is_group: typeOf(found) === 'private_channel',
  });

  const userJson = (user: FakeUser): Record<string, unknown> => ({
    ...user,
    team_id: workspace.team.id,
    real_name: user.profile.real_name,
    profile: { ...user.profile, fields: undefined },
  });

  const fileJson = (file: FakeFile): Record<string, unknown> => {
    const { content, url, ...rest } = file;
    const privateUrl = url ?? `${origin}/files-pri/${workspace.team.id}-${file.id}/${file.name}`;
    return {
      ...rest,
      size: typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength,
      url_private: privateUrl,
      url_private_download: `${privateUrl}?download=1`,
      permalink: `https://${workspace.team.domain}.slack.com/files/${file.user}/${file.id}/${file.name}`,
    };
  };

  const canvasOf = (id: string | undefined, token: TokenInfo): FakeCanvas => {
    const found = workspace.canvases.find((candidate) => candidate.id === id);
    const places = [
      ...(found?.channel === undefined ? [] : [found.channel]),
      ...(found?.shared ?? []),
    ];
    const sees =
      found !== undefined &&
      (found.user === token.userId ||
        (found.access ?? 'none') !== 'none' ||
        places.some((place) => {
          const shared = workspace.channels.find((c) => c.id === place);
          return shared !== undefined && isMember(shared, token);
        }));
    if (!sees) throw new SlackFailure('canvas_not_found');
    return found;
  };

  /** A canvas as files.info describes it: a file of type `quip` with Slack's canvas fields. */
  const canvasJson = (canvas: FakeCanvas): Record<string, unknown> => {
    const privateUrl = `${origin}/files-pri/${workspace.team.id}-${canvas.id}/canvas`;
    const shared = canvas.shared.map((id) => channel(id));
    return {
      id: canvas.id,
      created: canvas.created,
      timestamp: canvas.created,
      updated: canvas.updated ?? canvas.created,
      name: canvas.title,
      title: canvas.title,
      mimetype: 'application/vnd.slack-docs',
      filetype: 'quip',
      pretty_type: 'canvas',
      user: canvas.user,
      canvas_creator_id: canvas.user,
      mode: 'quip',
      editable: true,
      is_external: false,
      size: Buffer.byteLength(canvasHtml(canvas)),
      url_private: privateUrl,
      url_private_download: `${origin}/files-pri/${workspace.team.id}-${canvas.id}/download/canvas`,
      permalink: `https://${workspace.team.domain}.slack.com/docs/${workspace.team.id}/${canvas.id}`,
      channels: shared
        .filter((found) => typeOf(found) === 'public_channel')
        .map((found) => found.id),
      groups: shared.filter((found) => typeOf(found) !== 'public_channel').map((found) => found.id),
      ims: [],
      ...(canvas.channel === undefined
        ? {}
        : { linked_channel_id: canvas.channel, is_channel_space: true }),
      org_or_workspace_access: canvas.access ?? 'none',
      quip_thread_id: `Q${canvas.id}`,
    };
  };

  const newCanvas = (
    args: Args,
    token: TokenInfo,
    place: { channel?: string; shared: string[] },
  ): FakeCanvas => {
    const content =
      args.document_content === undefined
        ? undefined
        : (JSON.parse(args.document_content) as { type?: string; markdown?: string });
    if (content !== undefined && content.type !== 'markdown')
      throw new SlackFailure('invalid_arguments');
    const id = `F0CV${String(++sequence).padStart(6, '0')}`;
    const canvas: FakeCanvas = {
      id,
      title: args.title ?? 'Untitled',
      user: token.userId,
      created: Math.floor(now / 1000),
      ...place,
      sections: toSections(content?.markdown ?? '', () => `temp:C:${id}${++sequence}`),
    };
    workspace.canvases.push(canvas);
    return canvas;
  };

  /** Whether `token` posted `message`: its user, or (for a bot token) the app's bot ID. */
  const postedBy = (message: FakeMessage, token: TokenInfo): boolean =>
    message.user === token.userId || (token.kind === 'bot' && message.bot_id === BOT_ID);

  /** A message as the Web API returns it: its files as full file objects, as Slack gives them. */
  const messageJson = (message: FakeMessage): Record<string, unknown> =>
    message.files === undefined
      ? { ...message }
      : {
          ...message,
          files: message.files.map((brief) => {
            const file = workspace.files.find((candidate) => candidate.id === brief.id);
            return file === undefined ? brief : fileJson(file);
          }),
        };

  const nextTs = (): string => `${Math.floor(now / 1000)}.${String(++sequence).padStart(6, '0')}`;

  const methods: Record<string, (args: Args, token: TokenInfo) => Record<string, unknown>> = {
    'auth.test': (_args, token) => ({
      url: `https://${workspace.team.domain}.slack.com/`,
      team: workspace.team.name,
      user: workspace.users.find((user) => user.id === token.userId)?.name ?? 'app',
      team_id: token.teamId ?? workspace.team.id,
      user_id: token.userId,
      ...(token.kind === 'bot' ? { bot_id: BOT_ID } : {}),
      is_enterprise_install: false,
    }),
    'conversations.list': (args, token) => {
      const types = (args.types ?? 'public_channel').split(',');
      for (const type of types) need(token, READ_SCOPE[type as keyof typeof READ_SCOPE]);
      const excludeArchived = args.exclude_archived === 'true' || args.exclude_archived === '1';
      const all = workspace.channels.filter(
        (found) =>
          types.includes(typeOf(found)) &&
          (typeOf(found) === 'public_channel' || isMember(found, token)) &&
          !(excludeArchived && found.is_archived === true),
      );
      const { page, next } = paginate(all, args);
      return {
        channels: page.map((found) => channelJson(found, token)),
        response_metadata: { next_cursor: next },
      };
    },
    'conversations.info': (args, token) => {
      const found = readable(token, args.channel, READ_SCOPE);
      const lastRead = token.kind === 'user' ? workspace.lastRead[found.id] : undefined;
      const canvas = workspace.canvases.find((candidate) => candidate.channel === found.id);
      return {
        channel: {
          ...channelJson(found, token),
          ...(lastRead === undefined ? {} : { last_read: lastRead }),
          ...(canvas === undefined
            ? {}
            : {
                properties: {
                  canvas: {
                    file_id: canvas.id,
                    is_empty: canvas.sections.length === 0,
                    quip_thread_id: `Q${canvas.id}`,
                  },
                },
              }),
        },
      };
    },
    'conversations.mark': (args, token) => {
      if (token.kind !== 'user') throw new SlackFailure('not_allowed_token_type');
      const found = channel(args.channel);
      need(token, WRITE_SCOPE[typeOf(found)]);
      if (!isMember(found, token)) throw new SlackFailure('not_in_channel');
      if (!/^\d{10}\.\d{6}$/.test(args.ts ?? '')) throw new SlackFailure('invalid_timestamp');
      workspace.lastRead[found.id] = args.ts!;
      return {};
    },
    'users.conversations': (args, token) => {
      const types = (args.types ?? 'public_channel').split(',');
      for (const type of types) need(token, READ_SCOPE[type as keyof typeof READ_SCOPE]);
      const excludeArchived = args.exclude_archived === 'true' || args.exclude_archived === '1';
      const mine = workspace.channels.filter(
        (found) =>
          types.includes(typeOf(found)) &&
          isMember(found, token) &&
          !(excludeArchived && found.is_archived === true),
      );
      const { page, next } = paginate(mine, args);
      return {
        channels: page.map((found) => channelJson(found, token)),
        response_metadata: { next_cursor: next },
      };
    },
    'conversations.history': (args, token) => {
      const found = readable(token, args.channel, HISTORY_SCOPE);
      if (!isMember(found, token)) throw new SlackFailure('not_in_channel');
      const top = (workspace.messages[found.id] ?? [])
        .filter((message) => message.thread_ts === undefined || message.thread_ts === message.ts)
        .sort((a, b) => Number(b.ts) - Number(a.ts));
      const { page, next } = paginate(window(top, args), args);
      return {
        messages: page.map(messageJson),
        has_more: next !== '',
        response_metadata: { next_cursor: next },
      };
    },
    'conversations.replies': (args, token) => {
      const found = readable(token, args.channel, HISTORY_SCOPE);
      if (!isMember(found, token)) throw new SlackFailure('not_in_channel');
      const all = workspace.messages[found.id] ?? [];
      // ts may be the parent's or any reply's: either names the thread.
      const named = all.find((message) => message.ts === args.ts);
      if (named === undefined) throw new SlackFailure('thread_not_found');
      const root = named.thread_ts ?? named.ts;
      const thread = all
        .filter((message) => message.ts === root || message.thread_ts === root)
        .sort((a, b) => Number(a.ts) - Number(b.ts));
      const { page, next } = paginate(window(thread, args), args);
      return {
        messages: page.map(messageJson),
        has_more: next !== '',
        response_metadata: { next_cursor: next },
      };
    },
    'chat.postMessage': (args, token) => {
      need(token, 'chat:write');
      const found = channel(args.channel);
      if (found.is_archived === true) throw new SlackFailure('is_archived');
      if (!isMember(found, token)) throw new SlackFailure('not_in_channel');
      if ((args.text ?? '') === '') throw new SlackFailure('no_text');
      const message: FakeMessage = { ts: nextTs(), user: token.userId, text: args.text ?? '' };
      if (args.thread_ts !== undefined) {
        const parent = messageIn(found.id, args.thread_ts);
        parent.reply_count = (parent.reply_count ?? 0) + 1;
        parent.thread_ts = parent.ts;
        message.thread_ts = args.thread_ts;
      }
      (workspace.messages[found.id] ??= []).push(message);
      return { channel: found.id, ts: message.ts, message };
    },
    'chat.scheduleMessage': (args, token) => {
      need(token, 'chat:write');
      const found = channel(args.channel);
      if (!isMember(found, token)) throw new SlackFailure('not_in_channel');
      const postAt = Number(args.post_at);
      if (!(postAt > now / 1000)) throw new SlackFailure('time_in_past');
      if (postAt > now / 1000 + 120 * 86_400) throw new SlackFailure('time_too_far');
      const id = `Q0${String(++sequence).padStart(6, '0')}`;
      workspace.scheduled.push({
        id,
        channel: found.id,
        post_at: postAt,
        text: args.text ?? '',
        user: token.userId,
      });
      return { channel: found.id, scheduled_message_id: id, post_at: postAt };
    },
    'chat.scheduledMessages.list': (args, token) => {
      const oldest = args.oldest === undefined ? -Infinity : Number(args.oldest);
      const latest = args.latest === undefined ? Infinity : Number(args.latest);
      const mine = workspace.scheduled
        .filter(
          (message) =>
            (message.user === undefined || message.user === token.userId) &&
            (args.channel === undefined || message.channel === args.channel) &&
            message.post_at >= oldest &&
            message.post_at <= latest,
        )
        .sort((a, b) => a.post_at - b.post_at);
      const { page, next } = paginate(mine, args);
      return {
        scheduled_messages: page.map((message) => ({
          id: message.id,
          channel_id: message.channel,
          post_at: message.post_at,
          date_created: Math.floor(now / 1000) - 60,
          text: message.text,
        })),
        response_metadata: { next_cursor: next },
      };
    },
    'chat.deleteScheduledMessage': (args, token) => {
      need(token, 'chat:write');
      const found = channel(args.channel);
      const at = workspace.scheduled.findIndex(
        (message) =>
          message.id === args.scheduled_message_id &&
          message.channel === found.id &&
          (message.user === undefined || message.user === token.userId),
      );
      if (at === -1) throw new SlackFailure('invalid_scheduled_message_id');
      workspace.scheduled.splice(at, 1);
      return {};
    },
    'chat.update': (args, token) => {
      need(token, 'chat:write');
      const found = channel(args.channel);
      if (found.is_archived === true) throw new SlackFailure('is_archived');
      const message = messageIn(found.id, args.ts);
      if (!postedBy(message, token)) throw new SlackFailure('cant_update_message');
      if ((args.text ?? '') === '') throw new SlackFailure('no_text');
      message.text = args.text ?? '';
      return { channel: found.id, ts: message.ts, text: message.text, message };
    },
    'chat.delete': (args, token) => {
      need(token, 'chat:write');
      const found = channel(args.channel);
      const message = messageIn(found.id, args.ts);
      if (!postedBy(message, token)) throw new SlackFailure('cant_delete_message');
      const messages = workspace.messages[found.id]!;
      messages.splice(messages.indexOf(message), 1);
      return { channel: found.id, ts: message.ts };
    },
    'reactions.add': (args, token) => {
      need(token, 'reactions:write');
      const found = channel(args.channel);
      const message = messageIn(found.id, args.timestamp);
      if (
        !/^[a-z0-9_+'-]+(::skin-tone-[2-6])?$/.test(args.name ?? '') ||
        args.name === 'no_such_emoji'
      )
        throw new SlackFailure('invalid_name');
      const reactions = (message.reactions ??= []);
      const existing = reactions.find((reaction) => reaction.name === args.name);
      if (existing?.users.includes(token.userId) === true)
        throw new SlackFailure('already_reacted');
      if (existing === undefined)
        reactions.push({ name: args.name!, count: 1, users: [token.userId] });
      else {
        existing.count++;
        existing.users.push(token.userId);
      }
      return {};
    },
    'reactions.remove': (args, token) => {
      need(token, 'reactions:write');
      const found = channel(args.channel);
      const message = messageIn(found.id, args.timestamp);
      const existing = message.reactions?.find((reaction) => reaction.name === args.name);
      if (existing === undefined || !existing.users.includes(token.userId))
        throw new SlackFailure('no_reaction');
      existing.users = existing.users.filter((user) => user !== token.userId);
      existing.count--;
      return {};
    },
    'users.list': (args, token) => {
      need(token, 'users:read');
      const { page, next } = paginate(workspace.users, args);
      return { members: page.map(userJson), response_metadata: { next_cursor: next } };
    },
    'users.lookupByEmail': (args, token) => {
      need(token, 'users:read.email');
      const found = workspace.users.find(
        (user) => user.profile.email?.toLowerCase() === (args.email ?? '').toLowerCase(),
      );
      if (found === undefined) throw new SlackFailure('users_not_found');
      return { user: userJson(found) };
    },
    'conversations.open': (args, token) => {
      const users = (args.users ?? '').split(',').filter((id) => id !== '');
      if (users.length === 0) throw new SlackFailure('users_list_not_supplied');
      for (const id of users) userOf(id);
      if (users.length === 1) {
        need(token, 'im:write');
        const existing = workspace.channels.find(
          (found) => found.is_im === true && found.user === users[0],
        );
        if (existing !== undefined) return { channel: { id: existing.id }, already_open: true };
        const id = `D0${String(++sequence).padStart(6, '0')}`;
        workspace.channels.push({ id, is_im: true, is_member: true, user: users[0]! });
        return { channel: { id } };
      }
      need(token, 'mpim:write');
      const id = `G0${String(++sequence).padStart(6, '0')}`;
      workspace.channels.push({
        id,
        name: `mpdm-${users.join('--')}`,
        is_mpim: true,
        is_private: true,
        is_member: true,
      });
      return { channel: { id } };
    },
    'conversations.create': (args, token) => {
      const isPrivate = args.is_private === 'true';
      need(token, isPrivate ? 'groups:write' : 'channels:manage');
      const name = args.name ?? '';
      if (!/^[a-z0-9_-]{1,80}$/.test(name)) throw new SlackFailure('invalid_name_specials');
      if (workspace.channels.some((found) => found.name === name))
        throw new SlackFailure('name_taken');
      const id = `C0NEW${String(++sequence).padStart(4, '0')}`;
      const created: FakeChannel = {
        id,
        name,
        is_private: isPrivate,
        is_member: true,
        num_members: 1,
      };
      workspace.channels.push(created);
      return { channel: channelJson(created) };
    },
    'users.info': (args, token) => {
      need(token, 'users:read');
      return { user: userJson(userOf(args.user)) };
    },
    'users.profile.get': (args, token) => {
      need(token, 'users.profile:read');
      return { profile: userOf(args.user ?? token.userId).profile };
    },
    'search.messages': (args, token) => {
      if (token.kind !== 'user') throw new SlackFailure('not_allowed_token_type');
      need(token, 'search:read');
      const terms = (args.query ?? '').split(' ').filter((term) => term !== '');
      const filters = terms.filter((term) => /^(in|from|after|before|on):/.test(term));
      const words = terms
        .filter((term) => !filters.includes(term))
        .map((word) => word.toLowerCase());
      const matches: Record<string, unknown>[] = [];
      for (const found of workspace.channels) {
        for (const message of workspace.messages[found.id] ?? []) {
          const text = message.text.toLowerCase();
          if (!words.every((word) => text.includes(word))) continue;
          const day = new Date(Number(message.ts) * 1000).toISOString().slice(0, 10);
          const pass = filters.every((filter) => {
            const [key, value = ''] = filter.split(/:(.*)/s);
            if (key === 'in') return value === `#${found.name}` || value === `<#${found.id}>`;
            if (key === 'from') return value === `<@${message.user}>`;
            if (key === 'after') return day > value;
            if (key === 'before') return day < value;
            return day === value;
          });
          if (!pass) continue;
          matches.push({
            type: 'message',
            channel: { id: found.id, name: found.name ?? found.user, is_im: found.is_im === true },
            user: message.user,
            username: message.user === undefined ? undefined : userOf(message.user).name,
            ts: message.ts,
            text: message.text,
            permalink: `https://${workspace.team.domain}.slack.com/archives/${found.id}/p${message.ts.replace('.', '')}`,
            team: workspace.team.id,
          });
        }
      }
      const count = Math.max(1, Number(args.count ?? 20));
      const page = Math.max(1, Number(args.page ?? 1));
      const pages = Math.max(1, Math.ceil(matches.length / count));
      return {
        query: args.query,
        messages: {
          total: matches.length,
          matches: matches.slice((page - 1) * count, page * count),
          paging: { count, total: matches.length, page, pages },
        },
      };
    },
    'files.list': (args, token) => {
      need(token, 'files:read');
      const files = workspace.files.filter(
        (file) =>
          (args.channel === undefined ||
            [...file.channels, ...(file.groups ?? []), ...(file.ims ?? [])].includes(
              args.channel,
            )) &&
          (args.user === undefined || file.user === args.user) &&
          (args.ts_from === undefined || file.created >= Number(args.ts_from)) &&
          (args.ts_to === undefined || file.created <= Number(args.ts_to)),
      );
      const count = Math.max(1, Number(args.count ?? 100));
      const page = Math.max(1, Number(args.page ?? 1));
      return {
        files: files.slice((page - 1) * count, page * count).map(fileJson),
        paging: {
          count,
          total: files.length,
          page,
          pages: Math.max(1, Math.ceil(files.length / count)),
        },
      };
    },
    'files.getUploadURLExternal': (args, token) => {
      need(token, 'files:write');
      const length = Number(args.length);
      if ((args.filename ?? '') === '' || !Number.isSafeInteger(length) || length < 1)
        throw new SlackFailure('invalid_arguments');
      const id = `F0UP${String(++sequence).padStart(6, '0')}`;
      workspace.uploads.set(id, { filename: args.filename!, length });
      return { upload_url: `${origin}/upload/v1/${id}`, file_id: id };
    },
    'files.completeUploadExternal': (args, token) => {
      need(token, 'files:write');
      const files = JSON.parse(args.files ?? '[]') as { id: string; title?: string }[];
      if (files.length === 0) throw new SlackFailure('invalid_arguments');
      const found = args.channel_id === undefined ? undefined : channel(args.channel_id);
      if (found !== undefined && !isMember(found, token)) throw new SlackFailure('not_in_channel');
      const done = files.map(({ id, title }) => {
        const pending = workspace.uploads.get(id);
        if (pending?.received === undefined) throw new SlackFailure('file_not_found');
        if (Buffer.byteLength(pending.received) !== pending.length)
          throw new SlackFailure('invalid_arguments');
        workspace.uploads.delete(id);
        const file: FakeFile = {
          id,
          name: pending.filename,
          title: title ?? pending.filename,
          filetype: 'text',
          mimetype: 'text/plain',
          user: token.userId,
          created: Math.floor(now / 1000),
          channels: found === undefined ? [] : [found.id],
          content: pending.received,
        };
        workspace.files.push(file);
        return file;
      });
      if (found !== undefined) {
        const message: FakeMessage = {
          ts: nextTs(),
          user: token.userId,
          text: '',
          files: done.map((file) => ({ id: file.id, name: file.name, filetype: file.filetype })),
        };
        if (args.thread_ts !== undefined) {
          messageIn(found.id, args.thread_ts);
          message.thread_ts = args.thread_ts;
        }
        (workspace.messages[found.id] ??= []).push(message);
      }
      return { files: done.map((file) => ({ id: file.id, title: file.title })) };
    },
    'files.info': (args, token) => {
      need(token, 'files:read');
      const file = workspace.files.find((candidate) => candidate.id === args.file);
      if (file !== undefined) return { file: fileJson(file) };
      if (workspace.canvases.some((candidate) => candidate.id === args.file)) {
        try {
          return { file: canvasJson(canvasOf(args.file, token)) };
        } catch {
          throw new SlackFailure('file_not_found');
        }
      }
      throw new SlackFailure('file_not_found');
    },
    'canvases.create': (args, token) => {
      need(token, 'canvases:write');
      const place = args.channel_id === undefined ? [] : [channel(args.channel_id).id];
      return { canvas_id: newCanvas(args, token, { shared: place }).id };
    },
    'conversations.canvases.create': (args, token) => {
      need(token, 'canvases:write');
      const found = channel(args.channel_id);
      if (!isMember(found, token)) throw new SlackFailure('not_in_channel');
      if (workspace.canvases.some((canvas) => canvas.channel === found.id))
        throw new SlackFailure('channel_canvas_already_exists');
      return { canvas_id: newCanvas(args, token, { channel: found.id, shared: [] }).id };
    },
    'canvases.sections.lookup': (args, token) => {
      need(token, 'canvases:read');
      const canvas = canvasOf(args.canvas_id, token);
      try {
        const criteria = JSON.parse(args.criteria ?? '{}') as Parameters<typeof lookupSections>[1];
        return {
          sections: lookupSections(canvas, criteria).map((section) => ({ id: section.id })),
        };
      } catch (error) {
        throw error instanceof CanvasFailure ? new SlackFailure(error.message) : error;
      }
    },
    'canvases.edit': (args, token) => {
      need(token, 'canvases:write');
      const canvas = canvasOf(args.canvas_id, token);
      const changes = JSON.parse(args.changes ?? '[]') as CanvasChange[];
      if (changes.length === 0) throw new SlackFailure('invalid_arguments');
      try {
        applyChanges(canvas, changes, () => `temp:C:${canvas.id}${++sequence}`);
      } catch (error) {
        throw error instanceof CanvasFailure ? new SlackFailure(error.message) : error;
      }
      canvas.updated = Math.floor(now / 1000);
      return {};
    },
  };

  const api: FakeHandler = async (request) => {
    const method = request.params.method ?? '';
    const override = overrides.get(method);
    if (override !== undefined)
      return typeof override === 'function' ? await override(request) : override;
    const args = argsOf(request);
    const authorization = request.headers.authorization;
    if (method === 'oauth.v2.access' && oauth !== undefined)
      return { body: oauth.access(args, authorization) };
    if (method === 'auth.revoke' && oauth !== undefined) {
      const raw =
        authorization?.startsWith('Bearer ') === true ? authorization.slice(7) : args.token;
      return { body: oauth.revoke(raw ?? '') };
    }
    let token: TokenInfo | undefined;
    try {
      token = tokenOf(request, args);
      const run = methods[method];
      if (run === undefined) throw new SlackFailure('unknown_method');
      return {
        headers: { 'x-oauth-scopes': token.scopes.join(',') },
        body: { ok: true, ...run(args, token) },
      };
    } catch (error) {
      if (!(error instanceof SlackFailure)) throw error;
      return {
        headers: token === undefined ? {} : { 'x-oauth-scopes': token.scopes.join(',') },
        body: { ok: false, error: error.error, ...error.extra },
      };
    }
  };

  const download: FakeHandler = (request) => {
    const header = request.headers.authorization;
    const token =
      typeof header === 'string' && header.startsWith('Bearer ')
        ? tokens.get(header.slice(7))
        : undefined;
    if (token === undefined || !token.scopes.includes('files:read'))
      return { status: 302, headers: { location: `${origin}/signin` }, body: '' };
    const id = (request.params.key ?? '').split('-')[1];
    const canvas = workspace.canvases.find((candidate) => candidate.id === id);
    if (canvas !== undefined)
      return { headers: { 'content-type': 'text/html' }, body: canvasHtml(canvas) };
    const file = workspace.files.find((candidate) => candidate.id === id);
    if (file === undefined) return { status: 404, body: 'not found' };
    return {
      headers: { 'content-type': file.mimetype },
      body: typeof file.content === 'string' ? file.content : Buffer.from(file.content),
    };
  };

  /** The pre-signed upload URL: no token, the bytes as the body, Slack's "OK - <length>". */
  const receive: FakeHandler = (request) => {
    const pending = workspace.uploads.get(request.params.id ?? '');
    if (pending === undefined) return { status: 404, body: 'not found' };
    pending.received = request.rawBody;
    return { body: `OK - ${Buffer.byteLength(request.rawBody)}` };
  };

  const http = await fakeHttp({
    ...(oauth === undefined ? {} : { 'GET /oauth/v2/authorize': oauth.authorize }),
    'POST /upload/v1/:id': receive,
    'POST /api/:method': api,
    'GET /api/:method': api,
    'GET /files-pri/:key/:name': download,
    'GET /files-pri/:key/download/:name': download,
  });
  origin = http.url;
  return {
    url: http.url,
    apiUrl: `${http.url}/api/`,
    http,
    workspace,
    oauth,
    calls: (method) =>
      http.requests.filter(
        (request) =>
          request.path.startsWith('/api/') &&
          (method === undefined || request.path === `/api/${method}`),
      ),
    override(method, handler) {
      overrides.set(method, handler);
    },
    close: () => http.close(),
    [Symbol.asyncDispose]: () => http.close(),
  };
}

/** The arguments a recorded Web API request carried, as Slack would read them. */
export function argsOfCall(request: RecordedRequest): Record<string, string> {
  return argsOf(request);
}

/** Slack's 429: Retry-After in seconds and the `ratelimited` body. */
export function rateLimited(retryAfter: number): FakeResponse {
  return {
    status: 429,
    headers: { 'retry-after': String(retryAfter) },
    body: { ok: false, error: 'ratelimited' },
  };
}
