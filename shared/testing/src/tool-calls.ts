/**
 * @module
 * Calling a server's tools from the official SDK client in process: the server connected over a
 * linked in-memory pair, a `call` that returns the SDK's parsed result, and `ok`/`fail` for tests
 * that only care about the data of a success or the message of a refusal. {@link ServerHarness}
 * is the one shape every server's test harness has.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult, ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import type { Transport } from '@plugboard/protocol';

/** The parts of a tool result the helpers read; the SDK's `CallToolResult` is one. */
export interface ToolResultLike {
  isError?: boolean | undefined;
  content: readonly { type: string; text?: string | undefined }[];
  structuredContent?: Record<string, unknown> | undefined;
}

/** Calls a tool by name; `signal` cancels the request from the client side. */
export type CallTool<R> = (
  name: string,
  args?: Record<string, unknown>,
  options?: { signal?: AbortSignal },
) => Promise<R>;

/** `call` plus the two shortcuts tests use most. */
export interface ToolCalls<R> {
  readonly call: CallTool<R>;
  /** Calls a tool that must succeed; returns its structured content and its joined text. */
  readonly ok: <T = Record<string, unknown>>(
    name: string,
    args?: Record<string, unknown>,
  ) => Promise<T & { text: string }>;
  /** Calls a tool that must fail; returns its message. */
  readonly fail: (name: string, args?: Record<string, unknown>) => Promise<string>;
}

/** The text blocks of a result, joined by newlines (other blocks count as empty). */
export function textOf(result: ToolResultLike): string {
  return result.content.map((block) => block.text ?? '').join('\n');
}

/** How the client waits for a tool call. */
export interface ToolCallOptions {
  /** How long the client waits for an answer (the SDK's default is a minute). */
  readonly timeoutMs?: number;
}

/**
 * `call`, `ok` and `fail` over `client`. `R` names the result shape the caller reads (the SDK's
 * `CallToolResult` by default); the client has already parsed it.
 */
export function toolCalls<R extends ToolResultLike = CallToolResult>(
  client: Client,
  { timeoutMs }: ToolCallOptions = {},
): ToolCalls<R> {
  const call: CallTool<R> = async (name, args = {}, options = {}) =>
    (await client.callTool({ name, arguments: args }, undefined, {
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(timeoutMs === undefined ? {} : { timeout: timeoutMs }),
    })) as unknown as R;
  return {
    call,
    ok: async <T>(name: string, args: Record<string, unknown> = {}) => {
      const result = await call(name, args);
      if (result.isError === true) throw new Error(`${name} failed: ${textOf(result)}`);
      return { ...(result.structuredContent as T), text: textOf(result) };
    },
    fail: async (name: string, args: Record<string, unknown> = {}) => {
      const result = await call(name, args);
      if (result.isError !== true)
        throw new Error(`${name} succeeded but should have failed: ${textOf(result)}`);
      return textOf(result);
    },
  };
}

/** A Plugboard server as far as connecting it goes. */
export interface ConnectableServer {
  connect(transport: Transport): Promise<unknown>;
}

/** Who the in-process client says it is and what it advertises. */
export interface ConnectInProcessOptions {
  readonly clientInfo: { readonly name: string; readonly version: string };
  readonly capabilities?: ClientCapabilities;
}

/**
 * Connects the official SDK client to `server` over the SDK's linked in-memory pair, then lists
 * the tools so that the client validates every structured result against its output schema.
 */
export async function connectInProcess(
  server: ConnectableServer,
  options: ConnectInProcessOptions,
): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  // The SDK's in-memory transport has the same shape as ours; only its callback types are narrower.
  await server.connect(serverSide as unknown as Transport);
  const client = new Client(options.clientInfo, { capabilities: options.capabilities ?? {} });
  await client.connect(clientSide);
  await client.listTools();
  return client;
}

/**
 * The shape of every server's test harness: the SDK client connected to the server, the tool
 * calls over it, and closing (also through `await using`). A server's harness extends it with
 * what is its own (its upstream fake, its configuration, its dependencies).
 */
export interface ServerHarness<R extends ToolResultLike = CallToolResult> extends ToolCalls<R> {
  readonly client: Client;
  /** Closes the client, the server and what the harness started; a second call does nothing. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** A {@link ServerHarness} over `client`, whose `close` runs `close` once. */
export function serverHarness<R extends ToolResultLike = CallToolResult>(
  client: Client,
  close: () => Promise<void>,
  options: ToolCallOptions = {},
): ServerHarness<R> {
  let closing: Promise<void> | undefined;
  const closeOnce = (): Promise<void> => (closing ??= close());
  return {
    client,
    ...toolCalls<R>(client, options),
    close: closeOnce,
    [Symbol.asyncDispose]: closeOnce,
  };
}
