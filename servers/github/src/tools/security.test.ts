import { describe, expect, it } from 'vitest';
import { ok } from '../../test/fake-github.js';
import { harness, textOf } from '../../test/harness.js';

const LEAKED = 'ghp_LeakedTokenValueThatMustNotBeShown123';

const secretAlert = {
  number: 3,
  state: 'open',
  secret_type: 'github_personal_access_token',
  secret_type_display_name: 'GitHub Personal Access Token',
  secret: LEAKED,
  resolution: null,
  validity: 'active',
  created_at: '2026-11-01T00:00:00Z',
  html_url: 'https://github.com/o/r/security/secret-scanning/3',
};

describe('secret scanning', () => {
  it('asks GitHub to hide secrets and never returns one even if it is sent', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/secret-scanning/alerts': ok([secretAlert]),
        'GET /repos/o/r/secret-scanning/alerts/3': ok(secretAlert),
        'GET /repos/o/r/secret-scanning/alerts/3/locations': ok([
          { type: 'commit', details: { path: 'config/.env', start_line: 4, blob_sha: 'b' } },
        ]),
      },
    });
    const list = await h.call('list_secret_scanning_alerts', {
      owner: 'o',
      repo: 'r',
      state: 'open',
    });
    const one = await h.call('get_secret_scanning_alert', {
      owner: 'o',
      repo: 'r',
      alertNumber: 3,
    });
    expect(
      h.fake
        .calls()
        .filter((request) => !request.path.endsWith('/locations'))
        .every((request) => request.query.hide_secret === 'true'),
    ).toBe(true);
    expect(one.structuredContent).toMatchObject({
      number: 3,
      secretType: 'GitHub Personal Access Token',
      validity: 'active',
      locations: [{ path: 'config/.env', line: 4 }],
    });
    for (const result of [list, one])
      expect(JSON.stringify(result)).not.toContain('LeakedTokenValue');
  });
});

describe('code scanning', () => {
  it('lists alerts with rule, severity and location', async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/code-scanning/alerts': ok([
          {
            number: 12,
            state: 'open',
            rule: {
              id: 'js/sql-injection',
              severity: 'error',
              security_severity_level: 'high',
              description: 'Database query built from user-controlled sources',
            },
            tool: { name: 'CodeQL' },
            most_recent_instance: {
              location: { path: 'src/db.js', start_line: 40 },
              message: { text: 'This query depends on a user-provided value.' },
            },
            created_at: '2026-11-01T00:00:00Z',
            html_url: 'https://github.com/o/r/security/code-scanning/12',
          },
        ]),
      },
    });
    const result = await h.call('list_code_scanning_alerts', {
      owner: 'o',
      repo: 'r',
      severity: 'high',
      toolName: 'CodeQL',
    });
    expect(h.fake.calls()[0]?.query).toMatchObject({ severity: 'high', tool_name: 'CodeQL' });
    expect(textOf(result)).toBe(
      '#12 [open] high js/sql-injection at src/db.js:40 — Database query built from user-controlled sources',
    );
  });
});

describe('Dependabot', () => {
  const alert = (number: number) => ({
    number,
    state: 'open',
    dependency: {
      package: { name: 'lodash', ecosystem: 'npm' },
      manifest_path: 'package-lock.json',
    },
    security_advisory: {
      ghsa_id: 'GHSA-jf85-cpcp-j695',
      summary: 'Prototype Pollution in lodash',
      severity: 'critical',
    },
    security_vulnerability: {
      vulnerable_version_range: '< 4.17.12',
      first_patched_version: { identifier: '4.17.12' },
    },
    created_at: '2026-11-01T00:00:00Z',
    html_url: `https://github.com/o/r/security/dependabot/${number}`,
  });

  it("pages with GitHub's after cursor, not page numbers", async () => {
    await using h = await harness({
      routes: {
        'GET /repos/o/r/dependabot/alerts': (request) =>
          request.query.after === undefined
            ? ok([alert(1)], {
                link: `<http://${request.headers.host}/repos/o/r/dependabot/alerts?per_page=1&after=Y3Vyc29yOjI%3D>; rel="next"`,
              })
            : ok([alert(2)]),
      },
    });
    const first = await h.call('list_dependabot_alerts', { owner: 'o', repo: 'r', perPage: 1 });
    expect(textOf(first)).toMatch(
      /^#1 \[open\] critical npm\/lodash < 4\.17\.12 \(fixed in 4\.17\.12\) — Prototype Pollution in lodash/,
    );
    const second = await h.call('list_dependabot_alerts', {
      owner: 'o',
      repo: 'r',
      cursor: first.structuredContent?.nextCursor,
    });
    expect(h.fake.calls()[1]?.query).toEqual({ after: 'Y3Vyc29yOjI=', per_page: '1' });
    expect(second.structuredContent).toMatchObject({ alerts: [{ number: 2 }], truncated: false });
  });
});
