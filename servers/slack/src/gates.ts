/**
 * @module
 * The Slack tools that exist only when the operator turns them on, for the protocol's
 * `gateTools`: not listed otherwise, and a call by name is answered with the flag to set.
 */
import type { ToolGate } from '@plugboard/kit/cli';
import type { SlackConfig } from './config.js';

export function slackGates(
  config: Pick<SlackConfig, 'uploadDir' | 'allowCreateChannels'>,
): ToolGate[] {
  return [
    {
      tools: new Set(['slack_upload_file']),
      label: 'file uploads',
      open: config.uploadDir !== undefined,
      enable: '--upload-dir DIR (or SLACK_UPLOAD_DIR)',
    },
    {
      tools: new Set(['slack_create_channel']),
      label: 'creating channels',
      open: config.allowCreateChannels,
      enable: '--allow-create-channels (or SLACK_ALLOW_CREATE_CHANNELS=1)',
    },
  ];
}
