/**
 * @module
 * `disconnect_google_account`: hosted mode with per-user accounts only (the `hostedAccounts`
 * gate withholds it otherwise). The caller's Google grant is forgotten on this server and
 * revoked at Google's revocation endpoint; their next Drive call asks them to connect again.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool } from '../context.js';
import { DELETE } from './common.js';

export const disconnectGoogleAccount = defineTool({
  name: 'disconnect_google_account',
  title: 'Disconnect my Google account',
  description:
    'Forget the Google account you connected to this hosted server and revoke its access at Google; your next Drive call asks you to connect again.',
  input: z.object({}),
  output: z.object({
    disconnected: z.boolean().describe('False when no Google account of yours was connected'),
  }),
  requires: ['hostedAccounts'],
  annotations: DELETE,
  async run(_args, ctx) {
    const disconnected = await ctx.sessions.disconnect(ctx);
    if (disconnected === undefined)
      throw new ToolError(
        'This server acts with the operator’s Google identity; there is no account of yours to disconnect.',
      );
    return structured(
      { disconnected },
      disconnected
        ? 'Your Google account is disconnected from this server and its access revoked at Google.'
        : 'No Google account of yours was connected to this server.',
    );
  },
});
