import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { tools } from '../src/tools/index.js';
import { octokitRoutes } from './octokit-routes.js';
import { toolPermissions, type PermissionData } from './permissions.js';
import { TOOL_ENDPOINTS } from './tool-endpoints.js';

const FIXTURES = new URL('fixtures/', import.meta.url);

/** Where the copy of GitHub's data comes from (see fixtures/README.md). */
const SOURCE =
  'github/docs@012beafe1b17fd687bf58e9dfbeed0f316191235:src/github-apps/data/fpt-2022-11-28/fine-grained-pat-permissions.json';

async function table() {
  const data = JSON.parse(
    await readFile(new URL('fine-grained-pat-permissions.json', FIXTURES), 'utf8'),
  ) as PermissionData;
  return toolPermissions(data, TOOL_ENDPOINTS);
}

/** The README's toolsets table: tool name → its last cell, the fine-grained permission. */
async function readmePermissions(): Promise<Map<string, string>> {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const cells = new Map<string, string>();
  for (const line of readme.split('\n')) {
    const row = /^\|\s*[a-z_]+\s*\|\s*`([a-z_]+)`\s*\|.*\|\s*(.+?)\s*\|$/.exec(line);
    if (row !== null) cells.set(row[1]!, row[2]!);
  }
  return cells;
}

describe('fine-grained token permissions', () => {
  it('name the endpoints of every tool, and of no tool the server lacks', () => {
    expect(Object.keys(TOOL_ENDPOINTS).sort()).toEqual(tools.map((tool) => tool.name).sort());
  });

  it('are the committed table, computed from GitHub published data', async () => {
    const generated = { source: SOURCE, tools: await table() };
    // Regenerate with: pnpm --filter @plugboard/server-github exec vitest run test/permissions.test.ts -u
    await expect(`${JSON.stringify(generated, null, 2)}\n`).toMatchFileSnapshot(
      './fixtures/tool-permissions.json',
    );
  });

  it('are what the README says for every tool', async () => {
    const computed = await table();
    const readme = await readmePermissions();
    for (const tool of tools)
      expect(readme.get(tool.name), tool.name).toBe(computed[tool.name]?.permission);
  });
});

/** The REST routes a source file calls: `octokit.rest.group.method(` and `octokit.request('…'`. */
function routesCalled(source: string, rest: Record<string, Record<string, string>>) {
  const routes = new Set<string>();
  for (const [, group, method] of source.matchAll(/octokit\.rest\.(\w+)\.(\w+)\(/g)) {
    const route = rest[group!]?.[method!];
    if (route === undefined) throw new Error(`octokit.rest.${group}.${method} is no endpoint`);
    routes.add(route);
  }
  for (const [, route] of source.matchAll(/octokit\.request\(\s*'([A-Z]+ [^']+)'/g))
    routes.add(route!);
  return routes;
}

describe('the endpoints the permission table names', () => {
  it('include every REST call of the module that defines the tool', async () => {
    const rest = octokitRoutes();
    const dir = new URL('../src/tools/', import.meta.url);
    const unnamed: Record<string, string[]> = {};
    for (const name of await readdir(dir)) {
      if (!name.endsWith('.ts') || name.endsWith('.test.ts')) continue;
      const source = await readFile(new URL(name, dir), 'utf8');
      const defined = [...source.matchAll(/^ {2}name: '([a-z_]+)',$/gm)].map((match) => match[1]!);
      const named = new Set(
        defined.flatMap((tool) => {
          const spec = TOOL_ENDPOINTS[tool];
          return [...(spec?.rest ?? []), ...(spec?.public ?? []), ...(spec?.unlisted ?? [])];
        }),
      );
      // Every repository tool's policy lookup needs only Metadata: read.
      named.add('GET /repos/{owner}/{repo}');
      const missing = [...routesCalled(source, rest)].filter((route) => !named.has(route));
      if (missing.length > 0) unnamed[`${name} (${defined.join(', ')})`] = missing;
    }
    expect(unnamed).toEqual({});
  });
});
