/**
 * @module
 * Handshake-era Streamable HTTP sessions. The server mints the id (32 random bytes, never one the
 * client chose); each POSTed request gets its own reply stream, messages unrelated to a request go
 * to the session's GET stream, and every stream keeps its last events for `Last-Event-ID`
 * resumption within its own session. With sign-in a session belongs to the user who opened it:
 * to anyone else its id names no session. Sessions are capped and expire when idle. With a
 * shared store ({@link SharedSessions}) a session opened on one instance goes on on any other:
 * its handshake and its streams' events are kept there, and a request for a session this
 * instance does not hold restores it from the store.
 */
import { randomBytes } from 'node:crypto';
import type { JsonRpcBatchResponse, OutgoingMessage, RequestId } from '../../jsonrpc/message.js';
import type { MessageExtra, SendOptions, Transport } from '../../jsonrpc/transport.js';
import type { Logger } from '../../log.js';
import type { RequestAuth } from '../../mcp/auth.js';
import type { SavedHandshake } from '../../mcp/eras/handshake/saved.js';
import type { McpServer, ServerConnection } from '../../mcp/server.js';
import type { Answer } from './answer.js';
import type { SharedSessions, StoredEvent } from './shared-sessions.js';
import { SseWriter } from './sse.js';
import type { ResolvedHttpOptions } from './options.js';
import { Reply } from './reply.js';
import type { Accepts } from './request.js';

const SSE_ONLY: Accepts = { json: false, sse: true };

/** The transport one session's connection talks through; only its session feeds it. */
class SessionTransport implements Transport {
  readonly #session: HttpSession;
  onmessage?: (value: unknown, extra?: MessageExtra) => void;
  onparseerror?: (detail: string) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;

  constructor(session: HttpSession) {
    this.#session = session;
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  /** A message POSTed to the session, handed to the connection with who sent it. */
  receive(value: unknown, auth: RequestAuth | undefined): void {
    this.onmessage?.(value, { auth });
  }

  send(message: OutgoingMessage, options?: SendOptions): Promise<void> {
    this.#session.route(message, options?.relatedRequestId);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.onclose?.();
    return Promise.resolve();
  }
}

export class HttpSession {
  readonly id: string;
  /** The signed-in user who opened the session (`sub`); undefined without sign-in. */
  readonly owner: string | undefined;
  readonly #shared: SharedSessions | undefined;
  /** Writes to the shared store, in order; a POST is answered only once its writes are done. */
  #writes: Promise<void> = Promise.resolve();
  #handshake: SavedHandshake | undefined;
  #savedAt = 0;
  readonly #transport = new SessionTransport(this);
  readonly #replays: number;
  /** Reply streams of requests in progress, by request id. */
  readonly #requests = new Map<RequestId, Reply>();
  /** Every stream of this session that can still be resumed, by stream id. */
  readonly #streams = new Map<string, Reply>();
  #standalone: Reply | undefined;
  connection: ServerConnection | undefined;
  lastActive = Date.now();
  closed = false;

  /** `id`: the id of a session restored from the shared store; a new one is minted otherwise. */
  constructor(
    replays: number,
    owner: string | undefined,
    shared: SharedSessions | undefined,
    id?: string,
  ) {
    this.#replays = replays;
    this.owner = owner;
    this.#shared = shared;
    this.id = id ?? randomBytes(32).toString('base64url');
  }

  /** Resolves when what this session has written to the shared store so far is there. */
  flushed(): Promise<void> {
    return this.#writes;
  }

  #write(work: (shared: SharedSessions) => Promise<void>): void {
    const shared = this.#shared;
    if (shared === undefined) return;
    this.#writes = this.#writes.then(() => work(shared));
  }

  /** Keeps the handshake (new or changed) in the shared store. */
  saveHandshake(handshake: SavedHandshake): void {
    this.#handshake = handshake;
    this.#savedAt = Date.now();
    this.#write((shared) => shared.save(this.id, { owner: this.owner, handshake }));
  }

