/**
 * @module
 * The operator's configuration, from flags and environment, checked once at start-up. Pure: the
 * same input always gives the same {@link SlackConfig} or the same {@link UsageError}, which
 * `runServer` prints as one line before exiting with code 2.
 */
import { isAbsolute, resolve } from 'node:path';
import { DEFAULT_OUTPUT_BUDGET } from '@plugboard/protocol';
import type { UpstreamClient } from '@plugboard/kit/accounts';
import { type Flags, integerFlag, listFlag, stringFlag, UsageError } from '@plugboard/kit/cli';
import { CONVERSATION_ID, TEAM_ID } from './ids.js';
import { TOOL_SCOPES, userScopesFor } from './scopes.js';
import { DEFAULT_OAUTH_URL } from './slack-oauth.js';
import { DEFAULT_RATE_LIMIT_WAIT_SECONDS, DEFAULT_TIMEOUT_SECONDS } from './spec.js';

export const DEFAULT_API_URL = 'https://slack.com/api/';

/**
 * Hosted mode's per-user accounts: the operator's Slack app (SLACK_CLIENT_ID and
 * SLACK_CLIENT_SECRET) through which each signed-in user connects their own Slack account.
 */
export interface SlackAccountsConfig {
  readonly client: UpstreamClient;
  /** The consent page (`--oauth-url`). */
  readonly authorizeUrl: string;
  /**
   * The user-token scopes asked for: every tool's here; the server narrows them to the tools it
   * offers once they are selected (see `server.ts`).
   */
  readonly userScopes: readonly string[];
}

/** Everything the operator decides; nothing a client sends can change it. */
export interface SlackConfig {
  /**
   * Set when each user acts with their own Slack account (hosted mode); the operator's tokens
   * are then not used, and are not allowed.
   */
  readonly accounts: SlackAccountsConfig | undefined;
  /** The token for everything but search; the user token stands in when only it is set. */
  readonly botToken: string | undefined;
  /** A user token (xoxp-), needed for message search. */
  readonly userToken: string | undefined;
  readonly teamId: string | undefined;
  /** Web API root, ending in "/". */
  readonly apiUrl: string;
  /** SLACK_CHANNEL_IDS: when set, the only conversations any tool may read or write. */
  readonly channelIds: ReadonlySet<string> | undefined;
  /** --post-channels: when set, the only conversations write tools may touch. */
  readonly postChannels: ReadonlySet<string> | undefined;
  /** --quiet-channels: where posting needs no approval under `--approve post`; by ID. */
  readonly quietChannels: ReadonlySet<string>;
  /** Domains whose links may unfurl; empty means no posted message ever unfurls. */
  readonly unfurlDomains: readonly string[];
  readonly allowMassMentions: boolean;
  readonly allowUserMentions: boolean;
  /** --upload-dir: the only directory files are uploaded from; uploads are off without it. */
  readonly uploadDir: string | undefined;
  /** --allow-create-channels: slack_create_channel is offered. */
  readonly allowCreateChannels: boolean;
  /** --toolsets: the optional tool groups turned on (`canvases`; `all` for every one). */
  readonly toolsets: readonly string[];
  /** Deadline for all Slack requests of one tool call. */
  readonly timeoutMs: number;
  /** Longest Retry-After a call sits through before it reports the rate limit instead. */
  readonly rateLimitWaitMs: number;
  /** Most bytes of text one tool result may carry. */
  readonly outputBudget: number;
}

type Env = Readonly<Record<string, string | undefined>>;

function token(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  if (value === undefined || value === '') return undefined;
  if (/\s/.test(value)) throw new UsageError(`${name} contains whitespace; paste the token alone`);
  return value;
}

