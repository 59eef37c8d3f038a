/**
 * @module
 * One MCP session with a server, driven by the official TypeScript SDK client over stdio, with
 * every exchange written to the transcript. The client plays a small host: it answers sampling
 * requests with a canned reply (there is no model here), accepts elicitation forms with their
 * defaults, shows server log messages and progress, and lists the roots it was given.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  McpError,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { abbreviate, renderContent, type ContentBlock, type Transcript } from './transcript.js';

/** `progress 50/100 message` for a `notifications/progress` message, else undefined. */
export function progressOnWire(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  if (!('method' in message) || message.method !== 'notifications/progress') return undefined;
  const params = ('params' in message ? message.params : {}) as {
    progress?: number;
    total?: number;
    message?: string;
  };
  const total = params.total === undefined ? '' : `/${params.total}`;
  const text = params.message === undefined ? '' : ` ${params.message}`;
  return `progress ${params.progress ?? '?'}${total}${text}`;
}

/** Generous: an embedded database starts on first use, and CI machines can be very busy. */
const CONNECT_TIMEOUT_MS = 60_000;
const REQUEST_TIMEOUT_MS = 120_000;
/** Server stderr kept for error notes: the tail is what explains a failure. */
const STDERR_KEEP = 8 * 1024;

export const SAMPLING_REPLY =
  'Paris. (Canned reply: the demo client has no model; a real host would ask its LLM here.)';

export interface SessionOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Directories offered as roots; the client then declares the roots capability. */
  readonly roots?: readonly string[];
  /** Whether to advertise sampling and elicitation (the fixture uses both). */
  readonly hostFeatures?: boolean;
  readonly transcript: Transcript;
  /** Echo the server's stderr log lines into the transcript. */
  readonly verbose?: boolean;
}

/** A connected session. Calls print themselves; failures are counted, never thrown. */
export interface DemoSession {
  readonly client: Client;
  readonly tools: ReadonlyMap<string, Tool>;
  /** Problems that mean the server or protocol misbehaved (not `isError` tool results). */
  readonly problems: readonly string[];
  /** How many requests were made after the handshake and tools/list. */
  readonly exchanges: number;
  has(tool: string): boolean;
  /** Calls a tool when the server offers it; returns undefined (and prints nothing) when not. */
  call(
    tool: string,
    args?: Record<string, unknown>,
    why?: string,
  ): Promise<CallToolResult | undefined>;
  /** Any other request, printed under `label`; `render` turns the result into text. */
  request<T>(
    label: string,
    args: Record<string, unknown> | undefined,
    why: string | undefined,
    send: () => Promise<T>,
    render: (result: T) => Rendered,
  ): Promise<T | undefined>;
  close(): Promise<void>;
}

/** A response as printed; `error` marks a result the server flagged as failed (`isError`). */
export type Rendered = string | { readonly text: string; readonly error: boolean };

/** Thrown by {@link openSession} when the server refused its command line (exit 2, usage error). */
export class ServerRefusedOptions extends Error {}

function describe(error: unknown): string {
  if (error instanceof McpError)
    return `JSON-RPC error ${error.code}: ${error.message.replace(/^MCP error -?\d+: /, '')}`;
  return error instanceof Error ? error.message : String(error);
}

/** Builds form answers from a requested schema: each property's default, else a plausible value. */
export function defaultAnswers(schema: unknown): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  if (typeof schema !== 'object' || schema === null) return answers;
  const properties = (schema as { properties?: unknown }).properties;
  if (typeof properties !== 'object' || properties === null) return answers;
  for (const [name, raw] of Object.entries(properties)) {
    if (typeof raw !== 'object' || raw === null) continue;
    const property = raw as {
      type?: unknown;
      default?: unknown;
      enum?: unknown;
      oneOf?: unknown;
      items?: unknown;
    };
    if (property.default !== undefined) answers[name] = property.default;
    else if (Array.isArray(property.enum) && property.enum.length > 0)
      answers[name] = property.enum[0];
    else if (Array.isArray(property.oneOf) && property.oneOf.length > 0) {
      const first: unknown = property.oneOf[0];
      if (typeof first === 'object' && first !== null && 'const' in first)
        answers[name] = first.const;
    } else if (property.type === 'boolean') answers[name] = true;
    else if (property.type === 'integer' || property.type === 'number') answers[name] = 42;
    else if (property.type === 'array') answers[name] = [];
    else answers[name] = 'demo';
  }
  return answers;
}

