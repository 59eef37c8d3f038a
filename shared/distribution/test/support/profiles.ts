/**
 * @module
 * How to start each server without outside services, and one harmless call that proves the
 * installed package works: a temp directory for filesystem, a fresh repository for git, the
 * embedded database for postgres, and a local wire-format fake on 127.0.0.1 for the SaaS servers.
 * A server without a profile is skipped loudly by the suites.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, realpath, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fakeHttp, tmpDir, type FakeHttp } from '@plugboard/testing';

const run = promisify(execFile);

/** A started environment for one server. */
export interface Prepared {
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** A read-only tool call and a string its text must contain. */
  readonly call: { readonly name: string; readonly arguments: Record<string, unknown> };
  readonly expectText: string;
  /** The local fake standing in for the SaaS API, when there is one. */
  readonly fake?: FakeHttp;
  /** Replaces a README placeholder value (a path, URL or token) with one that works here. */
  readonly substitute: (value: string, key?: string) => string;
  /** The directory a host would start the server in (a workspace folder). */
  readonly cwd: string;
  readonly cleanup: () => Promise<void>;
}

/** Builds a `Prepared` for one server. */
export type Profile = () => Promise<Prepared>;

function placeholders(
  env: Readonly<Record<string, string>>,
  pathLike: string,
): Prepared['substitute'] {
  return (value, key) => {
    if (key !== undefined && env[key] !== undefined) return env[key];
    if (/^(\/|~|[A-Z]:\\|\$\{workspaceFolder\})/.test(value)) return pathLike;
    return value;
  };
}

const filesystem: Profile = async () => {
  const dir = await tmpDir('plugboard-dist-fs-');
  const path = await realpath(dir.path);
  await writeFile(join(path, 'hello.txt'), 'hello\n');
  return {
    args: [path],
    env: {},
    call: { name: 'list_allowed_directories', arguments: {} },
    expectText: path,
    substitute: placeholders({}, path),
    cwd: path,
    cleanup: dir.cleanup,
  };
};

const git: Profile = async () => {
  const dir = await tmpDir('plugboard-dist-git-');
  const repo = await realpath(dir.path);
  await run('git', ['init', '-q', '-b', 'trunk', repo]);
  return {
    args: ['--repository', repo],
    env: {},
    call: { name: 'git_status', arguments: { repo_path: repo } },
    expectText: 'trunk',
    substitute: placeholders({}, repo),
    cwd: repo,
    cleanup: dir.cleanup,
  };
};

const postgres: Profile = () => {
  const substitute: Prepared['substitute'] = (value, key) =>
    key === 'DATABASE_URL' || /^postgres(ql)?:\/\//.test(value) ? 'pglite:memory' : value;
  return Promise.resolve({
    args: ['pglite:memory'],
    env: {},
    call: { name: 'query', arguments: { sql: 'SELECT 40 + 2 AS answer' } },
    expectText: '42',
    substitute,
    cwd: tmpdir(),
    cleanup: () => Promise.resolve(),
  });
};

const github: Profile = async () => {
  const fake = await fakeHttp({
    'GET /user': {
      body: {
        login: 'octocat-dist',
        id: 1,
        type: 'User',
        name: 'Octo Cat',
        company: null,
        public_repos: 3,
        html_url: 'https://github.com/octocat-dist',
      },
    },
  });
  const env = { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_distributiontest', GITHUB_API_URL: fake.url };
  return {
    args: [],
    env,
    call: { name: 'get_me', arguments: {} },
    expectText: 'octocat-dist',
    fake,
    substitute: placeholders(env, tmpdir()),
    cwd: tmpdir(),
    cleanup: fake.close,
  };
};

const slack: Profile = async () => {
  const fake = await fakeHttp(() => ({
    body: {
      ok: true,
      channels: [{ id: 'C0DIST', name: 'distribution-general', is_channel: true, num_members: 3 }],
      channel: { id: 'C0DIST', name: 'distribution-general', is_channel: true, num_members: 3 },
      team_id: 'T0DIST',
      team: 'dist',
      user_id: 'U0DIST',
      response_metadata: { next_cursor: '' },
    },
  }));
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-distribution',
    SLACK_TEAM_ID: 'T0DIST',
    SLACK_CHANNEL_IDS: 'C0DIST',
    SLACK_API_URL: `${fake.url}/api/`,
  };
  return {
    args: [],
    env,
    call: { name: 'slack_list_channels', arguments: {} },
    expectText: 'distribution-general',
    fake,
    substitute: placeholders(env, tmpdir()),
    cwd: tmpdir(),
    cleanup: fake.close,
  };
};

const gdrive: Profile = async () => {
  const dir = await tmpDir('plugboard-dist-gdrive-');
  const fake = await fakeHttp({
    'POST /token': { body: { access_token: 'ya29.dist', expires_in: 3600, token_type: 'Bearer' } },
    'GET /drive/v3/drives': { body: { drives: [{ id: '0ADISTRIB', name: 'distribution-notes' }] } },
  });
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyFile = join(dir.path, 'service-account.json');
  await mkdir(dir.path, { recursive: true });
  await writeFile(
    keyFile,
    JSON.stringify({
      type: 'service_account',
      client_email: 'dist@example.iam.gserviceaccount.com',
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      token_uri: `${fake.url}/token`,
    }),
  );
  const env = {
    GOOGLE_APPLICATION_CREDENTIALS: keyFile,
    GDRIVE_API_URL: `${fake.url}/`,
    GDRIVE_TOKEN_URL: `${fake.url}/token`,
  };
  return {
    args: [],
    env,
    call: { name: 'list_shared_drives', arguments: {} },
    expectText: 'distribution-notes',
    fake,
    substitute: placeholders(env, keyFile),
    cwd: dir.path,
    cleanup: async () => {
      await fake.close();
      await dir.cleanup();
    },
  };
};

const puppeteer: Profile = () =>
  Promise.resolve({
    args: [],
    env: {},
    call: { name: 'puppeteer_list_tabs', arguments: {} },
    expectText: '',
    substitute: (value) => value,
    cwd: tmpdir(),
    cleanup: () => Promise.resolve(),
  });

/** Profiles by server directory name. */
export const profiles: Readonly<Record<string, Profile>> = {
  filesystem,
  git,
  postgres,
  github,
  slack,
  gdrive,
  puppeteer,
};