/** A Slack URL from the operator: plain http(s), no credentials, query or fragment. */
function parseSlackUrl(raw: string, label: string, example: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`${label} must be a URL such as ${example}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UsageError(
      `${label} must use https (or http for a local test server), got ${url.protocol}`,
    );
  if (url.username !== '' || url.password !== '')
    throw new UsageError(`${label} must not contain credentials`);
  if (url.search !== '' || url.hash !== '')
    throw new UsageError(`${label} must not have a query or fragment`);
  return url;
}

/** `--api-url` as a canonical root ending in "/", refusing anything but a plain http(s) URL. */
export function parseApiUrl(raw: string): string {
  const url = parseSlackUrl(raw, '--api-url (SLACK_API_URL)', DEFAULT_API_URL);
  return `${url.origin}${url.pathname.replace(/\/*$/, '/')}`;
}

/**
 * The per-user accounts, when the operator configured a Slack app for them: both client
 * credentials or neither, and none of the operator's own tokens beside them (each user acts
 * as themselves, never with a token shared by everyone).
 */
function parseAccounts(flags: Flags, env: Env): SlackAccountsConfig | undefined {
  const clientId = env.SLACK_CLIENT_ID?.trim() || undefined;
  const clientSecret = token(env, 'SLACK_CLIENT_SECRET');
  if (clientId === undefined && clientSecret === undefined) return undefined;
  if (clientId === undefined || clientSecret === undefined)
    throw new UsageError(
      `${clientId === undefined ? 'SLACK_CLIENT_ID' : 'SLACK_CLIENT_SECRET'} is not set; per-user Slack accounts need both, from the Slack app's Basic Information page`,
    );
  for (const name of ['SLACK_BOT_TOKEN', 'SLACK_USER_TOKEN'])
    if (token(env, name) !== undefined)
      throw new UsageError(
        `${name} and SLACK_CLIENT_ID exclude each other: with per-user accounts every user acts with their own Slack token; unset ${name}`,
      );
  const oauthUrl = stringFlag(flags, 'oauth-url');
  return {
    client: { clientId, clientSecret },
    authorizeUrl:
      oauthUrl === undefined
        ? DEFAULT_OAUTH_URL
        : parseSlackUrl(oauthUrl, '--oauth-url (SLACK_OAUTH_URL)', DEFAULT_OAUTH_URL).href,
    userScopes: userScopesFor(Object.keys(TOOL_SCOPES)),
  };
}

function conversationSet(values: readonly string[], source: string): Set<string> | undefined {
  if (values.length === 0) return undefined;
  for (const id of values) {
    if (!CONVERSATION_ID.test(id))
      throw new UsageError(
        `${source}: "${id}" is not a conversation ID (C…, G… or D…, as shown in the channel's details)`,
      );
  }
  return new Set(values);
}

/** A domain as given, lower case, without scheme, path or leading dot. */
function parseDomain(raw: string): string {
  const domain = raw
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/\/.*$/, '')
    .replace(/^\*?\./, '');
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain))
    throw new UsageError(`--unfurl-domains: "${raw}" is not a domain such as example.com`);
  return domain;
}

export function parseConfig(flags: Flags, env: Env): SlackConfig {
  const accounts = parseAccounts(flags, env);
  const botToken = token(env, 'SLACK_BOT_TOKEN');
  const userToken = token(env, 'SLACK_USER_TOKEN');
  if (accounts === undefined && botToken === undefined && userToken === undefined)
    throw new UsageError(
      'SLACK_BOT_TOKEN is not set; create a Slack app, install it, and put its bot token (xoxb-…) in SLACK_BOT_TOKEN (or, hosted, let each user connect their own account: SLACK_CLIENT_ID and SLACK_CLIENT_SECRET)',
    );
  const teamId = env.SLACK_TEAM_ID?.trim() || undefined;
  if (teamId !== undefined && !TEAM_ID.test(teamId))
    throw new UsageError(`SLACK_TEAM_ID: "${teamId}" is not a workspace ID such as T01234567`);
  const channelIds = conversationSet(listFlag(flags, 'channel-ids'), 'SLACK_CHANNEL_IDS');
  const postChannels = conversationSet(listFlag(flags, 'post-channels'), '--post-channels');
  if (channelIds !== undefined && postChannels !== undefined) {
    const outside = [...postChannels].filter((id) => !channelIds.has(id));
    if (outside.length > 0)
      throw new UsageError(
        `--post-channels ${outside.join(', ')} not in SLACK_CHANNEL_IDS; a conversation must be in both to be written`,
      );
  }
  const apiUrl = stringFlag(flags, 'api-url');
  const uploadDir = stringFlag(flags, 'upload-dir');
  if (uploadDir !== undefined && !isAbsolute(uploadDir))
    throw new UsageError(
      `--upload-dir (SLACK_UPLOAD_DIR) must be an absolute path, got "${uploadDir}"`,
    );
  const outputBudget = integerFlag(flags, 'output-budget', {
    fallback: DEFAULT_OUTPUT_BUDGET,
    min: 4096,
  });
  return {
    accounts,
    botToken,
    userToken,
    teamId,
    apiUrl: apiUrl === undefined ? DEFAULT_API_URL : parseApiUrl(apiUrl),
    channelIds,
    postChannels,
    quietChannels:
      conversationSet(listFlag(flags, 'quiet-channels'), '--quiet-channels') ?? new Set(),
    unfurlDomains: [...new Set(listFlag(flags, 'unfurl-domains').map(parseDomain))],
    allowMassMentions: flags.get('allow-mass-mentions') === true,
    allowUserMentions: flags.get('allow-user-mentions') === true,
    uploadDir: uploadDir === undefined ? undefined : resolve(uploadDir),
    allowCreateChannels: flags.get('allow-create-channels') === true,
    toolsets: listFlag(flags, 'toolsets'),
    timeoutMs: integerFlag(flags, 'timeout', { fallback: DEFAULT_TIMEOUT_SECONDS, min: 1 }) * 1000,
    rateLimitWaitMs:
      integerFlag(flags, 'rate-limit-wait', { fallback: DEFAULT_RATE_LIMIT_WAIT_SECONDS, min: 0 }) *
      1000,
    outputBudget,
  };
}
