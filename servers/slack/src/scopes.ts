/**
 * @module
 * The user-token scopes each tool needs, for hosted mode, where every signed-in user connects
 * their own Slack account and the server asks Slack (`user_scope`) for what the offered tools
 * use and no more. Every tool may resolve `#name` and `@handle` arguments through the directory
 * (`conversations.list`, `users.list`), so those read scopes come with any tool; the directory
 * lists only the conversation kinds a token's scopes allow, so fewer kinds degrade gently.
 */

/** What resolving names needs: the conversations and the people of the workspace. */
export const DIRECTORY_SCOPES = [
  'channels:read',
  'groups:read',
  'im:read',
  'mpim:read',
  'users:read',
] as const;

const HISTORY = ['channels:history', 'groups:history', 'im:history', 'mpim:history'] as const;
const MARK = ['channels:write', 'groups:write', 'im:write', 'mpim:write'] as const;

/** Each tool's user-token scopes, beyond {@link DIRECTORY_SCOPES}. */
export const TOOL_SCOPES: Readonly<Record<string, readonly string[]>> = {
  slack_list_channels: [],
  slack_post_message: ['chat:write'],
  slack_reply_to_thread: ['chat:write'],
  slack_add_reaction: ['reactions:write'],
  slack_remove_reaction: ['reactions:write'],
  slack_get_channel_history: HISTORY,
  slack_get_thread_replies: HISTORY,
  slack_get_users: [],
  slack_get_user_profile: ['users.profile:read', 'users:read.email'],
  slack_search_messages: ['search:read'],
  slack_schedule_message: ['chat:write'],
  slack_list_scheduled_messages: ['chat:write'],
  slack_delete_scheduled_message: ['chat:write'],
  slack_list_files: ['files:read'],
  slack_read_file: ['files:read'],
  slack_update_message: ['chat:write', ...HISTORY],
  slack_delete_message: ['chat:write', ...HISTORY],
  slack_list_unreads: HISTORY,
  slack_mark_read: [...HISTORY, ...MARK],
  slack_upload_file: ['files:write'],
  slack_find_users: ['users:read.email'],
  slack_open_dm: ['im:write', 'mpim:write'],
  slack_create_channel: ['channels:write', 'groups:write'],
  slack_read_canvas: ['files:read', 'canvases:read'],
  slack_create_canvas: ['canvases:write'],
  slack_edit_canvas: ['canvases:read', 'canvases:write'],
  slack_disconnect_account: [],
};

/**
 * The user scopes to ask for when `tools` are offered: the directory's and each tool's, once
 * each, in a stable order. A tool this table does not know is an error, so a new tool cannot
 * ship without saying what it needs.
 */
export function userScopesFor(tools: Iterable<string>): string[] {
  const scopes = new Set<string>(DIRECTORY_SCOPES);
  for (const tool of tools) {
    const needed = TOOL_SCOPES[tool];
    if (needed === undefined) throw new Error(`no Slack scopes are known for the tool ${tool}`);
    for (const scope of needed) scopes.add(scope);
  }
  return [...scopes].sort();
}
