/**
 * @module
 * Handshake-era sessions in the shared store, so any instance can answer any request of a
 * session: what `initialize` established (and the user it belongs to), and the events of its
 * SSE streams for `Last-Event-ID` resumption, appended as they are written and published for an
 * instance that resumed a stream still being written elsewhere. Keys hold a SHA-256 of the
 * session id, never the id itself; the values are sealed by the store ({@link sealStore}).
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../../log.js';
import type { SavedHandshake } from '../../mcp/eras/handshake/saved.js';
import type { Store, Unsubscribe } from '../../store/store.js';
import type { SseEvent } from './sse.js';

/** What another instance needs to go on with a session. */
export interface SessionRecord {
  /** The signed-in user who opened it (`sub`), when there is sign-in. */
  readonly owner: string | undefined;
  readonly handshake: SavedHandshake;
}

/** One event of a stream, as kept: `final` when it answered the stream's request. */
export interface StoredEvent extends SseEvent {
  readonly final: boolean;
}

function keyOf(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('base64url');
}

function parseEvent(text: string): StoredEvent | undefined {
  try {
    const value = JSON.parse(text) as Partial<StoredEvent>;
    return typeof value.id === 'string' && typeof value.data === 'string'
      ? { id: value.id, data: value.data, final: value.final === true }
      : undefined;
  } catch {
    return undefined;
  }
}

export class SharedSessions {
  readonly #store: Store;
  readonly #ttlMs: number;
  readonly #replayEvents: number;
  readonly #logger: Logger;

  /** `store`: sealed and scoped for this server's sessions; `ttlMs`: the sessions' idle time. */
  constructor(store: Store, ttlMs: number, replayEvents: number, logger: Logger) {
    this.#store = store;
    this.#ttlMs = ttlMs;
    this.#replayEvents = replayEvents;
    this.#logger = logger;
  }

  async save(sessionId: string, record: SessionRecord): Promise<void> {
    await this.#quietly('save a session', () =>
      this.#store.set(`session:${keyOf(sessionId)}`, JSON.stringify(record), this.#ttlMs),
    );
  }

  /** The session's record; throws a `StoreError` when the store cannot be reached. */
  async load(sessionId: string): Promise<SessionRecord | undefined> {
    const text = await this.#store.get(`session:${keyOf(sessionId)}`);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as SessionRecord;
    } catch {
      return undefined;
    }
  }

  async delete(sessionId: string): Promise<void> {
    await this.#quietly('delete a session', () =>
      this.#store.delete(`session:${keyOf(sessionId)}`),
    );
  }

  /** Keeps `event` of the stream for resumption elsewhere, and tells an instance following it. */
  async append(sessionId: string, streamId: string, event: StoredEvent): Promise<void> {
    const key = `events:${keyOf(sessionId)}:${streamId}`;
    const text = JSON.stringify(event);
    await this.#quietly('keep an event', async () => {
      await this.#store.append(key, text, {
        ttlMs: this.#ttlMs,
        maxLength: this.#replayEvents,
      });
      await this.#store.publish(key, text);
    });
  }

  /** The kept events of a stream of this session, oldest first. */
  async events(sessionId: string, streamId: string): Promise<StoredEvent[]> {
    const items = await this.#store.items(`events:${keyOf(sessionId)}:${streamId}`);
    return items.flatMap((text) => parseEvent(text) ?? []);
  }

  /** Calls `listener` with each event written to the stream from now on, on any instance. */
  follow(
    sessionId: string,
    streamId: string,
    listener: (event: StoredEvent) => void,
  ): Promise<Unsubscribe> {
    return this.#store.subscribe(`events:${keyOf(sessionId)}:${streamId}`, (text) => {
      const event = parseEvent(text);
      if (event !== undefined) listener(event);
    });
  }

  /** A write that fails is logged: the request in hand is still answered from this instance. */
  async #quietly(what: string, write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      this.#logger.warn(`could not ${what} in the shared store`, {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