function stderrTail(text: string, lines = 3): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/** Spawns the server, connects, and lists its tools. */
export async function openSession(options: SessionOptions): Promise<DemoSession> {
  const { transcript } = options;
  const transport = new StdioClientTransport({
    command: options.command,
    args: [...options.args],
    stderr: 'pipe',
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.env === undefined ? {} : { env: { ...options.env } }),
  });
  let stderr = '';
  (transport.stderr as Readable | null)?.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    stderr = (stderr + text).slice(-STDERR_KEEP);
    if (options.verbose === true) {
      for (const line of text.trimEnd().split('\n')) transcript.event(`stderr: ${line}`);
    }
  });

  const roots = options.roots ?? [];
  const client = new Client(
    { name: 'plugboard-demo', version: '0.0.0' },
    {
      capabilities: {
        ...(options.hostFeatures === true ? { sampling: {}, elicitation: { form: {} } } : {}),
        ...(roots.length > 0 ? { roots: { listChanged: false } } : {}),
      },
    },
  );
  client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
    const { level, data, logger } = notification.params;
    const text = typeof data === 'string' ? data : JSON.stringify(data);
    transcript.event(
      `log ${level}${logger === undefined ? '' : ` (${logger})`}: ${abbreviate(text, { maxLines: 2 })}`,
    );
  });
  if (options.hostFeatures === true) {
    client.setRequestHandler(CreateMessageRequestSchema, (request) => {
      const asked = request.params.messages
        .map((message) => renderContent([message.content as ContentBlock], { maxLines: 1 }))
        .join(' / ');
      transcript.event(`server asks the client for a completion (sampling): "${asked}"`);
      transcript.event(`client answers: "${SAMPLING_REPLY}"`);
      return {
        role: 'assistant' as const,
        content: { type: 'text' as const, text: SAMPLING_REPLY },
        model: 'plugboard-demo-canned',
        stopReason: 'endTurn',
      };
    });
    client.setRequestHandler(ElicitRequestSchema, (request) => {
      const params = request.params;
      const schema = 'requestedSchema' in params ? params.requestedSchema : undefined;
      const content = defaultAnswers(schema);
      transcript.event(
        `server asks the user (elicitation): "${abbreviate(params.message, { maxLines: 1 })}"`,
      );
      transcript.event(`client accepts with ${JSON.stringify(content)}`);
      return {
        action: 'accept' as const,
        content: content as Record<string, string | number | boolean | string[]>,
      };
    });
  }
  if (roots.length > 0) {
    client.setRequestHandler(ListRootsRequestSchema, () => {
      transcript.event(`server asks for the client's roots: ${roots.join(', ')}`);
      return { roots: roots.map((dir) => ({ uri: pathToFileURL(dir).href, name: dir })) };
    });
  }

  try {
    await client.connect(transport, { timeout: CONNECT_TIMEOUT_MS });
  } catch (error) {
    await client.close().catch(() => undefined);
    const refusal = /^(mcp-server-[\w-]+|[\w-]+): (.+)$/m.exec(stderr);
    if (refusal !== null && !/\b(INFO|WARN|ERROR|DEBUG)\b/.test(refusal[0])) {
      throw new ServerRefusedOptions(refusal[0]);
    }
    const tail = stderrTail(stderr);
    throw new Error(`${describe(error)}${tail === '' ? '' : `; server stderr: ${tail}`}`);
  }

  // The SDK's onprogress callback misses a notification that arrives together with the result,
  // so progress is shown as it came over the wire, read before the SDK dispatches each message.
  const wireProgress: string[] = [];
  const dispatch = transport.onmessage;
  transport.onmessage = (...args: Parameters<NonNullable<typeof dispatch>>) => {
    const progress = progressOnWire(args[0]);
    if (progress !== undefined) wireProgress.push(progress);
    dispatch?.(...args);
  };

  const tools = new Map<string, Tool>();
  const problems: string[] = [];
  if (client.getServerCapabilities()?.tools !== undefined) {
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor === undefined ? {} : { cursor }, {
        timeout: REQUEST_TIMEOUT_MS,
      });
      for (const tool of page.tools) tools.set(tool.name, tool);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  }

  let exchanges = 0;
  const session: DemoSession = {
    client,
    tools,
    problems,
    get exchanges() {
      return exchanges;
    },
    has: (tool) => tools.has(tool),
    async request(label, args, why, send, render) {
      exchanges++;
      transcript.request(label, args, why);
      try {
        const result = await send();
        const rendered = render(result);
        if (typeof rendered === 'string') transcript.response(rendered);
        else transcript.response(rendered.text, rendered.error ? 'error' : 'ok');
        return result;
      } catch (error) {
        const message = describe(error);
        problems.push(`${label}: ${message}`);
        transcript.response(message, 'error');
        return undefined;
      }
    },
    async call(tool, args = {}, why) {
      if (!tools.has(tool)) return undefined;
      return session.request(
        tool,
        args,
        why ?? tools.get(tool)?.title ?? undefined,
        async () => {
          wireProgress.length = 0;
          let callbacks = 0;
          const result = (await client.callTool({ name: tool, arguments: args }, undefined, {
            timeout: REQUEST_TIMEOUT_MS,
            // Asks for progress (the SDK sends a progressToken only with a callback).
            onprogress: () => {
              callbacks++;
            },
          })) as CallToolResult;
          for (const progress of wireProgress) transcript.event(progress);
          if (wireProgress.length > 0)
            transcript.event(
              `${wireProgress.length} progress notifications on the wire; the SDK's onprogress callback saw ${callbacks}`,
            );
          return result;
        },
        (result) => {
          const body = renderContent(result.content as ContentBlock[]);
          const structured =
            result.structuredContent === undefined
              ? ''
              : `\n(+ structuredContent: ${Object.keys(result.structuredContent).join(', ') || 'empty'})`;
          return { text: `${body}${structured}`, error: result.isError === true };
        },
      );
    },
    async close() {
      await client.close().catch(() => undefined);
    },
  };
  return session;
}
