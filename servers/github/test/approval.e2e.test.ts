/**
 * `--approve merge` on the built server: a merge waits for a person, who sees the pull request as
 * GitHub describes it; the merge request reaches GitHub only after an approval (both eras).
 */
import { fileURLToPath } from 'node:url';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { connectStdio } from '@plugboard/testing';
import { describe, expect, it } from 'vitest';
import { fakeGithub, ok, pull } from './fake-github.js';
import { TEST_TOKEN } from './harness.js';

const SERVER = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const MERGE = { owner: 'o', repo: 'r', pull_number: 6, merge_method: 'squash' };

async function githubWithPull() {
  return fakeGithub({
    'GET /repos/o/r/pulls/6': ok(pull('o', 'r', 6, { title: 'Ship the new parser' })),
    'PUT /repos/o/r/pulls/6/merge': ok({
      sha: 'c'.repeat(40),
      merged: true,
      message: 'Pull Request successfully merged',
    }),
  });
}

describe('mcp-server-github --approve merge', () => {
  it('handshake era: sends no merge when denied, merges when approved', async () => {
    await using fake = await githubWithPull();
    const answers = [{ action: 'decline' }, { action: 'accept', content: { approve: true } }];
    const messages: string[] = [];
    await using connection = await connectStdio({
      command: process.execPath,
      args: [SERVER, '--approve', 'merge'],
      env: { GITHUB_PERSONAL_ACCESS_TOKEN: TEST_TOKEN, GITHUB_API_URL: fake.url },
      capabilities: { elicitation: {} },
      beforeConnect: (client) =>
        client.setRequestHandler(ElicitRequestSchema, (request) => {
          messages.push(request.params.message);
          return answers.shift() as never;
        }),
    });
    const merges = () => fake.calls().filter((request) => request.method === 'PUT');
    const denied = await connection.client.callTool({
      name: 'merge_pull_request',
      arguments: MERGE,
    });
    expect(denied.isError).toBe(true);
    expect(merges()).toHaveLength(0);
    expect(messages[0]).toContain('Merge pull request #6 of o/r (squash): Ship the new parser');
    expect(messages[0]).toContain('o:feature into main: 3 commits, 2 files, +10 -4');
    const approved = await connection.client.callTool({
      name: 'merge_pull_request',
      arguments: MERGE,
    });
    expect(approved.isError).toBeFalsy();
    expect(merges()).toHaveLength(1);
    expect(merges()[0]?.body).toMatchObject({ merge_method: 'squash' });
  });

  it('2026-07-28: merges on the retry that carries the approval, once', async () => {
    await using fake = await githubWithPull();
    await using connection = await connectStdio({
      command: process.execPath,
      args: [SERVER, '--approve', 'merge_pull_request'],
      env: { GITHUB_PERSONAL_ACCESS_TOKEN: TEST_TOKEN, GITHUB_API_URL: fake.url },
      sdk: 'v2',
      versionNegotiation: { pin: '2026-07-28' },
      capabilities: { elicitation: {} },
      beforeConnect: (client) =>
        client.setRequestHandler('elicitation/create', () => ({
          action: 'accept',
          content: { approve: true },
        })),
    });
    const approved = await connection.client.callTool({
      name: 'merge_pull_request',
      arguments: MERGE,
    });
    expect(approved.isError).toBeFalsy();
    expect(fake.calls().filter((request) => request.method === 'PUT')).toHaveLength(1);
  });
});
