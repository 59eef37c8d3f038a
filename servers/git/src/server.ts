/**
 * @module
 * {@link createGitServer} builds the MCP server from its dependencies and tools (tests call it
 * directly); {@link startGitServer} is what `main.ts` runs: configuration from the command line,
 * the operator's tool selection, the server's child processes (ended when it closes), and zod and
 * the tool modules imported only when the first tool runs.
 */
import type { ChildProcesses } from '@plugboard/kit/process';
import { createServer, type McpServer, type ServerOptions, type Tool } from '@plugboard/protocol';
import type { RunningServer, ServerInput } from '@plugboard/kit/cli';
import { exposeTools, loadTools, type ToolGates } from '@plugboard/kit/tools';
import { parseConfig } from './config.js';
import type { GitDeps } from './context.js';
import { VERSION } from './spec.js';

const INSTRUCTIONS =
  'Git tools for the repositories this server allows. Every tool takes repo_path, the path of a repository work tree. ' +
  'Large results are paged: when a result says truncated, call again with the offset (or skip) it gives.';

/** Said to the model when the remote tools are hidden, so it can tell the user how to get them. */
const REMOTE_OFF =
  ' git_fetch, git_pull, git_push and git_clone are off on this server: the operator enables them with --allow-remote (or GIT_ALLOW_REMOTE=1).';

/** The operator's gate for the tools that declare `requires: ['allowRemote']`. */
function remoteGate(allowRemote: boolean): ToolGates {
  return {
    allowRemote: {
      open: allowRemote,
      label: 'the remote tools',
      enable: '--allow-remote (or GIT_ALLOW_REMOTE=1)',
    },
  };
}

export function createGitServer(
  deps: GitDeps,
  tools: readonly Tool<GitDeps>[],
  options: Pick<ServerOptions<GitDeps>, 'logger' | 'requestStateKey' | 'disabledTools'> = {},
): McpServer<GitDeps> {
  return createServer<GitDeps>({
    name: 'mcp-server-git',
    title: 'Git',
    version: VERSION,
    instructions: deps.config.allowRemote ? INSTRUCTIONS : INSTRUCTIONS + REMOTE_OFF,
    tools,
    context: deps,
    ...options,
  });
}

/**
 * The server `main.ts` runs. `children` is owned by the caller, which kills what is left of it
 * if the process exits without a shutdown; a shutdown ends every git still running.
 */
export async function startGitServer(
  input: ServerInput,
  cwd: string,
  children: ChildProcesses,
): Promise<RunningServer> {
  const { config, runner } = await parseConfig(
    input.flags,
    input.positionals,
    input.env,
    cwd,
    children,
  );
  if (config.repositories.length === 0) {
    input.logger.warn('no --repository given: tools work only inside roots the client shares');
  }
  const deps: GitDeps = { config, runner, cache: new Map(), cwd };
  // tools.json, written at build time, lists the tools without importing zod or any tool module.
  const tools = await loadTools<GitDeps>(
    new URL('./tools.json', import.meta.url),
    async () => (await import('./tools/index.js')).tools,
  );
  const gated = exposeTools(tools, {
    selection: input.common,
    gates: remoteGate(config.allowRemote),
  });
  const server = createGitServer(deps, gated.tools, {
    ...input.serverDefaults,
    disabledTools: gated.disabledTools,
  });
  return { server, close: () => children.closeAll() };
}
