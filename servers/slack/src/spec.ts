/**
 * @module
 * The command line of `mcp-server-slack`: the shared flags plus this server's own. Kept apart from
 * the server so that `--help` and `--version` load nothing else.
 */
import type { CommandSpec } from '@plugboard/kit/cli';

export const VERSION = PLUGBOARD_PACKAGE_VERSION;

export const DEFAULT_TIMEOUT_SECONDS = 30;
export const DEFAULT_RATE_LIMIT_WAIT_SECONDS = 10;

export const spec: CommandSpec = {
  bin: 'mcp-server-slack',
  version: VERSION,
  prefix: 'SLACK',
  secretEnv: ['SLACK_BOT_TOKEN', 'SLACK_USER_TOKEN', 'SLACK_CLIENT_SECRET'],
  summary: 'Slack for MCP clients: read, search and post within the channels you allow',
  flags: [
    {
      name: 'toolsets',
      type: 'list',
      env: 'SLACK_TOOLSETS',
      placeholder: 'a,b',
      description: 'Optional tool groups to list as well: canvases, or all (none by default)',
    },
    {
      name: 'channel-ids',
      type: 'list',
      env: 'SLACK_CHANNEL_IDS',
      placeholder: 'C1,C2',
      description: 'Only these conversations may be read or written (every call is checked)',
    },
    {
      name: 'post-channels',
      type: 'list',
      env: 'SLACK_POST_CHANNELS',
      placeholder: 'C1,C2',
      description:
        'Writing (messages, replies, scheduled messages, reactions, canvases) only in these conversations',
    },
    {
      name: 'quiet-channels',
      type: 'list',
      env: 'SLACK_QUIET_CHANNELS',
      placeholder: 'C1,C2',
      description: 'With --approve post: conversations where posting needs no approval',
    },
    {
      name: 'unfurl-domains',
      type: 'list',
      env: 'SLACK_UNFURL_DOMAINS',
      placeholder: 'example.com',
      description:
        'Let Slack unfurl posted links when every link is on these domains (never by default)',
    },
    {
      name: 'allow-mass-mentions',
      type: 'boolean',
      env: 'SLACK_ALLOW_MASS_MENTIONS',
      description: 'Allow @channel, @here, @everyone and user-group mentions in posted messages',
    },
    {
      name: 'allow-user-mentions',
      type: 'boolean',
      env: 'SLACK_ALLOW_USER_MENTIONS',
      description: 'Let <@U…> in posted text mention people (otherwise it is shown literally)',
    },
    {
      name: 'upload-dir',
      type: 'string',
      env: 'SLACK_UPLOAD_DIR',
      placeholder: 'DIR',
      description: 'Turn on slack_upload_file, for files inside this directory and text snippets',
    },
    {
      name: 'allow-create-channels',
      type: 'boolean',
      env: 'SLACK_ALLOW_CREATE_CHANNELS',
      description: 'Turn on slack_create_channel',
    },
    {
      name: 'api-url',
      type: 'string',
      env: 'SLACK_API_URL',
      placeholder: 'URL',
      description: 'Web API root (default https://slack.com/api/)',
    },
    {
      name: 'oauth-url',
      type: 'string',
      env: 'SLACK_OAUTH_URL',
      placeholder: 'URL',
      description:
        "Hosted, per-user accounts: Slack's consent page (default https://slack.com/oauth/v2/authorize)",
    },
    {
      name: 'timeout',
      type: 'integer',
      env: 'SLACK_TIMEOUT',
      placeholder: 'SECONDS',
      description: `Give up on one tool call's Slack requests after this long (default ${DEFAULT_TIMEOUT_SECONDS})`,
    },
    {
      name: 'rate-limit-wait',
      type: 'integer',
      env: 'SLACK_RATE_LIMIT_WAIT',
      placeholder: 'SECONDS',
      description: `Longest Retry-After a call waits out before reporting the limit (default ${DEFAULT_RATE_LIMIT_WAIT_SECONDS}; 0 never waits)`,
    },
  ],
  epilog: [
    'Tokens come from the environment, never the command line: SLACK_BOT_TOKEN (xoxb-…) for',
    'everything, SLACK_USER_TOKEN (xoxp-…) for message search. SLACK_TEAM_ID names the workspace',
    '(needed for organisation-wide apps; checked against the token). Hosted (--transport http with',
    'sign-in), SLACK_CLIENT_ID and SLACK_CLIENT_SECRET instead let each user connect their own account.',
    'Example: SLACK_CHANNEL_IDS=C0123ABCD,C0456EFGH mcp-server-slack --post-channels C0123ABCD',
  ].join('\n'),
};
