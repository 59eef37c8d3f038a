/**
 * @module
 * A small server for the HTTP transport tests: a cheap tool, a tool that asks the user, a slow
 * tool that reports progress and notices cancellation, a resource and a prompt.
 */
import { z } from 'zod';
import { serveHttp, type HttpListening, type HttpOptions } from '../../src/transport/http/index.js';
import { createServer, type McpServer } from '../../src/mcp/server.js';
import { definePrompt } from '../../src/mcp/features/prompt.js';
import { defineResource } from '../../src/mcp/features/resource.js';
import { structured, text } from '../../src/mcp/features/content.js';
import { defineTool } from '../../src/mcp/features/tool.js';

const hints = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

export interface TestServer {
  server: McpServer;
  listening: HttpListening;
  /** Set when the slow tool saw its signal abort. */
  aborted: { value: boolean };
  close(): Promise<void>;
}

/** The test server's tools, resource and prompt; `aborted` is set when the slow tool is cancelled. */
export function createTestServer(aborted: { value: boolean }, requestStateKey?: string): McpServer {
  const echo = defineTool({
    name: 'echo',
    description: 'Echoes its input.',
    input: z.object({ message: z.string().describe('Text to echo') }),
    output: z.object({ echoed: z.string() }),
    annotations: hints,
    run: ({ message }) => structured({ echoed: message }, message),
  });
  const greet = defineTool({
    name: 'greet',
    description: 'Asks for a name, then greets.',
    input: z.object({}),
    annotations: hints,
    run: async (_args, ctx) => {
      const answer = await ctx.elicit(
        {
          message: 'Your name?',
          requestedSchema: {
            type: 'object',
            properties: { name: { type: 'string' } },
            required: ['name'],
          },
        },
        'name',
      );
      const name = answer.action === 'accept' ? String(answer.content?.name ?? '') : 'stranger';
      return text(`Hello, ${name}!`);
    },
  });
  const slow = defineTool({
    name: 'slow',
    description: 'Reports progress until cancelled or done.',
    input: z.object({ steps: z.number().int().describe('How many 50 ms steps') }),
    annotations: hints,
    run: async ({ steps }, ctx) => {
      for (let step = 1; step <= steps; step++) {
        if (ctx.signal.aborted) {
          aborted.value = true;
          return text('cancelled');
        }
        await ctx.progress(step, steps);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      if (ctx.signal.aborted) aborted.value = true;
      return text('done');
    },
  });
  return createServer({
    name: 'http-test',
    version: '1.0.0',
    tools: [echo, greet, slow],
    resources: [
      defineResource({
        uri: 'test://hello',
        name: 'hello',
        mimeType: 'text/plain',
        read: () => [{ uri: 'test://hello', text: 'hello' }],
      }),
    ],
    prompts: [
      definePrompt({
        name: 'hi',
        description: 'Says hi',
        get: () => ({ messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }] }),
      }),
    ],
    ...(requestStateKey === undefined ? {} : { requestStateKey }),
  });
}

export async function startTestServer(
  options: Partial<HttpOptions> = {},
  requestStateKey?: string,
): Promise<TestServer> {
  const aborted = { value: false };
  const server = createTestServer(aborted, requestStateKey);
  const listening = await serveHttp(server, { host: '127.0.0.1', port: 0, ...options });
  return { server, listening, aborted, close: () => listening.close() };
}
