/**
 * @module
 * Raw HTTP for tests: `fetch` forbids setting Host and friends, so requests go through node:http.
 */
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json(): unknown;
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Resolve after this many bytes of body (for SSE streams that stay open). */
  untilBody?: (body: string) => boolean;
}

export function raw(url: string, init: RawRequest = {}): Promise<RawResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: init.method ?? 'POST',
        headers: init.headers,
      },
      (res) => {
        let body = '';
        const done = (): void => {
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            json: () => JSON.parse(body) as unknown,
          });
        };
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
          if (init.untilBody?.(body) === true) {
            done();
            req.destroy();
          }
        });
        res.on('end', done);
      },
    );
    req.on('error', reject);
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

export const JSON_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};

/** A handshake-era `initialize` request body. */
export const INITIALIZE_BODY = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 't', version: '1' },
  },
});

export const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': { elicitation: {} },
};

/** A 2026-07-28 request with matching headers. */
export function modern(
  url: string,
  id: number,
  method: string,
  params: Record<string, unknown> = {},
  extraHeaders: Record<string, string> = {},
): Promise<RawResponse> {
  const name = method === 'resources/read' ? params.uri : params.name;
  return raw(url, {
    headers: {
      ...JSON_HEADERS,
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': method,
      ...(typeof name === 'string' ? { 'mcp-name': name } : {}),
      ...extraHeaders,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id, method, params: { _meta: MODERN_META, ...params } }),
  });
}

/** Opens a handshake-era session at `protocolVersion`; returns its id. */
export async function initialize(
  url: string,
  headers: Record<string, string> = {},
  protocolVersion = '2025-11-25',
): Promise<string> {
  const response = await raw(url, {
    headers: { ...JSON_HEADERS, ...headers },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: {
        protocolVersion,
        capabilities: {},
        clientInfo: { name: 'raw', version: '1' },
      },
    }),
  });
  const id = response.headers['mcp-session-id'];
  if (typeof id !== 'string')
    throw new Error(`initialize failed: ${response.status} ${response.body}`);
  await raw(url, {
    headers: { ...JSON_HEADERS, ...headers, 'mcp-session-id': id },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  return id;
}

/** One request written byte for byte on a socket: the only way to send a header twice. */
export function rawSocket(url: string, head: string[], body: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.end(
        [...head, `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close', '', body].join(
          '\r\n',
        ),
      );
    });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}
