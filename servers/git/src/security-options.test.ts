/**
 * Red-team case GIT-01 (flag injection through refs and every other parameter): each string
 * parameter of every tool, and each item of every string array, is given values that git would
 * run or write with if they ever became options. The server runs with every power turned on
 * (remote, destructive, local remotes), so nothing is refused for lack of permission alone.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, fixtureGit, makeRepo, markers, tempDir, type Harness } from '../test/helpers.js';
import { tools } from './tools/index.js';

const BASE_ARGS: Record<string, Record<string, unknown>> = {
  git_diff: { target: 'HEAD' },
  git_commit: { message: 'm' },
  git_add: { files: ['a.txt'] },
  git_create_branch: { branch_name: 'nb' },
  git_checkout: { branch_name: 'feature' },
  git_show: { revision: 'HEAD' },
  git_blame: { file: 'a.txt' },
  git_stash: { action: 'push' },
  git_tag: { action: 'create', name: 't' },
  git_merge: { branch: 'feature' },
  git_rebase: { upstream: 'feature' },
  git_cherry_pick: { commits: ['feature'] },
  git_remote: { action: 'add', name: 'r', url: 'https://example.invalid/r.git' },
  git_clone: { url: 'origin.git', directory: 'clone' },
};

interface JsonSchemaProperty {
  type?: string | string[];
  enum?: unknown[];
  items?: { type?: string };
}

/** The free-text parameters of a tool: strings (not enums) and arrays of strings. */
function textParameters(name: string): { key: string; array: boolean }[] {
  const tool = tools.find((candidate) => candidate.name === name)!;
  const properties = (
    tool.descriptor().inputSchema as { properties: Record<string, JsonSchemaProperty> }
  ).properties;
  return Object.entries(properties)
    .filter(
      ([, schema]) =>
        (schema.type === 'string' && schema.enum === undefined) ||
        (schema.type === 'array' && schema.items?.type === 'string'),
    )
    .map(([key, schema]) => ({ key, array: schema.type === 'array' }));
}

describe('no argument can become an option (GIT-01)', () => {
  let dir: { path: string; cleanup(): Promise<void> };
  let repo: string;
  let harness: Harness;
  let counter = 0;

  function payloads(): string[] {
    counter++;
    return [
      `--output=${dir.path}/PWN-output-${counter}`,
      `-c core.fsmonitor=touch ${dir.path}/PWN-config-${counter}`,
      `--upload-pack=touch ${dir.path}/PWN-upload-${counter}`,
      `--exec=touch ${dir.path}/PWN-exec-${counter}`,
      `-oProxyCommand=touch ${dir.path}/PWN-ssh-${counter}`,
      `ssh://-oProxyCommand=touch%20${dir.path}/PWN-sshurl-${counter}/x`,
    ];
  }

  async function tidy(): Promise<void> {
    const git = fixtureGit(repo, dir.path);
    for (const args of [
      ['merge', '--abort'],
      ['rebase', '--abort'],
      ['cherry-pick', '--abort'],
    ])
      await git.raw(args).catch(() => undefined);
    await git.raw(['checkout', '-f', 'main']);
    await git.raw(['reset', '--hard', 'base']);
    await writeFile(join(repo, 'a.txt'), 'changed\n');
  }

  beforeAll(async () => {
    dir = await tempDir();
    repo = join(dir.path, 'repo');
    await makeRepo(repo, dir.path, [{ 'a.txt': 'a\n' }]);
    const git = fixtureGit(repo, dir.path);
    await git.raw(['tag', 'base']);
    await git.checkoutLocalBranch('feature');
    await writeFile(join(repo, 'f.txt'), 'f\n');
    await git.add(['f.txt']).commit('feature');
    await git.checkout('main');
    await fixtureGit(dir.path, dir.path).raw(['init', '--bare', join(dir.path, 'origin.git')]);
    await git.addRemote('origin', join(dir.path, 'origin.git'));
    await git.push('origin', 'main');
    await git.raw(['branch', '--set-upstream-to=origin/main']);
    harness = await connect({
      repositories: [dir.path],
      home: dir.path,
      allowRemote: true,
      allowDestructive: true,
      allowLocalRemotes: true,
    });
    await tidy();
  });
  afterAll(async () => {
    await harness.close();
    await dir.cleanup();
  });

  it.each(tools.map((tool) => tool.name))('%s: every text parameter stays data', async (name) => {
    const parameters = textParameters(name);
    expect(parameters.length).toBeGreaterThan(0);
    for (const { key, array } of parameters) {
      for (const payload of payloads()) {
        const args = {
          ...(name === 'git_clone' ? {} : { repo_path: repo }),
          ...BASE_ARGS[name],
          [key]: array ? [payload] : payload,
        };
        const result = await harness.call(name, args);
        // Whatever the outcome, the value must never have reached git as an option.
        expect(
          await markers(dir.path),
          `${name}.${key} = ${payload}: ${JSON.stringify(result.content)}`,
        ).toEqual([]);
      }
      await tidy();
    }
  });

  it('refuses the official CVE-2025-68144 inputs outright', async () => {
    const cases: [string, Record<string, unknown>][] = [
      ['git_diff', { target: `--output=${dir.path}/PWN` }],
      ['git_checkout', { branch_name: '--orphan=x' }],
      ['git_checkout', { branch_name: '-f' }],
      ['git_show', { revision: `--output=${dir.path}/PWN2` }],
      ['git_log', { start_timestamp: `--output=${dir.path}/PWN3` }],
      ['git_log', { end_timestamp: `--output=${dir.path}/PWN3` }],
      ['git_branch', { contains: '--format=%(refname)' }],
      ['git_branch', { not_contains: '--format=%(refname)' }],
      ['git_create_branch', { branch_name: '-D' }],
      ['git_create_branch', { branch_name: 'ok', base_branch: '--orphan' }],
    ];
    for (const [name, args] of cases) {
      expect(await harness.fail(name, { repo_path: repo, ...args }), name).toMatch(
        /must not start with "-"/,
      );
    }
    expect(await markers(dir.path)).toEqual([]);
    expect(await fixtureGit(repo, dir.path).raw(['branch', '--list', 'x'])).toBe('');
  });

  it('never feeds a dash-named ref that git itself reports back in as an option', async () => {
    const refs = join(repo, '.git', 'refs', 'heads');
    const head = (await fixtureGit(repo, dir.path).raw(['rev-parse', 'HEAD'])).trim();
    await mkdir(refs, { recursive: true });
    // A ref git itself will list: written through the file system, as another tool could.
    await writeFile(join(refs, '--output=PWN-ref'), `${head}\n`);
    const listed = await harness.ok<{ branches: { name: string }[] }>('git_branch', {
      repo_path: repo,
    });
    const evil = listed.branches.find((branch) => branch.name.startsWith('--output='));
    expect(evil).toBeDefined();
    for (const [name, args] of [
      ['git_checkout', { branch_name: evil!.name }],
      ['git_diff', { target: evil!.name }],
      ['git_log', { revision: evil!.name }],
      ['git_merge', { branch: evil!.name }],
      ['git_show', { revision: evil!.name }],
      ['git_push', { branch: evil!.name }],
    ] as const) {
      await harness.fail(name, { repo_path: repo, ...args });
    }
    expect(await markers(dir.path)).toEqual([]);
    expect(await markers(repo)).toEqual([]);
  });
});
