/**
 * @module
 * One real MCP session against an installed bin with the official SDK client: initialize,
 * tools/list and one harmless call, returning what the tests assert on.
 */
import { connectStdio } from '@plugboard/testing';
import { cleanEnv } from './npm.js';

/** What a session saw. */
export interface SessionResult {
  readonly serverName: string | undefined;
  readonly tools: readonly string[];
  readonly callText: string;
  readonly callIsError: boolean;
  readonly stderr: string;
}

/** How to launch and what to call. */
export interface SessionPlan {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd?: string;
  readonly call?: { readonly name: string; readonly arguments: Record<string, unknown> };
}

function textOf(content: unknown): string {
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) =>
      typeof part === 'object' && part !== null && 'text' in part && typeof part.text === 'string'
        ? part.text
        : '',
    )
    .join('\n');
}

/** Runs the session and always closes the server. */
export async function runSession(plan: SessionPlan): Promise<SessionResult> {
  const connection = await connectStdio({
    command: plan.command,
    args: plan.args,
    env: cleanEnv(plan.env),
    ...(plan.cwd === undefined ? {} : { cwd: plan.cwd }),
    clientInfo: { name: 'plugboard-distribution', version: '0.0.0' },
  });
  try {
    const { client } = connection;
    const tools = (await client.listTools()).tools.map((tool) => tool.name);
    let callText = '';
    let callIsError = false;
    if (plan.call !== undefined) {
      const result = await client.callTool({
        name: plan.call.name,
        arguments: plan.call.arguments,
      });
      callText = textOf(result.content);
      callIsError = result.isError === true;
    }
    return {
      serverName: client.getServerVersion()?.name,
      tools,
      callText,
      callIsError,
      stderr: connection.stderr(),
    };
  } finally {
    await connection.close();
  }
}
