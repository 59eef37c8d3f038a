/**
 * @module
 * `get_me`: who the token belongs to, which is what a model needs before it can say "my
 * repositories" or "assigned to me".
 */
import { structured } from '@plugboard/protocol';
import { z } from 'zod';
import { call, defineTool } from '../context.js';
import { defined } from '../render.js';
import { sanitizeLine } from '../sanitize.js';
import { READ } from './common.js';

export const getMe = defineTool({
  name: 'get_me',
  title: 'Get my profile',
  description: 'Your own login and profile; use it to resolve "me" and "my".',
  input: z.object({}),
  output: z.object({
    login: z.string(),
    name: z.string().optional(),
    type: z.string(),
    company: z.string().optional(),
    publicRepos: z.number(),
    url: z.string(),
  }),
  toolset: ['context', 'default'],
  annotations: READ,
  async run(_args, ctx) {
    const { data } = await call(ctx, (octokit, req) => octokit.rest.users.getAuthenticated(req));
    const me = defined({
      login: data.login,
      name: data.name === null ? undefined : sanitizeLine(data.name, 100),
      type: data.type,
      company: data.company === null ? undefined : sanitizeLine(data.company, 100),
      publicRepos: data.public_repos,
      url: data.html_url,
    });
    return structured(
      me,
      `${me.login}${me.name === undefined ? '' : ` (${me.name})`}, ${me.type}, ${me.publicRepos} public repositories, ${me.url}`,
    );
  },
});
