/**
 * @module
 * One face for both official clients, so each interop test runs unchanged against
 * `@modelcontextprotocol/sdk` 1.x and `@modelcontextprotocol/client` 2.x. Only the calls whose
 * signatures differ between the two (tool calls with options, request handlers) are adapted; the
 * rest are the clients' own methods.
 */
import { fileURLToPath } from 'node:url';
import { connectStdio, type JsonRpcMessage, type SdkGeneration } from '@plugboard/testing';
import type { Client as ClientV2 } from '@modelcontextprotocol/client';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';

/** The built fixture, spawned by every process-level test. */
export const FIXTURE = fileURLToPath(new URL('../dist/main.js', import.meta.url));

export interface ToolResult {
  content: { type: string; text?: string; [key: string]: unknown }[];
  structuredContent?: unknown;
  isError?: boolean;
}

export interface CallOptions {
  onprogress?: (progress: {
    progress: number;
    total?: number | undefined;
    message?: string | undefined;
  }) => void;
  signal?: AbortSignal;
}

type InputMethod = 'sampling/createMessage' | 'elicitation/create' | 'roots/list';
type InputHandler = (params: Record<string, unknown>) => Record<string, unknown>;

/** The calls the tests make; both generations of the client implement them this way. */
export interface CommonClient {
  getServerVersion(): { name: string; version: string } | undefined;
  getServerCapabilities(): Record<string, unknown> | undefined;
  getInstructions(): string | undefined;
  ping(): Promise<unknown>;
  listTools(params?: { cursor?: string }): Promise<{
    tools: {
      name: string;
      title?: string;
      description?: string;
      inputSchema: Record<string, unknown>;
      outputSchema?: Record<string, unknown>;
      annotations?: Record<string, unknown>;
    }[];
    nextCursor?: string;
  }>;
  listResources(params?: { cursor?: string }): Promise<{
    resources: { uri: string; name: string; mimeType?: string; description?: string }[];
    nextCursor?: string;
  }>;
  listResourceTemplates(): Promise<{ resourceTemplates: { uriTemplate: string; name: string }[] }>;
  readResource(params: { uri: string }): Promise<{
    contents: { uri: string; mimeType?: string; text?: string; blob?: string }[];
  }>;
  subscribeResource(params: { uri: string }): Promise<unknown>;
  unsubscribeResource(params: { uri: string }): Promise<unknown>;
  listPrompts(params?: { cursor?: string }): Promise<{
    prompts: {
      name: string;
      description?: string;
      arguments?: { name: string; required?: boolean }[];
    }[];
    nextCursor?: string;
  }>;
  getPrompt(params: { name: string; arguments?: Record<string, string> }): Promise<{
    messages: { role: string; content: { type: string; text?: string; [key: string]: unknown } }[];
  }>;
  complete(params: {
    ref: { type: 'ref/prompt'; name: string } | { type: 'ref/resource'; uri: string };
    argument: { name: string; value: string };
  }): Promise<{ completion: { values: string[]; total?: number; hasMore?: boolean } }>;
  setLoggingLevel(level: 'debug' | 'info' | 'warning' | 'error'): Promise<unknown>;
}

export interface Peer {
  readonly sdk: SdkGeneration;
  readonly client: CommonClient;
  /** Every message received from the server so far. */
  readonly received: readonly JsonRpcMessage[];
  callTool(
    name: string,
    args?: Record<string, unknown>,
    options?: CallOptions,
  ): Promise<ToolResult>;
  /** Answers a server-to-client request; the handler sees the request's params. */
  onRequest(method: InputMethod, handler: InputHandler): void;
  stderr(): string;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface PeerOptions {
  capabilities?: Record<string, unknown>;
  args?: readonly string[];
  env?: Record<string, string>;
  /** v2 only: `{ pin: '2026-07-28' }` for the stateless revision. */
  modern?: boolean;
}

const V1_SCHEMAS = {
  'sampling/createMessage': CreateMessageRequestSchema,
  'elicitation/create': ElicitRequestSchema,
  'roots/list': ListRootsRequestSchema,
} as const;

/** Spawns the built fixture and connects the chosen official client to it over stdio. */
export async function connectPeer(sdk: SdkGeneration, options: PeerOptions = {}): Promise<Peer> {
  const base = {
    command: process.execPath,
    args: [FIXTURE, ...(options.args ?? [])],
    env: { LOG_LEVEL: 'warn', ...options.env },
  };
  if (sdk === 'v1') {
    const connection = await connectStdio({
      ...base,
      sdk: 'v1',
      ...(options.capabilities === undefined ? {} : { capabilities: options.capabilities }),
    });
    const client: ClientV1 = connection.client;
    return {
      sdk,
      client: client as unknown as CommonClient,
      received: connection.received,
      callTool: async (name, args = {}, callOptions = {}) =>
        (await client.callTool({ name, arguments: args }, undefined, callOptions)) as ToolResult,
      onRequest(method, handler) {
        client.setRequestHandler(
          V1_SCHEMAS[method],
          (request) => handler((request.params ?? {}) as Record<string, unknown>) as never,
        );
      },
      stderr: connection.stderr,
      close: connection.close,
      [Symbol.asyncDispose]: connection.close,
    };
  }
  const connection = await connectStdio({
    ...base,
    sdk: 'v2',
    ...(options.capabilities === undefined ? {} : { capabilities: options.capabilities }),
    ...(options.modern === true ? { versionNegotiation: { pin: '2026-07-28' } } : {}),
  });
  const client: ClientV2 = connection.client;
  return {
    sdk,
    client: client as unknown as CommonClient,
    received: connection.received,
    callTool: async (name, args = {}, callOptions = {}) =>
      (await client.callTool({ name, arguments: args }, callOptions)) as ToolResult,
    onRequest(method, handler) {
      client.setRequestHandler(
        method,
        (request) => handler(request.params as Record<string, unknown>) as never,
      );
    },
    stderr: connection.stderr,
    close: connection.close,
    [Symbol.asyncDispose]: connection.close,
  };
}

/** The text of the first content block. */
export function firstText(result: ToolResult): string {
  const block = result.content[0];
  return typeof block?.text === 'string' ? block.text : '';
}

/** Notifications with `method` received so far. */
export function notifications(peer: Peer, method: string): JsonRpcMessage[] {
  return peer.received.filter((message) => message.method === method && message.id === undefined);
}