  /** Renews the shared record's TTL now and then while the session is used. */
  touch(idleMs: number): void {
    this.lastActive = Date.now();
    if (this.#handshake !== undefined && this.lastActive - this.#savedAt > idleMs / 4)
      this.saveHandshake(this.#handshake);
  }

  #onEvent(): ((event: { id: string; data: string }, final: boolean) => void) | undefined {
    if (this.#shared === undefined) return undefined;
    return (event, final) => {
      const streamId = event.id.slice(0, event.id.lastIndexOf('.'));
      this.#write((shared) => shared.append(this.id, streamId, { ...event, final }));
    };
  }

  /**
   * Opens the reply stream for a POSTed request, or for every request of a POSTed batch
   * (2025-03-26), whose answers arrive together as one array.
   */
  openReply(requestIds: readonly RequestId[], accepts: Accepts): Reply {
    const reply = new Reply({
      accepts,
      headers: { 'Mcp-Session-Id': this.id },
      replayLimit: this.#replays,
      prime: true,
      onEvent: this.#onEvent(),
    });
    for (const id of requestIds) this.#requests.set(id, reply);
    this.#remember(reply);
    return reply;
  }

  /** Hands a POSTed message (or batch) to the session's connection. */
  receive(value: unknown, auth: RequestAuth | undefined): void {
    this.#transport.receive(value, auth);
  }

  /** The GET stream for messages unrelated to any request; one at a time (undefined: one is open). */
  openStandalone(): Promise<Answer> | undefined {
    if (this.#standalone?.connected === true) return undefined;
    const reply = new Reply({
      accepts: SSE_ONLY,
      headers: { 'Mcp-Session-Id': this.id },
      replayLimit: this.#replays,
      prime: true,
      onEvent: this.#onEvent(),
    });
    this.#standalone = reply;
    this.#remember(reply);
    reply.open();
    return reply.response;
  }

  /** Resumes a stream of this session after `Last-Event-ID`. */
  resume(lastEventId: string): Answer | 'unknown' | 'busy' {
    const dot = lastEventId.lastIndexOf('.');
    const reply = dot === -1 ? undefined : this.#streams.get(lastEventId.slice(0, dot));
    const seq = Number(lastEventId.slice(dot + 1));
    if (reply === undefined || !Number.isSafeInteger(seq)) return 'unknown';
    if (reply.connected) return 'busy';
    return reply.resume(seq);
  }

  /**
   * Resumes a stream another instance wrote, from the shared store: the kept events after
   * `Last-Event-ID`, then, until its request is answered, the events still being written there.
   */
  async resumeShared(lastEventId: string): Promise<Answer | 'unknown'> {
    const shared = this.#shared;
    const dot = lastEventId.lastIndexOf('.');
    const after = Number(lastEventId.slice(dot + 1));
    if (shared === undefined || dot === -1 || !Number.isSafeInteger(after)) return 'unknown';
    const streamId = lastEventId.slice(0, dot);
    const writer = new SseWriter({ 'Mcp-Session-Id': this.id });
    let last = after;
    const forward = (event: StoredEvent): void => {
      const seq = Number(event.id.slice(dot + 1));
      if (!(seq > last) || writer.ended) return;
      last = seq;
      writer.write(event);
      if (event.final) writer.end();
    };
    // Follow first, then read what was kept, so no event falls between the two.
    const early: StoredEvent[] = [];
    let replayed = false;
    const stop = await shared.follow(this.id, streamId, (event) => {
      if (replayed) forward(event);
      else early.push(event);
    });
    writer.onEnded(() => void stop());
    const kept = await shared.events(this.id, streamId);
    if (kept.length === 0) {
      await stop();
      return 'unknown';
    }
    for (const event of [...kept, ...early]) forward(event);
    replayed = true;
    // Resumed after the answer itself: nothing is left to come.
    if (kept.some((event) => event.final)) writer.end();
    return { status: 200, headers: writer.headers, body: writer };
  }

  route(message: OutgoingMessage, relatedRequestId: RequestId | undefined): void {
    this.lastActive = Date.now();
    if (Array.isArray(message)) {
      this.#routeBatch(message);
      return;
    }
    const reply = relatedRequestId === undefined ? undefined : this.#requests.get(relatedRequestId);
    if (reply !== undefined) {
      const final = !('method' in message) && message.id === relatedRequestId;
      reply.deliver(message, final);
      if (final) this.#requests.delete(relatedRequestId);
      return;
    }
    this.#standalone?.deliver(message, false);
  }

  /** The answers to a batch end the stream their requests share. */
  #routeBatch(answers: JsonRpcBatchResponse): void {
    let reply: Reply | undefined;
    for (const { id } of answers) {
      if (id === null) continue;
      reply ??= this.#requests.get(id);
      this.#requests.delete(id);
    }
    if (reply === undefined) this.#standalone?.deliver(answers, false);
    else reply.deliver(answers, true);
  }

  #remember(reply: Reply): void {
    this.#streams.set(reply.streamId, reply);
    // Bounded: only the newest streams stay resumable.
    if (this.#streams.size > 64) {
      const oldest = this.#streams.keys().next().value;
      if (oldest !== undefined) this.#streams.delete(oldest);
    }
  }

  /**
   * Connects the session's transport to `server`; once, by the store. `handshake`: the saved
   * handshake of a session restored from the shared store.
   */
  connect(server: McpServer, handshake?: SavedHandshake): Promise<ServerConnection> {
    if (handshake !== undefined) this.#handshake = handshake;
    return server.connect(this.#transport, {
      handshake,
      ...(this.#shared === undefined
        ? {}
        : { onHandshake: (saved: SavedHandshake) => this.saveHandshake(saved) }),
    });
  }

