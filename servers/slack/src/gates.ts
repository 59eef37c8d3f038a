/**
 * @module
 * The Slack server's gates, by the names its tools declare in `requires`, for the kit's
 * `exposeTools`: uploads and channel creation are turned on by the operator (not listed otherwise,
 * and a call by name is answered with the flag to set); the user-token tools are simply not
 * offered without SLACK_USER_TOKEN (or per-user accounts, where every caller has one), and
 * `slack_disconnect_account` only hosted with per-user accounts. The optional toolsets (`toolset: 'canvases'`) are listed only
 * when --toolsets names them; a call to one of their tools otherwise names the flag.
 */
import type { ToolGates, ToolsetOptions } from '@plugboard/kit/tools';
import type { SlackConfig } from './config.js';

export function slackGates(
  config: Pick<SlackConfig, 'uploadDir' | 'allowCreateChannels' | 'userToken' | 'accounts'>,
  hosted = false,
): ToolGates {
  return {
    hostedAccounts: {
      open: hosted && config.accounts !== undefined,
      label: 'the account tools',
      enable:
        '--transport http with sign-in (--auth-issuer) and a Slack app (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET)',
      whenClosed: 'withhold',
    },
    uploadDir: {
      open: config.uploadDir !== undefined,
      label: 'file uploads',
      enable: '--upload-dir DIR (or SLACK_UPLOAD_DIR)',
    },
    allowCreateChannels: {
      open: config.allowCreateChannels,
      label: 'creating channels',
      enable: '--allow-create-channels (or SLACK_ALLOW_CREATE_CHANNELS=1)',
    },
    userToken: {
      // With per-user accounts every caller brings a user token of their own.
      open: config.userToken !== undefined || config.accounts !== undefined,
      label: 'message search and unreads',
      enable: 'SLACK_USER_TOKEN',
      whenClosed: 'withhold',
    },
  };
}

export function slackToolsets(config: Pick<SlackConfig, 'toolsets'>): ToolsetOptions {
  return {
    chosen: config.toolsets,
    defaults: [],
    outside: 'refused',
    enable: (name) => `--toolsets ${name} (or SLACK_TOOLSETS=${name})`,
  };
}
