/**
 * @module
 * The command line of `mcp-server-github`: the shared flags plus this server's own. Kept apart
 * from the server so that `--help` and `--version` load nothing else.
 */
import type { CommandSpec } from '@plugboard/kit/cli';

export const VERSION = PLUGBOARD_PACKAGE_VERSION;

export const DEFAULT_TIMEOUT_SECONDS = 60;

export const spec: CommandSpec = {
  bin: 'mcp-server-github',
  version: VERSION,
  prefix: 'GITHUB',
  secretEnv: ['GITHUB_PERSONAL_ACCESS_TOKEN', 'GITHUB_TOKEN', 'GITHUB_OAUTH_CLIENT_SECRET'],
  summary: 'GitHub for MCP clients: repositories, issues, pull requests, Actions and more',
  flags: [
    {
      name: 'toolsets',
      type: 'list',
      env: 'GITHUB_TOOLSETS',
      placeholder: 'a,b',
      description:
        'Tool groups to expose: "default" (the official tools plus get_me), "all", or toolset names (see README)',
    },
    {
      name: 'repos',
      type: 'list',
      repeatable: true,
      env: 'GITHUB_REPOS',
      placeholder: 'owner/repo,owner/*',
      description:
        'Only these repositories may be read, searched or written (every call is checked)',
    },
    {
      name: 'lockdown',
      type: 'boolean',
      env: 'GITHUB_LOCKDOWN_MODE',
      description:
        'Withhold issue, pull request and comment text on public repositories from authors without write access',
    },
    {
      name: 'allow-workflow-writes',
      type: 'boolean',
      env: 'GITHUB_ALLOW_WORKFLOW_WRITES',
      description: 'Allow writing files under .github/workflows/ (workflows run code in CI)',
    },
    {
      name: 'allow-default-branch-writes',
      type: 'boolean',
      env: 'GITHUB_ALLOW_DEFAULT_BRANCH_WRITES',
      description:
        'Allow create_or_update_file and push_files to commit straight to the default branch',
    },
    {
      name: 'allow-private-to-public',
      type: 'boolean',
      env: 'GITHUB_ALLOW_PRIVATE_TO_PUBLIC',
      description:
        'Allow writes to public repositories and public gists after private repository content was read',
    },
    {
      name: 'api-url',
      type: 'string',
      env: 'GITHUB_API_URL',
      placeholder: 'URL',
      description:
        'REST API root (default https://api.github.com; GitHub Enterprise Server: https://HOST/api/v3)',
    },
    {
      name: 'web-url',
      type: 'string',
      env: 'GITHUB_WEB_URL',
      placeholder: 'URL',
      description:
        'Hosted accounts: the web root of GitHub OAuth (default from the API root: https://github.com, or https://HOST for GHES)',
    },
    {
      name: 'gh-host',
      type: 'string',
      env: 'GITHUB_HOST',
      placeholder: 'HOST',
      description:
        'GitHub host instead of --api-url: github.com, a GHES host name, or TENANT.ghe.com',
    },
    {
      name: 'timeout',
      type: 'integer',
      env: 'GITHUB_TIMEOUT',
      placeholder: 'SECONDS',
      description: `Give up on one tool call's GitHub requests after this long (default ${DEFAULT_TIMEOUT_SECONDS})`,
    },
  ],
  epilog: [
    'The token comes from GITHUB_PERSONAL_ACCESS_TOKEN (or GITHUB_TOKEN), never from the command line.',
    'Hosted (--transport http with --auth-issuer), GITHUB_OAUTH_CLIENT_ID and GITHUB_OAUTH_CLIENT_SECRET name an OAuth app: each user connects their own account.',
    'Example: mcp-server-github --toolsets default,actions --repos acme/app,acme-labs/*',
  ].join('\n'),
};
