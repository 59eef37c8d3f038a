/**
 * @module
 * Tags and releases: list tags, list releases, and one release (by tag, or the latest) with its
 * notes and assets.
 */
import { structured } from '@plugboard/protocol';
import { z } from 'zod';
import { call, defineTool } from '../context.js';
import { pageFields, pagedShape, startAt, listOf, listingText, pageInput } from '../paging.js';
import { body, day, defined, login, shortSha, untrusted } from '../render.js';
import { sanitizeLine } from '../sanitize.js';
import { checkSegment } from '../validate.js';
import { listPage, owner, READ, repo } from './common.js';

const tagItem = z.object({ name: z.string(), sha: z.string() });

export const listTags = defineTool({
  name: 'list_tags',
  title: 'List tags',
  description: 'The git tags of a repository with the commits they point to, newest first.',
  input: z.object({ owner, repo, ...pageInput }),
  output: z.object({ tags: listOf(tagItem), ...pagedShape }),
  toolset: 'releases',
  annotations: READ,
  auditTarget: ['owner', 'repo'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const paged = await listPage(
      ctx,
      startAt(args),
      (octokit, req) => octokit.rest.repos.listTags({ ...target, ...req }),
      (tag) => ({ name: sanitizeLine(tag.name), sha: tag.commit.sha }),
    );
    const lines = paged.items.map((tag) => `${tag.name} ${shortSha(tag.sha)}`);
    return structured(
      { tags: paged.items, ...pageFields(paged) },
      listingText(lines, 'No tags.', paged, 'tags'),
    );
  },
});

const releaseItem = z.object({
  id: z.number(),
  tag: z.string(),
  name: z.string().optional(),
  draft: z.boolean(),
  prerelease: z.boolean(),
  author: z.string().optional(),
  publishedAt: z.string().optional(),
  url: z.string(),
});

interface RawRelease {
  id: number;
  tag_name: string;
  name: string | null;
  draft: boolean;
  prerelease: boolean;
  author: { login: string } | null;
  published_at: string | null;
  html_url: string;
}

function toRelease(raw: RawRelease) {
  return defined({
    id: raw.id,
    tag: sanitizeLine(raw.tag_name),
    name: raw.name === null || raw.name === '' ? undefined : sanitizeLine(raw.name),
    draft: raw.draft,
    prerelease: raw.prerelease,
    author: login(raw.author),
    publishedAt: raw.published_at ?? undefined,
    url: raw.html_url,
  });
}

function releaseLine(release: z.infer<typeof releaseItem>): string {
  const flags = [release.draft ? 'draft' : '', release.prerelease ? 'pre-release' : '']
    .filter(Boolean)
    .join(', ');
  return `${release.tag}${release.name === undefined ? '' : ` "${release.name}"`}${flags === '' ? '' : ` (${flags})`} ${day(release.publishedAt)}`;
}

export const listReleases = defineTool({
  name: 'list_releases',
  title: 'List releases',
  description:
    "The releases of a repository, newest first. Read one release's notes and assets with get_release.",
  input: z.object({ owner, repo, ...pageInput }),
  output: z.object({ releases: listOf(releaseItem), ...pagedShape }),
  toolset: 'releases',
  annotations: READ,
  auditTarget: ['owner', 'repo'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const paged = await listPage(
      ctx,
      startAt(args),
      (octokit, req) => octokit.rest.repos.listReleases({ ...target, ...req }),
      toRelease,
    );
    return structured(
      { releases: paged.items, ...pageFields(paged) },
      listingText(paged.items.map(releaseLine), 'No releases.', paged, 'releases'),
    );
  },
});

const asset = z.object({
  name: z.string(),
  size: z.number(),
  downloads: z.number(),
  url: z.string(),
});

export const getRelease = defineTool({
  name: 'get_release',
  title: 'Get release',
  description:
    'One release with its notes and assets: by tag, or the latest published release when no tag is given.',
  input: z.object({
    owner,
    repo,
    tag: z.string().optional().describe('Release tag, e.g. "v1.2.0" (default: latest release)'),
  }),
  output: releaseItem.extend({ body: z.string(), assets: listOf(asset) }),
  toolset: 'releases',
  annotations: READ,
  auditTarget: ['owner', 'repo', 'tag'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const tag = args.tag === undefined ? undefined : checkSegment(args.tag, 'tag');
    const { data } = await call(ctx, (octokit, req) =>
      tag === undefined
        ? octokit.rest.repos.getLatestRelease({ ...target, ...req })
        : octokit.rest.repos.getReleaseByTag({ ...target, tag, ...req }),
    );
    const release = {
      ...toRelease(data),
      body: body(data.body, { trusted: true }),
      assets: data.assets.map((item) => ({
        name: sanitizeLine(item.name),
        size: item.size,
        downloads: item.download_count,
        url: item.browser_download_url,
      })),
    };
    const assets = release.assets.map(
      (item) => `  ${item.name} (${item.size} B, ${item.downloads} downloads)`,
    );
    return structured(
      release,
      `${releaseLine(release)} ${release.url}\n${untrusted('release notes', release.body, release.author)}${assets.length === 0 ? '' : `\nAssets:\n${assets.join('\n')}`}`,
    );
  },
});
