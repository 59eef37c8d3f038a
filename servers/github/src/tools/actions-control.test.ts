import { describe, expect, it } from 'vitest';
import { parseAllowlist } from '../allowlist.js';
import { fail, ok, paged } from '../../test/fake-github.js';
import { harness, textOf } from '../../test/harness.js';

function job(id: number, conclusion: string, failedStep?: string) {
  return {
    id,
    run_id: 42,
    run_url: 'https://api.github.com/repos/o/r/actions/runs/42',
    node_id: `CR_${id}`,
    head_sha: 'a'.repeat(40),
    url: `https://api.github.com/repos/o/r/actions/jobs/${id}`,
    html_url: `https://github.com/o/r/actions/runs/42/job/${id}`,
    status: 'completed',
    conclusion,
    created_at: '2026-11-01T00:00:00Z',
    started_at: '2026-11-01T00:00:05Z',
    completed_at: '2026-11-01T00:03:00Z',
    name: `job ${id}`,
    steps: [
      { name: 'Set up job', status: 'completed', conclusion: 'success', number: 1 },
      ...(failedStep === undefined
        ? []
        : [{ name: failedStep, status: 'completed', conclusion: 'failure', number: 2 }]),
    ],
    check_run_url: `https://api.github.com/repos/o/r/check-runs/${id}`,
    labels: ['ubuntu-latest'],
    runner_id: 1,
    runner_name: 'GitHub Actions 1',
    workflow_name: 'CI',
    head_branch: 'main',
    run_attempt: 1,
  };
}

function artifact(id: number, expired = false) {
  return {
    id,
    node_id: `MDg6QXJ0aWZhY3Q${id}`,
    name: `coverage-${id}`,
    size_in_bytes: 1024 * id,
    url: `https://api.github.com/repos/o/r/actions/artifacts/${id}`,
    archive_download_url: `https://api.github.com/repos/o/r/actions/artifacts/${id}/zip`,
    expired,
    created_at: '2026-11-01T00:00:00Z',
    expires_at: '2027-01-30T00:00:00Z',
    updated_at: '2026-11-01T00:00:00Z',
    digest: `sha256:${'d'.repeat(64)}`,
    workflow_run: {
      id: 42,
      repository_id: 1,
      head_repository_id: 1,
      head_branch: 'main',
      head_sha: 'a'.repeat(40),
    },
  };
}

