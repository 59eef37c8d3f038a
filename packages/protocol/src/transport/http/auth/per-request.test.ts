import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  JSON_HEADERS,
  MODERN_META,
  initialize,
  modern,
  raw,
} from '../../../../test/support/http-raw.js';
import { TASKS_EXTENSION } from '../../../mcp/extensions/tasks/support.js';
import { OTHER_CLIENT, CLIENT, startTestIssuer, type TestIssuer } from '@plugboard/test-issuer';
import { structured, text } from '../../../mcp/features/content.js';
import { defineTool, type Tool } from '../../../mcp/features/tool.js';
import { createServer } from '../../../mcp/server.js';
import { stderrLogger } from '../../../log.js';
import { createStreamableHttp, serveHttp, type HttpListening } from '../index.js';

const READ = 'echo:read';
const WRITE = 'echo:write';

const readHints = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

/** Who the tool saw calling, as its context has it. */
const whoami = defineTool({
  name: 'whoami',
  description: 'Says who is calling.',
  input: z.object({}),
  output: z.object({ subject: z.string(), clientId: z.string(), scopes: z.array(z.string()) }),
  annotations: readHints,
  run: (_args, ctx) => {
    ctx.logger.info('whoami answered');
    const auth = ctx.auth!;
    const seen = { subject: auth.subject, clientId: auth.clientId ?? '', scopes: [...auth.scopes] };
    return structured(seen, auth.subject);
  },
});

const notes: string[] = [];
const writeNote = defineTool({
  name: 'write_note',
  description: 'Keeps a note.',
  input: z.object({ note: z.string().describe('The note') }),
  annotations: { ...readHints, readOnlyHint: false, idempotentHint: false },
  run: ({ note }) => {
    notes.push(note);
    return text('kept');
  },
});

const fails = defineTool({
  name: 'fails',
  description: 'Always fails.',
  input: z.object({}),
  annotations: readHints,
  run: () => {
    throw new Error('broken on purpose');
  },
});

/** Runs as a task when the client takes tasks; its result names the caller. */
const report = defineTool({
  name: 'report',
  description: 'Reports, as a task.',
  input: z.object({}),
  annotations: readHints,
  taskSupport: 'optional',
  run: (_args, ctx) => text(`report for ${ctx.auth?.subject ?? 'nobody'}`),
});

const tools: Tool[] = [whoami, writeNote, fails, report];

/**
 * What the kit's `exposeTools` gives for a read-only grant, written out for this protocol-level
 * test (the protocol package cannot import the kit): the tools that only read.
 */
function exposure({ readOnly }: { readOnly: boolean }) {
  return {
    tools: tools.filter((tool) => !readOnly || tool.annotations.readOnlyHint),
    disabledTools: new Map<string, string>(),
  };
}

let issuer: TestIssuer;
let listening: HttpListening;
let url: string;
const lines: string[] = [];

beforeAll(async () => {
  issuer = await startTestIssuer();
  const server = createServer({
    name: 'per-request',
    version: '1.0.0',
    tools,
    exposure,
    logger: stderrLogger('info', { write: (line) => void lines.push(line) }),
  });
  listening = await serveHttp(server, {
    host: '127.0.0.1',
    port: 0,
    signIn: { issuer: issuer.issuer, requiredScopes: [READ], writeScope: WRITE },
  });
  url = listening.url;
});
afterAll(async () => {
  await listening.close();
  await issuer.close();
});

async function sdkClient(token: string): Promise<Client> {
  const client = new Client({ name: 'per-request-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}

function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

function callBody(id: number, name: string, args: Record<string, unknown>): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name, arguments: args },
  });
}

