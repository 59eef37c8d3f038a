import { readFileSync } from 'node:fs';
import { parseCommandLine, UsageError } from '@plugboard/kit/cli';
import { describe, expect, it } from 'vitest';
import {
  apiUrlForHost,
  DEFAULT_API_URL,
  graphqlUrlFor,
  parseApiUrl,
  parseConfig,
} from './config.js';
import { exposeTools, toolsetsOf } from '@plugboard/kit/tools';
import { githubToolConfiguration, instructionsFor } from './server.js';
import { spec, VERSION } from './spec.js';
import { tools } from './tools/index.js';

/** Configuration exactly as `mcp-server-github` would build it from argv and env. */
function configOf(argv: string[], env: Record<string, string> = {}) {
  const parsed = parseCommandLine(spec, argv, env);
  if (parsed.kind !== 'run') throw new Error('expected a run');
  return { config: parseConfig(parsed.flags, env), common: parsed.common };
}

const names = (argv: string[], env: Record<string, string> = {}): string[] => {
  const { config, common } = configOf(argv, env);
  return exposeTools(tools, githubToolConfiguration(config, common)).tools.map((tool) => tool.name);
};

/** The tools that declare `toolset` among theirs, in registry order, but those only hosted. */
const inToolset = (toolset: string): string[] =>
  tools
    .filter((tool) => toolsetsOf(tool).includes(toolset) && tool.requires === undefined)
    .map((tool) => tool.name);

