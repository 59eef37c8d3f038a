import { fakeHttp } from '@plugboard/testing';
import { describe, expect, it } from 'vitest';
import { ok, user } from '../../test/fake-github.js';
import { harness, TEST_TOKEN, textOf } from '../../test/harness.js';

const SHA = 'a'.repeat(40);

function run(id: number, overrides: Record<string, unknown> = {}) {
  return {
    id,
    name: 'CI',
    display_title: 'Fix the build',
    status: 'completed',
    conclusion: 'failure',
    head_branch: 'main',
    event: 'push',
    head_sha: SHA,
    run_number: 42,
    actor: user('mona'),
    created_at: '2026-11-20T10:00:00Z',
    html_url: `https://github.com/o/r/actions/runs/${id}`,
    ...overrides,
  };
}

function job(id: number, conclusion: string, name = `job-${id}`) {
  return {
    id,
    run_id: 7,
    name,
    status: 'completed',
    conclusion,
    html_url: `https://github.com/o/r/actions/runs/7/job/${id}`,
    steps: [
      { name: 'Checkout', status: 'completed', conclusion: 'success', number: 1 },
      { name: 'Test', status: 'completed', conclusion, number: 2 },
    ],
  };
}

describe('workflows and runs', () => {
  it('lists workflows', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/actions/workflows': ok({
          total_count: 1,
          workflows: [
            { id: 161335, name: 'CI', path: '.github/workflows/ci.yml', state: 'active' },
          ],
        }),
      },
    });
    const result = await h.call('list_workflows', { owner: 'o', repo: 'r' });
    expect(result.structuredContent).toEqual({
      workflows: [{ id: 161335, name: 'CI', path: '.github/workflows/ci.yml', state: 'active' }],
      truncated: false,
    });
  });

  it('lists the runs of one workflow by file name, with filters', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/actions/workflows/ci.yml/runs': ok({
          total_count: 1,
          workflow_runs: [run(7)],
        }),
      },
    });
    const result = await h.call('list_workflow_runs', {
      owner: 'o',
      repo: 'r',
      workflowId: 'ci.yml',
      branch: 'main',
      status: 'failure',
    });
    expect(h.fake.calls()[0]?.query).toEqual({
      branch: 'main',
      status: 'failure',
      page: '1',
      per_page: '30',
    });
    expect(textOf(result)).toBe(
      '7 CI #42 [failure] Fix the build — push on main aaaaaaa, 2026-11-20',
    );
  });

  it('refuses a workflow id that is neither a number nor a workflow file', async () => {
    await using h = await harness();
    const result = await h.call('list_workflow_runs', {
      owner: 'o',
      repo: 'r',
      workflowId: '../../secrets',
    });
    expect(textOf(result)).toMatch(/neither a workflow id nor a workflow file name/);
    expect(h.fake.requests).toEqual([]);
  });

  it('shows a run with its jobs and the steps that failed', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/actions/runs/7': ok(run(7)),
        'GET /repos/o/r/actions/runs/7/jobs': ok({
          total_count: 2,
          jobs: [job(1, 'success', 'lint'), job(2, 'failure', 'test')],
        }),
      },
    });
    const result = await h.call('get_workflow_run', { owner: 'o', repo: 'r', runId: 7 });
    expect(result.structuredContent).toMatchObject({
      id: 7,
      conclusion: 'failure',
      jobs: [
        { id: 1, failedSteps: [] },
        { id: 2, name: 'test', failedSteps: ['Test'] },
      ],
      truncated: false,
    });
    expect(h.fake.calls().find((request) => request.path.endsWith('/jobs'))?.query).toMatchObject({
      filter: 'latest',
    });
  });

  it('re-runs only the failed jobs when asked', async () => {
    await using h = await harness({
      routes: {
        'POST /repos/o/r/actions/runs/7/rerun-failed-jobs': { status: 201, body: {} },
        'POST /repos/o/r/actions/runs/7/rerun': { status: 201, body: {} },
      },
    });
    await h.call('rerun_workflow_run', { owner: 'o', repo: 'r', runId: 7, failedOnly: true });
    await h.call('rerun_workflow_run', { owner: 'o', repo: 'r', runId: 7 });
    expect(h.fake.calls().map((request) => request.path)).toEqual([
      '/repos/o/r/actions/runs/7/rerun-failed-jobs',
      '/repos/o/r/actions/runs/7/rerun',
    ]);
  });
});

