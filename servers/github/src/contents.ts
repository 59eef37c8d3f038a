/**
 * @module
 * Reading a path of a repository at a ref, shared by `get_file_contents` and the `repo://`
 * resources. The size comes from metadata before any content is fetched: files up to 1 MB arrive
 * inline, larger ones (up to {@link MAX_FILE_BYTES}) through the blob API, anything bigger is
 * refused with its size. Binary content is detected, never decoded as text.
 */
import { ToolError } from '@plugboard/protocol';
import { call, type GithubContext } from './context.js';
import type { RepoRef } from './policy.js';

export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export interface DirEntry {
  name: string;
  path: string;
  type: string;
  size: number;
}

export type Contents =
  | { kind: 'dir'; path: string; entries: DirEntry[] }
  | {
      kind: 'file';
      path: string;
      sha: string;
      size: number;
      text: string | undefined;
      bytes: Uint8Array;
    }
  | { kind: 'symlink'; path: string; sha: string; target: string }
  | { kind: 'submodule'; path: string; sha: string; url: string };

interface RawEntry {
  type?: unknown;
  name?: unknown;
  path?: unknown;
  size?: unknown;
  sha?: unknown;
  content?: unknown;
  encoding?: unknown;
  target?: unknown;
  submodule_git_url?: unknown;
  entries?: unknown;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const num = (value: unknown): number => (typeof value === 'number' ? value : 0);

function entry(raw: RawEntry): DirEntry {
  return { name: str(raw.name), path: str(raw.path), type: str(raw.type), size: num(raw.size) };
}

/** Text when the bytes are valid UTF-8 without NUL bytes; undefined for binary content. */
export function decodeText(bytes: Uint8Array): string | undefined {
  if (bytes.subarray(0, 8192).includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function tooLarge(path: string, size: number): ToolError {
  return new ToolError(
    `${path} is ${(size / 1024 / 1024).toFixed(1)} MB, more than the ${MAX_FILE_BYTES / 1024 / 1024} MB this server reads. ` +
      'Clone the repository to work with it, or read a smaller file.',
  );
}

/** The directory listing or file at `path` ("" is the root) on `gitRef` (default branch when undefined). */
export async function readContents(
  ctx: GithubContext,
  repo: RepoRef,
  path: string,
  gitRef: string | undefined,
): Promise<Contents> {
  const { data } = await call(ctx, (octokit, req) =>
    octokit.rest.repos.getContent({
      owner: repo.owner,
      repo: repo.repo,
      path,
      ...(gitRef === undefined ? {} : { ref: gitRef }),
      // The object media type answers directories with { entries } and large files with metadata only.
      headers: { accept: 'application/vnd.github.object+json' },
      ...req,
    }),
  );
  const raw = data as unknown as RawEntry | RawEntry[];
  if (Array.isArray(raw)) return { kind: 'dir', path, entries: raw.map(entry) };
  const type = str(raw.type);
  if (type === 'dir')
    return {
      kind: 'dir',
      path,
      entries: Array.isArray(raw.entries) ? (raw.entries as RawEntry[]).map(entry) : [],
    };
  if (type === 'symlink')
    return { kind: 'symlink', path, sha: str(raw.sha), target: str(raw.target) };
  if (type === 'submodule')
    return { kind: 'submodule', path, sha: str(raw.sha), url: str(raw.submodule_git_url) };
  const size = num(raw.size);
  if (size > MAX_FILE_BYTES) throw tooLarge(path, size);
  const sha = str(raw.sha);
  let base64 = str(raw.content);
  if (size > 0 && (raw.encoding !== 'base64' || base64 === '')) {
    const blob = await call(ctx, (octokit, req) =>
      octokit.rest.git.getBlob({ owner: repo.owner, repo: repo.repo, file_sha: sha, ...req }),
    );
    if ((blob.data.size ?? 0) > MAX_FILE_BYTES) throw tooLarge(path, blob.data.size ?? 0);
    base64 = blob.data.content;
  }
  const bytes = new Uint8Array(Buffer.from(base64, 'base64'));
  return { kind: 'file', path, sha, size: size || bytes.length, text: decodeText(bytes), bytes };
}

const MIME_TYPES: Readonly<Record<string, string>> = {
  md: 'text/markdown',
  markdown: 'text/markdown',
  json: 'application/json',
  yml: 'application/yaml',
  yaml: 'application/yaml',
  html: 'text/html',
  css: 'text/css',
  csv: 'text/csv',
  xml: 'application/xml',
  js: 'text/javascript',
  mjs: 'text/javascript',
  ts: 'text/x-typescript',
  py: 'text/x-python',
  go: 'text/x-go',
  rs: 'text/x-rust',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
};

/** A best guess from the extension; text and binary fallbacks otherwise. */
export function mimeTypeOf(path: string, isText: boolean): string {
  const extension = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase();
  return (
    (extension === undefined ? undefined : MIME_TYPES[extension]) ??
    (isText ? 'text/plain' : 'application/octet-stream')
  );
}
