/**
 * @module
 * The command line of mcp-server-example: its name, version and own flags. Kept apart from the
 * server so that --help and --version load nothing else.
 */
import type { CommandSpec } from '@plugboard/kit/cli';

export const spec: CommandSpec = {
  bin: 'mcp-server-example',
  version: PLUGBOARD_PACKAGE_VERSION,
  prefix: 'EXAMPLE',
  summary: 'Notes kept in memory: the smallest server the kit makes',
  flags: [
    {
      name: 'allow-clear',
      type: 'boolean',
      env: 'EXAMPLE_ALLOW_CLEAR',
      description: 'List and enable clear_notes (off by default)',
    },
  ],
  secretEnv: ['EXAMPLE_API_KEY'],
};
