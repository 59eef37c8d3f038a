/**
 * @module
 * The command line of mcp-server-filesystem: its name, version and own flags. Kept apart from
 * the server so that --help and --version load nothing else.
 */
import type { CommandSpec } from '@plugboard/kit/cli';

export const spec: CommandSpec = {
  bin: 'mcp-server-filesystem',
  version: PLUGBOARD_PACKAGE_VERSION,
  prefix: 'FILESYSTEM',
  summary: 'Filesystem access for MCP clients, sandboxed to the directories you allow',
  positionals: '<allowed-directory>...',
  flags: [
    {
      name: 'allow-delete',
      type: 'boolean',
      env: 'FILESYSTEM_ALLOW_DELETE',
      description: 'Add the delete_file and delete_directory tools',
    },
    {
      name: 'trash-dir',
      type: 'string',
      env: 'FILESYSTEM_TRASH_DIR',
      placeholder: 'NAME',
      description:
        'Deletions move entries into this folder inside each allowed directory (e.g. .trash) instead of removing them',
    },
    {
      name: 'max-output-bytes',
      type: 'integer',
      env: 'FILESYSTEM_MAX_OUTPUT_BYTES',
      placeholder: 'N',
      description:
        'Alias of --output-budget: most bytes of text in one tool result (default 65536)',
      aliasOf: 'output-budget',
    },
    {
      name: 'max-media-bytes',
      type: 'integer',
      env: 'FILESYSTEM_MAX_MEDIA_BYTES',
      placeholder: 'N',
      description: 'Largest file read_media_file and resources return (default 4194304)',
    },
    {
      name: 'max-extract-bytes',
      type: 'integer',
      env: 'FILESYSTEM_MAX_EXTRACT_BYTES',
      placeholder: 'N',
      description: 'Most bytes extract_archive writes in one call (default 1073741824)',
    },
    {
      name: 'ignore-client-roots',
      type: 'boolean',
      env: 'FILESYSTEM_IGNORE_CLIENT_ROOTS',
      description:
        'Do not ask the client for its roots (by default they narrow the allowed directories)',
    },
  ],
  epilog: [
    'Allowed directories are the positional arguments; when there are none, FILESYSTEM_ALLOWED_DIRECTORIES',
    `(separated by "${process.platform === 'win32' ? ';' : ':'}") is used. Client roots can only narrow them, never widen them.`,
    '',
    'Example: mcp-server-filesystem ~/projects/app /tmp/scratch',
  ].join('\n'),
};
