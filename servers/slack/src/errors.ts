/**
 * @module
 * The one place where Slack's failures become messages the model (and the person behind it) can
 * act on: which scope is missing and which the token has (from the platform error's `needed` and
 * `provided`), whether the bot must be invited, when a rate limit lifts. Upstream bodies are never
 * passed through: Slack's error code is an identifier, and nothing from the request's headers
 * (where the token travels) is ever read here.
 */
import { redactText, ToolError } from '@plugboard/protocol';
import { retryAfterSeconds, type TokenKind } from './slack-client.js';

interface PlatformFailure {
  readonly code: 'slack_webapi_platform_error';
  readonly data: {
    readonly error?: unknown;
    readonly needed?: unknown;
    readonly provided?: unknown;
  };
}

function isPlatformFailure(error: unknown): error is PlatformFailure {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === 'slack_webapi_platform_error' &&
    typeof (error as { data?: unknown }).data === 'object'
  );
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** Scope lists as Slack sends them ("a,b" strings), cleaned to identifiers. */
function scopes(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return value
    .split(',')
    .map((scope) => scope.trim())
    .filter((scope) => /^[a-z.:_-]{1,60}$/i.test(scope));
}

const TOKEN_NAMES: Record<TokenKind, string> = {
  bot: 'bot token (SLACK_BOT_TOKEN)',
  user: 'user token (SLACK_USER_TOKEN)',
};

/** Where a failure happened: the Web API method and which token it used. */
export interface FailureContext {
  readonly method: string;
  readonly kind: TokenKind;
  /** Hosted mode: the token is the caller's own, from the account they connected. */
  readonly account?: boolean;
}

/** Slack's answers that mean the token itself is no good any more. */
const REJECTED_TOKEN = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
]);

/** Whether Slack refused the token itself (revoked, expired, deactivated), not the request. */
export function isTokenRejected(error: unknown): boolean {
  if (!isPlatformFailure(error)) return false;
  const code = failureCode(error);
  return code !== undefined && REJECTED_TOKEN.has(code);
}

function platformMessage(error: string, failure: PlatformFailure, where: FailureContext): string {
  const token = where.account === true ? 'token of your Slack account' : TOKEN_NAMES[where.kind];
  if (where.account === true && REJECTED_TOKEN.has(error))
    return `Slack no longer accepts the Slack account you connected (${error}): it was revoked, expired or deactivated. The server has forgotten it; call the tool again to connect your Slack account anew.`;
  switch (error) {
    case 'missing_scope': {
      const needed = scopes(failure.data.needed);
      const provided = scopes(failure.data.provided);
      const need =
        needed.length === 0 ? 'another scope' : needed.map((s) => `\`${s}\``).join(' or ');
      const have = provided.length === 0 ? 'none' : provided.map((s) => `\`${s}\``).join(', ');
      return `The Slack ${token} lacks the scope ${where.method} needs: ${need} (it has: ${have}). ${
        where.account === true
          ? "The operator must add it to the Slack app's user token scopes; then disconnect and connect your account again."
          : "Add it under OAuth & Permissions in the Slack app's settings and reinstall the app."
      }`;
    }
    case 'not_allowed_token_type':
      return where.method === 'search.messages' || where.method.startsWith('search.')
        ? 'Message search needs a user token: the operator must set SLACK_USER_TOKEN (xoxp-…, with the search:read scope).'
        : `${where.method} does not accept the ${token}.`;
    case 'invalid_auth':
    case 'not_authed':
    case 'token_revoked':
    case 'token_expired':
    case 'account_inactive':
      return `Slack rejected the ${token} with ${error}: it is mistyped, revoked or expired. The operator must set a valid one.`;
    case 'channel_not_found':
      return 'Conversation not found, or the token cannot see it: private channels and DMs are visible only to members. Check the ID, or list conversations with slack_list_channels.';
    case 'not_in_channel':
      return 'The bot is not a member of this channel. Invite it in Slack (/invite @your-app), then try again.';
    case 'is_archived':
      return 'The channel is archived; it can be read but not written.';
    case 'thread_not_found':
    case 'message_not_found':
      return 'No message with that timestamp in this conversation. Use the ts of a message as listed by slack_get_channel_history.';
    case 'cant_update_message':
    case 'cant_delete_message':
      return `Slack does not let this token change that message (${error}): only its own messages can be edited or deleted.`;
    case 'edit_window_closed':
      return 'The workspace allows editing messages only for a while after posting, and that time has passed.';
    case 'compliance_exports_prevent_deletion':
      return 'Compliance exports are on in this workspace, which prevents deleting messages.';
    case 'name_taken':
      return 'A channel with that name already exists; pick another name, or find it with slack_list_channels.';
    case 'invalid_name_specials':
      return 'Slack refused the channel name; use lower case letters, digits, - and _.';
    case 'invalid_timestamp':
      return 'That is not a message timestamp; give a ts such as 1234567890.123456.';
    case 'already_reacted':
      return 'That reaction is already on the message.';
    case 'no_reaction':
      return 'That reaction is not on the message (from this token).';
    case 'invalid_name':
      return 'Unknown emoji name. Give the name without colons, such as "thumbsup" or "white_check_mark".';
    case 'too_many_reactions':
    case 'too_many_emoji':
      return 'The message has as many reactions as Slack allows.';
    case 'user_not_found':
    case 'users_not_found':
      return 'No such user. Check the ID, or find people with slack_get_users.';
    case 'msg_too_long':
      return 'The message is too long for Slack; split it into several.';
    case 'no_text':
      return 'The message is empty.';
    case 'time_in_past':
      return 'post_at is in the past; give a future time.';
    case 'time_too_far':
      return 'post_at is more than 120 days ahead, further than Slack schedules.';
    case 'restricted_action':
    case 'restricted_action_read_only_channel':
    case 'restricted_action_thread_only_channel':
    case 'restricted_action_non_threadable_channel':
    case 'cant_post':
      return `A workspace setting forbids this (${error}): for example a read-only or announcement channel.`;
    case 'file_not_found':
    case 'file_deleted':
      return 'No such file, or it was deleted. List files with slack_list_files.';
    case 'canvas_not_found':
    case 'canvas_deleted':
      return 'No such canvas, or the token cannot see it (it must be shared with the app or one of its channels). Check the canvas ID (F…).';
    case 'canvas_disabled_user_team':
    case 'team_tier_cannot_create_channel_canvases':
      return `This workspace does not allow it (${error}): canvases are off, or its plan has no channel canvases.`;
    case 'channel_canvas_already_exists':
    case 'free_team_canvas_tab_already_exists':
      return "The channel already has its canvas; edit that one (its ID is among the channel's files) instead of creating another.";
    case 'canvas_editing_failed':
    case 'canvas_creation_failed':
    case 'channel_canvas_creation_failed':
      return `Slack could not apply this to the canvas (${error}); check the section and the Markdown, then try again.`;
    case 'invalid_scheduled_message_id':
      return 'No such scheduled message in this conversation (it may have been posted or deleted already). List them with slack_list_scheduled_messages.';
    case 'invalid_cursor':
      return 'The cursor is no longer valid; start again without it.';
    case 'missing_argument':
    case 'team_access_not_granted':
      return `Slack needs to know the workspace (${error}): an organisation-wide app must be run with SLACK_TEAM_ID set to a workspace it is installed in.`;
    case 'ratelimited':
      return `Slack rate-limited ${where.method}. Wait a minute before trying again.`;
    case 'ekm_access_denied':
    case 'access_denied':
      return `Slack denied access (${error}): an administrator restricts this content.`;
    case 'enterprise_is_restricted':
    case 'org_login_required':
      return `The Enterprise Grid organisation restricts this (${error}).`;
    case 'fatal_error':
    case 'internal_error':
    case 'service_unavailable':
    case 'request_timeout':
      return `Slack failed (${error}) on ${where.method}. Try again in a moment.`;
    default:
      return `Slack refused ${where.method}: ${error}.`;
  }
}

