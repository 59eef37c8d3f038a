/**
 * @module
 * Turns the parsed command line into the server's configuration, or a UsageError that says what
 * is wrong and how to fix it: the allowed directories (which must exist), the delete policy and
 * the output limits.
 */
import path from 'node:path';
import { DEFAULT_OUTPUT_BUDGET } from '@plugboard/protocol';
import { integerFlag, type ServerInput, UsageError } from '@plugboard/kit/cli';
import { DEFAULT_EXTRACT_BYTES } from './archive/limits.js';
import type { FsLimits } from './context.js';
import { resolveAllowedDirectories, type AllowedDirectory } from './sandbox/sandbox.js';

export const DEFAULT_MEDIA_BYTES = 4 * 1024 * 1024;
const MIN_OUTPUT_BYTES = 1024;

export interface FsConfig {
  directories: AllowedDirectory[];
  allowDelete: boolean;
  trashDir: string | undefined;
  limits: FsLimits;
  useClientRoots: boolean;
}

export async function loadConfig(
  input: Pick<ServerInput, 'flags' | 'positionals' | 'env'>,
  homedir: string,
): Promise<FsConfig> {
  const { flags, env } = input;
  let inputs = [...input.positionals];
  if (inputs.length === 0) {
    inputs = (env.FILESYSTEM_ALLOWED_DIRECTORIES ?? '')
      .split(path.delimiter)
      .filter((item) => item !== '');
  }
  if (inputs.length === 0) {
    throw new UsageError(
      'give at least one allowed directory, e.g. mcp-server-filesystem ~/projects (or set FILESYSTEM_ALLOWED_DIRECTORIES)',
    );
  }
  let directories: AllowedDirectory[];
  try {
    directories = await resolveAllowedDirectories(inputs, homedir);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const trash = flags.get('trash-dir');
  let trashDir: string | undefined;
  if (trash !== undefined) {
    if (
      typeof trash !== 'string' ||
      trash === '' ||
      trash === '.' ||
      trash === '..' ||
      /[\\/:\0]/.test(trash)
    ) {
      throw new UsageError(
        '--trash-dir must be a plain folder name such as .trash (it is created inside each allowed directory)',
      );
    }
    trashDir = trash;
  }
  return {
    directories,
    allowDelete: flags.get('allow-delete') === true,
    trashDir,
    limits: {
      outputBytes: integerFlag(flags, 'max-output-bytes', {
        fallback: DEFAULT_OUTPUT_BUDGET,
        min: MIN_OUTPUT_BYTES,
      }),
      mediaBytes: integerFlag(flags, 'max-media-bytes', { fallback: DEFAULT_MEDIA_BYTES, min: 1 }),
      extractBytes: integerFlag(flags, 'max-extract-bytes', {
        fallback: DEFAULT_EXTRACT_BYTES,
        min: 1,
      }),
    },
    useClientRoots: flags.get('ignore-client-roots') !== true,
  };
}
