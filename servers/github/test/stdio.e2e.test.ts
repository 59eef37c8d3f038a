/**
 * The built `dist/main.js` as hosts run it: spawned over stdio with the official SDK client on
 * the other end (and once over Streamable HTTP), `GITHUB_API_URL` pointing at the GitHub fake.
 */
import { fileURLToPath } from 'node:url';
import {
  connectHttp,
  connectStdio,
  callWhilePinging,
  runOnce,
  streamedBody,
  textOf,
  type RunResult,
} from '@plugboard/testing';
import { describe, expect, it } from 'vitest';
import { OFFICIAL_TOOLS } from './official-tools.js';
import { fail, fakeGithub, issue, ok, rateHeaders } from './fake-github.js';
import { TEST_TOKEN } from './harness.js';

const SERVER = fileURLToPath(new URL('../dist/main.js', import.meta.url));

interface CallResult {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
}

/** Runs the server to completion with `args`, for --help and bad configuration. */
function run(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return runOnce(process.execPath, [SERVER, ...args], env);
}

describe('mcp-server-github over stdio', () => {
  it('lists the official tools plus get_me by default, and answers a call from the fake', async () => {
    await using fake = await fakeGithub({
      'GET /repos/octo/app/issues/7': ok(issue('octo', 'app', 7, { title: 'Crash on start' })),
    });
    await using connection = await connectStdio({
      command: process.execPath,
      args: [SERVER],
      env: {
        GITHUB_PERSONAL_ACCESS_TOKEN: TEST_TOKEN,
        GITHUB_API_URL: fake.url,
        LOG_LEVEL: 'debug',
      },
    });
    const { tools } = await connection.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(
      [...Object.keys(OFFICIAL_TOOLS), 'get_me'].sort(),
    );
    for (const [name, official] of Object.entries(OFFICIAL_TOOLS)) {
      const properties = Object.keys(
        tools.find((tool) => tool.name === name)?.inputSchema.properties ?? {},
      );
      expect(properties, name).toEqual(
        expect.arrayContaining(official.map((entry) => entry.replace(/!$/, ''))),
      );
    }
    const result = (await connection.client.callTool({
      name: 'get_issue',
      arguments: { owner: 'octo', repo: 'app', issue_number: 7 },
    })) as CallResult;
    expect(result.structuredContent).toMatchObject({
      number: 7,
      title: 'Crash on start',
      state: 'open',
    });
    expect(fake.calls()[0]?.headers.authorization).toBe(`token ${TEST_TOKEN}`);
    const failed = (await connection.client.callTool({
      name: 'get_issue',
      arguments: { owner: 'octo', repo: 'app', issue_number: 8 },
    })) as CallResult;
    expect(failed.isError).toBe(true);
    expect(connection.stderr()).not.toContain(TEST_TOKEN);
    expect(JSON.stringify(failed)).not.toContain(TEST_TOKEN);
  });

  it('exposes chosen toolsets, and hides write tools in read-only mode', async () => {
    await using connection = await connectStdio({
      command: process.execPath,
      args: [SERVER, '--toolsets', 'actions,discussions', '--read-only'],
      env: { GITHUB_API_URL: 'http://127.0.0.1:9' },
    });
    const { tools } = await connection.client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual([
      'list_workflows',
      'list_workflow_runs',
      'get_workflow_run',
      'get_job_logs',
      'list_discussions',
      'get_discussion',
      'get_discussion_comments',
      'list_discussion_categories',
      'list_workflow_jobs',
      'list_workflow_run_artifacts',
    ]);
    expect(connection.stderr()).toMatch(/no GITHUB_PERSONAL_ACCESS_TOKEN/);
  });

  it('prints help without starting, and refuses bad configuration with exit code 2', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--repos owner/repo,owner/*');
    expect(help.stdout).toContain('GITHUB_PERSONAL_ACCESS_TOKEN');
    for (const args of [
      ['--repos', 'not-a-repo'],
      ['--toolsets', 'nope'],
      ['--api-url', 'ftp://x'],
      ['--tools', 'get_isue'],
    ]) {
      const bad = await run(args);
      expect(bad.code, args.join(' ')).toBe(2);
      expect(bad.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });

  it('keeps the token out of stderr when GitHub rejects it', async () => {
    await using fake = await fakeGithub({ 'GET /user': fail(401, 'Bad credentials') });
    await using connection = await connectStdio({
      command: process.execPath,
      args: [SERVER, '--log-level', 'debug'],
      env: { GITHUB_TOKEN: TEST_TOKEN, GITHUB_API_URL: fake.url },
    });
    const result = (await connection.client.callTool({
      name: 'get_me',
      arguments: {},
    })) as CallResult;
    expect(textOf(result)).toMatch(/rejected the token \(401\)/);
    expect(connection.stderr()).not.toContain(TEST_TOKEN);
    expect(connection.stderr()).not.toMatch(/ghp_[A-Za-z0-9]{10,}/);
  });
});

describe('mcp-server-github against an oversized answer', () => {
  const MiB = 1024 * 1024;

  it.each([
    ['a 200 MB issue, length undeclared', 200, false],
    ['a 200 MB error body, length declared', 422, true],
  ])(
    'stops reading %s at the cap, stays small and answers ping throughout',
    async (_name, status, declareLength) => {
      const body = streamedBody(200 * MiB, { status, declareLength, headers: rateHeaders() });
      await using fake = await fakeGithub({ 'GET /repos/octo/app/issues/1': body });
      await using connection = await connectStdio({
        command: process.execPath,
        args: [SERVER],
        env: { GITHUB_PERSONAL_ACCESS_TOKEN: TEST_TOKEN, GITHUB_API_URL: fake.url },
      });
      const call = await callWhilePinging(connection, 'get_issue', {
        owner: 'octo',
        repo: 'app',
        issue_number: 1,
      });
      expect(call.isError).toBe(true);
      expect(call.text).toMatch(
        /^GitHub's answer was larger than the 32 MiB cap on upstream responses, so it was not read\. Ask for less/,
      );
      expect(call.pings).toBeGreaterThan(0);
      expect(call.peakBytes).toBeLessThan(400 * MiB);
      expect(body.written()).toBeLessThan(100 * MiB);
    },
  );
});

describe('mcp-server-github over Streamable HTTP', () => {
  it("never forwards the MCP client's bearer token to GitHub", async () => {
    const mcpToken = 'mcp-client-secret-0123456789';
    await using fake = await fakeGithub({
      'GET /repos/octo/app/issues/1': ok(issue('octo', 'app', 1)),
    });
    await using connection = await connectHttp({
      command: process.execPath,
      args: [SERVER, '--transport', 'http', '--port', '0'],
      env: {
        GITHUB_PERSONAL_ACCESS_TOKEN: TEST_TOKEN,
        GITHUB_API_URL: fake.url,
        MCP_AUTH_TOKEN: mcpToken,
      },
      bearerToken: mcpToken,
    });
    const result = (await connection.client.callTool({
      name: 'get_issue',
      arguments: { owner: 'octo', repo: 'app', issue_number: 1 },
    })) as CallResult;
    expect(result.structuredContent).toMatchObject({ number: 1 });
    await connection.close();
    const sent = fake.requests.map((request) => JSON.stringify(request.headers)).join('\n');
    expect(sent).toContain(`token ${TEST_TOKEN}`);
    expect(sent).not.toContain(mcpToken);
  });
});
