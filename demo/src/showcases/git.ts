/**
 * @module
 * The git stop: a fresh repository with two commits, an edited file and a staged new one. The
 * server, confined to that repository, reports status, history and diffs, then stages and
 * commits the edit and shows the commit it made.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Showcase } from '../showcase.js';

const run = promisify(execFile);

/** Runs git in the demo repository, with no user or system configuration in play. */
async function git(repo: string, ...args: string[]): Promise<void> {
  await run('git', ['-C', repo, ...args], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: repo,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_DATE: '2026-01-15T10:00:00Z',
      GIT_COMMITTER_DATE: '2026-01-15T10:00:00Z',
    },
  });
}

export const gitShowcase: Showcase = {
  name: 'git',
  packageName: '@plugboard/server-git',
  folder: 'servers/git',
  summary: 'Git for the daily workflow, confined to the repositories you allow.',
  async prepare(workDir) {
    const repo = join(workDir, 'repo');
    await mkdir(join(repo, 'src'), { recursive: true });
    await git(repo, 'init', '--quiet', '--initial-branch=main');
    await git(repo, 'config', 'user.name', 'Demo User');
    await git(repo, 'config', 'user.email', 'demo@example.com');
    await git(repo, 'config', 'commit.gpgsign', 'false');
    await writeFile(
      join(repo, 'README.md'),
      '# Weather station\n\nReads a sensor and prints the temperature.\n',
    );
    await git(repo, 'add', 'README.md');
    await git(repo, 'commit', '--quiet', '-m', 'Start the weather station');
    await writeFile(
      join(repo, 'src', 'station.js'),
      'export function reading() {\n  return { celsius: 21.5 };\n}\n',
    );
    await git(repo, 'add', 'src/station.js');
    await git(repo, 'commit', '--quiet', '-m', 'Read the sensor');
    await writeFile(
      join(repo, 'README.md'),
      '# Weather station\n\nReads a sensor and prints the temperature in Celsius and Fahrenheit.\n',
    );
    await writeFile(
      join(repo, 'src', 'format.js'),
      'export const toF = (c) => (c * 9) / 5 + 32;\n',
    );
    await git(repo, 'add', 'src/format.js');
    return {
      args: ['--repository', repo],
      notes: [`repository: ${repo} (2 commits, README.md edited, src/format.js staged)`],
      async run(session) {
        const at = { repo_path: repo };
        await session.call('git_status', at, 'What changed since the last commit?');
        await session.call('git_log', { ...at, max_count: 5 }, 'Recent history.');
        await session.call('git_diff_unstaged', at, 'The edit that is not staged yet.');
        await session.call('git_diff_staged', at, 'What the next commit contains so far.');
        await session.call(
          'git_add',
          { ...at, files: ['README.md'] },
          'Stage the README edit too.',
        );
        await session.call(
          'git_commit',
          { ...at, message: 'Show the temperature in Fahrenheit too' },
          'Commit both changes.',
        );
        await session.call('git_show', { ...at, revision: 'HEAD' }, 'The commit just made.');
        await session.call('git_branch', { ...at, branch_type: 'local' }, 'Local branches.');
        await session.call(
          'git_status',
          { repo_path: workDir },
          'A directory that is not an allowed repository: the server must refuse.',
        );
      },
    };
  },
};
