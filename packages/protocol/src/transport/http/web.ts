/**
 * @module
 * The endpoint as a Web-standard handler, `(request: Request) => Promise<Response>`, for any
 * runtime or framework that speaks WHATWG `Request`/`Response` (Hono, `export default { fetch }`,
 * Deno, Bun, workers). The request body is read from its stream with the byte limit; an SSE
 * answer becomes a `ReadableStream` body whose cancellation (the client going away) ends it.
 */
import type { Answer } from './answer.js';
import type { HttpEndpoint } from './handler.js';
import type { BodyBytes, Incoming } from './incoming.js';
import { SseWriter } from './sse.js';

/** A Streamable HTTP endpoint in Web-standard form. */
export type HttpHandler = (request: Request) => Promise<Response>;

export function toFetchHandler(endpoint: HttpEndpoint): HttpHandler {
  return async (request) => toResponse(await endpoint(fromRequest(request)));
}

function fromRequest(request: Request): Incoming {
  return {
    method: request.method,
    url: request.url,
    header: (name) => request.headers.get(name) ?? undefined,
    body: (limit) => readStream(request.body, limit),
    signal: request.signal,
  };
}

/** Stops reading (and cancels the rest of the stream) as soon as `limit` is crossed. */
async function readStream(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
): Promise<BodyBytes> {
  if (body === null) return { kind: 'bytes', bytes: new Uint8Array(0) };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        void reader.cancel();
        return { kind: 'too-large' };
      }
      chunks.push(value);
    }
  } catch {
    return { kind: 'unreadable' };
  }
  return { kind: 'bytes', bytes: chunks.length === 1 ? chunks[0]! : concat(chunks, size) };
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const whole = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return whole;
}

/** Stateless, so one encoder serves every stream. */
const UTF8 = new TextEncoder();

function toResponse(answer: Answer): Response {
  const { status, headers, body } = answer;
  if (!(body instanceof SseWriter)) return new Response(body, { status, headers });
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      body.attach({
        write: (text) => controller.enqueue(UTF8.encode(text)),
        end: () => controller.close(),
      });
    },
    cancel() {
      body.cancel();
    },
  });
  return new Response(stream, { status, headers });
}
