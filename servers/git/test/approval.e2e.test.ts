/**
 * `--approve force-push` on the built server: a force push waits for a person, the summary shows
 * what it throws away, and the remote branch moves only after an approval (both eras).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectApproving, textOf, type ApprovalAnswer } from '@plugboard/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixtureGit, IDENTITY, makeRepo, tempDir } from './helpers.js';

const SERVER = fileURLToPath(new URL('../dist/main.js', import.meta.url));

describe('mcp-server-git --approve force-push', () => {
  let dir: { path: string; cleanup(): Promise<void> };
  let repo: string;
  let bare: string;
  const remoteMain = async (): Promise<string> =>
    (await fixtureGit(bare, dir.path).raw(['rev-parse', 'main'])).trim();
  const localHead = async (): Promise<string> =>
    (await fixtureGit(repo, dir.path).raw(['rev-parse', 'HEAD'])).trim();
  const approving = (era: 'handshake' | '2026-07-28', answers: ApprovalAnswer[]) =>
    connectApproving({
      command: process.execPath,
      args: [
        SERVER,
        '--repository',
        dir.path,
        '--allow-remote',
        '--allow-local-remotes',
        '--allow-destructive',
        '--approve',
        'force-push',
      ],
      env: { HOME: dir.path, ...IDENTITY },
      era,
      answers,
    });

  beforeEach(async () => {
    dir = await tempDir();
    repo = join(dir.path, 'repo');
    bare = join(dir.path, 'origin.git');
    const other = join(dir.path, 'other');
    await fixtureGit(dir.path, dir.path).raw(['init', '--bare', '--initial-branch=main', bare]);
    await makeRepo(repo, dir.path, [{ 'a.txt': 'a\n' }]);
    const git = fixtureGit(repo, dir.path);
    await git.addRemote('origin', bare);
    await git.push(['--set-upstream', 'origin', 'main']);
    // Someone else pushes a commit; ours diverges, so only a force push can land it.
    await fixtureGit(dir.path, dir.path).clone(bare, other);
    await writeFile(join(other, 'theirs.txt'), 'x\n');
    await fixtureGit(other, dir.path).add(['theirs.txt']).commit('their work');
    await fixtureGit(other, dir.path).push();
    await git.fetch();
    await writeFile(join(repo, 'ours.txt'), 'y\n');
    await git.add(['ours.txt']).commit('our work');
  });
  afterEach(() => dir.cleanup());

  it('handshake era: leaves the remote branch alone when denied, force-pushes when approved', async () => {
    await using server = await approving('handshake', ['refuse', 'approve']);
    const before = await remoteMain();
    const denied = await server.callTool('git_push', { repo_path: repo, force: true });
    expect(denied.isError).toBe(true);
    expect(await remoteMain()).toBe(before);
    expect(server.asked[0]).toContain(`Force-push main of ${repo} to origin/main`);
    expect(server.asked[0]).toMatch(/thrown away \(1\):\n {2}[0-9a-f]+ their work/);
    expect(server.asked[0]).toMatch(/will point at: [0-9a-f]+ our work/);
    const approved = await server.callTool('git_push', { repo_path: repo, force: true });
    expect(approved.isError).toBeFalsy();
    expect(await remoteMain()).toBe(await localHead());
  });

  it('2026-07-28: force-pushes on the retry that carries the approval, and pushes without asking otherwise', async () => {
    await using server = await approving('2026-07-28', ['approve']);
    const plain = await server.callTool('git_push', { repo_path: repo });
    // Not a force push: no question, and git refuses the non-fast-forward as usual.
    expect(plain.isError).toBe(true);
    expect(textOf(plain)).toContain('git_pull');
    expect(server.asked).toHaveLength(0);
    const forced = await server.callTool('git_push', { repo_path: repo, force: true });
    expect(forced.isError).toBeFalsy();
    expect(server.asked).toHaveLength(1);
    expect(await remoteMain()).toBe(await localHead());
  });
});
