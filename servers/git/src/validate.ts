/**
 * @module
 * Turning the model's strings into values git cannot misread. Revisions are resolved to full
 * object ids with `rev-parse --verify --end-of-options` and only the ids reach other commands;
 * names (branches, tags, remotes) follow git's ref-name rules and never start with `-`; paths are
 * canonicalised, confined to the work tree and passed after `--` with literal pathspecs.
 */
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { isWithin } from '@plugboard/kit/roots';
import { ToolError } from '@plugboard/protocol';
import { canonical } from './boundary.js';
import type { Repository } from './repository.js';

// Control characters other than tab and newline have no business in a Git argument.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/** Refuses a value git could take for an option, whatever position it ends up in. */
export function rejectOption(value: string, field: string): string {
  if (value.startsWith('-')) {
    throw new ToolError(
      `${field} must not start with "-" (got ${JSON.stringify(value)}): values are never passed as Git options.`,
    );
  }
  if (value.includes('\0') || value.includes('\n') || CONTROL.test(value)) {
    throw new ToolError(`${field} contains control characters.`);
  }
  return value;
}

/** Git's check-ref-format rules for one full name such as `feature/x`. */
export function isValidRefName(name: string): boolean {
  if (name === '' || name === '@' || name.length > 255) return false;
  if (name.startsWith('-') || name.startsWith('/') || name.endsWith('/') || name.endsWith('.'))
    return false;
  if (name.includes('..') || name.includes('//') || name.includes('@{')) return false;
  // eslint-disable-next-line no-control-regex -- git refuses control characters in ref names
  if (/[\u0000-\u0020\u007f~^:?*[\\]/.test(name)) return false;
  return name
    .split('/')
    .every((part) => part !== '' && !part.startsWith('.') && !part.endsWith('.lock'));
}

/** A branch, tag or remote name the model gave, checked against git's rules. */
export function checkRefName(name: string, field: string): string {
  rejectOption(name, field);
  if (!isValidRefName(name) || name === 'HEAD') {
    throw new ToolError(
      `${field} ${JSON.stringify(name)} is not a valid Git name (no spaces, "..", "~^:?*[\\", ` +
        'leading "-" or ".", trailing "/" ".lock" or ".").',
    );
  }
  return name;
}

/** Text such as a commit message: any printable text and newlines, no NUL. */
export function checkMessage(message: string, field: string): string {
  if (message.includes('\0')) throw new ToolError(`${field} contains a NUL character.`);
  if (message.trim() === '') throw new ToolError(`${field} is empty.`);
  return message;
}

const OBJECT_ID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * The full object id `revision` names, peeled to `peel` (`commit`, or `object` for any type).
 * The id is all that reaches later commands, so even a ref that git itself created with a
 * leading dash cannot turn into an option.
 */
export async function resolveRevision(
  repo: Repository,
  revision: string,
  field: string,
  peel: 'commit' | 'object' = 'commit',
): Promise<string> {
  rejectOption(revision, field);
  if (revision.trim() === '') throw new ToolError(`${field} is empty.`);
  // For any object the revision stays as written: `HEAD:path^{object}` would be a path. A full
  // id then passes --verify without existing, which objectType reports.
  const spec = peel === 'commit' ? `${revision}^{commit}` : revision;
  const result = await repo.run(['rev-parse', '--verify', '--quiet', '--end-of-options', spec]);
  const oid = result.stdout.toString('utf8').trim();
  if (result.exitCode !== 0 || !OBJECT_ID.test(oid)) {
    throw new ToolError(
      `${field} ${JSON.stringify(revision)} does not name a ${peel === 'commit' ? 'commit' : 'Git object'} in this repository ` +
        '(see git_log, git_branch or git_tag).',
    );
  }
  return oid;
}

/** The type of an object id: commit, tree, blob or tag; a ToolError naming it when it is missing. */
export async function objectType(repo: Repository, oid: string): Promise<string> {
  const result = await repo.run(['cat-file', '-t', oid]);
  const type = result.stdout.toString('utf8').trim();
  if (result.exitCode !== 0 || type === '') {
    throw new ToolError(
      `Object ${oid} is missing from this repository (a shallow or partial clone, or a pruned object).`,
    );
  }
  return type;
}

function requireWorktree(repo: Repository): string {
  if (repo.worktree === undefined)
    throw new ToolError('This is a bare repository: it has no work tree for this operation.');
  return repo.worktree;
}

/** The canonical path of `absolute`, resolving the deepest existing ancestor (the rest cannot be links). */
async function canonicalAllowingMissing(absolute: string): Promise<string | undefined> {
  const rest: string[] = [];
  let current = absolute;
  for (;;) {
    const real = await canonical(current);
    if (real !== undefined) return rest.length === 0 ? real : join(real, ...rest.reverse());
    const parent = dirname(current);
    if (parent === current) return undefined;
    rest.push(basename(current));
    current = parent;
  }
}

/**
 * A path inside the work tree, relative to it with `/` separators (`.` for the whole tree).
 * The parent directories are resolved through symlinks; the last component is kept as written,
 * so a symlink is staged as a link (its target text), never followed out of the tree. Paths that
 * do not exist (deleted files) are allowed as long as where they would be is inside.
 */
export async function worktreePath(
  repo: Repository,
  input: string,
  field: string,
): Promise<string> {
  const worktree = requireWorktree(repo);
  if (input === '' || input.includes('\0'))
    throw new ToolError(`${field} must be a non-empty path.`);
  const absolute = resolve(worktree, input);
  if (absolute === worktree) return '.';
  const parent = await canonicalAllowingMissing(dirname(absolute));
  const real = parent === undefined ? undefined : join(parent, basename(absolute));
  if (real === undefined || !isWithin(real, worktree) || real === worktree) {
    throw new ToolError(
      `${field} ${JSON.stringify(input)} is outside the repository's work tree (${worktree}).`,
    );
  }
  const rel = relative(worktree, real).split(sep).join('/');
  if (rel === '.git' || rel.startsWith('.git/')) {
    throw new ToolError(`${field} ${JSON.stringify(input)} is inside the .git directory.`);
  }
  return rel;
}

/** Several work-tree paths, checked one by one. */
export async function worktreePaths(
  repo: Repository,
  inputs: readonly string[],
  field: string,
): Promise<string[]> {
  const paths: string[] = [];
  for (const [index, input] of inputs.entries())
    paths.push(await worktreePath(repo, input, `${field}[${index}]`));
  return paths;
}
