/**
 * @module
 * `disconnect_github_account`: hosted mode with per-user accounts only (the `hostedAccounts`
 * gate withholds it otherwise). The caller's GitHub grant is forgotten on this server and
 * revoked at GitHub; their next GitHub call asks them to connect again.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool } from '../context.js';
import { DELETE } from './common.js';

export const disconnectGithubAccount = defineTool({
  name: 'disconnect_github_account',
  title: 'Disconnect my GitHub account',
  description:
    'Forgets the GitHub account you connected to this hosted server and revokes its grant at GitHub; your next GitHub call asks you to connect again.',
  input: z.object({}),
  output: z.object({ disconnected: z.boolean() }),
  toolset: ['context', 'default'],
  requires: ['hostedAccounts'],
  annotations: DELETE,
  async run(_args, ctx) {
    if (ctx.accounts === undefined)
      throw new ToolError('This server has no per-user GitHub accounts to disconnect.');
    const disconnected = await ctx.accounts.disconnect(ctx);
    return structured(
      { disconnected },
      disconnected
        ? 'Your GitHub account is disconnected from this server and its grant revoked at GitHub.'
        : 'No GitHub account of yours was connected to this server.',
    );
  },
});