  get busy(): boolean {
    return this.#requests.size > 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.connection?.close();
  }
}

/** All sessions of one HTTP server, with a cap and idle expiry. */
export class SessionStore {
  readonly #sessions = new Map<string, HttpSession>();
  readonly #options: ResolvedHttpOptions;
  readonly #logger: Logger;
  readonly #sweeper: ReturnType<typeof setInterval>;
  readonly #shared: SharedSessions | undefined;

  constructor(options: ResolvedHttpOptions, logger: Logger, shared?: SharedSessions) {
    this.#options = options;
    this.#logger = logger;
    this.#shared = shared;
    this.#sweeper = setInterval(
      () => void this.#expire(),
      Math.min(60_000, Math.max(1000, options.sessionIdleMs / 2)),
    );
    this.#sweeper.unref();
  }

  get size(): number {
    return this.#sessions.size;
  }

  /**
   * The session `id` names for `auth`'s user: held here, or restored from the shared store when
   * another instance opened it. Another user's session is not found. Throws a `StoreError` when
   * the shared store cannot be reached.
   */
  async find(
    server: McpServer,
    id: string,
    auth: RequestAuth | undefined,
  ): Promise<HttpSession | undefined> {
    const owner = auth?.token.subject;
    const held = this.#sessions.get(id);
    if (held !== undefined && this.#shared === undefined) {
      if (held.owner !== owner) return undefined;
      held.touch(this.#options.sessionIdleMs);
      return held;
    }
    // With a shared store the store decides: a session ended on another instance ends here too.
    const record = await this.#shared?.load(id);
    if (record === undefined) {
      if (held !== undefined) await this.#drop(id);
      return undefined;
    }
    if (record.owner !== owner) return undefined;
    const local = held ?? this.#sessions.get(id);
    if (local !== undefined) {
      local.touch(this.#options.sessionIdleMs);
      return local;
    }
    const restored = new HttpSession(this.#options.replayEvents, owner, this.#shared, id);
    return this.#open(server, restored, record.handshake);
  }

  async create(server: McpServer, auth: RequestAuth | undefined): Promise<HttpSession> {
    const owner = auth?.token.subject;
    return this.#open(server, new HttpSession(this.#options.replayEvents, owner, this.#shared));
  }

  async #open(
    server: McpServer,
    session: HttpSession,
    handshake?: SavedHandshake,
  ): Promise<HttpSession> {
    if (this.#sessions.size >= this.#options.maxSessions) await this.#evict();
    session.connection = await session.connect(server, handshake);
    void session.connection.closed.then(() => {
      if (this.#sessions.get(session.id) === session) this.#sessions.delete(session.id);
    });
    this.#sessions.set(session.id, session);
    return session;
  }

  /** Ends the session everywhere (the client's DELETE): here and in the shared store. */
  async delete(id: string): Promise<boolean> {
    const held = this.#sessions.has(id);
    await this.#drop(id);
    await this.#shared?.delete(id);
    return held || this.#shared !== undefined;
  }

  /** Closes this instance's copy only; a shared session goes on elsewhere. */
  async #drop(id: string): Promise<void> {
    const session = this.#sessions.get(id);
    if (session === undefined) return;
    this.#sessions.delete(id);
    await session.close();
  }

  async closeAll(): Promise<void> {
    clearInterval(this.#sweeper);
    await Promise.all([...this.#sessions.values()].map((session) => session.close()));
    this.#sessions.clear();
  }

  /** Makes room by closing the least recently used session that has nothing in progress. */
  async #evict(): Promise<void> {
    let victim: HttpSession | undefined;
    for (const session of this.#sessions.values()) {
      if (session.busy) continue;
      if (victim === undefined || session.lastActive < victim.lastActive) victim = session;
    }
    if (victim === undefined) return;
    this.#logger.debug('session limit reached; closing the least recently used session');
    await this.#drop(victim.id);
  }

  async #expire(): Promise<void> {
    const cutoff = Date.now() - this.#options.sessionIdleMs;
    for (const session of [...this.#sessions.values()]) {
      if (session.lastActive < cutoff && !session.busy) await this.#drop(session.id);
    }
  }
}
