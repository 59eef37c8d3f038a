/**
 * `--approve merge` on the built server: a merge waits for a person, who sees the pull request as
 * GitHub describes it; the merge request reaches GitHub only after an approval (both eras).
 */
import { fileURLToPath } from 'node:url';
import { connectApproving, type ApprovalAnswer } from '@plugboard/testing';
import { describe, expect, it } from 'vitest';
import { fakeGithub, ok, pull } from './fake-github.js';
import { TEST_TOKEN } from './harness.js';

const SERVER = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const MERGE = { owner: 'o', repo: 'r', pull_number: 6, merge_method: 'squash' };

async function githubWithPull() {
  const fake = await fakeGithub({
    'GET /repos/o/r/pulls/6': ok(pull('o', 'r', 6, { title: 'Ship the new parser' })),
    'PUT /repos/o/r/pulls/6/merge': ok({
      sha: 'c'.repeat(40),
      merged: true,
      message: 'Pull Request successfully merged',
    }),
  });
  const merges = () => fake.calls().filter((request) => request.method === 'PUT');
  const approving = (era: 'handshake' | '2026-07-28', entry: string, answers: ApprovalAnswer[]) =>
    connectApproving({
      command: process.execPath,
      args: [SERVER, '--approve', entry],
      env: { GITHUB_PERSONAL_ACCESS_TOKEN: TEST_TOKEN, GITHUB_API_URL: fake.url },
      era,
      answers,
    });
  return { fake, merges, approving, [Symbol.asyncDispose]: () => fake[Symbol.asyncDispose]() };
}

describe('mcp-server-github --approve merge', () => {
  it('handshake era: sends no merge when denied, merges when approved', async () => {
    await using github = await githubWithPull();
    await using server = await github.approving('handshake', 'merge', ['decline', 'approve']);
    const denied = await server.callTool('merge_pull_request', MERGE);
    expect(denied.isError).toBe(true);
    expect(github.merges()).toHaveLength(0);
    expect(server.asked[0]).toContain('Merge pull request #6 of o/r (squash): Ship the new parser');
    expect(server.asked[0]).toContain('o:feature into main: 3 commits, 2 files, +10 -4');
    const approved = await server.callTool('merge_pull_request', MERGE);
    expect(approved.isError).toBeFalsy();
    expect(github.merges()).toHaveLength(1);
    expect(github.merges()[0]?.body).toMatchObject({ merge_method: 'squash' });
  });

  it('2026-07-28: merges on the retry that carries the approval, once', async () => {
    await using github = await githubWithPull();
    await using server = await github.approving('2026-07-28', 'merge_pull_request', ['approve']);
    const approved = await server.callTool('merge_pull_request', MERGE);
    expect(approved.isError).toBeFalsy();
    expect(server.asked).toHaveLength(1);
    expect(github.merges()).toHaveLength(1);
  });
});
