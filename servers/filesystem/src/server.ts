/**
 * @module
 * The filesystem server factory. Everything the server knows (the allowed directories, limits,
 * delete policy) lives in the dependencies object made here, one per server; nothing is module
 * state, so tests can build as many independent servers as they like. The tools are passed in:
 * the real registry in tests, build-time descriptors that load on first call in production.
 */
import os from 'node:os';
import {
  createServer,
  nullLogger,
  type Logger,
  type McpServer,
  type Tool,
} from '@plugboard/protocol';
import type { CommonOptions, RunningServer, ServerInput } from '@plugboard/kit/cli';
import { EVERY_TOOL, exposeTools, loadTools } from '@plugboard/kit/tools';
import { loadConfig, type FsConfig } from './config.js';
import type { FsDeps } from './context.js';
import { sweepStaleTemporaries } from './fs/temporary.js';
import { fileResource } from './resources.js';
import { createSandbox } from './sandbox/sandbox.js';
import { spec } from './spec.js';

const INSTRUCTIONS =
  'This server reads and writes files only inside its allowed directories; call list_allowed_directories to see them. ' +
  'Paths may be absolute or relative to the first allowed directory. Large results are cut at a byte budget and say how to continue ' +
  '(offset, nextOffset). Prefer edit_file over write_file for changes to existing files, and search_file_contents to find text.';

export interface FilesystemServerOptions {
  /** The tool registry (`tools` from ./tools/index.js, or lazy tools from the build manifest). */
  tools: readonly Tool<FsDeps>[];
  logger?: Logger;
  requestStateKey?: string | Uint8Array;
  /** The operator's --read-only, --tools and --exclude-tools. */
  selection?: Pick<CommonOptions, 'readOnly' | 'tools' | 'excludeTools'>;
  /** Where `~` points (the user's home directory by default). */
  homedir?: string;
}

export function createFilesystemServer(
  config: FsConfig,
  options: FilesystemServerOptions,
): McpServer<FsDeps> {
  const logger = options.logger ?? nullLogger;
  const deps: FsDeps = {
    sandbox: createSandbox({
      directories: config.directories,
      homedir: options.homedir ?? os.homedir(),
      useClientRoots: config.useClientRoots,
      logger,
    }),
    limits: config.limits,
    trashDir: config.trashDir,
  };
  const gated = exposeTools(options.tools, {
    selection: options.selection ?? EVERY_TOOL,
    gates: {
      allowDelete: {
        open: config.allowDelete,
        label: 'the delete tools',
        enable: '--allow-delete (or FILESYSTEM_ALLOW_DELETE=1)',
      },
    },
  });
  return createServer<FsDeps>({
    name: 'mcp-server-filesystem',
    title: 'Filesystem',
    version: spec.version,
    instructions: INSTRUCTIONS,
    tools: gated.tools,
    disabledTools: gated.disabledTools,
    resourceTemplates: [fileResource],
    context: deps,
    logger,
    ...(options.requestStateKey === undefined ? {} : { requestStateKey: options.requestStateKey }),
  });
}

/** What `main.ts` calls: configuration from the command line, then the server. */
export async function startFilesystemServer(input: ServerInput): Promise<RunningServer> {
  const config = await loadConfig(input, os.homedir());
  const tools = await loadTools<FsDeps>(new URL('./tools.json', import.meta.url), () =>
    import('./tools/index.js').then((module) => module.tools),
  );
  input.logger.info('allowed directories', {
    directories: config.directories.map((directory) => directory.real),
    allowDelete: config.allowDelete,
  });
  let removed = 0;
  for (const directory of config.directories)
    removed += await sweepStaleTemporaries(directory.real);
  if (removed > 0) input.logger.info('removed abandoned temporary files', { count: removed });
  return {
    server: createFilesystemServer(config, {
      ...input.serverDefaults,
      tools,
      selection: input.common,
    }),
  };
}
