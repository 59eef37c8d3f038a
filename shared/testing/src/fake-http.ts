/**
 * @module
 * A local HTTP fake of a third-party API (GitHub, Slack, Google) on 127.0.0.1, port chosen by the
 * OS. The server under test reaches it through the real client library's base-URL setting, so the
 * whole stack down to the socket runs for real; the fake records every request so a test can assert
 * what went over the wire (method, path, query, headers, body).
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the fake received it. */
export interface RecordedRequest {
  readonly method: string;
  /** The path without the query string, percent-decoding left to the route. */
  readonly path: string;
  /** Query parameters; a repeated key keeps every value in order. */
  readonly query: Readonly<Record<string, string | string[]>>;
  /** Raw query parameters, for order-sensitive or repeated-key checks. */
  readonly searchParams: URLSearchParams;
  /** Header names are lower case (node:http). */
  readonly headers: IncomingHttpHeaders;
  /** The body as text ('' when there is none). */
  readonly rawBody: string;
  /** The body's bytes as received (binary uploads). */
  readonly bytes: Buffer;
  /** JSON bodies parsed, `application/x-www-form-urlencoded` as an object, anything else as text. */
  readonly body: unknown;
  /** Values of `:name` segments of the matched route pattern. */
  readonly params: Readonly<Record<string, string>>;
}

/** What the fake answers. `body`: strings and Buffers are sent as-is, anything else as JSON. */
export interface FakeResponse {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  readonly body?: unknown;
  /** Full control (streaming, dropping the socket): when set, the fake does nothing else. */
  readonly respond?: (res: ServerResponse, req: IncomingMessage) => void;
}

/** Computes a response; returning `undefined` means 204 No Content. */
export type FakeHandler = (
  request: RecordedRequest,
) => FakeResponse | undefined | Promise<FakeResponse | undefined>;

/**
 * Routes keyed `"METHOD /path/:param"` (method `*` matches any); the value is a handler or a fixed
 * response. Unmatched requests are recorded and answered 404 with a JSON body.
 */
export type FakeRoutes = Readonly<Record<string, FakeHandler | FakeResponse>>;

/** A running fake. */
export interface FakeHttp {
  /** `http://127.0.0.1:<port>` without a trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Every request received, in order. */
  readonly requests: readonly RecordedRequest[];
  /** Adds or replaces a route while running. */
  readonly route: (key: string, handler: FakeHandler | FakeResponse) => void;
  /** Forgets recorded requests. */
  readonly clear: () => void;
  /** Stops listening and drops open connections. */
  readonly close: () => Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

interface CompiledRoute {
  readonly method: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly handler: FakeHandler | FakeResponse;
}

function compile(key: string, handler: FakeHandler | FakeResponse): CompiledRoute {
  const match = /^(\S+)\s+(\S+)$/.exec(key.trim());
  if (match === null) throw new Error(`Route key must look like "GET /path": ${key}`);
  const [, method = '', path = ''] = match;
  const names: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) {
        names.push(segment.slice(1));
        return '([^/]+)';
      }
      if (segment === '*') return '.*';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { method: method.toUpperCase(), pattern: new RegExp(`^${source}$`), names, handler };
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (raw === '') return undefined;
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json' || type.endsWith('+json')) {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return raw;
    }
  }
  if (type === 'application/x-www-form-urlencoded')
    return Object.fromEntries(new URLSearchParams(raw));
  return raw;
}

function queryObject(params: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    query[key] = values.length === 1 ? (values[0] ?? '') : values;
  }
  return query;
}

function send(res: ServerResponse, response: FakeResponse): void {
  const { status = 200, headers = {}, body } = response;
  for (const [name, value] of Object.entries(headers))
    res.setHeader(name, typeof value === 'string' ? value : [...value]);
  if (body === undefined) {
    res.statusCode = status === 200 ? 204 : status;
    res.end();
    return;
  }
  res.statusCode = status;
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    res.end(body);
    return;
  }
  if (!res.hasHeader('content-type'))
    res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

/**
 * Starts the fake. Pass routes, or one handler that sees every request. Handler errors become a
 * 500 with the message in the body, so a broken fake fails the test visibly.
 */
export async function fakeHttp(routesOrHandler: FakeRoutes | FakeHandler = {}): Promise<FakeHttp> {
  const routes: CompiledRoute[] =
    typeof routesOrHandler === 'function'
      ? [compile('* /*', routesOrHandler)]
      : Object.entries(routesOrHandler).map(([key, handler]) => compile(key, handler));
  const requests: RecordedRequest[] = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const method = (req.method ?? 'GET').toUpperCase();
        const bytes = Buffer.concat(chunks);
        const rawBody = bytes.toString('utf8');
        let route: CompiledRoute | undefined;
        let match: RegExpExecArray | null = null;
        // Later routes win, so `route()` can override a route given at start.
        for (let i = routes.length - 1; i >= 0 && match === null; i--) {
          const candidate = routes[i];
          if (candidate === undefined || (candidate.method !== '*' && candidate.method !== method))
            continue;
          match = candidate.pattern.exec(url.pathname);
          if (match !== null) route = candidate;
        }
        const params: Record<string, string> = {};
        route?.names.forEach((name, index) => {
          params[name] = decodeURIComponent(match?.[index + 1] ?? '');
        });
        const recorded: RecordedRequest = {
          method,
          path: url.pathname,
          query: queryObject(url.searchParams),
          searchParams: url.searchParams,
          headers: req.headers,
          rawBody,
          bytes,
          body: parseBody(rawBody, req.headers['content-type']),
          params,
        };
        requests.push(recorded);
        if (route === undefined) {
          send(res, {
            status: 404,
            body: { message: `Not Found (no fake route for ${method} ${url.pathname})` },
          });
          return;
        }
        try {
          const response =
            typeof route.handler === 'function'
              ? ((await route.handler(recorded)) ?? {})
              : route.handler;
          if (response.respond !== undefined) response.respond(res, req);
          else send(res, response);
        } catch (error) {
          send(res, {
            status: 500,
            body: { message: error instanceof Error ? error.message : String(error) },
          });
        }
      })();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const close = (): Promise<void> =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => {
        resolve();
      });
    });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    route(key, handler) {
      routes.push(compile(key, handler));
    },
    clear() {
      requests.length = 0;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
