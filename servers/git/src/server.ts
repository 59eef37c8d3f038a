/**
 * @module
 * {@link createGitServer} builds the MCP server from its dependencies and tools (tests call it
 * directly); {@link startGitServer} is what `main.ts` runs: configuration from the command line,
 * the operator's tool selection, and zod, the tool modules and simple-git imported only when the
 * first tool runs.
 */
import { createServer, type McpServer, type ServerOptions, type Tool } from '@plugboard/protocol';
import {
  loadTools,
  selectTools,
  type RunningServer,
  type ServerInput,
} from '@plugboard/protocol/cli';
import { parseConfig } from './config.js';
import type { GitDeps } from './context.js';
import type { SimpleGitFactory } from './git-runner.js';
import { VERSION } from './spec.js';

const INSTRUCTIONS =
  'Git tools for the repositories this server allows. Every tool takes repo_path, the path of a repository work tree. ' +
  'Large results are paged: when a result says truncated, call again with the offset (or skip) it gives.';

export function createGitServer(
  deps: GitDeps,
  tools: readonly Tool<GitDeps>[],
  options: Pick<ServerOptions<GitDeps>, 'logger' | 'requestStateKey'> = {},
): McpServer<GitDeps> {
  return createServer<GitDeps>({
    name: 'mcp-server-git',
    title: 'Git',
    version: VERSION,
    instructions: INSTRUCTIONS,
    tools,
    context: deps,
    ...options,
  });
}

/** simple-git, loaded once on first use. */
export function simpleGitLoader(): () => Promise<SimpleGitFactory> {
  let loading: Promise<SimpleGitFactory> | undefined;
  return () => {
    loading ??= import('simple-git').then((module) => module.simpleGit);
    return loading;
  };
}

export async function startGitServer(input: ServerInput, cwd: string): Promise<RunningServer> {
  const { config, runner } = await parseConfig(
    input.flags,
    input.positionals,
    input.env,
    cwd,
    simpleGitLoader(),
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
  const server = createGitServer(deps, selectTools(tools, input.common), input.serverDefaults);
  return { server };
}