describe('the signed-in caller reaches the tool and the logs', () => {
  it("gives the tool the token's subject, client and scopes as ctx.auth", async () => {
    const client = await sdkClient(await issuer.clientToken(url, `${READ} ${WRITE}`));
    try {
      const result = await client.callTool({ name: 'whoami', arguments: {} });
      expect(result.structuredContent).toEqual({
        subject: CLIENT.id,
        clientId: CLIENT.id,
        scopes: expect.arrayContaining([READ, WRITE]),
      });
    } finally {
      await client.close();
    }
  });

  it('names the user in the log lines of the request, the tool failure included, and never the token', async () => {
    const token = await issuer.clientToken(url, READ, OTHER_CLIENT);
    const client = await sdkClient(token);
    try {
      lines.length = 0;
      await client.callTool({ name: 'whoami', arguments: {} });
      const failed = await client.callTool({ name: 'fails', arguments: {} });
      expect(failed.isError).toBe(true);
    } finally {
      await client.close();
    }
    expect(lines.find((line) => line.includes('whoami answered'))).toContain(
      `user=${OTHER_CLIENT.id}`,
    );
    expect(lines.find((line) => line.includes('tool fails failed'))).toContain(
      `user=${OTHER_CLIENT.id}`,
    );
    expect(lines.join('')).not.toContain(token);
  });
});

describe('scopes decide the tools, per request', () => {
  it('lists every tool to a token with the write scope and runs a write', async () => {
    const client = await sdkClient(await issuer.clientToken(url, `${READ} ${WRITE}`));
    try {
      const { tools: listed } = await client.listTools();
      expect(listed.map((tool) => tool.name)).toEqual(['whoami', 'write_note', 'fails', 'report']);
      const result = await client.callTool({ name: 'write_note', arguments: { note: 'first' } });
      expect(result.isError).toBeFalsy();
      expect(notes).toContain('first');
    } finally {
      await client.close();
    }
  });

  it('lists only the read-only tools to a token without it (handshake era, the SDK client)', async () => {
    const client = await sdkClient(await issuer.clientToken(url, READ));
    try {
      const { tools: listed } = await client.listTools();
      expect(listed.map((tool) => tool.name)).toEqual(['whoami', 'fails', 'report']);
    } finally {
      await client.close();
    }
  });

  it('lists only the read-only tools to it in 2026-07-28 too, as a private cache entry', async () => {
    const token = await issuer.clientToken(url, READ);
    const response = await modern(url, 1, 'tools/list', {}, bearer(token));
    const { result } = response.json() as {
      result: { tools: { name: string }[]; cacheScope: string };
    };
    expect(result.tools.map((tool) => tool.name)).toEqual(['whoami', 'fails', 'report']);
    expect(result.cacheScope).toBe('private');
  });

  it('refuses a write call without the write scope with 403 insufficient_scope naming the scopes to ask for', async () => {
    const token = await issuer.clientToken(url, READ);
    const session = await initialize(url, bearer(token));
    const before = notes.length;
    const response = await raw(url, {
      headers: { ...JSON_HEADERS, ...bearer(token), 'mcp-session-id': session },
      body: callBody(2, 'write_note', { note: 'refused' }),
    });
    expect(response.status).toBe(403);
    const challenge = String(response.headers['www-authenticate']);
    expect(challenge).toMatch(/^Bearer /);
    expect(challenge).toContain('error="insufficient_scope"');
    expect(challenge).toContain(`scope="${READ} ${WRITE}"`);
    expect(challenge).toContain('resource_metadata="http://127.0.0.1:');
    expect(response.body).toContain('needs the scope echo:write');
    expect(notes.length).toBe(before);
  });

  it('refuses it the same way in 2026-07-28, and inside a batch', async () => {
    const token = await issuer.clientToken(url, READ);
    const stateless = await modern(
      url,
      3,
      'tools/call',
      {
        name: 'write_note',
        arguments: { note: 'refused' },
      },
      bearer(token),
    );
    expect(stateless.status).toBe(403);
    expect(String(stateless.headers['www-authenticate'])).toContain('insufficient_scope');
    const session = await initialize(url, bearer(token), '2025-03-26');
    const batch = await raw(url, {
      headers: { ...JSON_HEADERS, ...bearer(token), 'mcp-session-id': session },
      body: `[${callBody(4, 'whoami', {})},${callBody(5, 'write_note', { note: 'refused' })}]`,
    });
    expect(batch.status).toBe(403);
    expect(notes).not.toContain('refused');
  });

  it('answers a read call of the same session normally (the refusal is per call, not per session)', async () => {
    const token = await issuer.clientToken(url, READ);
    const session = await initialize(url, bearer(token));
    const response = await raw(url, {
      headers: { ...JSON_HEADERS, ...bearer(token), 'mcp-session-id': session },
      body: callBody(6, 'whoami', {}),
    });
    expect(response.status).toBe(200);
    expect(response.body).toContain(CLIENT.id);
  });

  it('lets the same session write once the client comes back with a token that has the scope (step-up)', async () => {
    const session = await initialize(url, bearer(await issuer.clientToken(url, READ)));
    const stepped = await issuer.clientToken(url, `${READ} ${WRITE}`);
    const response = await raw(url, {
      headers: { ...JSON_HEADERS, ...bearer(stepped), 'mcp-session-id': session },
      body: callBody(7, 'write_note', { note: 'after step-up' }),
    });
    expect(response.status).toBe(200);
    expect(notes).toContain('after step-up');
  });
});

