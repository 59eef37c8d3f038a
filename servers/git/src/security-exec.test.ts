/**
 * Red-team cases GIT-05 (repository configuration that runs programs), GIT-06 (protocols,
 * transport helpers and config passed through) and GIT-07 (output bombs, timeouts,
 * cancellation) from the security catalogue. Every hostile program would create a PWN marker
 * file; a case passes only if no marker appears.
 */
import { execFileSync } from 'node:child_process';
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  connect,
  fixtureGit,
  makeRepo,
  markers,
  spyGit,
  tempDir,
  write,
  type Harness,
} from '../test/helpers.js';
import { runGit, type RunnerSettings } from './git-runner.js';
import { gitEnvironment, hardeningConfig } from './hardening.js';
import { ChildProcesses } from '@plugboard/kit/process';

const REAL_GIT = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();

describe('a hostile repository cannot run programs (GIT-05)', () => {
  let dir: { path: string; cleanup(): Promise<void> };
  let repo: string;
  let harness: Harness;

  async function hostile(config: string, extra: Record<string, string> = {}): Promise<void> {
    const configPath = join(repo, '.git', 'config');
    await writeFile(configPath, `${await readFile(configPath, 'utf8')}\n${config}\n`);
    for (const [file, content] of Object.entries(extra)) await write(join(repo, file), content);
  }

  async function executable(path: string, script: string): Promise<void> {
    await write(path, `#!/bin/sh\n${script}\n`);
    await chmod(path, 0o755);
  }

  beforeEach(async () => {
    dir = await tempDir();
    repo = join(dir.path, 'repo');
    await makeRepo(repo, dir.path, [{ 'a.txt': 'a\n' }, { 'a.txt': 'b\n' }]);
    await writeFile(join(repo, 'a.txt'), 'changed\n');
    harness = await connect({ repositories: [dir.path], home: dir.path, allowRemote: true });
  });
  afterEach(async () => {
    await harness.close();
    await dir.cleanup();
  });

  const readTools = async (): Promise<void> => {
    for (const [tool, args] of [
      ['git_status', {}],
      ['git_diff_unstaged', {}],
      ['git_diff', { target: 'HEAD~1' }],
      ['git_show', { revision: 'HEAD' }],
      ['git_log', {}],
      ['git_blame', { file: 'a.txt' }],
    ] as const) {
      await harness.call(tool, { repo_path: repo, ...args });
    }
  };

  it('refuses core.fsmonitor commands, in any letter case', async () => {
    await hostile(`[Core]\n\tFSMonitor = "touch ${dir.path}/PWN1"`);
    const message = await harness.fail('git_status', { repo_path: repo });
    expect(message).toMatch(/fsmonitor/i);
    expect(message).toMatch(/run a program/);
    await readTools();
    expect(await markers(dir.path)).toEqual([]);
  });

  it('notices configuration written after the repository was first used', async () => {
    await harness.ok('git_status', { repo_path: repo });
    await hostile(`[core]\n\tfsmonitor = touch ${dir.path}/PWN-late`);
    expect(await harness.fail('git_status', { repo_path: repo })).toMatch(/fsmonitor/);
    expect(await harness.fail('git_diff_unstaged', { repo_path: repo })).toMatch(/fsmonitor/);
    expect(await markers(dir.path)).toEqual([]);
  });

  it('notices a .git directory swapped for a pointer outside after first use', async () => {
    const outside = await tempDir('git-mcp-outside-');
    try {
      await makeRepo(join(outside.path, 'other'), outside.path);
      await harness.ok('git_log', { repo_path: repo });
      await rename(join(repo, '.git'), join(dir.path, 'moved-git'));
      await writeFile(join(repo, '.git'), `gitdir: ${join(outside.path, 'other', '.git')}\n`);
      expect(await harness.fail('git_log', { repo_path: repo })).toMatch(/outside/);
    } finally {
      await outside.cleanup();
    }
  });

  it('refuses keys that name a file to read, so no tool shows a line of an outside file (issue 25)', async () => {
    const outside = await tempDir('git-mcp-outside-');
    try {
      const secret = join(outside.path, 'secret');
      await writeFile(secret, 'SECRET-FIRST-LINE\nSECRET-SECOND-LINE\n');
      await writeFile(
        join(outside.path, 'included'),
        `[core]\n\tfsmonitor = touch ${dir.path}/PWN6\n`,
      );
      const cases = [
        ['blame.ignoreRevsFile', `[blame]\n\tignoreRevsFile = ${secret}`],
        ['core.excludesFile', `[core]\n\texcludesFile = ${secret}`],
        ['core.attributesFile', `[Core]\n\tAttributesFile = ${secret}`],
        ['commit.template', `[commit]\n\ttemplate = ${secret}`],
        ['mailmap.file', `[mailmap]\n\tfile = ${secret}`],
        ['diff.orderFile', `[diff]\n\torderFile = ${secret}`],
        ['include.path', `[include]\n\tpath = ${join(outside.path, 'included')}`],
        [
          'includeIf.gitdir:**.path',
          `[includeIf "gitdir:**"]\n\tpath = ${join(outside.path, 'included')}`,
        ],
      ] as const;
      const configPath = join(repo, '.git', 'config');
      const original = await readFile(configPath, 'utf8');
      for (const [key, config] of cases) {
        await writeFile(configPath, original);
        await hostile(config);
        const message = await harness.fail('git_blame', { repo_path: repo, file: 'a.txt' });
        expect(message.toLowerCase(), key).toContain(key.toLowerCase());
        expect(message, key).toMatch(/read a file it names/);
        for (const [tool, args] of [
          ['git_status', {}],
          ['git_log', {}],
          ['git_diff', { target: 'HEAD~1' }],
          ['git_show', { revision: 'HEAD' }],
          ['git_commit', { message: 'x' }],
        ] as const) {
          const result = await harness.call(tool, { repo_path: repo, ...args });
          expect(JSON.stringify(result), `${key} ${tool}`).not.toMatch(/SECRET/);
          expect(result.isError, `${key} ${tool}`).toBe(true);
        }
      }
      expect(await markers(dir.path)).toEqual([]);
      // Without the key, the same repository works again: the refusal is the key, not the repository.
      await writeFile(configPath, original);
      await harness.ok('git_blame', { repo_path: repo, file: 'a.txt' });
    } finally {
      await outside.cleanup();
    }
  });

  it('refuses clean/smudge filters, external diff, textconv, merge drivers and gpg programs', async () => {
    const cases = [
      [
        `[filter "x"]\n\tclean = touch ${dir.path}/PWN3\n\tsmudge = touch ${dir.path}/PWN3`,
        { '.gitattributes': '* filter=x\n' },
      ],
      [`[FILTER "Y"]\n\tProcess = touch ${dir.path}/PWN3`, { '.gitattributes': '* filter=Y\n' }],
      [`[diff]\n\texternal = ${dir.path}/ext.sh`, {}],
      [`[diff "t"]\n\ttextconv = touch ${dir.path}/PWN4`, { '.gitattributes': '* diff=t\n' }],
      [`[merge "m"]\n\tdriver = touch ${dir.path}/PWN5`, { '.gitattributes': '* merge=m\n' }],
      [`[gpg]\n\tprogram = ${dir.path}/ext.sh`, {}],
    ] as const;
    await executable(join(dir.path, 'ext.sh'), `touch ${dir.path}/PWN2`);
    await writeFile(join(dir.path, 'included'), `[core]\n\tfsmonitor = touch ${dir.path}/PWN6\n`);
    const configPath = join(repo, '.git', 'config');
    const original = await readFile(configPath, 'utf8');
    for (const [config, files] of cases) {
      await writeFile(configPath, original);
      await hostile(config, files);
      expect(await harness.fail('git_status', { repo_path: repo }), config).toMatch(
        /run a program/,
      );
      await readTools();
      await harness.call('git_add', { repo_path: repo, files: ['a.txt'] });
      await harness.call('git_commit', { repo_path: repo, message: 'x' });
      await harness.call('git_checkout', { repo_path: repo, branch_name: 'HEAD~1' });
    }
    expect(await markers(dir.path)).toEqual([]);
  });

  it('neutralises hooks, whether in .git/hooks or a configured hooksPath', async () => {
    const hookScript = (name: string): string => `touch ${dir.path}/PWN-${name}`;
    for (const hook of [
      'pre-commit',
      'commit-msg',
      'post-commit',
      'post-checkout',
      'post-merge',
      'reference-transaction',
      'pre-rebase',
    ]) {
      await executable(join(repo, '.git', 'hooks', hook), hookScript(hook));
      await executable(join(dir.path, 'hooks', hook), hookScript(`path-${hook}`));
    }
    await hostile(`[core]\n\thooksPath = ${dir.path}/hooks`);
    await harness.ok('git_add', { repo_path: repo, files: ['a.txt'] });
    await harness.ok('git_commit', { repo_path: repo, message: 'hooks must not run' });
    await harness.ok('git_create_branch', {
      repo_path: repo,
      branch_name: 'side',
      base_branch: 'HEAD~1',
    });
    await harness.ok('git_checkout', { repo_path: repo, branch_name: 'side' });
    await harness.ok('git_merge', { repo_path: repo, branch: 'main' });
    await harness.ok('git_tag', { repo_path: repo, action: 'create', name: 'v1' });
    expect(await markers(dir.path)).toEqual([]);
  });

  it('never pages output, even when the repository names a pager', async () => {
    await hostile(
      `[core]\n\tpager = touch ${dir.path}/PWN7\n[pager]\n\tlog = touch ${dir.path}/PWN7`,
    );
    await harness.ok('git_log', { repo_path: repo });
    await harness.ok('git_diff_unstaged', { repo_path: repo });
    expect(await markers(dir.path)).toEqual([]);
  });

  it('refuses a nested repository with hostile configuration inside an allowed one', async () => {
    const nested = join(repo, 'vendor', 'x');
    await makeRepo(nested, dir.path, [{ 'n.txt': 'n\n' }]);
    await writeFile(join(nested, 'n.txt'), 'dirty\n');
    const configPath = join(nested, '.git', 'config');
    await writeFile(
      configPath,
      `${await readFile(configPath, 'utf8')}\n[core]\n\tfsmonitor = touch ${dir.path}/PWN8\n`,
    );
    expect(await harness.fail('git_status', { repo_path: nested })).toMatch(/fsmonitor/);
    expect(await harness.fail('git_diff_unstaged', { repo_path: nested })).toMatch(/fsmonitor/);
    expect(await markers(dir.path)).toEqual([]);
  });

  it('refuses ssh commands, proxies, credential helpers and upload-pack only where a remote would run them', async () => {
    const remoteKeys = [
      `[core]\n\tsshCommand = touch ${dir.path}/PWN9`,
      `[Core]\n\tGitProxy = touch ${dir.path}/PWN9`,
      `[credential]\n\thelper = !touch ${dir.path}/PWN9`,
      `[remote "origin"]\n\turl = ssh://example.invalid/r.git\n\tuploadpack = touch ${dir.path}/PWN9`,
    ];
    const configPath = join(repo, '.git', 'config');
    const original = await readFile(configPath, 'utf8');
    for (const config of remoteKeys) {
      await writeFile(configPath, original);
      await hostile(config);
      await harness.ok('git_status', { repo_path: repo });
      expect(await harness.fail('git_fetch', { repo_path: repo }), config).toMatch(/run a program/);
      expect(await harness.fail('git_push', { repo_path: repo }), config).toMatch(/run a program/);
    }
    expect(await markers(dir.path)).toEqual([]);
  });
});

