/**
 * @module
 * {@link createGitServer} builds the MCP server from its dependencies and tools (tests call it
 * directly); {@link parts} is what `main.ts` runs: configuration from the command line, the
 * remote gate, the server's child processes (the kit's, ended when it closes), and zod and the
 * tool modules imported only when the first tool runs.
 */
import { createServer, type McpServer, type ServerOptions, type Tool } from '@plugboard/protocol';
import type { ServerParts } from '@plugboard/kit/cli';
import type { ToolGates } from '@plugboard/kit/tools';
import { parseConfig, type ParsedConfig } from './config.js';
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
  options: Pick<
    ServerOptions<GitDeps>,
    'logger' | 'requestStateKey' | 'outputBudget' | 'disabledTools'
  > = {},
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

/** The server `main.ts` runs: a shutdown ends every git still running. */
export const parts: ServerParts<ParsedConfig, GitDeps> = {
  config: (input, { cwd, children }) =>
    parseConfig(input.flags, input.positionals, input.env, cwd, children),
  tools: {
    manifest: new URL('./tools.json', import.meta.url),
    load: async () => (await import('./tools/index.js')).tools,
  },
  exposure: ({ config }) => ({ gates: remoteGate(config.allowRemote) }),
  dependencies({ config, runner }, { logger, cwd }) {
    if (config.repositories.length === 0)
      logger.warn('no --repository given: tools work only inside roots the client shares');
    return { config, runner, cache: new Map(), cwd };
  },
  server: (deps, selected, options) =>
    createGitServer(deps, selected.tools, { ...options, disabledTools: selected.disabledTools }),
};
