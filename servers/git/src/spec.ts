/**
 * @module
 * The command line of `mcp-server-git`: the shared flags plus the operator's switches for this
 * server. Kept apart from the server so that `--help` loads nothing else.
 */
import type { CommandSpec } from '@plugboard/kit/cli';

export const VERSION = PLUGBOARD_PACKAGE_VERSION;

export const DEFAULT_TIMEOUT_SECONDS = 120;

export const spec: CommandSpec = {
  bin: 'mcp-server-git',
  version: VERSION,
  prefix: 'GIT',
  summary: 'Git for MCP clients, confined to the repositories you allow',
  flags: [
    {
      name: 'repository',
      type: 'list',
      repeatable: true,
      env: 'GIT_REPOSITORY',
      placeholder: 'PATH',
      description:
        'A repository, or a directory of repositories, the tools may use (repeatable; -r also works)',
    },
    {
      name: 'allow-remote',
      type: 'boolean',
      env: 'GIT_ALLOW_REMOTE',
      description:
        'List and enable git_fetch, git_pull, git_push and git_clone (hidden without it)',
    },
    {
      name: 'allow-destructive',
      type: 'boolean',
      env: 'GIT_ALLOW_DESTRUCTIVE',
      description:
        'Enable force push, git_rebase, git_reset to a commit, tag deletion, stash drop/clear, and forced branch and worktree removal',
    },
    {
      name: 'allow-local-remotes',
      type: 'boolean',
      env: 'GIT_ALLOW_LOCAL_REMOTES',
      description:
        'Let remotes and clone sources be local paths or file:// URLs inside the allowed repositories',
    },
    {
      name: 'timeout',
      type: 'integer',
      env: 'GIT_TIMEOUT',
      placeholder: 'SECONDS',
      description: `Stop any single git command after this long (default ${DEFAULT_TIMEOUT_SECONDS})`,
    },
    {
      name: 'sign-commits',
      type: 'boolean',
      env: 'GIT_SIGN_COMMITS',
      description: 'Let your Git signing configuration sign commits and tags (unsigned by default)',
    },
  ],
  epilog: [
    'As in the Python mcp-server-git: -r PATH is --repository PATH, -v is --log-level info and -vv is',
    '--log-level debug.',
    'Without --repository and without client roots, every tool explains how to configure one.',
    'Example: mcp-server-git --repository ~/code/app --repository ~/code/lib',
  ].join('\n'),
};
