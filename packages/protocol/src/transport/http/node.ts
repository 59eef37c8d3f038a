/**
 * @module
 * The endpoint on `node:http`, with no `Request` or `Response` in between: headers are read from
 * the parsed message when asked for, the body is collected with the byte limit, a finished answer
 * goes out in one write with its headers, and an SSE stream is written to the socket event by
 * event. A client that goes away aborts the request's signal and cancels its stream. Repeated
 * Host or Authorization headers are refused here, where the raw header list is still visible.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { plainError, refusal, type Answer } from './answer.js';
import { checkRepeatedHeaders } from './guard.js';
import type { HttpEndpoint } from './handler.js';
import type { BodyBytes, Incoming } from './incoming.js';
import { SseWriter } from './sse.js';

/** `node:http`'s `(req, res)` listener serving `endpoint`. */
export function toNodeListener(
  endpoint: HttpEndpoint,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => void serve(endpoint, request, response);
}

/** Serves one request; nothing it meets may escape as an unhandled rejection. */
async function serve(
  endpoint: HttpEndpoint,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  try {
    const repeated = checkRepeatedHeaders(request.rawHeaders);
    if (repeated !== undefined) {
      request.resume();
      write(refusal(repeated), response);
      return;
    }
    const incoming = new NodeIncoming(request, response);
    const answer = await endpoint(incoming);
    // A body the endpoint left unread (a refusal) is drained, so the socket can be reused.
    if (!incoming.bodyRead) request.resume();
    write(answer, response);
  } catch {
    if (response.headersSent) response.destroy();
    else write(plainError(400, 'The request could not be read'), response);
  }
}

class NodeIncoming implements Incoming {
  readonly #request: IncomingMessage;
  readonly #response: ServerResponse;
  #aborter: AbortController | undefined;
  bodyRead = false;

  constructor(request: IncomingMessage, response: ServerResponse) {
    this.#request = request;
    this.#response = response;
  }

  get method(): string {
    return this.#request.method ?? 'GET';
  }

  get url(): string {
    return this.#request.url ?? '/';
  }

  header(name: string): string | undefined {
    // `headersDistinct` keeps every value of a repeated header, as `Headers.get` does.
    return this.#request.headersDistinct[name]?.join(', ');
  }

  body(limit: number): Promise<BodyBytes> {
    this.bodyRead = true;
    const request = this.#request;
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      request.on('data', (chunk: Buffer) => {
        if (size > limit) return; // Past the limit the rest is read and dropped, so the 413 gets out.
        size += chunk.byteLength;
        if (size > limit) resolve({ kind: 'too-large' });
        else chunks.push(chunk);
      });
      request.once('end', () => {
        if (size <= limit)
          resolve({
            kind: 'bytes',
            bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size),
          });
      });
      request.once('error', () => resolve({ kind: 'unreadable' }));
      request.once('close', () => {
        if (!request.complete) resolve({ kind: 'unreadable' });
      });
    });
  }

  /** Made on first use: most requests never ask. */
  get signal(): AbortSignal {
    if (this.#aborter === undefined) {
      const aborter = new AbortController();
      const response = this.#response;
      const abort = (): void => {
        if (!response.writableFinished) aborter.abort();
      };
      if (response.destroyed) abort();
      else response.once('close', abort);
      this.#aborter = aborter;
    }
    return this.#aborter.signal;
  }
}

/**
 * Writes `answer` to `response`: a finished body in one write with its headers, an SSE stream
 * as it comes, cancelled when the client goes away.
 */
function write(answer: Answer, response: ServerResponse): void {
  const { status, headers, body } = answer;
  response.writeHead(status, headers);
  if (!(body instanceof SseWriter)) {
    response.end(body ?? undefined);
    return;
  }
  response.once('close', () => body.cancel());
  body.attach({
    write: (text) => void response.write(text),
    end: () => response.end(),
  });
}
