/**
 * @module
 * Spawns a built server and connects an official MCP client to it over stdio: the SDK 1.x `Client`
 * (`@modelcontextprotocol/sdk`) or the 2.x one (`@modelcontextprotocol/client`). End-to-end tests
 * use it so that the peer judging our wire format is the one real hosts embed, never our own code.
 */
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as StdioClientTransportV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { ClientCapabilities as ClientCapabilitiesV1 } from '@modelcontextprotocol/sdk/types.js';
import { Client as ClientV2 } from '@modelcontextprotocol/client';
import type {
  ClientCapabilities as ClientCapabilitiesV2,
  VersionNegotiationMode,
} from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioClientTransportV2 } from '@modelcontextprotocol/client/stdio';
import type { Stream } from 'node:stream';
import type { JsonRpcMessage } from './json-rpc.js';

/** Which official client: `v1` is `@modelcontextprotocol/sdk` 1.x, `v2` is `@modelcontextprotocol/client`. */
export type SdkGeneration = 'v1' | 'v2';

interface Generations {
  readonly v1: { readonly client: ClientV1; readonly capabilities: ClientCapabilitiesV1 };
  readonly v2: { readonly client: ClientV2; readonly capabilities: ClientCapabilitiesV2 };
}

/** The client class of a generation. */
export type ClientOf<S extends SdkGeneration> = Generations[S]['client'];

/** How to start the server and which client to connect. */
export interface ConnectStdioOptions<S extends SdkGeneration = 'v1'> {
  readonly command: string;
  readonly args?: readonly string[];
  /** Added to the minimal environment the SDK transports inherit (PATH, HOME, ...). */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Defaults to `v1`. */
  readonly sdk?: S;
  /** What the client advertises (sampling, elicitation, roots...). */
  readonly capabilities?: Generations[S]['capabilities'];
  readonly clientInfo?: { readonly name: string; readonly version: string };
  /**
   * v2 only: the era. `legacy` (default) runs `initialize`; `auto` probes with `server/discover`;
   * `{ pin: '2026-07-28' }` insists on the stateless revision.
   */
  readonly versionNegotiation?: S extends 'v2' ? VersionNegotiationMode : never;
  /** Runs before `connect`: register request handlers (sampling, elicitation, roots) here. */
  readonly beforeConnect?: (client: ClientOf<S>) => void;
}

/** A connected client and its server process. */
export interface StdioConnection<S extends SdkGeneration = 'v1'> {
  readonly client: ClientOf<S>;
  /** The server's pid, for tests that inspect or signal the process. */
  readonly pid: number | null;
  /** Everything the server wrote to stderr so far. */
  readonly stderr: () => string;
  /**
   * Every message the client received from the server, in order, as the transport parsed it.
   * Count notifications here rather than in SDK callbacks: the clients drop the last progress
   * notification before a result in `onprogress`.
   */
  readonly received: readonly JsonRpcMessage[];
  /** Closes the client, which ends the server's stdin and reaps the process. */
  readonly close: () => Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const DEFAULT_CLIENT_INFO = { name: 'plugboard-test-client', version: '0.0.0' } as const;

/**
 * Records every message the transport hands to the client. The client assigns `onmessage` during
 * `connect`, so the property is intercepted rather than wrapped once.
 */
function recordReceived(transport: object): JsonRpcMessage[] {
  const received: JsonRpcMessage[] = [];
  let handler: ((message: JsonRpcMessage, extra?: unknown) => void) | undefined;
  const recording = (message: JsonRpcMessage, extra?: unknown): void => {
    received.push(message);
    handler?.(message, extra);
  };
  Object.defineProperty(transport, 'onmessage', {
    configurable: true,
    enumerable: true,
    get: () => (handler === undefined ? undefined : recording),
    set: (value: typeof handler) => {
      handler = value;
    },
  });
  return received;
}

function captureStderr(stream: Stream | null): () => string {
  const chunks: string[] = [];
  stream?.on('data', (chunk: Buffer | string) => chunks.push(chunk.toString()));
  return () => chunks.join('');
}

/**
 * Spawns `command` and connects the chosen official client over stdio, handshake included. The
 * returned promise rejects, with the server's stderr in the message, when the handshake fails.
 */
export async function connectStdio<S extends SdkGeneration = 'v1'>(
  options: ConnectStdioOptions<S>,
): Promise<StdioConnection<S>> {
  const params = {
    command: options.command,
    args: [...(options.args ?? [])],
    ...(options.env === undefined ? {} : { env: { ...options.env } }),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    stderr: 'pipe' as const,
  };
  const info = options.clientInfo ?? DEFAULT_CLIENT_INFO;
  const capabilities = options.capabilities ?? {};

  if ((options.sdk ?? 'v1') === 'v2') {
    const transport = new StdioClientTransportV2(params);
    const stderr = captureStderr(transport.stderr);
    const received = recordReceived(transport);
    const client = new ClientV2(info, {
      capabilities,
      ...(options.versionNegotiation === undefined
        ? {}
        : { versionNegotiation: { mode: options.versionNegotiation } }),
    });
    return finish(client as ClientOf<S>, transport, { stderr, received }, options);
  }
  const transport = new StdioClientTransportV1(params);
  const stderr = captureStderr(transport.stderr);
  const received = recordReceived(transport);
  const client = new ClientV1(info, { capabilities });
  return finish(client as ClientOf<S>, transport, { stderr, received }, options);
}

async function finish<S extends SdkGeneration>(
  client: ClientOf<S>,
  transport: StdioClientTransportV1 | StdioClientTransportV2,
  { stderr, received }: { stderr: () => string; received: readonly JsonRpcMessage[] },
  options: ConnectStdioOptions<S>,
): Promise<StdioConnection<S>> {
  options.beforeConnect?.(client);
  try {
    // The two generations' transports are structurally compatible; each client gets its own kind.
    await (client as ClientV1).connect(transport);
  } catch (error) {
    await transport.close().catch(() => undefined);
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Could not connect to ${options.command}: ${message}\n--- server stderr:\n${stderr().slice(-4000)}`,
      {
        cause: error,
      },
    );
  }
  const close = (): Promise<void> => client.close();
  return { client, pid: transport.pid, stderr, received, close, [Symbol.asyncDispose]: close };
}
