/**
 * @module
 * A small server for the approval tests whose dangerous tool has a real effect (it deletes a file
 * in a temporary directory), wrapped by {@link withApproval} as `defineServer` wraps a server's,
 * with a clock the tests move instead of waiting.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, text, toolFactory, type McpServer, type Tool } from '@plugboard/protocol';
import { z } from 'zod';
import { approvalOf } from '../outcome.js';
import { withApproval, APPROVAL_TTL_MS, type ApprovalSettings } from '../with-approval.js';

const defineTool = toolFactory<{ dir: string }>();

function fixtureTools(): Tool<{ dir: string }>[] {
  return [
    defineTool({
      name: 'remove_file',
      description: 'Deletes one file of the test directory.',
      input: z.object({
        name: z.string().describe('File name within the directory'),
        confirmed: z.boolean().optional().describe('Means nothing: approval is not an argument'),
      }),
      annotations: {
        readOnlyHint: false,
        destructiveHint: true,
        idempotentHint: false,
        openWorldHint: false,
      },
      approval: {
        class: 'delete',
        // Scratch files are the class's exception: only the rest need approval.
        when: ({ name }) => !name.startsWith('scratch-'),
        summary: ({ name }) => `Delete the file ${name}.`,
      },
      run: async ({ name }, ctx) => {
        await unlink(join(ctx.dir, name));
        return text(`removed ${name}; approval ${JSON.stringify(approvalOf(ctx))}`);
      },
    }),
    defineTool({
      name: 'touch_file',
      description: 'Creates an empty file in the test directory.',
      input: z.object({ name: z.string().describe('File name within the directory') }),
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      },
      run: async ({ name }, ctx) => {
        await writeFile(join(ctx.dir, name), '');
        return text(`touched ${name}; approval ${JSON.stringify(approvalOf(ctx))}`);
      },
    }),
  ];
}

export interface Fixture {
  readonly dir: string;
  readonly server: McpServer<{ dir: string }>;
  /** Moves the approval clock forward. */
  advance(ms: number): void;
  exists(name: string): boolean;
  create(name: string): Promise<void>;
  close(): Promise<void>;
}

export const TTL_MS = APPROVAL_TTL_MS;

export function fixtureToolList(): Tool<{ dir: string }>[] {
  return fixtureTools();
}

export async function approvalFixture(
  settings: Partial<Pick<ApprovalSettings, 'approve' | 'approveVia'>> = {},
): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), 'approval-'));
  let offset = 0;
  const closers: (() => Promise<void> | void)[] = [];
  const all = fixtureTools();
  const offered = withApproval(
    all,
    { tools: all, disabledTools: new Map(), withheld: [] },
    {
      approve: settings.approve ?? ['delete'],
      approveVia: settings.approveVia ?? 'form',
      host: '127.0.0.1',
      prefix: 'TEST',
      now: () => Date.now() + offset,
    },
    { onClose: (close) => void closers.push(close) },
  );
  const server = createServer({
    name: 'approval-test',
    version: '1.0.0',
    tools: offered.tools,
    context: { dir },
  });
  return {
    dir,
    server,
    advance: (ms) => void (offset += ms),
    exists: (name) => existsSync(join(dir, name)),
    create: (name) => writeFile(join(dir, name), 'precious'),
    close: async () => {
      for (const close of closers) await close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