describe('remotes cannot become programs (GIT-06)', () => {
  let dir: { path: string; cleanup(): Promise<void> };
  let repo: string;
  let harness: Harness;

  /** The runner settings of a server, for calling runGit without a tool in the way. */
  const runnerSettings = (allowLocalRemotes: boolean): RunnerSettings => ({
    env: gitEnvironment({ PATH: process.env.PATH, HOME: dir.path }, { allowLocalRemotes }),
    config: hardeningConfig({ signing: false }),
    timeoutMs: 30_000,
    children: new ChildProcesses(),
  });

  beforeEach(async () => {
    dir = await tempDir();
    repo = join(dir.path, 'repo');
    await makeRepo(repo, dir.path);
    harness = await connect({
      repositories: [dir.path],
      home: dir.path,
      allowRemote: true,
      allowLocalRemotes: true,
    });
  });
  afterEach(async () => {
    await harness.close();
    await dir.cleanup();
  });

  it('refuses transport helpers such as ext:: wherever a URL is accepted', async () => {
    const url = `ext::sh -c touch% ${dir.path}/PWN`;
    expect(
      await harness.fail('git_remote', { repo_path: repo, action: 'add', name: 'evil', url }),
    ).toMatch(/transport helper/);
    expect(await harness.fail('git_clone', { url, directory: 'copy' })).toMatch(/transport helper/);
    expect(await harness.fail('git_clone', { url: 'fd::3', directory: 'copy' })).toMatch(
      /transport helper/,
    );
    expect(await markers(dir.path)).toEqual([]);
  });

  it('refuses an ext:: remote written into the config, even with protocol.allow overrides in any case', async () => {
    const configPath = join(repo, '.git', 'config');
    await writeFile(
      configPath,
      `${await readFile(configPath, 'utf8')}\n[PROTOCOL]\n\tALLOW = always\n[protocol "ext"]\n\tallow = always\n[remote "origin"]\n\turl = ext::sh -c touch% ${dir.path}/PWN\n`,
    );
    expect(await harness.fail('git_fetch', { repo_path: repo })).toMatch(/transport helper/);
    expect(await harness.fail('git_pull', { repo_path: repo })).toMatch(/transport helper/);
    expect(await markers(dir.path)).toEqual([]);
  });

  it('refuses an insteadOf rewrite that turns a remote into a transport helper', async () => {
    const configPath = join(repo, '.git', 'config');
    await writeFile(
      configPath,
      `${await readFile(configPath, 'utf8')}\n[url "ext::sh -c touch% ${dir.path}/PWN% "]\n\tinsteadOf = https://\n[remote "origin"]\n\turl = https://example.invalid/r.git\n`,
    );
    expect(await harness.fail('git_fetch', { repo_path: repo })).toMatch(/transport helper/);
    expect(await markers(dir.path)).toEqual([]);
  });

  it('has git itself refuse ext:: and local paths when our own check is not in the way', async () => {
    const settings = runnerSettings(false);
    const signal = new AbortController().signal;
    const ext = await runGit(settings, repo, ['fetch', `ext::sh -c touch% ${dir.path}/PWN`], {
      signal,
    });
    expect(ext.stderr).toMatch(/transport 'ext' not allowed/);
    const local = await runGit(settings, repo, ['fetch', repo], { signal });
    expect(local.stderr).toMatch(/transport 'file' not allowed/);
    expect(await markers(dir.path)).toEqual([]);
  });

  it('has git refuse abbreviated options, so --upload cannot stand for --upload-pack', async () => {
    const settings = runnerSettings(true);
    const signal = new AbortController().signal;
    const result = await runGit(settings, repo, ['fetch', `--upload=touch ${dir.path}/PWN`, repo], {
      signal,
    });
    expect(result.exitCode).not.toBe(0);
    expect(await markers(dir.path)).toEqual([]);
  });

  it('refuses config and upload-pack options in front of --end-of-options before git starts', async () => {
    const settings = runnerSettings(true);
    const signal = new AbortController().signal;
    await expect(
      runGit(settings, repo, ['-c', `Core.SshCommand=touch ${dir.path}/PWN`, 'fetch', 'origin'], {
        signal,
      }),
    ).rejects.toThrow(/sshCommand/i);
    await expect(
      runGit(settings, repo, ['fetch', `--upload-pack=touch ${dir.path}/PWN`, repo], { signal }),
    ).rejects.toThrow(/upload-pack/);
    await expect(
      runGit(settings, repo, ['-c', 'PROTOCOL.ALLOW=always', 'fetch', 'origin'], { signal }),
    ).rejects.toThrow(/protocol\.allow/i);
    expect(await markers(dir.path)).toEqual([]);
  });

  it('refuses to push to a local repository whose hooks would run', async () => {
    const bare = join(dir.path, 'target.git');
    await fixtureGit(dir.path, dir.path).raw(['init', '--bare', bare]);
    await write(join(bare, 'hooks', 'pre-receive'), `#!/bin/sh\ntouch ${dir.path}/PWN-receive\n`);
    await chmod(join(bare, 'hooks', 'pre-receive'), 0o755);
    await fixtureGit(repo, dir.path).addRemote('origin', bare);
    expect(await harness.fail('git_push', { repo_path: repo })).toMatch(/hooks\/pre-receive/);
    expect(await markers(dir.path)).toEqual([]);
  });
});