describe("one user cannot reach another's session or task", () => {
  it("answers another user's task id as unknown, while its owner reads it", async () => {
    const owner = bearer(await issuer.clientToken(url, READ));
    const intruder = bearer(await issuer.clientToken(url, READ, OTHER_CLIENT));
    const meta = {
      _meta: {
        ...MODERN_META,
        'io.modelcontextprotocol/clientCapabilities': { extensions: { [TASKS_EXTENSION]: {} } },
      },
    };
    const created = await modern(
      url,
      20,
      'tools/call',
      { name: 'report', arguments: {}, ...meta },
      owner,
    );
    const { result } = created.json() as { result: { resultType: string; taskId: string } };
    expect(result.resultType).toBe('task');
    const asked = (headers: Record<string, string>) =>
      modern(
        url,
        21,
        'tasks/get',
        { taskId: result.taskId, ...meta },
        {
          ...headers,
          'mcp-name': result.taskId,
        },
      );
    const stolen = (await asked(intruder)).json() as { error?: { code: number; message: string } };
    expect(stolen.error?.code).toBe(-32602);
    expect(stolen.error?.message).toContain('Unknown task');
    const own = (await asked(owner)).json() as { result?: { taskId: string } };
    expect(own.result?.taskId).toBe(result.taskId);
  });

  it("answers another user's session id as not found, for POST, GET and DELETE", async () => {
    const owner = await issuer.clientToken(url, READ);
    const session = await initialize(url, bearer(owner));
    const intruder = bearer(await issuer.clientToken(url, `${READ} ${WRITE}`, OTHER_CLIENT));
    const post = await raw(url, {
      headers: { ...JSON_HEADERS, ...intruder, 'mcp-session-id': session },
      body: callBody(8, 'whoami', {}),
    });
    expect(post.status).toBe(404);
    const get = await raw(url, {
      method: 'GET',
      headers: { accept: 'text/event-stream', ...intruder, 'mcp-session-id': session },
    });
    expect(get.status).toBe(404);
    const remove = await raw(url, {
      method: 'DELETE',
      headers: { ...intruder, 'mcp-session-id': session },
    });
    expect(remove.status).toBe(404);
    // The owner's session is still there.
    const own = await raw(url, {
      headers: { ...JSON_HEADERS, ...bearer(owner), 'mcp-session-id': session },
      body: callBody(9, 'whoami', {}),
    });
    expect(own.status).toBe(200);
  });
});

describe('configuration', () => {
  it('refuses a write scope for a server that does not say what a read-only grant sees', () => {
    const server = createServer({ name: 'no-exposure', version: '1.0.0', tools });
    expect(() =>
      createStreamableHttp(server, {
        host: '127.0.0.1',
        port: 0,
        signIn: { issuer: issuer.issuer, writeScope: WRITE },
      }),
    ).toThrow(/exposure/);
  });

  it('publishes the write scope in the protected-resource metadata', async () => {
    const response = await raw(url.replace('/mcp', '/.well-known/oauth-protected-resource/mcp'), {
      method: 'GET',
    });
    expect((response.json() as { scopes_supported: string[] }).scopes_supported).toEqual([
      READ,
      WRITE,
    ]);
  });
});
