/**
 * @module
 * The Slack server's gates, by the names its tools declare in `requires`, for the kit's
 * `exposeTools`: uploads and channel creation are turned on by the operator (not listed otherwise,
 * and a call by name is answered with the flag to set); the user-token tools are simply not
 * offered without SLACK_USER_TOKEN.
 */
import type { ToolGates } from '@plugboard/kit/tools';
import type { SlackConfig } from './config.js';

export function slackGates(
  config: Pick<SlackConfig, 'uploadDir' | 'allowCreateChannels' | 'userToken'>,
): ToolGates {
  return {
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
      open: config.userToken !== undefined,
      label: 'message search and unreads',
      enable: 'SLACK_USER_TOKEN',
      whenClosed: 'withhold',
    },
  };
}
