import { readmeSuite } from '@plugboard/testing/contract';
import { authSpec, spec } from '../src/spec.js';
import { tools } from '../src/tools/index.js';

readmeSuite({
  packageDir: new URL('..', import.meta.url),
  prefix: 'GDRIVE',
  tools,
  flags: [...(spec.flags ?? []), ...(authSpec.flags ?? [])],
  jsonBlocks: 10,
  mentions: [
    'GOOGLE_APPLICATION_CREDENTIALS',
    'GDRIVE_CREDENTIALS_PATH',
    '"mcpServers"',
    '"servers"',
    '"context_servers"',
    'claude mcp add',
    '.mcp.json',
    '.vscode/mcp.json',
    '"cmd"',
    '"docker"',
    '"-i"',
    '"--rm"',
    '"type": "http"',
  ],
});