describe('parseConfig', () => {
  it('defaults to api.github.com with the token from GITHUB_PERSONAL_ACCESS_TOKEN', () => {
    const { config } = configOf([], { GITHUB_PERSONAL_ACCESS_TOKEN: ' ghp_abc ' });
    expect(config).toMatchObject({
      apiUrl: DEFAULT_API_URL,
      graphqlUrl: 'https://api.github.com/graphql',
      token: 'ghp_abc',
      timeoutMs: 60_000,
      outputBudget: 65_536,
    });
  });

  it('falls back to GITHUB_TOKEN and runs anonymously without either', () => {
    expect(configOf([], { GITHUB_TOKEN: 'gho_x' }).config.token).toBe('gho_x');
    expect(configOf([]).config.token).toBeUndefined();
  });

  it('takes the API root from GITHUB_API_URL or --api-url, flag first', () => {
    expect(
      configOf([], { GITHUB_API_URL: 'https://ghe.example.com/api/v3/' }).config,
    ).toMatchObject({
      apiUrl: 'https://ghe.example.com/api/v3',
      graphqlUrl: 'https://ghe.example.com/api/graphql',
    });
    expect(
      configOf(['--api-url', 'http://127.0.0.1:9999'], { GITHUB_API_URL: 'https://x.example' })
        .config.apiUrl,
    ).toBe('http://127.0.0.1:9999');
  });

  it('understands github-mcp-server style GITHUB_HOST values', () => {
    expect(apiUrlForHost('github.com')).toBe('https://api.github.com');
    expect(apiUrlForHost('https://ghe.corp.example')).toBe('https://ghe.corp.example/api/v3');
    expect(apiUrlForHost('acme.ghe.com')).toBe('https://api.acme.ghe.com');
    expect(configOf([], { GITHUB_HOST: 'ghe.corp.example' }).config.apiUrl).toBe(
      'https://ghe.corp.example/api/v3',
    );
  });

  it('puts GraphQL beside REST', () => {
    expect(graphqlUrlFor('https://api.github.com')).toBe('https://api.github.com/graphql');
    expect(graphqlUrlFor('https://h/api/v3')).toBe('https://h/api/graphql');
  });

  it('refuses API roots that are not plain http(s) URLs', () => {
    for (const bad of [
      'ftp://x',
      'not a url',
      'https://user:pw@ghe.example',
      'https://x/?a=1',
      'file:///etc',
    ])
      expect(() => parseApiUrl(bad), bad).toThrow(UsageError);
  });

  it('parses the repository allowlist and refuses malformed entries', () => {
    const { config } = configOf(['--repos', 'acme/app,Team/*', '--repos', 'solo/x']);
    expect(config.allowlist?.allows('ACME', 'App')).toBe(true);
    expect(config.allowlist?.allows('team', 'anything')).toBe(true);
    expect(config.allowlist?.allows('acme', 'other')).toBe(false);
    expect(config.allowlist?.allows('solo', 'x')).toBe(true);
    for (const bad of ['acme', 'acme/app/x', '../x', 'a/..', '*/*', 'acme/'])
      expect(() => configOf(['--repos', bad]), bad).toThrow(UsageError);
  });

  it('reads the safety switches from flags and env', () => {
    const { config } = configOf(['--lockdown', '--allow-workflow-writes'], {
      GITHUB_ALLOW_DEFAULT_BRANCH_WRITES: '1',
      GITHUB_ALLOW_PRIVATE_TO_PUBLIC: 'true',
    });
    expect(config).toMatchObject({
      lockdown: true,
      allowWorkflowWrites: true,
      allowDefaultBranchWrites: true,
      allowPrivateToPublic: true,
    });
    expect(configOf([]).config).toMatchObject({
      lockdown: false,
      allowWorkflowWrites: false,
      allowDefaultBranchWrites: false,
      allowPrivateToPublic: false,
    });
  });

  it('refuses a token with whitespace and budgets below 4 KiB', () => {
    expect(() => configOf([], { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_a b' })).toThrow(UsageError);
    expect(() => configOf(['--output-budget', '100'])).toThrow(UsageError);
  });
});

describe('choosing tools', () => {
  it('exposes the official tools plus get_me by default', () => {
    expect(names([])).toEqual(inToolset('default'));
    expect(names([])).toHaveLength(27);
  });

  it('adds toolsets by name, with default and all as shorthands', () => {
    expect(names(['--toolsets', 'actions'])).toEqual(inToolset('actions'));
    const withActions = names(['--toolsets', 'default,actions']);
    expect(withActions).toEqual(
      expect.arrayContaining([...inToolset('default'), ...inToolset('actions')]),
    );
    // Every tool but the one of hosted accounts, which exists only hosted.
    expect(names([], { GITHUB_TOOLSETS: 'all' })).toHaveLength(tools.length - 1);
  });

  it('lists disconnect_github_account only hosted with an OAuth app', () => {
    const hosted = (env: Record<string, string>) => {
      const argv = ['--transport', 'http', '--auth-issuer', 'https://auth.example.com'];
      const { config, common } = configOf(argv, env);
      return exposeTools(tools, githubToolConfiguration(config, common, true)).tools.map(
        (tool) => tool.name,
      );
    };
    const app = { GITHUB_OAUTH_CLIENT_ID: 'Iv1.app', GITHUB_OAUTH_CLIENT_SECRET: 'secret' };
    expect(hosted(app)).toContain('disconnect_github_account');
    expect(hosted({})).not.toContain('disconnect_github_account');
    expect(names([], app)).not.toContain('disconnect_github_account');
  });

  it('reads the OAuth app and the web root, GHES from the API root', () => {
    expect(configOf([]).config).toMatchObject({ webUrl: 'https://github.com', oauth: undefined });
    expect(configOf(['--api-url', 'https://ghe.example.com/api/v3']).config.webUrl).toBe(
      'https://ghe.example.com',
    );
    expect(configOf([], { GITHUB_WEB_URL: 'https://ghe.example.com/' }).config.webUrl).toBe(
      'https://ghe.example.com',
    );
    expect(() => configOf([], { GITHUB_OAUTH_CLIENT_ID: 'Iv1.app' })).toThrow(
      /both GITHUB_OAUTH_CLIENT_ID and GITHUB_OAUTH_CLIENT_SECRET/,
    );
  });

  it('refuses unknown toolsets and tools instead of silently exposing nothing', () => {
    expect(() => names(['--toolsets', 'repo'])).toThrow(
      /Unknown toolset "repo" in --toolsets \(the closest is repos\)/,
    );
    expect(() => names(['--tools', 'get_isue'])).toThrow(
      /Unknown tool "get_isue".*closest is get_issue/,
    );
  });

  it('takes --tools alone as the exact list, and adds it to explicit toolsets', () => {
    expect(names(['--tools', 'get_issue,list_workflows'])).toEqual(['get_issue', 'list_workflows']);
    expect(names(['--toolsets', 'gists', '--tools', 'get_issue'])).toEqual([
      'get_issue',
      ...inToolset('gists'),
    ]);
  });

  it('hides excluded tools and every write tool in read-only mode', () => {
    expect(names(['--exclude-tools', 'push_files'])).not.toContain('push_files');
    const readOnly = names(['--toolsets', 'all'], { GITHUB_READ_ONLY: '1' });
    expect(readOnly).toContain('get_issue');
    expect(readOnly).not.toContain('create_issue');
    expect(readOnly).not.toContain('mark_notification_read');
    // Read tools are get_, list_ or search_, or github-mcp-server's issue_dependency_read.
    expect(readOnly.every((name) => /^(get|list|search)_|^issue_dependency_read$/.test(name))).toBe(
      true,
    );
  });
});

describe('instructionsFor', () => {
  it('tells the model which repositories are reachable, and never includes upstream data', () => {
    const { config } = configOf(['--repos', 'acme/app', '--lockdown']);
    const text = instructionsFor(config);
    expect(text).toContain('Only these repositories are reachable: acme/app.');
    expect(text).toContain('Lockdown mode');
    expect(text).toContain('<untrusted-content>');
  });
});

describe('spec', () => {
  it('reports the version of the package', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(VERSION).toBe(pkg.version);
    expect(spec.version).toBe(pkg.version);
  });
});
