/**
 * @module
 * Teams: the ones a user belongs to across the organisations the token can see, and a team's
 * members. Team names and descriptions are written by organisation members and sanitised.
 */
import { structured } from '@plugboard/protocol';
import { z } from 'zod';
import { call, defineTool } from '../context.js';
import { graphql } from '../graphql.js';
import { listingText, listOf, pageFields, pagedShape, pageInput, startAt } from '../paging.js';
import { defined } from '../render.js';
import { sanitizeLine } from '../sanitize.js';
import { checkOwner, checkSegment } from '../validate.js';
import { listPage, READ } from './common.js';

const team = z.object({
  org: z.string(),
  name: z.string(),
  slug: z.string(),
  description: z.string().optional(),
});

type Team = z.infer<typeof team>;

const USER_TEAMS = `query UserTeams($login: String!) {
  user(login: $login) {
    organizations(first: 100) {
      nodes { login teams(first: 100, userLogins: [$login]) { nodes { name slug description } } }
    }
  }
}`;

interface RawTeam {
  name: string;
  slug: string;
  description: string | null;
}

function toTeam(org: string, raw: RawTeam): Team {
  return defined({
    org: sanitizeLine(org, 60),
    name: sanitizeLine(raw.name, 200),
    slug: sanitizeLine(raw.slug, 100),
    description:
      raw.description === null || raw.description === ''
        ? undefined
        : sanitizeLine(raw.description, 300),
  });
}

export const getTeams = defineTool({
  name: 'get_teams',
  title: 'Get teams',
  description:
    'The teams a user (default: you) belongs to, in the organisations the token can see: org, name, slug for get_team_members and reviewers.',
  input: z.object({
    user: z
      .string()
      .optional()
      .describe('Username to get teams for (default: the authenticated user)'),
  }),
  output: z.object({ teams: z.array(team) }),
  toolset: 'context',
  annotations: READ,
  auditTarget: ['user'],
  async run(args, ctx) {
    let teams: Team[];
    if (args.user === undefined) {
      const { data } = await call(ctx, (octokit, req) =>
        octokit.rest.teams.listForAuthenticatedUser({ per_page: 100, ...req }),
      );
      teams = data.map((raw) => toTeam(raw.organization.login, raw));
    } else {
      const data = await graphql<{
        user: { organizations: { nodes: { login: string; teams: { nodes: RawTeam[] } }[] } } | null;
      }>(ctx, USER_TEAMS, { login: checkOwner(args.user, 'user') });
      teams = (data.user?.organizations.nodes ?? []).flatMap((org) =>
        org.teams.nodes.map((raw) => toTeam(org.login, raw)),
      );
    }
    const lines = teams.map(
      (item) =>
        `${item.org}/${item.slug} ${item.name}${item.description === undefined ? '' : ` — ${item.description}`}`,
    );
    return structured({ teams }, lines.length === 0 ? 'No teams.' : lines.join('\n'));
  },
});

const member = z.object({ login: z.string(), type: z.string() });

export const getTeamMembers = defineTool({
  name: 'get_team_members',
  title: 'Get team members',
  description: 'The members of a team of an organisation, by team slug (see get_teams).',
  input: z.object({
    org: z.string().describe('Organization login (owner) that contains the team'),
    team_slug: z.string().describe('Team slug'),
    ...pageInput,
  }),
  output: z.object({ members: listOf(member), ...pagedShape }),
  toolset: 'context',
  annotations: READ,
  auditTarget: ['org', 'team_slug'],
  async run(args, ctx) {
    const org = checkOwner(args.org, 'org');
    const slug = checkSegment(args.team_slug, 'team_slug');
    const paged = await listPage(
      ctx,
      startAt(args),
      (octokit, req) => octokit.rest.teams.listMembersInOrg({ org, team_slug: slug, ...req }),
      (raw) => ({ login: sanitizeLine(raw.login, 60), type: raw.type }),
    );
    return structured(
      { members: paged.items, ...pageFields(paged) },
      listingText(
        paged.items.map((item) => item.login),
        'No members.',
        paged,
        'members',
      ),
    );
  },
});