describe('get_job_logs', () => {
  const log =
    Array.from(
      { length: 500 },
      (_, index) =>
        `2026-11-20T10:00:${String(index % 60).padStart(2, '0')}.0000000Z \u001b[31mline ${index + 1}\u001b[0m`,
    ).join('\n') + '\n';

  it('follows the redirect to log storage without the token and returns the tail', async () => {
    await using storage = await fakeHttp({
      'GET /logs/2': { status: 200, headers: { 'content-type': 'text/plain' }, body: log },
    });
    await using h = await harness({
      routes: {
        'GET /repos/o/r/actions/jobs/2/logs': {
          status: 302,
          headers: { location: `${storage.url}/logs/2?sig=abc` },
        },
      },
    });
    const result = await h.call('get_job_logs', { owner: 'o', repo: 'r', jobId: 2, tailLines: 3 });
    const [part] = result.structuredContent?.logs as {
      lines: number;
      totalLines: number;
      log: string;
    }[];
    expect(part).toMatchObject({ lines: 3, totalLines: 500 });
    expect(part?.log).toBe(
      [
        '2026-11-20T10:00:17.0000000Z line 498',
        '2026-11-20T10:00:18.0000000Z line 499',
        '2026-11-20T10:00:19.0000000Z line 500',
      ].join('\n'),
    );
    expect(storage.requests[0]?.headers.authorization).toBeUndefined();
    expect(h.fake.calls()[0]?.headers.authorization).toBe(`token ${TEST_TOKEN}`);
    expect(textOf(result)).toContain('<untrusted-content source="job log">');
  });

  it('collects the logs of every failed job of a run', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/actions/runs/7/jobs': ok({
          total_count: 3,
          jobs: [job(1, 'success'), job(2, 'failure'), job(3, 'timed_out')],
        }),
        'GET /repos/o/r/actions/jobs/2/logs': {
          status: 200,
          headers: { 'content-type': 'text/plain' },
          body: 'a\nerror: two\n',
        },
        'GET /repos/o/r/actions/jobs/3/logs': {
          status: 200,
          headers: { 'content-type': 'text/plain' },
          body: 'b\nerror: three\n',
        },
      },
    });
    const result = await h.call('get_job_logs', { owner: 'o', repo: 'r', runId: 7 });
    expect(
      (result.structuredContent?.logs as { jobId: number; log: string }[]).map((part) => [
        part.jobId,
        part.log,
      ]),
    ).toEqual([
      [2, 'a\nerror: two'],
      [3, 'b\nerror: three'],
    ]);
    expect(
      h.fake.calls().some((request) => request.path === '/repos/o/r/actions/jobs/1/logs'),
    ).toBe(false);
  });

  it('keeps only the end of a log too large to hold', async () => {
    const huge = 'x'.repeat(200) + '\n';
    await using h = await harness({
      routes: {
        'GET /repos/o/r/actions/jobs/9/logs': {
          respond: (res) => {
            res.writeHead(200, { 'content-type': 'text/plain' });
            for (let index = 0; index < 20_000; index++) res.write(huge);
            res.end('last line\n');
          },
        },
      },
    });
    const result = await h.call('get_job_logs', { owner: 'o', repo: 'r', jobId: 9, tailLines: 2 });
    const [part] = result.structuredContent?.logs as { log: string; totalLines: number }[];
    expect(part?.log).toBe(`${'x'.repeat(200)}\nlast line`);
    // About 2 MiB of the 4 MB log was kept, whole lines only.
    expect(part?.totalLines).toBeLessThan(12_000);
  });

  it('asks for a job or a run', async () => {
    await using h = await harness();
    expect(textOf(await h.call('get_job_logs', { owner: 'o', repo: 'r' }))).toMatch(/Give jobId/);
  });
});
