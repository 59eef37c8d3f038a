/**
 * @module
 * Changing a pull request after it was opened: its title, description, state, base branch, draft
 * state and maintainer edits, and who is asked to review it. Argument names are
 * github-mcp-server's (`pullNumber`, `reviewers` with `ORG/team-slug` for teams).
 */
import type { Octokit } from '@octokit/rest';
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { call, defineTool, type GithubContext, type RequestOptions } from '../context.js';
import { graphql } from '../graphql.js';
import type { RepoRef } from '../policy.js';
import { defined, login } from '../render.js';
import { sanitizeLine } from '../sanitize.js';
import { checkOwner, checkRef } from '../validate.js';
import { owner, pullNumber, repo, UPDATE } from './common.js';

const reviewers = z
  .array(z.string().min(1).max(100))
  .max(50)
  .describe('GitHub usernames or ORG/team-slug team reviewers to request reviews from');

const TEAM_SLUG = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

/** `["mona", "acme/docs"]` becomes users `["mona"]` and team slugs `["docs"]`. */
export function splitReviewers(names: readonly string[]): { users: string[]; teams: string[] } {
  const users: string[] = [];
  const teams: string[] = [];
  for (const name of names) {
    const slash = name.indexOf('/');
    if (slash === -1) users.push(checkOwner(name, 'reviewers'));
    else {
      checkOwner(name.slice(0, slash), 'reviewers');
      const slug = name.slice(slash + 1);
      if (!TEAM_SLUG.test(slug))
        throw new ToolError(
          `reviewers: "${sanitizeLine(name, 100)}" is not ORG/team-slug (a slug has letters, digits, "-" and "_").`,
        );
      teams.push(slug);
    }
  }
  return { users, teams };
}

const requested = {
  requestedReviewers: z.array(z.string()).describe('Users asked to review'),
  requestedTeams: z.array(z.string()).describe('Teams asked to review (slugs)'),
};

interface RawRequested {
  requested_reviewers?: ({ login: string } | null)[] | null;
  requested_teams?: ({ slug: string } | null)[] | null;
}

function requestedOf(data: RawRequested) {
  return {
    requestedReviewers: (data.requested_reviewers ?? [])
      .map((user) => login(user))
      .filter((name): name is string => name !== undefined),
    requestedTeams: (data.requested_teams ?? [])
      .filter((team): team is { slug: string } => team !== null)
      .map((team) => sanitizeLine(team.slug, 100)),
  };
}

async function requestReviewers(
  ctx: GithubContext,
  target: RepoRef,
  number: number,
  names: readonly string[],
) {
  const { users, teams } = splitReviewers(names);
  const { data } = await call(ctx, (octokit: Octokit, req: RequestOptions) =>
    octokit.rest.pulls.requestReviewers({
      ...target,
      pull_number: number,
      reviewers: users,
      team_reviewers: teams,
      ...req,
    }),
  );
  return data;
}

const DRAFT_MUTATIONS = {
  draft: `mutation ConvertPullRequestToDraft($id: ID!) {
    convertPullRequestToDraft(input: {pullRequestId: $id}) { pullRequest { isDraft } }
  }`,
  ready: `mutation MarkPullRequestReadyForReview($id: ID!) {
    markPullRequestReadyForReview(input: {pullRequestId: $id}) { pullRequest { isDraft } }
  }`,
};

export const updatePullRequest = defineTool({
  name: 'update_pull_request',
  title: 'Update pull request',
  description:
    'Change a pull request: title, description, open/closed, base branch, draft or ready for review, maintainer edits; optionally request reviewers.',
  input: z.object({
    owner,
    repo,
    pullNumber,
    title: z.string().min(1).optional().describe('New title'),
    body: z.string().optional().describe('New description'),
    state: z.enum(['open', 'closed']).optional().describe('New state'),
    base: z.string().optional().describe('New base branch name'),
    draft: z
      .boolean()
      .optional()
      .describe('Mark pull request as draft (true) or ready for review (false)'),
    maintainer_can_modify: z.boolean().optional().describe('Allow maintainer edits'),
    reviewers: reviewers.optional(),
  }),
  output: z.object({
    number: z.number(),
    state: z.string(),
    draft: z.boolean(),
    url: z.string(),
    ...requested,
  }),
  toolset: 'pull_requests',
  annotations: UPDATE,
  auditTarget: ['owner', 'repo', 'base', 'pullNumber'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'write');
    const fields = defined({
      title: args.title,
      body: args.body,
      state: args.state,
      base: args.base === undefined ? undefined : checkRef(args.base, 'base'),
      maintainer_can_modify: args.maintainer_can_modify,
    });
    const reviewerNames = args.reviewers ?? [];
    if (Object.keys(fields).length === 0 && args.draft === undefined && reviewerNames.length === 0)
      throw new ToolError(
        'Nothing to update: give at least one of title, body, state, base, draft, maintainer_can_modify or reviewers.',
      );
    if (reviewerNames.length > 0) splitReviewers(reviewerNames);
    const pull_number = args.pullNumber;
    const { data } = await call(ctx, (octokit, req) =>
      Object.keys(fields).length > 0
        ? octokit.rest.pulls.update({ ...target, pull_number, ...fields, ...req })
        : octokit.rest.pulls.get({ ...target, pull_number, ...req }),
    );
    let draft = data.draft === true;
    if (args.draft !== undefined && args.draft !== draft) {
      const result = await graphql<Record<string, { pullRequest: { isDraft: boolean } }>>(
        ctx,
        args.draft ? DRAFT_MUTATIONS.draft : DRAFT_MUTATIONS.ready,
        { id: data.node_id },
      );
      draft = Object.values(result)[0]?.pullRequest.isDraft ?? args.draft;
    }
    const asked =
      reviewerNames.length > 0
        ? requestedOf(await requestReviewers(ctx, target, pull_number, reviewerNames))
        : requestedOf(data);
    const result = {
      number: data.number,
      state: data.state,
      draft,
      url: data.html_url,
      ...asked,
    };
    return structured(
      result,
      `Updated pull request #${result.number} (${draft ? 'draft, ' : ''}${result.state}): ${result.url}`,
    );
  },
});

export const requestPullRequestReviewers = defineTool({
  name: 'request_pull_request_reviewers',
  title: 'Request pull request reviewers',
  description:
    'Ask users and teams (ORG/team-slug) to review a pull request; returns everyone now asked.',
  input: z.object({ owner, repo, pullNumber, reviewers: reviewers.min(1) }),
  output: z.object({ number: z.number(), url: z.string(), ...requested }),
  toolset: 'pull_requests',
  annotations: { ...UPDATE, destructiveHint: false, idempotentHint: true },
  auditTarget: ['owner', 'repo', 'pullNumber'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'write');
    const data = await requestReviewers(ctx, target, args.pullNumber, args.reviewers);
    const asked = requestedOf(data);
    const names = [
      ...asked.requestedReviewers,
      ...asked.requestedTeams.map((team) => `team ${team}`),
    ];
    return structured(
      { number: data.number, url: data.html_url, ...asked },
      `Review requested on #${data.number} from ${names.length === 0 ? 'nobody' : names.join(', ')}: ${data.html_url}`,
    );
  },
});
