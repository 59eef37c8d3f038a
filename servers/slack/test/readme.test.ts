import { readmeSuite } from '@plugboard/testing/contract';
import { resources } from '../src/resources.js';
import { spec } from '../src/spec.js';
import { tools } from '../src/tools/index.js';

readmeSuite({
  packageDir: new URL('..', import.meta.url),
  prefix: 'SLACK',
  tools,
  flags: spec.flags ?? [],
  toolMention: (name) => `\`${name}\``,
  jsonBlocks: 10,
  mentions: [
    ...resources.map((resource) => `\`${resource.descriptor.uri}\``),
    ...['SLACK_BOT_TOKEN', 'SLACK_USER_TOKEN', 'SLACK_TEAM_ID'].map((name) => `\`${name}\``),
    '"mcpServers"',
    '"servers"',
    '"inputs"',
    '"context_servers"',
    '"serverUrl"',
    'claude mcp add',
    '"cmd"',
    'docker run -i --rm -e SLACK_BOT_TOKEN',
    '--transport http',
  ],
});
