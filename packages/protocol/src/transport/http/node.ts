/**
 * @module
 * The Web-standard handler on `node:http`: each `IncomingMessage` becomes a `Request` (its body
 * streamed with backpressure, the client going away aborting `request.signal`) and each
 * `Response` is written back, an event stream waiting for the socket to drain. Repeated Host or
 * Authorization headers are refused here, where the raw header list is still visible.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkRepeatedHeaders } from './guard.js';
import { plainError, refusal, type HttpHandler } from './handler.js';

/** `node:http`'s `(req, res)` listener serving `handler`. */
export function toNodeListener(
  handler: HttpHandler,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => void serve(handler, request, response);
}

/** Serves one request; nothing it meets may escape as an unhandled rejection. */
async function serve(
  handler: HttpHandler,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  try {
    await exchange(handler, request, response);
  } catch {
    if (response.headersSent) response.destroy();
    else await send(plainError(400, 'The request could not be read'), response);
  }
}

async function exchange(
  handler: HttpHandler,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const repeated = checkRepeatedHeaders(request.rawHeaders);
  if (repeated !== undefined) {
    request.resume();
    return send(refusal(repeated), response);
  }
  const aborted = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) aborted.abort();
  });
  const incoming = toRequest(request, aborted.signal);
  const answer = await handler(incoming);
  // A body the handler left unread (a refusal) is drained, so the socket can be reused.
  if (incoming.body?.locked === false) incoming.body.cancel().catch(() => undefined);
  return send(answer, response);
}

function toRequest(request: IncomingMessage, signal: AbortSignal): Request {
  const headers = new Headers();
  const raw = request.rawHeaders;
  for (let index = 0; index < raw.length; index += 2) headers.append(raw[index]!, raw[index + 1]!);
  const target = request.url ?? '/';
  const method = request.method ?? 'GET';
  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal };
  if (method !== 'GET' && method !== 'HEAD') {
    init.body = bodyOf(request);
    init.duplex = 'half';
  }
  return new Request(`http://localhost${target.startsWith('/') ? '' : '/'}${target}`, init);
}

/** The request body as a stream that pauses the socket while nobody reads. */
function bodyOf(request: IncomingMessage): ReadableStream<Uint8Array> {
  let open = true;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      request.on('data', (chunk: Buffer) => {
        if (!open) return;
        controller.enqueue(chunk);
        if ((controller.desiredSize ?? 0) <= 0) request.pause();
      });
      request.once('end', () => {
        if (open) controller.close();
        open = false;
      });
      request.once('error', (error) => {
        if (open) controller.error(error);
        open = false;
      });
    },
    pull() {
      request.resume();
    },
    cancel() {
      // Drain what is left unread, so the answer (a 413) still reaches the client.
      open = false;
      request.resume();
    },
  });
}

/**
 * Writes `answer` to `response`. An event stream is streamed as it comes, and cancelled when the
 * client goes away; any other body is sent whole, in one write with its headers.
 */
async function send(answer: Response, response: ServerResponse): Promise<void> {
  const headers: Record<string, string> = {};
  answer.headers.forEach((value, name) => {
    headers[name] = value;
  });
  response.writeHead(answer.status, headers);
  if (answer.body === null) {
    response.end();
    return;
  }
  if (headers['content-type'] !== 'text/event-stream') {
    response.end(new Uint8Array(await answer.arrayBuffer()));
    return;
  }
  const reader = (answer.body as ReadableStream<Uint8Array>).getReader();
  const cancel = (): void => void reader.cancel();
  response.once('close', cancel);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!response.write(value)) await drained(response);
    }
    response.end();
  } catch {
    response.destroy();
  } finally {
    response.off('close', cancel);
  }
}

function drained(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.once('drain', done);
    response.once('close', done);
  });
}
