/**
 * @module
 * Handshake-era Streamable HTTP sessions. The server mints the id (32 random bytes, never one the
 * client chose); each POSTed request gets its own reply stream, messages unrelated to a request go
 * to the session's GET stream, and every stream keeps its last events for `Last-Event-ID`
 * resumption within its own session. With sign-in a session belongs to the user who opened it:
 * to anyone else its id names no session. Sessions are capped and expire when idle.
 */
import { randomBytes } from 'node:crypto';
import type { JsonRpcBatchResponse, OutgoingMessage, RequestId } from '../../jsonrpc/message.js';
import type { SendOptions, Transport } from '../../jsonrpc/transport.js';
import type { Logger } from '../../log.js';
import type { RequestAuth } from '../../mcp/auth.js';
import type { McpServer, ServerConnection } from '../../mcp/server.js';
import type { Answer } from './answer.js';
import type { ResolvedHttpOptions } from './options.js';
import { Reply } from './reply.js';
import type { Accepts } from './request.js';

const SSE_ONLY: Accepts = { json: false, sse: true };

/** The transport one session's connection talks through; only its session feeds it. */
class SessionTransport implements Transport {
  readonly #session: HttpSession;
  onmessage?: (value: unknown, auth?: RequestAuth) => void;
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
    this.onmessage?.(value, auth);
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
  readonly id = randomBytes(32).toString('base64url');
  /** The signed-in user who opened the session (`sub`); undefined without sign-in. */
  readonly owner: string | undefined;
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

  constructor(replays: number, owner: string | undefined) {
    this.#replays = replays;
    this.owner = owner;
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

  /** Connects the session's transport to `server`; once, by the store. */
  connect(server: McpServer): Promise<ServerConnection> {
    return server.connect(this.#transport);
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

  constructor(options: ResolvedHttpOptions, logger: Logger) {
    this.#options = options;
    this.#logger = logger;
    this.#sweeper = setInterval(
      () => void this.#expire(),
      Math.min(60_000, Math.max(1000, options.sessionIdleMs / 2)),
    );
    this.#sweeper.unref();
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** The session `id` names for `auth`'s user: another user's session is not found. */
  get(id: string, auth: RequestAuth | undefined): HttpSession | undefined {
    const session = this.#sessions.get(id);
    if (session === undefined || session.owner !== auth?.token.subject) return undefined;
    session.lastActive = Date.now();
    return session;
  }

  async create(server: McpServer, auth: RequestAuth | undefined): Promise<HttpSession> {
    if (this.#sessions.size >= this.#options.maxSessions) await this.#evict();
    const session = new HttpSession(this.#options.replayEvents, auth?.token.subject);
    session.connection = await session.connect(server);
    void session.connection.closed.then(() => this.#sessions.delete(session.id));
    this.#sessions.set(session.id, session);
    return session;
  }

  async delete(id: string): Promise<boolean> {
    const session = this.#sessions.get(id);
    if (session === undefined) return false;
    this.#sessions.delete(id);
    await session.close();
    return true;
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
    await this.delete(victim.id);
  }

  async #expire(): Promise<void> {
    const cutoff = Date.now() - this.#options.sessionIdleMs;
    for (const session of [...this.#sessions.values()]) {
      if (session.lastActive < cutoff && !session.busy) await this.delete(session.id);
    }
  }
}
