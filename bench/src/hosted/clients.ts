/**
 * @module
 * The clients of the hosted load run, behaving as real clients do when an instance behind the
 * load balancer dies:
 *
 * - **session** (2025-11-25): `initialize`, then tool calls with its `Mcp-Session-Id`. Such a
 *   call may have effects, so it is repeated only when its connection failed before the request
 *   went out; an answer lost after that (a 502 from the proxy) is an error.
 * - **stream**: some sessions also hold the GET stream; when it breaks they reconnect with
 *   `Last-Event-ID` (and, if the server does not know that id, open a new stream), as the
 *   transport lets them.
 * - **stateless** (2026-07-28): tool calls without a session; every such request may be sent
 *   again, and is, after a connection failure, a 502, 503 or 504.
 * - **task** (2026-07-28, tasks extension): starts `slow_compute` as a task and polls
 *   `tasks/get` until it settles; a task whose instance died must end `failed`, not stay
 *   `working`.
 */
import { request, type Agent, type ClientRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { exchange, ExchangeError, failureOf, type Exchange } from '../http-exchange.js';
import type { Phase, Tally } from './tally.js';

const HANDSHAKE = '2025-11-25';
const MODERN = '2026-07-28';
const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';
/** Attempts of a request that may be repeated, and the pause before the n-th repetition. */
const ATTEMPTS = 5;
const backoffMs = (attempt: number): number => 50 * 2 ** attempt;
/** Statuses a proxy answers when the instance it chose went away. */
const GATEWAY = new Set([502, 503, 504]);
const TASK_POLL_MS = 250;

/** The requests the run may still send; the first one past half of them kills an instance. */
export class Budget {
  #left: number;
  readonly #half: number;
  readonly #atHalf: () => void;

  constructor(total: number, atHalf: () => void) {
    this.#left = total;
    this.#half = Math.floor(total / 2);
    this.#atHalf = atHalf;
  }

  take(): boolean {
    if (this.#left <= 0) return false;
    this.#left--;
    if (this.#left === this.#half) this.#atHalf();
    return true;
  }
}

export interface LoadContext {
  /** nginx's port; every request goes through it. */
  port: number;
  agent: Agent;
  tally: Tally;
  budget: Budget;
  /** Resolves when the instance has been killed. */
  killed: Promise<void>;
}

interface Call {
  method: string;
  params: Record<string, unknown>;
}

const TOOL_CALL: Call = { method: 'tools/call', params: { name: 'test_simple_text' } };

function body(id: number, call: Call, meta?: Record<string, unknown>): string {
  const params = meta === undefined ? call.params : { ...call.params, _meta: meta };
  return JSON.stringify({ jsonrpc: '2.0', id, method: call.method, params });
}

/** The `Mcp-Name` a 2026-07-28 request carries: the tool, resource or task it is about. */
function nameOf(call: Call): unknown {
  if (call.method === 'resources/read') return call.params.uri;
  if (call.method.startsWith('tasks/')) return call.params.taskId;
  return call.params.name;
}

function modernHeaders(call: Call): Record<string, string> {
  const name = nameOf(call);
  return {
    'mcp-protocol-version': MODERN,
    'mcp-method': call.method,
    ...(typeof name === 'string' ? { 'mcp-name': name } : {}),
  };
}

function resultOf(answer: Exchange): Record<string, unknown> | undefined {
  const reply = answer.reply as { result?: Record<string, unknown> } | undefined;
  return reply?.result;
}

/**
 * A 2026-07-28 request, repeated (up to {@link ATTEMPTS} times) after a connection failure or a
 * gateway status; its result, or undefined after recording the error.
 */
async function modernRequest(
  ctx: LoadContext,
  kind: string,
  id: number,
  call: Call,
  tasks: boolean,
): Promise<Record<string, unknown> | undefined> {
  const phase = ctx.tally.phase;
  const sent = performance.now();
  const meta = {
    'io.modelcontextprotocol/protocolVersion': MODERN,
    'io.modelcontextprotocol/clientCapabilities': tasks
      ? { extensions: { [TASKS_EXTENSION]: {} } }
      : {},
  };
  let why = '';
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (attempt > 0) {
      ctx.tally.retried(kind, why);
      await sleep(backoffMs(attempt));
    }
    let answer: Exchange;
    try {
      answer = await exchange(ctx, modernHeaders(call), body(id, call, meta));
    } catch (error) {
      why = `connection failed (${error instanceof ExchangeError ? error.code : String(error)})`;
      continue;
    }
    if (GATEWAY.has(answer.status)) {
      why = `HTTP ${answer.status}`;
      continue;
    }
    const failure = failureOf(answer.status, answer.reply);
    if (failure !== undefined) {
      ctx.tally.failed(kind, phase, failure, JSON.stringify(answer.reply ?? answer.status));
      return undefined;
    }
    ctx.tally.answered(kind, phase, performance.now() - sent);
    return resultOf(answer);
  }
  ctx.tally.failed(kind, phase, `no answer in ${ATTEMPTS} attempts (last: ${why})`, why);
  return undefined;
}

/** 2026-07-28 tool calls, one at a time, while the budget lasts. */
export async function statelessClient(ctx: LoadContext): Promise<void> {
  for (let id = 1; ctx.budget.take(); id++)
    await modernRequest(ctx, 'stateless', id, TOOL_CALL, false);
}

/** Starts tasks and polls each until it settles; records how each one ended. */
export async function taskClient(ctx: LoadContext, index: number, leaseMs: number): Promise<void> {
  let id = 1;
  while (ctx.budget.take()) {
    const seconds = 2 + (index % 3);
    const created = await modernRequest(
      ctx,
      'task',
      id++,
      {
        method: 'tools/call',
        params: { name: 'slow_compute', arguments: { seconds, label: `t${index}.${id}` } },
      },
      true,
    );
    if (created === undefined) {
      ctx.tally.task('not created (the call failed)');
      continue;
    }
    const taskId = created.taskId;
    if (created.resultType !== 'task' || typeof taskId !== 'string') {
      ctx.tally.task('answered without a task');
      continue;
    }
    // Long enough for the task, its lease to lapse, and a loaded machine; bounded all the same.
    const deadline = performance.now() + seconds * 1000 + leaseMs + 30_000;
    let status = created.status;
    let message: unknown;
    while (status === 'working' && performance.now() < deadline) {
      await sleep(TASK_POLL_MS);
      const polled = await modernRequest(
        ctx,
        'task',
        id++,
        { method: 'tasks/get', params: { taskId } },
        true,
      );
      if (polled === undefined) continue;
      status = polled.status;
      message = polled.statusMessage;
    }
    ctx.tally.task(
      status === 'working'
        ? 'still working at the deadline'
        : status === 'failed'
          ? `failed: ${typeof message === 'string' ? message : 'no reason given'}`
          : String(status),
    );
  }
}

interface Session {
  id: string;
  nextId: number;
}

/** How a handshake-era request ended; `gone`: the servers do not know the session (404). */
type SessionOutcome = 'answered' | 'failed' | 'gone';

/**
 * A handshake-era request on `session`: repeated only when the connection failed before the
 * request went out.
 */
async function sessionRequest(
  ctx: LoadContext,
  session: Session,
  call: Call,
): Promise<SessionOutcome> {
  const phase = ctx.tally.phase;
  const sent = performance.now();
  const headers = { 'mcp-protocol-version': HANDSHAKE, 'mcp-session-id': session.id };
  const text = body(session.nextId++, call);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    let answer: Exchange;
    try {
      answer = await exchange(ctx, headers, text);
    } catch (error) {
      if (error instanceof ExchangeError && !error.sent) {
        ctx.tally.retried('session', `connection failed before sending (${error.code})`);
        await sleep(backoffMs(attempt + 1));
        continue;
      }
      ctx.tally.failed('session', phase, 'answer lost: the connection broke', String(error));
      return 'failed';
    }
    const failure = failureOf(answer.status, answer.reply);
    if (failure === undefined) {
      ctx.tally.answered('session', phase, performance.now() - sent);
      return 'answered';
    }
    const what = GATEWAY.has(answer.status)
      ? `answer lost: HTTP ${answer.status} from the proxy`
      : answer.status === 404
        ? 'session not found (HTTP 404)'
        : failure;
    ctx.tally.failed('session', phase, what, JSON.stringify(answer.reply ?? answer.status));
    return answer.status === 404 ? 'gone' : 'failed';
  }
  ctx.tally.failed('session', phase, `no connection in ${ATTEMPTS} attempts`, '');
  return 'failed';
}

/** `initialize` and `notifications/initialized`; repeated like a 2026 request, since it changes nothing yet. */
async function openSession(ctx: LoadContext): Promise<Session | undefined> {
  const init: Call = {
    method: 'initialize',
    params: {
      protocolVersion: HANDSHAKE,
      capabilities: {},
      clientInfo: { name: 'plugboard-bench-hosted', version: '0.0.0' },
    },
  };
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (attempt > 0) await sleep(backoffMs(attempt));
    const answer = await exchange(ctx, {}, body(0, init)).catch(() => undefined);
    const id = answer?.headers['mcp-session-id'];
    if (answer === undefined || failureOf(answer.status, answer.reply) !== undefined) continue;
    if (typeof id !== 'string') return undefined;
    const note = await exchange(
      ctx,
      { 'mcp-protocol-version': HANDSHAKE, 'mcp-session-id': id },
      JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
    ).catch(() => undefined);
    if (note?.status === 202 || note?.status === 200) return { id, nextId: 1 };
  }
  return undefined;
}

