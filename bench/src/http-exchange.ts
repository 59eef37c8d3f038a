/**
 * @module
 * One HTTP request of an MCP client, over a keep-alive agent: the body goes out, the whole
 * answer comes back, and the JSON-RPC messages in it are parsed whether it came as JSON or as an
 * SSE stream. A request that fails before any answer rejects with the socket error, marked with
 * whether the request had been written out (so a client knows whether retrying could repeat it).
 */
import { request, type Agent, type IncomingHttpHeaders } from 'node:http';

export interface Exchange {
  status: number;
  headers: IncomingHttpHeaders;
  /** Every JSON-RPC message in the body (one for JSON, each `data:` line of a stream). */
  messages: unknown[];
  /** The first message with an `id`: the reply. */
  reply: unknown;
}

/** A request that got no answer; `sent` says whether its bytes had gone out before it failed. */
export class ExchangeError extends Error {
  override readonly name = 'ExchangeError';
  readonly code: string;
  readonly sent: boolean;

  constructor(cause: NodeJS.ErrnoException, sent: boolean) {
    super(cause.message);
    this.code = cause.code ?? 'EUNKNOWN';
    this.sent = sent;
  }
}

export interface ExchangeTarget {
  agent: Agent;
  port: number;
  /** Defaults to `/mcp`. */
  path?: string;
}

function messagesOf(type: string, text: string): unknown[] {
  try {
    if (type.startsWith('text/event-stream'))
      return text
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trim())
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as unknown);
    return text === '' ? [] : [JSON.parse(text) as unknown];
  } catch {
    return [];
  }
}

/** POSTs `body` with `headers` (content type and accept are added) and reads the whole answer. */
export function exchange(
  target: ExchangeTarget,
  headers: Readonly<Record<string, string>>,
  body: string,
): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    let sent = false;
    const req = request(
      {
        host: '127.0.0.1',
        port: target.port,
        path: target.path ?? '/mcp',
        method: 'POST',
        agent: target.agent,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const messages = messagesOf(
            res.headers['content-type'] ?? '',
            Buffer.concat(chunks).toString('utf8'),
          );
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            messages,
            reply: messages.find((m) => typeof m === 'object' && m !== null && 'id' in m),
          });
        });
        res.on('error', (error: NodeJS.ErrnoException) => reject(new ExchangeError(error, true)));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => reject(new ExchangeError(error, sent)));
    req.end(body, () => (sent = true));
  });
}

/** Why an answer is not a success (an HTTP error, a JSON-RPC error, a tool error), or undefined. */
export function failureOf(status: number, reply: unknown): string | undefined {
  if (status !== 200) return `HTTP ${status}`;
  if (typeof reply !== 'object' || reply === null) return 'no JSON-RPC reply in the response';
  if ('error' in reply) return `JSON-RPC error ${JSON.stringify(reply.error).slice(0, 200)}`;
  if (
    'result' in reply &&
    typeof reply.result === 'object' &&
    reply.result !== null &&
    'isError' in reply.result &&
    reply.result.isError === true
  ) {
    return 'tool error';
  }
  return undefined;
}
