/**
 * @module
 * The workspace directories as resources a client can attach: `slack://channels` (the
 * conversations the app can see, only those of SLACK_CHANNEL_IDS when set) and `slack://users`
 * (the people). Both are CSV, sanitised, and capped at a size a context window can hold; a cut
 * directory ends with a comment line saying so.
 */
import {
  ErrorCode,
  ProtocolError,
  redactText,
  resourceFactory,
  ToolError,
  utf8Length,
  type ResourceContext,
} from '@plugboard/protocol';
import type { SlackDeps } from './context.js';
import type { Listing } from './directory.js';
import { checkedWorkspace, directoryOf } from './workspace.js';

const { defineResource } = resourceFactory<SlackDeps>();

/** Directories are larger than tool results may be, but still bounded. */
const DIRECTORY_BYTES = 256 * 1024;

/** One CSV field: quoted when needed, and never starting like a spreadsheet formula. */
function field(value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv<T>(
  header: readonly string[],
  listing: Listing<T>,
  row: (item: T) => readonly (string | number | boolean | undefined)[],
  what: string,
): string {
  const lines = [header.join(',')];
  let used = utf8Length(lines[0]!) + 1;
  let shown = 0;
  for (const item of listing.items) {
    const line = row(item).map(field).join(',');
    used += utf8Length(line) + 1;
    if (used > DIRECTORY_BYTES) break;
    lines.push(line);
    shown++;
  }
  if (shown < listing.items.length || !listing.complete)
    lines.push(
      `# truncated: ${shown} ${what} shown${listing.complete ? ` of ${listing.items.length}` : ''}; page through them with the tools`,
    );
  return `${lines.join('\n')}\n`;
}

async function guarded<T>(ctx: ResourceContext<SlackDeps>, read: () => Promise<T>): Promise<T> {
  try {
    await checkedWorkspace(ctx);
    return await read();
  } catch (error) {
    // Resource reads have no isError result: a Slack failure is the JSON-RPC error's message.
    if (error instanceof ToolError)
      throw new ProtocolError(ErrorCode.InternalError, redactText(error.message));
    throw error;
  }
}

export const channelDirectory = defineResource({
  uri: 'slack://channels',
  name: 'channels',
  title: 'Slack conversations',
  description:
    'The conversations the app can see (CSV: id, name, type, is_member, members, topic); only those of SLACK_CHANNEL_IDS when it is set.',
  mimeType: 'text/csv',
  async read(ctx) {
    const listing = await guarded(ctx, () => directoryOf(ctx).conversations());
    const allowed = {
      ...listing,
      items: listing.items.filter((entry) => ctx.policy.canRead(entry.id)),
    };
    const text = csv(
      ['id', 'name', 'type', 'is_member', 'members', 'user', 'topic'],
      allowed,
      (entry) => [
        entry.id,
        entry.name,
        entry.type,
        entry.is_member,
        entry.members,
        entry.user,
        entry.topic,
      ],
      'conversations',
    );
    return [{ uri: 'slack://channels', mimeType: 'text/csv', text }];
  },
});

export const userDirectory = defineResource({
  uri: 'slack://users',
  name: 'users',
  title: 'Slack people',
  description:
    'The people in the workspace (CSV: id, handle, real_name, display_name, title, tz, is_bot), deactivated accounts left out.',
  mimeType: 'text/csv',
  async read(ctx) {
    const listing = await guarded(ctx, () => directoryOf(ctx).users());
    const live = { ...listing, items: listing.items.filter((user) => !user.deleted) };
    const text = csv(
      ['id', 'handle', 'real_name', 'display_name', 'title', 'tz', 'is_bot'],
      live,
      (user) => [
        user.id,
        user.name,
        user.real_name,
        user.display_name,
        user.title,
        user.tz,
        user.is_bot,
      ],
      'people',
    );
    return [{ uri: 'slack://users', mimeType: 'text/csv', text }];
  },
});

export const resources = [channelDirectory, userDirectory];