/**
 * An actionable {@link ToolError} for a failure of the Slack client, or undefined for anything
 * else (which then surfaces as a bug).
 */
export function toToolError(error: unknown, where: FailureContext): ToolError | undefined {
  const wait = retryAfterSeconds(error);
  if (wait !== undefined)
    return new ToolError(
      `Slack rate-limited ${where.method}; it asks to wait ${wait} seconds. Try again after that, and ask for fewer or smaller pages.`,
    );
  // A 429 without a usable Retry-After: the library gives up at once with a plain Error.
  if (
    error instanceof Error &&
    error.message.startsWith('Retry header did not contain a valid timeout')
  )
    return new ToolError(
      `Slack rate-limited ${where.method} without saying for how long. Wait a minute before trying again.`,
    );
  if (isPlatformFailure(error)) {
    return new ToolError(platformMessage(failureCode(error) ?? 'unknown_error', error, where));
  }
  switch (codeOf(error)) {
    case 'slack_webapi_http_error': {
      const status = (error as { statusCode?: unknown }).statusCode;
      return new ToolError(
        typeof status === 'number' && status >= 500
          ? `Slack had a server error (${status}) on ${where.method}, and retries did not help. Try again later.`
          : `Slack answered ${where.method} with HTTP ${String(status)}. Check SLACK_API_URL.`,
      );
    }
    case 'slack_webapi_request_error': {
      const original = (error as { original?: unknown }).original;
      const cause =
        original instanceof Error
          ? redactText(original.message.replace(/https?:\/\/\S+/g, '').slice(0, 200)).trim()
          : '';
      return new ToolError(
        `Could not reach Slack for ${where.method}${cause === '' ? '' : ` (${cause})`}. Check SLACK_API_URL and the network.`,
      );
    }
    default:
      return undefined;
  }
}

/** Slack's error code, kept only when it is an identifier. */
function failureCode(failure: PlatformFailure): string | undefined {
  const { error } = failure.data;
  return typeof error === 'string' && /^[a-z0-9_]{1,80}$/.test(error) ? error : undefined;
}
