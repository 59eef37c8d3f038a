/**
 * @module
 * {@link connectApproving}: a built server spawned over stdio with an official client that
 * stands for the person asked to approve calls (`--approve`): it answers every form-mode
 * elicitation from a list, in the handshake era (SDK 1.x) or in 2026-07-28 (SDK 2.x, pinned), and
 * records what it was shown.
 */
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { connectStdio, type StdioConnection } from './connect-stdio.js';
import type { ToolResultLike } from './tool-calls.js';

/** What the person answers: the form's `approve` box, or declining the question. */
export type ApprovalAnswer = 'approve' | 'refuse' | 'decline';

export interface ApprovingOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly era: 'handshake' | '2026-07-28';
  /** One per question, in order; the last one answers every question after it. */
  readonly answers: readonly ApprovalAnswer[];
}

export interface ApprovingConnection {
  /** Calls a tool and returns its result. */
  callTool(name: string, args: Record<string, unknown>): Promise<ToolResultLike>;
  /** The message of every question asked so far. */
  readonly asked: readonly string[];
  readonly connection: StdioConnection | StdioConnection<'v2'>;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

function resultOf(answer: ApprovalAnswer): { action: string; content?: { approve: boolean } } {
  return answer === 'decline'
    ? { action: 'decline' }
    : { action: 'accept', content: { approve: answer === 'approve' } };
}

export async function connectApproving(options: ApprovingOptions): Promise<ApprovingConnection> {
  const asked: string[] = [];
  let next = 0;
  const answer = (message: string) => {
    asked.push(message);
    const chosen = options.answers[Math.min(next++, options.answers.length - 1)] ?? 'decline';
    return resultOf(chosen);
  };
  const base = {
    command: options.command,
    args: options.args,
    ...(options.env === undefined ? {} : { env: options.env }),
    capabilities: { elicitation: {} },
  };
  const connection =
    options.era === 'handshake'
      ? await connectStdio({
          ...base,
          beforeConnect: (client) =>
            client.setRequestHandler(
              ElicitRequestSchema,
              (request) => answer(request.params.message) as never,
            ),
        })
      : await connectStdio({
          ...base,
          sdk: 'v2',
          versionNegotiation: { pin: '2026-07-28' },
          beforeConnect: (client) =>
            client.setRequestHandler(
              'elicitation/create',
              (request) => answer(request.params.message) as never,
            ),
        });
  return {
    callTool: async (name, args) =>
      (await connection.client.callTool({ name, arguments: args })) as ToolResultLike,
    asked,
    connection,
    close: connection.close,
    [Symbol.asyncDispose]: connection.close,
  };
}
