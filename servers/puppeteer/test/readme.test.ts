import { readmeSuite } from '@plugboard/testing/contract';
import { resources, resourceTemplates } from '../src/resources.js';
import { spec } from '../src/spec.js';
import { tools } from '../src/tools/index.js';

readmeSuite({
  packageDir: new URL('..', import.meta.url),
  prefix: 'PUPPETEER',
  tools,
  flags: spec.flags ?? [],
  toolMention: (name) => `\`${name}\``,
  jsonBlocks: 10,
  mentions: [
    ...resources.map((resource) => `\`${resource.descriptor.uri}\``),
    ...resourceTemplates.map(
      (template) => `\`${template.descriptor.uriTemplate.replace('{name}', '<name>')}\``,
    ),
    ...['PUPPETEER_LAUNCH_OPTIONS', 'ALLOW_DANGEROUS', 'PUPPETEER_EXECUTABLE_PATH'].map(
      (name) => `\`${name}\``,
    ),
    '"mcpServers"',
    '"servers"',
    '"context_servers"',
    '"serverUrl"',
    'claude mcp add',
    '.mcp.json',
    '"cmd"',
    '"docker"',
    'docker run -i --rm',
    'apt-get install',
    '--transport http',
  ],
});
