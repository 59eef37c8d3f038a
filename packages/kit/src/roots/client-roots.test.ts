import { mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createServer, defineTool, structured } from '@plugboard/protocol';
import { InMemoryTransport } from '@plugboard/protocol/testing';
import { askClientRoots, type RootsQuery } from './client-roots.js';

const answerShape = z.object({ answer: z.unknown() });

/** A server whose one tool answers with what askClientRoots said, asked by a real SDK client. */
async function ask(
  query: RootsQuery,
  roots: ((uris: string[]) => Promise<{ roots: { uri: string }[] }>) | undefined,
  uris: string[] = [],
): Promise<unknown> {
  const server = createServer({
    name: 'roots',
    version: '1',
    tools: [
      defineTool({
        name: 'ask',
        description: 'Asks the client for its roots.',
        input: z.object({}),
        output: answerShape,
        annotations: {
          readOnlyHint: true,
          destructiveHint: false,
          idempotentHint: true,
          openWorldHint: false,
        },
        run: async (_input, ctx) => structured({ answer: await askClientRoots(ctx, query) }),
      }),
    ],
  });
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client(
    { name: 'c', version: '1' },
    { capabilities: roots === undefined ? {} : { roots: { listChanged: true } } },
  );
  if (roots !== undefined) client.setRequestHandler(ListRootsRequestSchema, () => roots(uris));
  await client.connect(clientSide as unknown as Parameters<Client['connect']>[0]);
  try {
    const result = await client.callTool({ name: 'ask', arguments: {} });
    expect(result.isError).toBeFalsy();
    return (result.structuredContent as { answer: unknown }).answer;
  } finally {
    await client.close();
  }
}

const listing = (uris: string[]) => Promise.resolve({ roots: uris.map((uri) => ({ uri })) });

describe('askClientRoots', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await realpath(await mkdtemp(path.join(tmpdir(), 'kit-roots-')));
    await writeFile(path.join(dir, 'file.txt'), 'x');
    await symlink(dir, path.join(dir, 'link'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('says none when the client declares no roots capability, and never asks', async () => {
    expect(await ask({ eras: 'every' }, undefined)).toEqual({ kind: 'none' });
  });

  it('resolves file roots to real directories and says why every other root is ignored', async () => {
    const uris = [
      pathToFileURL(path.join(dir, 'link')).href,
      'https://example.com/repo',
      'file://server/share',
      pathToFileURL(path.join(dir, 'file.txt')).href,
      pathToFileURL(path.join(dir, 'missing')).href,
      'not a uri',
    ];
    expect(await ask({ eras: 'handshake' }, listing, uris)).toEqual({
      kind: 'listed',
      directories: [{ given: path.join(dir, 'link'), real: dir }],
      ignored: [
        { uri: uris[1], reason: 'not a file: URI' },
        { uri: uris[2], reason: 'names a remote host' },
        { uri: uris[3], reason: 'not a directory' },
        { uri: uris[4], reason: 'does not exist' },
        { uri: uris[5], reason: 'not a valid local file URI' },
      ],
    });
  });

  it("applies the server's own objection to a root's path", async () => {
    const uri = pathToFileURL(dir).href;
    const answer = await ask(
      { eras: 'handshake', pathProblem: (given) => (given === dir ? 'refused' : undefined) },
      listing,
      [uri],
    );
    expect(answer).toEqual({
      kind: 'listed',
      directories: [],
      ignored: [{ uri, reason: 'not an acceptable path' }],
    });
  });

  it('says failed, with the reason, when the client answers roots/list with an error', async () => {
    const failing = (): Promise<never> => Promise.reject(new Error('roots are broken'));
    expect(await ask({ eras: 'every' }, failing)).toMatchObject({
      kind: 'failed',
      error: expect.stringContaining('roots are broken'),
    });
  });

  it('stops waiting for a client that never answers once the timeout passes', async () => {
    const silent = () => new Promise<never>(() => undefined);
    expect(await ask({ eras: 'handshake', timeoutMs: 50 }, silent)).toEqual({
      kind: 'failed',
      error: 'no answer within 50 ms',
    });
  });
});
