/**
 * @module
 * Spawns a built server with `--transport http --port 0` (or whatever arguments the test passes),
 * waits for the `listening on <url>` line it prints on stderr, and connects the official SDK
 * client over Streamable HTTP, with a bearer token when the test gives one.
 */
import { spawn } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { defaultEnvironment } from './raw-stdio.js';

/** How to start the server and what the client sends. */
export interface ConnectHttpOptions {
  readonly command: string;
  /** Must make the server listen on HTTP, e.g. `[SERVER, '--transport', 'http', '--port', '0']`. */
  readonly args: readonly string[];
  /** Added to the minimal environment (PATH, HOME, ...). */
  readonly env?: Readonly<Record<string, string>>;
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
  const child = spawn(options.command, [...options.args], {
    env: { ...defaultEnvironment(), ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    const listening = await new Promise<string>((resolve, reject) => {
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const found = /listening on (http:\/\/\S+)/.exec(stderr);
        if (found?.[1] !== undefined) resolve(found[1]);
      });
      child.once('exit', () => reject(new Error(`server exited: ${stderr}`)));
      child.once('error', reject);
    });
    const url = listening.endsWith('/mcp') ? listening : `${listening}/mcp`;
    const client = new Client(options.clientInfo ?? { name: 'http-test', version: '0.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(url), {
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
        await stop();
      })());
    return { client, url, close, [Symbol.asyncDispose]: close };
  } catch (error) {
    await stop();
    throw error;
  }
}
