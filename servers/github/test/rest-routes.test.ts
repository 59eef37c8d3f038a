/**
 * The REST side of the fake is GitHub's API: every route a test answers, and every route the
 * permission table names for a tool, is one of GitHub's published REST endpoints, as Octokit's
 * endpoint methods (generated from GitHub's OpenAPI description) know them. Routes of other
 * hosts (the blob storage job logs redirect to) are named below and checked to stay few.
 */
import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { octokitRoutes } from './octokit-routes.js';
import { TOOL_ENDPOINTS } from './tool-endpoints.js';

/** Routes tests serve that are not GitHub's API: redirect targets on another host. */
const NOT_THE_API = new Set(['GET /blob', 'GET /here', 'GET /logs', 'GET /logs/2', 'GET /moved']);

function githubRoutes(): { method: string; pattern: RegExp }[] {
  return Object.values(octokitRoutes()).flatMap((group) =>
    Object.values(group).map((route) => {
      const [method = '', url = ''] = route.split(' ');
      // `{path}` of the contents API may be empty (the root) or hold slashes.
      const pattern = url.replace('/{path}', '(/.*)?').replace(/\{[^}]+\}/g, '[^/]+');
      return { method, pattern: new RegExp(`^${pattern}$`) };
    }),
  );
}

const ROUTES = githubRoutes();

function isGithubRoute(route: string): boolean {
  const [method, path = ''] = route.split(' ');
  // A fake's `:param` and `*` stand for segments; GitHub Enterprise Server puts the API under /api/v3.
  const concrete = path.replace(/^\/api\/v3(?=\/)/, '').replace(/\{[^}]+\}|:[A-Za-z_]+|\*/g, 'x');
  return ROUTES.some((known) => known.method === method && known.pattern.test(concrete));
}

async function testFiles(dir: URL): Promise<URL[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      if (entry.isDirectory()) return testFiles(new URL(`${entry.name}/`, dir));
      // This file's own examples are not routes the fake answers.
      if (entry.name === 'rest-routes.test.ts') return [];
      return /\.(test|e2e\.test)\.ts$|^fake-github\.ts$/.test(entry.name)
        ? [new URL(entry.name, dir)]
        : [];
    }),
  );
  return nested.flat();
}

/** Every `'METHOD /path'` route key the tests give the fake. */
async function fakeRoutes(): Promise<Set<string>> {
  const routes = new Set<string>();
  const files = [
    ...(await testFiles(new URL('../src/', import.meta.url))),
    ...(await testFiles(new URL('./', import.meta.url))),
  ];
  for (const file of files)
    for (const match of (await readFile(file, 'utf8')).matchAll(
      /'((?:GET|POST|PUT|PATCH|DELETE) \/[^' ]*)'/g,
    ))
      if (!match[1]!.endsWith('/graphql')) routes.add(match[1]!);
  return routes;
}

describe("the fake's REST routes", () => {
  it('recognise GitHub routes and refuse others', () => {
    expect(isGithubRoute('GET /repos/o/r/issues/5')).toBe(true);
    expect(isGithubRoute('GET /repos/o/r/contents/docs/a.md')).toBe(true);
    expect(isGithubRoute('GET /api/v3/repos/:owner/:repo')).toBe(true);
    expect(isGithubRoute('GET /repos/o/r/issue/5')).toBe(false);
    expect(isGithubRoute('POST /repos/o/r/issues/5')).toBe(false);
  });

  it("are GitHub's published REST endpoints", async () => {
    const routes = await fakeRoutes();
    expect(routes.size).toBeGreaterThan(100);
    const unknown = [...routes].filter((route) => !NOT_THE_API.has(route) && !isGithubRoute(route));
    expect(unknown).toEqual([]);
  });

  it('name only routes the tests still serve as other hosts', async () => {
    const routes = await fakeRoutes();
    expect([...NOT_THE_API].filter((route) => !routes.has(route))).toEqual([]);
  });
});

describe('the routes the permission table names', () => {
  it("are GitHub's published REST endpoints", () => {
    const named = Object.entries(TOOL_ENDPOINTS).flatMap(([tool, spec]) =>
      [...(spec.rest ?? []), ...(spec.public ?? [])].map((route) => `${tool}: ${route}`),
    );
    expect(named.filter((entry) => !isGithubRoute(entry.split(': ')[1]!))).toEqual([]);
  });
});
