/**
 * @module
 * What a Projects (v2) board is, over GraphQL: an owner's projects, a project's node id (for
 * writes), and the guard on public projects. Shared by the reading and the writing tools.
 */
import { ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import type { GithubContext } from '../context.js';
import { graphql } from '../graphql.js';
import { checkOwner } from '../validate.js';

export const projectOwner = z.string().describe('The project owner (user or organization login)');
export const projectNumber = z.number().int().positive().describe("The project's number");

export interface ProjectRef {
  readonly id: string;
  readonly title: string;
  readonly public: boolean;
}

const PROJECT = `query Project($login: String!, $number: Int!) {
  repositoryOwner(login: $login) {
    ... on ProjectV2Owner { projectV2(number: $number) { id title public } }
  }
}`;

/** The project's node id and visibility; a clear error when the token cannot see it. */
export async function projectOf(
  ctx: GithubContext,
  owner: string,
  number: number,
): Promise<ProjectRef> {
  const login = checkOwner(owner);
  const data = await graphql<{ repositoryOwner: { projectV2?: ProjectRef | null } | null }>(
    ctx,
    PROJECT,
    { login, number },
  );
  const project = data.repositoryOwner?.projectV2;
  if (project === undefined || project === null)
    throw new ToolError(
      `Not found: ${login} has no project ${number}, or the token cannot see it (it needs the Projects permission).`,
    );
  return project;
}

/** A write that puts text on a public project is a public sink for the private-to-public guard. */
export async function guardProject(
  ctx: GithubContext,
  owner: string,
  number: number,
  project: ProjectRef,
): Promise<void> {
  if (project.public)
    await ctx.policy.guardPublicSink(ctx, `the public project ${owner}#${number}`);
}