describe('run_workflow', () => {
  it('dispatches on a ref with the inputs as strings', async () => {
    await using h = await harness({
      routes: { 'POST /repos/o/r/actions/workflows/deploy.yml/dispatches': { status: 204 } },
    });
    const result = await h.call('run_workflow', {
      owner: 'o',
      repo: 'r',
      workflowId: 'deploy.yml',
      ref: 'release/1.2',
      inputs: { environment: 'staging', dryRun: true, replicas: 3 },
    });
    expect(result.isError, textOf(result)).toBeUndefined();
    const [request] = h.fake.calls();
    expect(`${request!.method} ${request!.path}`).toBe(
      'POST /repos/o/r/actions/workflows/deploy.yml/dispatches',
    );
    expect(request!.body).toEqual({
      ref: 'release/1.2',
      inputs: { environment: 'staging', dryRun: 'true', replicas: '3' },
    });
    expect(result.structuredContent).toEqual({ workflowId: 'deploy.yml', ref: 'release/1.2' });
  });

  it('refuses a workflow path that could change the route, sending nothing', async () => {
    await using h = await harness();
    const result = await h.call('run_workflow', {
      owner: 'o',
      repo: 'r',
      workflowId: '../../../user/keys',
      ref: 'main',
    });
    expect(result.isError).toBe(true);
    expect(h.fake.calls()).toEqual([]);
  });

  it("passes on GitHub's refusal of a workflow without workflow_dispatch", async () => {
    await using h = await harness({
      routes: {
        'POST /repos/o/r/actions/workflows/:id/dispatches': fail(
          422,
          "Workflow does not have 'workflow_dispatch' trigger",
        ),
      },
    });
    const result = await h.call('run_workflow', {
      owner: 'o',
      repo: 'r',
      workflowId: '7',
      ref: 'main',
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain("Workflow does not have 'workflow_dispatch' trigger");
    expect(h.fake.calls()[0]!.path).toBe('/repos/o/r/actions/workflows/7/dispatches');
  });

  it('is a write: outside the allowlist nothing is sent', async () => {
    await using h = await harness({ config: { allowlist: parseAllowlist(['o/r']) } });
    const result = await h.call('run_workflow', {
      owner: 'o',
      repo: 'other',
      workflowId: 'ci.yml',
      ref: 'main',
    });
    expect(textOf(result)).toContain('outside the repositories');
    expect(h.fake.requests).toEqual([]);
  });
});

describe('cancel_workflow_run', () => {
  it('posts the cancel', async () => {
    await using h = await harness({
      routes: { 'POST /repos/o/r/actions/runs/42/cancel': ok({}, {}, 202) },
    });
    const result = await h.call('cancel_workflow_run', { owner: 'o', repo: 'r', runId: 42 });
    expect(result.structuredContent).toEqual({ runId: 42 });
    expect(h.fake.calls().map((call) => `${call.method} ${call.path}`)).toEqual([
      'POST /repos/o/r/actions/runs/42/cancel',
    ]);
  });

  it('explains a run that already finished', async () => {
    await using h = await harness({
      routes: {
        'POST /repos/o/r/actions/runs/42/cancel': fail(
          409,
          'Cannot cancel a workflow run that is completed.',
        ),
      },
    });
    const result = await h.call('cancel_workflow_run', { owner: 'o', repo: 'r', runId: 42 });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('Cannot cancel a workflow run that is completed.');
  });
});

describe('list_workflow_jobs', () => {
  it('pages the jobs of a run with their failed steps', async () => {
    const jobs = [job(1, 'success'), job(2, 'failure', 'Run tests'), job(3, 'success')];
    await using h = await harness({
      routes: {
        'GET /repos/o/r/actions/runs/42/jobs': paged(jobs, (page) => ({
          total_count: jobs.length,
          jobs: page,
        })),
      },
    });
    const first = await h.call('list_workflow_jobs', {
      owner: 'o',
      repo: 'r',
      runId: 42,
      filter: 'all',
      perPage: 2,
    });
    expect(h.fake.calls()[0]!.query).toEqual({ filter: 'all', page: '1', per_page: '2' });
    const page = first.structuredContent as { jobs: unknown[]; nextCursor: string };
    expect(page).toMatchObject({
      truncated: true,
      jobs: [
        { id: 1, conclusion: 'success', failedSteps: [] },
        { id: 2, conclusion: 'failure', failedSteps: ['Run tests'] },
      ],
    });
    const second = await h.call('list_workflow_jobs', {
      owner: 'o',
      repo: 'r',
      runId: 42,
      filter: 'all',
      cursor: page.nextCursor,
    });
    expect(second.structuredContent).toMatchObject({ truncated: false, jobs: [{ id: 3 }] });
    expect(h.fake.calls()[1]!.query).toEqual({ filter: 'all', page: '2', per_page: '2' });
  });
});

describe('list_workflow_run_artifacts', () => {
  it('lists artifacts with size and expiry', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/actions/runs/42/artifacts': ok({
          total_count: 2,
          artifacts: [artifact(1), artifact(2, true)],
        }),
      },
    });
    const result = await h.call('list_workflow_run_artifacts', {
      owner: 'o',
      repo: 'r',
      runId: 42,
    });
    expect(result.structuredContent).toMatchObject({
      truncated: false,
      artifacts: [
        {
          id: 1,
          name: 'coverage-1',
          sizeInBytes: 1024,
          expired: false,
          expiresAt: '2027-01-30T00:00:00Z',
        },
        { id: 2, expired: true },
      ],
    });
    expect(textOf(result)).toContain('2 coverage-2 (2048 bytes, expired)');
  });
});
