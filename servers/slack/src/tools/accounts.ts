/**
 * @module
 * `slack_disconnect_account`: hosted mode with per-user accounts only (the `hostedAccounts` gate
 * withholds it otherwise). The caller's Slack grant is forgotten on this server and its token
 * revoked with `auth.revoke`; their next Slack call asks them to connect again.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool } from '../context.js';
import { DELETE } from './common.js';

export const slackDisconnectAccount = defineTool({
  name: 'slack_disconnect_account',
  title: 'Disconnect my Slack account',
  description:
    'Forget the Slack account you connected to this hosted server and revoke its token at Slack; your next Slack call asks you to connect again.',
  input: z.object({}),
  output: z.object({
    disconnected: z.boolean().describe('False when no Slack account of yours was connected'),
  }),
  requires: ['hostedAccounts'],
  annotations: DELETE,
  async run(_args, ctx) {
    const disconnected = await ctx.sessions.disconnect(ctx);
    if (disconnected === undefined)
      throw new ToolError(
        'This server acts with the operator’s Slack token; there is no account of yours to disconnect.',
      );
    return structured(
      { disconnected },
      disconnected
        ? 'Your Slack account is disconnected from this server and its token revoked at Slack.'
        : 'No Slack account of yours was connected to this server.',
    );
  },
});
