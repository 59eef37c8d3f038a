/**
 * @module
 * Deleting one file in a commit, under the same guards as every other commit: the allowlist and
 * the private-to-public guard, no workflow files and no default branch unless the operator
 * allowed them, and hidden by --read-only.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { call, defineTool } from '../context.js';
import { shortSha } from '../render.js';
import { owner, repo, UPDATE } from './common.js';
import { oneFileCommit } from './write-guards.js';

export const deleteFile = defineTool({
  name: 'delete_file',
  title: 'Delete file',
  description:
    'Delete one file from a branch in a commit. Default-branch and workflow-file deletes need operator permission.',
  input: z.object({
    owner,
    repo,
    path: z.string().describe('Path to the file to delete'),
    message: z.string().min(1).describe('Commit message'),
    branch: z.string().describe('Branch to delete the file from'),
  }),
  output: z.object({ path: z.string(), commitSha: z.string(), commitUrl: z.string() }),
  toolset: 'repos',
  annotations: { ...UPDATE, idempotentHint: true },
  auditTarget: ['owner', 'repo', 'path', 'branch'],
  async run(args, ctx) {
    const { target, path, branch } = await oneFileCommit(ctx, args);
    const { data: existing } = await call(ctx, (octokit, req) =>
      octokit.rest.repos.getContent({ ...target, path, ref: branch, ...req }),
    );
    if (Array.isArray(existing) || (existing.type !== 'file' && existing.type !== 'symlink'))
      throw new ToolError(
        `${path} is a ${Array.isArray(existing) ? 'directory' : existing.type}, not a file; delete_file removes one file.`,
      );
    const { data } = await call(ctx, (octokit, req) =>
      octokit.rest.repos.deleteFile({
        ...target,
        path,
        message: args.message,
        sha: existing.sha,
        branch,
        ...req,
      }),
    );
    const result = {
      path,
      commitSha: data.commit.sha ?? '',
      commitUrl: data.commit.html_url ?? '',
    };
    return structured(
      result,
      `Deleted ${path} on ${branch} in commit ${shortSha(result.commitSha)}: ${result.commitUrl}`,
    );
  },
});