/**
 * A session's GET stream, held open; when it breaks it is reconnected with `Last-Event-ID` (or
 * opened afresh when the server does not know that id), and what happened is recorded.
 */
class HeldStream {
  readonly #ctx: LoadContext;
  readonly #session: string;
  #lastEventId: string | undefined;
  #request: ClientRequest | undefined;
  #closing = false;
  #breaks = 0;
  readonly #outcomes: string[] = [];
  #settled: Promise<void> = Promise.resolve();

  constructor(ctx: LoadContext, session: string) {
    this.#ctx = ctx;
    this.#session = session;
  }

  /** Opens the stream; resolves with its HTTP status once its headers arrived. */
  open(resume: boolean): Promise<number> {
    const phase = this.#ctx.tally.phase;
    const sent = performance.now();
    return new Promise((resolve) => {
      const headers: Record<string, string> = {
        accept: 'text/event-stream',
        'mcp-protocol-version': HANDSHAKE,
        'mcp-session-id': this.#session,
      };
      if (resume && this.#lastEventId !== undefined) headers['last-event-id'] = this.#lastEventId;
      // Its own connection: a held stream must not take one of the pool's keep-alive sockets.
      const req = request(
        { host: '127.0.0.1', port: this.#ctx.port, path: '/mcp', method: 'GET', headers },
        (res) => {
          const status = res.statusCode ?? 0;
          if (status !== 200) {
            res.resume();
            resolve(status);
            return;
          }
          this.#ctx.tally.answered('stream', phase, performance.now() - sent);
          res.setEncoding('utf8');
          let pending = '';
          res.on('data', (chunk: string) => {
            pending += chunk;
            const lines = pending.split('\n');
            pending = lines.pop() ?? '';
            for (const line of lines)
              if (line.startsWith('id:')) this.#lastEventId = line.slice(3).trim();
          });
          res.on('close', () => {
            if (!this.#closing) this.#settled = this.#reconnect();
          });
          resolve(200);
        },
      );
      req.on('error', () => resolve(0));
      req.end();
      this.#request = req;
    });
  }

  async #reconnect(): Promise<void> {
    this.#breaks++;
    const phase = this.#ctx.tally.phase;
    for (let attempt = 1; attempt <= ATTEMPTS && !this.#closing; attempt++) {
      await sleep(backoffMs(attempt));
      const resumed = await this.open(true);
      if (resumed === 200) {
        this.#outcomes.push('resumed with Last-Event-ID');
        return;
      }
      if (resumed === 400) {
        // The id is unknown here (nothing was kept for it): a client then opens a new stream.
        if ((await this.open(false)) === 200) {
          this.#outcomes.push('Last-Event-ID unknown (400), a new stream opened');
          return;
        }
      }
      this.#ctx.tally.retried('stream', resumed === 0 ? 'connection failed' : `HTTP ${resumed}`);
    }
    if (!this.#closing) {
      this.#outcomes.push('lost');
      this.#ctx.tally.failed('stream', phase, 'could not reconnect the GET stream', '');
    }
  }

  /** Closes it and records its fate. */
  async close(): Promise<void> {
    await this.#settled;
    this.#closing = true;
    this.#request?.destroy();
    if (this.#breaks === 0) this.#ctx.tally.stream('never broke (its instance lived)');
    for (const outcome of this.#outcomes) this.#ctx.tally.stream(`broke, ${outcome}`);
  }
}

/** A 2025-11-25 session making tool calls while the budget lasts, maybe holding its GET stream. */
export async function sessionClient(ctx: LoadContext, holdsStream: boolean): Promise<void> {
  const session = await openSession(ctx);
  if (session === undefined) {
    ctx.tally.failed('session', ctx.tally.phase, 'could not open a session', '');
    return;
  }
  let stream: HeldStream | undefined;
  if (holdsStream) {
    stream = new HeldStream(ctx, session.id);
    const status = await stream.open(false);
    if (status !== 200) ctx.tally.failed('stream', ctx.tally.phase, `GET: HTTP ${status}`, '');
  }
  let openAtKill = false;
  void ctx.killed.then(() => (openAtKill = true));
  let answeredAfter = 0;
  let outcome: SessionOutcome = 'answered';
  // A session the servers no longer know is over (a real client would start a new one).
  while (outcome !== 'gone' && ctx.budget.take()) {
    const phase: Phase = ctx.tally.phase;
    outcome = await sessionRequest(ctx, session, TOOL_CALL);
    if (outcome === 'answered' && phase === 'after') answeredAfter++;
  }
  await stream?.close();
  if (openAtKill)
    ctx.tally.session(
      answeredAfter > 0
        ? 'open at the kill, continued on the others'
        : outcome === 'gone'
          ? 'open at the kill, lost (404)'
          : 'open at the kill, no answer after it',
    );
}
