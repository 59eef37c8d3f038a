/**
 * @module
 * {@link ApprovalPage}: the loopback page of URL-mode approval. It listens on 127.0.0.1 on a port
 * of its own (started on the first URL approval, never when none is asked), shows the call's
 * summary with Approve and Deny buttons at `/approve/<token>`, and takes the person's decision
 * as a POST to the same address. The token in the address is the only way to a call; the Host of
 * every request and the Origin of every POST must be the page's own, so neither another site in
 * the person's browser nor a rebound DNS name can decide for them.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export type Decision = 'approve' | 'deny';

/** What the page shows for one call. */
export interface PageEntry {
  readonly tool: string;
  readonly summary: string;
  /** ms since the epoch; the page and the wait end then. */
  readonly expires: number;
}

interface Pending extends PageEntry {
  decision?: Decision;
  readonly waiters: Set<(decision: Decision | undefined) => void>;
}

const MOST_BODY_BYTES = 1024;

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  // Not no-referrer: under it the browser sends `Origin: null` with the page's own POST.
  'referrer-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
} as const;

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!,
  );
}

function html(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:16px system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
pre{white-space:pre-wrap;background:#f4f4f4;padding:1rem;border-radius:4px}
button{font-size:1rem;padding:.5rem 1.5rem;margin-right:1rem}</style></head><body>${body}</body></html>`;
}

export class ApprovalPage {
  readonly #pending = new Map<string, Pending>();
  readonly #now: () => number;
  #listening: Promise<{ server: Server; origin: string; host: string }> | undefined;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** The page's address for `token`, showing `entry` until it is decided or expires. */
  async open(token: string, entry: PageEntry): Promise<string> {
    const { origin } = await this.#listen();
    const now = this.#now();
    for (const [key, pending] of this.#pending) if (pending.expires < now) this.#end(key);
    if (!this.#pending.has(token)) this.#pending.set(token, { ...entry, waiters: new Set() });
    return `${origin}/approve/${token}`;
  }

  /**
   * Waits for the person's decision on `token`; undefined when the page expires first or was
   * never opened here. Ends the page either way: a decision is read once.
   */
  async decision(token: string, signal: AbortSignal): Promise<Decision | undefined> {
    const pending = this.#pending.get(token);
    if (pending === undefined || (pending.decision === undefined && signal.aborted))
      return undefined;
    const decided =
      pending.decision ??
      (await new Promise<Decision | undefined>((resolve) => {
        const timer = setTimeout(
          () => settle(undefined),
          Math.max(0, pending.expires - this.#now()),
        );
        const settle = (decision: Decision | undefined): void => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          pending.waiters.delete(settle);
          resolve(decision);
        };
        const onAbort = (): void => settle(undefined);
        signal.addEventListener('abort', onAbort, { once: true });
        pending.waiters.add(settle);
      }));
    this.#end(token);
    return decided;
  }

  /** Ends the page for `token` undecided (the person would not open it). */
  discard(token: string): void {
    this.#end(token);
  }

  /** Stops listening; pending waits end undecided. */
  async close(): Promise<void> {
    for (const token of [...this.#pending.keys()]) this.#end(token);
    const listening = await this.#listening;
    if (listening === undefined) return;
    const closed = new Promise<void>((resolve) => listening.server.close(() => resolve()));
    // A browser keeps its connection to the page alive; close would wait for it otherwise.
    listening.server.closeAllConnections();
    await closed;
  }

  #end(token: string): void {
    const pending = this.#pending.get(token);
    this.#pending.delete(token);
    for (const waiter of pending?.waiters ?? []) waiter(pending?.decision);
  }

  #listen(): Promise<{ server: Server; origin: string; host: string }> {
    this.#listening ??= new Promise((resolve, reject) => {
      const server = createServer((request, response) => {
        this.#serve(request, response).catch(() => {
          if (!response.headersSent) response.writeHead(500);
          response.end();
        });
      });
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        const port = typeof address === 'object' && address !== null ? address.port : 0;
        server.unref();
        resolve({ server, origin: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}` });
      });
    });
    return this.#listening;
  }

  async #serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { origin, host } = await this.#listen();
    const reply = (status: number, title: string, body: string): void => {
      response.writeHead(status, HEADERS).end(html(title, `<h1>${escapeHtml(title)}</h1>${body}`));
    };
    if (request.headers.host !== host)
      return reply(403, 'Refused', '<p>This page answers only at its own address.</p>');
    const token = /^\/approve\/([A-Za-z0-9._-]{1,400})$/.exec(request.url ?? '')?.[1];
    const pending = token === undefined ? undefined : this.#pending.get(token);
    if (token === undefined || pending === undefined || pending.expires < this.#now())
      return reply(
        410,
        'No such approval',
        '<p>This approval does not exist, was already answered or has expired. Call the tool again to be asked anew.</p>',
      );
    if (request.method === 'GET') {
      const decided =
        pending.decision === undefined
          ? `<form method="post"><button type="submit" name="decision" value="approve" id="approve">Approve</button><button type="submit" name="decision" value="deny" id="deny">Deny</button></form>`
          : `<p>Already ${pending.decision === 'approve' ? 'approved' : 'denied'}.</p>`;
      return reply(
        200,
        `Approve ${pending.tool}?`,
        `<p>Nothing runs until you approve. This is exactly what will happen:</p><pre id="summary">${escapeHtml(pending.summary)}</pre>${decided}`,
      );
    }
    if (request.method !== 'POST') return reply(405, 'Not allowed', '<p>GET or POST only.</p>');
    if (request.headers.origin !== origin)
      return reply(403, 'Refused', '<p>A decision is taken only from this page itself.</p>');
    const decision = new URLSearchParams(await readBody(request)).get('decision');
    if (decision !== 'approve' && decision !== 'deny')
      return reply(400, 'Bad request', '<p>Choose Approve or Deny.</p>');
    if (pending.decision === undefined) {
      pending.decision = decision;
      for (const waiter of [...pending.waiters]) waiter(decision);
    }
    const done = pending.decision === 'approve' ? 'Approved' : 'Denied';
    return reply(200, done, `<p>You can close this page and return to your client.</p>`);
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request as AsyncIterable<Buffer>) {
    body += chunk.toString('utf8');
    if (body.length > MOST_BODY_BYTES) throw new Error('body too large');
  }
  return body;
}
