/**
 * @module
 * Spawns a built server with `--transport http --port 0` (or whatever arguments the test passes),
 * waits for the `listening on <url>` line it prints on stderr, and connects the official SDK
 * client over Streamable HTTP, with a bearer token when the test gives one.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { spawnHttpServer, type HttpServerOptions } from './http-server-process.js';

/** How to start the server and what the client sends. */
export interface ConnectHttpOptions extends HttpServerOptions {
  /** Sent as `Authorization: Bearer <token>` on every request. */
  readonly bearerToken?: string;
  readonly clientInfo?: { readonly name: string; readonly version: string };
}

/** A connected client and its server process. */
export interface HttpConnection {
  readonly client: Client;
  /** The MCP endpoint the client talks to. */
  readonly url: string;
  /** Closes the client, then stops the server (SIGTERM) and waits for it to exit; idempotent. */
  readonly close: () => Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts the server and connects the SDK 1.x client to it over Streamable HTTP. */
export async function connectHttp(options: ConnectHttpOptions): Promise<HttpConnection> {
  const server = await spawnHttpServer(options);
  try {
    const client = new Client(options.clientInfo ?? { name: 'http-test', version: '0.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(server.url), {
        requestInit:
          options.bearerToken === undefined
            ? {}
            : { headers: { authorization: `Bearer ${options.bearerToken}` } },
      }),
    );
    let closing: Promise<void> | undefined;
    const close = (): Promise<void> =>
      (closing ??= (async () => {
        await client.close();
        await server.stop();
      })());
    return { client, url: server.url, close, [Symbol.asyncDispose]: close };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
