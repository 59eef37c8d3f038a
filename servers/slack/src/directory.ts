/**
 * @module
 * What this server remembers about the workspace, per server instance and for a few minutes: who
 * the token is (auth.test: team, workspace URL for permalinks, granted scopes), the conversations
 * it can see and the people in it. `#name` and `@handle` arguments resolve through it, and message
 * authors get names without one users.info call per message. Every walk over Slack's pages is
 * capped, and stops if Slack hands back a cursor it already gave.
 */
import { ToolError } from '@plugboard/protocol';
import type { TokenKind } from './slack-client.js';

/** Who a token is, from auth.test. */
export interface WorkspaceInfo {
  readonly teamId: string;
  readonly enterpriseId: string | undefined;
  readonly teamName: string;
  /** "https://acme.slack.com/", for permalinks; undefined when Slack gave none. */
  readonly url: string | undefined;
  readonly userId: string;
  /** The app's bot ID (B…) for a bot token; its messages carry it as `bot_id`. */
  readonly botId: string | undefined;
  /** The token's scopes (from the x-oauth-scopes header); undefined when Slack did not say. */
  readonly scopes: ReadonlySet<string> | undefined;
}

export type ConversationType = 'public_channel' | 'private_channel' | 'mpim' | 'im';

export interface ConversationEntry {
  readonly id: string;
  readonly name: string;
  readonly type: ConversationType;
  readonly is_member: boolean;
  readonly is_archived: boolean;
  /** For a DM, the other person. */
  readonly user?: string;
  readonly members?: number;
  readonly topic?: string;
  readonly purpose?: string;
}

export interface UserEntry {
  readonly id: string;
  /** The handle (Slack's `name`). */
  readonly name: string;
  readonly real_name?: string;
  readonly display_name?: string;
  readonly title?: string;
  readonly email?: string;
  readonly tz?: string;
  readonly is_bot: boolean;
  readonly is_admin?: boolean;
  readonly deleted: boolean;
}

/** A whole listing walked from Slack, and whether the walk reached the end. */
export interface Listing<T> {
  readonly items: readonly T[];
  readonly complete: boolean;
}

/** One page of a cursor-paged Slack method. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | undefined;
}

/** Most pages one walk reads (200 items a page): 5,000 conversations or people. */
export const MAX_DIRECTORY_PAGES = 25;
/** How long a loaded listing is trusted. */
export const DIRECTORY_TTL_MS = 5 * 60_000;

/**
 * Reads pages from `fetch` until Slack has no more, {@link MAX_DIRECTORY_PAGES} were read, or a
 * cursor repeats (a looping server must not keep the call busy forever).
 */
export async function walkPages<T>(
  fetch: (cursor: string) => Promise<Page<T>>,
  maxPages = MAX_DIRECTORY_PAGES,
): Promise<Listing<T>> {
  const items: T[] = [];
  const seen = new Set<string>();
  let cursor = '';
  for (let page = 0; page < maxPages; page++) {
    const result = await fetch(cursor);
    items.push(...result.items);
    const next = result.nextCursor;
    if (next === undefined || next === '') return { items, complete: true };
    if (seen.has(next) || next === cursor) return { items, complete: false };
    seen.add(next);
    cursor = next;
  }
  return { items, complete: false };
}

interface Cached<T> {
  readonly value: Promise<T>;
  readonly at: number;
}

/** Sources the directory loads from; the server wires them to Slack (see context.ts). */
export interface DirectorySources {
  workspace(kind: TokenKind): Promise<WorkspaceInfo>;
  conversations(types: readonly ConversationType[]): Promise<Listing<ConversationEntry>>;
  users(): Promise<Listing<UserEntry>>;
  user(id: string): Promise<UserEntry | undefined>;
}

/** Per-server caches. Values are promises, so concurrent calls share one load. */
export interface DirectoryCache {
  readonly workspaces: Map<TokenKind, Cached<WorkspaceInfo>>;
  conversations: Cached<Listing<ConversationEntry>> | undefined;
  users: Cached<Listing<UserEntry>> | undefined;
  /** People looked up one by one (users.info), by ID. */
  readonly people: Map<string, Cached<UserEntry | undefined>>;
}

export function createDirectoryCache(): DirectoryCache {
  return {
    workspaces: new Map(),
    conversations: undefined,
    users: undefined,
    people: new Map(),
  };
}

/** Most people one call looks up one by one before it settles for IDs. */
export const MAX_USER_LOOKUPS = 25;

function fresh<T>(entry: Cached<T> | undefined, now: number): entry is Cached<T> {
  return entry !== undefined && now - entry.at < DIRECTORY_TTL_MS;
}

