/**
 * @module
 * Repository contents as resources, in the URI shapes github/github-mcp-server uses:
 * `repo://{owner}/{repo}/contents{/path*}` (default branch), `.../refs/heads/{branch}/contents…`,
 * `.../refs/tags/{tag}/contents…` and `.../sha/{sha}/contents…`. Files come back as text or a
 * blob, directories as a JSON listing whose entries carry their own URIs. Every read passes the
 * same validation and allowlist as the tools.
 */
import {
  ErrorCode,
  ProtocolError,
  resourceFactory,
  resourceNotFound,
  ToolError,
  type ResourceContents,
  type UriVariables,
} from '@plugboard/protocol';
import { completeBranch, completeOwner, completeRepo } from './completions.js';
import { mimeTypeOf, readContents } from './contents.js';
import type { GithubContext, GithubDeps } from './context.js';
import { checkRef, checkRepoPath } from './validate.js';

const { defineResourceTemplate } = resourceFactory<GithubDeps>();

function encodePath(path: string): string {
  return path === '' ? '' : `/${path.split('/').map(encodeURIComponent).join('/')}`;
}

async function read(
  uri: string,
  variables: UriVariables,
  ctx: GithubContext,
  refKind: 'default' | 'branch' | 'tag' | 'sha',
): Promise<ResourceContents[]> {
  try {
    const ref = await ctx.policy.target(
      ctx,
      variables.get('owner') ?? '',
      variables.get('repo') ?? '',
      'read',
    );
    const path = checkRepoPath(variables.get('path') ?? '', 'path', true);
    const gitRef =
      refKind === 'default'
        ? undefined
        : refKind === 'branch'
          ? `refs/heads/${checkRef(variables.get('branch') ?? '', 'branch')}`
          : refKind === 'tag'
            ? `refs/tags/${checkRef(variables.get('tag') ?? '', 'tag')}`
            : checkRef(variables.get('sha') ?? '', 'sha');
    const contents = await readContents(ctx, ref, path, gitRef);
    const base = uri.replace(/\/contents(?:\/.*)?$/, '/contents');
    switch (contents.kind) {
      case 'dir': {
        const entries = contents.entries.map((item) => ({
          ...item,
          uri: `${base}${encodePath(item.path)}`,
        }));
        return [{ uri, mimeType: 'application/json', text: JSON.stringify(entries) }];
      }
      case 'file':
        return contents.text === undefined
          ? [
              {
                uri,
                mimeType: mimeTypeOf(path, false),
                blob: Buffer.from(contents.bytes).toString('base64'),
              },
            ]
          : [{ uri, mimeType: mimeTypeOf(path, true), text: contents.text }];
      case 'symlink':
        return [{ uri, mimeType: 'text/plain', text: `symbolic link to ${contents.target}` }];
      case 'submodule':
        return [
          { uri, mimeType: 'text/plain', text: `submodule ${contents.url} at ${contents.sha}` },
        ];
    }
  } catch (error) {
    if (error instanceof ToolError) {
      if (error.message.startsWith('Not found')) throw resourceNotFound(uri);
      throw new ProtocolError(ErrorCode.InvalidParams, error.message);
    }
    throw error;
  }
}

const complete = { owner: completeOwner, repo: completeRepo };

export const resourceTemplates = [
  defineResourceTemplate({
    uriTemplate: 'repo://{owner}/{repo}/contents{/path*}',
    name: 'repository-contents',
    title: 'Repository contents (default branch)',
    description: 'A file or directory of a GitHub repository on its default branch.',
    read: (uri, variables, ctx) => read(uri, variables, ctx, 'default'),
    complete,
  }),
  defineResourceTemplate({
    uriTemplate: 'repo://{owner}/{repo}/refs/heads/{branch}/contents{/path*}',
    name: 'repository-contents-branch',
    title: 'Repository contents on a branch',
    description:
      'A file or directory of a GitHub repository on a branch (encode "/" in branch names as %2F).',
    read: (uri, variables, ctx) => read(uri, variables, ctx, 'branch'),
    complete: { ...complete, branch: completeBranch },
  }),
  defineResourceTemplate({
    uriTemplate: 'repo://{owner}/{repo}/refs/tags/{tag}/contents{/path*}',
    name: 'repository-contents-tag',
    title: 'Repository contents at a tag',
    description: 'A file or directory of a GitHub repository at a tag.',
    read: (uri, variables, ctx) => read(uri, variables, ctx, 'tag'),
    complete,
  }),
  defineResourceTemplate({
    uriTemplate: 'repo://{owner}/{repo}/sha/{sha}/contents{/path*}',
    name: 'repository-contents-commit',
    title: 'Repository contents at a commit',
    description: 'A file or directory of a GitHub repository at a commit SHA.',
    read: (uri, variables, ctx) => read(uri, variables, ctx, 'sha'),
    complete,
  }),
];