describe('output bombs, timeouts and cancellation (GIT-07)', () => {
  let dir: { path: string; cleanup(): Promise<void> };
  let repo: string;

  beforeEach(async () => {
    dir = await tempDir();
    repo = join(dir.path, 'repo');
    await makeRepo(repo, dir.path, [{ 'big.txt': 'x'.repeat(3 * 1024 * 1024) }]);
  });
  afterEach(async () => {
    await dir.cleanup();
  });

  it('refuses numbers beyond their caps', async () => {
    const harness = await connect({ repositories: [repo], home: dir.path });
    try {
      expect(await harness.fail('git_log', { repo_path: repo, max_count: 100_000_000 })).toMatch(
        /max_count/,
      );
      expect(
        await harness.fail('git_diff_unstaged', { repo_path: repo, context_lines: 1_000_000_000 }),
      ).toMatch(/context_lines/);
      expect(await harness.fail('git_log', { repo_path: repo, max_count: 1.5 })).toMatch(
        /max_count/,
      );
    } finally {
      await harness.close();
    }
  });

  it('returns a huge blob and a huge patch within the budget, marked truncated', async () => {
    const harness = await connect({ repositories: [repo], home: dir.path });
    try {
      const blob = await harness.call('git_show', { repo_path: repo, revision: 'HEAD:big.txt' });
      const blobText = (blob.content[0] as { text: string }).text;
      expect(Buffer.byteLength(blobText)).toBeLessThanOrEqual(64 * 1024);
      expect(blob.structuredContent).toMatchObject({ truncated: true, size: 3 * 1024 * 1024 });
      const show = await harness.call('git_show', { repo_path: repo, revision: 'HEAD' });
      expect(Buffer.byteLength((show.content[0] as { text: string }).text)).toBeLessThanOrEqual(
        64 * 1024,
      );
      expect(show.structuredContent).toMatchObject({ truncated: true });
    } finally {
      await harness.close();
    }
  });

  it('stops a git command that runs past the timeout and ends the child', async () => {
    const spy = await spyGit(dir.path, REAL_GIT, ['log']);
    const harness = await connect({
      repositories: [repo],
      home: dir.path,
      timeout: 1,
      env: { PATH: `${spy.bin}:${process.env.PATH ?? ''}` },
    });
    try {
      expect(await harness.fail('git_log', { repo_path: repo })).toMatch(
        /did not finish within 1 s/,
      );
      const pids = await stalledPids(spy.log);
      expect(pids.length).toBeGreaterThan(0);
      for (const pid of pids) await waitForExit(pid);
    } finally {
      await harness.close();
    }
  });

  it('ends the git child when the client cancels the call', async () => {
    const spy = await spyGit(dir.path, REAL_GIT, ['log']);
    const harness = await connect({
      repositories: [repo],
      home: dir.path,
      env: { PATH: `${spy.bin}:${process.env.PATH ?? ''}` },
    });
    try {
      const controller = new AbortController();
      const call = harness.client.callTool(
        { name: 'git_log', arguments: { repo_path: repo } },
        undefined,
        { signal: controller.signal },
      );
      await waitUntil(async () => (await stalledPids(spy.log)).length > 0);
      controller.abort();
      await expect(call).rejects.toThrow();
      for (const pid of await stalledPids(spy.log)) await waitForExit(pid);
    } finally {
      await harness.close();
    }
  });
});

/** Pids of spied git processes that ran `log` (and so stalled). */
async function stalledPids(log: string): Promise<number[]> {
  const text = await readFile(log, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => Number(line.split(' ')[0]));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => Promise<boolean> | boolean): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('condition not met');
}

async function waitForExit(pid: number): Promise<void> {
  await waitUntil(() => !alive(pid));
}