/** A cached load that is forgotten when it fails, so the next call tries again. */
function remember<T>(load: () => Promise<T>, now: number, forget: () => void): Cached<T> {
  const value = load();
  value.catch(() => forget());
  return { value, at: now };
}

/** The conversation types a token's scopes let conversations.list ask for. */
export function typesForScopes(
  wanted: readonly ConversationType[],
  scopes: ReadonlySet<string> | undefined,
): ConversationType[] {
  if (scopes === undefined) return [...wanted];
  const needs: Record<ConversationType, string> = {
    public_channel: 'channels:read',
    private_channel: 'groups:read',
    mpim: 'mpim:read',
    im: 'im:read',
  };
  return wanted.filter((type) => scopes.has(needs[type]));
}

export interface Directory {
  workspace(kind?: TokenKind): Promise<WorkspaceInfo>;
  conversations(): Promise<Listing<ConversationEntry>>;
  users(): Promise<Listing<UserEntry>>;
  /** Names (handles) for user IDs, from the caches and at most {@link MAX_USER_LOOKUPS} lookups. */
  userNames(ids: Iterable<string>): Promise<Map<string, string>>;
  user(id: string): Promise<UserEntry | undefined>;
}

const ALL_TYPES: readonly ConversationType[] = ['public_channel', 'private_channel', 'mpim', 'im'];

/**
 * The directory seen by one tool call: the server's caches, loaded through this call's sources.
 * A load is shared by every call that needs it meanwhile; when it fails because the call that
 * started it was cancelled (anything but a {@link ToolError}), a call that is still running loads
 * again for itself instead of failing with someone else's cancellation.
 */
export function createDirectory(
  cache: DirectoryCache,
  sources: DirectorySources,
  now: () => number = Date.now,
  signal?: AbortSignal,
): Directory {
  const shared = async <T>(get: () => Promise<T>): Promise<T> => {
    try {
      return await get();
    } catch (error) {
      if (error instanceof ToolError || signal === undefined || signal.aborted) throw error;
      return get();
    }
  };
  const workspaceOnce = (kind: TokenKind): Promise<WorkspaceInfo> => {
    const entry = cache.workspaces.get(kind);
    if (fresh(entry, now())) return entry.value;
    const loaded = remember(
      () => sources.workspace(kind),
      now(),
      () => cache.workspaces.delete(kind),
    );
    cache.workspaces.set(kind, loaded);
    return loaded.value;
  };
  const workspace = (kind: TokenKind = 'bot'): Promise<WorkspaceInfo> =>
    shared(() => workspaceOnce(kind));
  const usersOnce = (): Promise<Listing<UserEntry>> => {
    if (fresh(cache.users, now())) return cache.users.value;
    cache.users = remember(
      () => sources.users(),
      now(),
      () => {
        cache.users = undefined;
      },
    );
    return cache.users.value;
  };
  const users = (): Promise<Listing<UserEntry>> => shared(usersOnce);
  const user = (id: string): Promise<UserEntry | undefined> => {
    const entry = cache.people.get(id);
    if (fresh(entry, now())) return entry.value;
    const loaded = remember(
      () => sources.user(id),
      now(),
      () => cache.people.delete(id),
    );
    cache.people.set(id, loaded);
    return loaded.value;
  };
  return {
    workspace,
    users,
    user,
    conversations: () =>
      shared(() => {
        if (fresh(cache.conversations, now())) return cache.conversations.value;
        cache.conversations = remember(
          async () => {
            const { scopes } = await workspace();
            return sources.conversations(typesForScopes(ALL_TYPES, scopes));
          },
          now(),
          () => {
            cache.conversations = undefined;
          },
        );
        return cache.conversations.value;
      }),
    async userNames(ids) {
      const names = new Map<string, string>();
      const wanted = [...new Set(ids)];
      if (wanted.length === 0) return names;
      const listing = fresh(cache.users, now()) ? await cache.users.value : undefined;
      const byId = new Map(listing?.items.map((entry) => [entry.id, entry]));
      const unknown: string[] = [];
      for (const id of wanted) {
        const known = byId.get(id);
        if (known !== undefined) names.set(id, known.name);
        else unknown.push(id);
      }
      const lookups = unknown.slice(0, MAX_USER_LOOKUPS);
      // Four at a time: a page of history by many people should not burst into Slack's limits.
      for (let index = 0; index < lookups.length; index += 4) {
        const batch = lookups.slice(index, index + 4);
        const found = await Promise.all(batch.map((id) => user(id).catch(() => undefined)));
        found.forEach((entry, offset) => {
          if (entry !== undefined) names.set(batch[offset]!, entry.name);
        });
      }
      return names;
    },
  };
}
