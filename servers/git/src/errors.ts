/**
 * @module
 * The one place where git's failures become messages the model can act on: git's own words
 * (they are usually precise), trimmed, with a next step for the failures that have one.
 */
import { ToolError } from '@plugboard/protocol';
import type { GitOutput } from './git-runner.js';

const MAX_MESSAGE = 2000;

interface Hint {
  pattern: RegExp;
  hint: string;
}

const HINTS: readonly Hint[] = [
  {
    pattern:
      /Please tell me who you are|Author identity unknown|empty ident name|unable to auto-detect email/i,
    hint:
      'Git has no identity for commits. The operator can set user.name and user.email in their global ' +
      'Git configuration, or GIT_AUTHOR_NAME, GIT_AUTHOR_EMAIL, GIT_COMMITTER_NAME and ' +
      "GIT_COMMITTER_EMAIL in the server's environment.",
  },
  {
    pattern: /nothing to commit|no changes added to commit|nothing added to commit/i,
    hint: 'Nothing is staged. Stage changes with git_add first (see git_status).',
  },
  {
    pattern: /would be overwritten by|Please commit your changes or stash them/i,
    hint: 'Commit your local changes (git_commit) or set them aside (git_stash push) first.',
  },
  {
    pattern: /transport '([^']+)' not allowed/i,
    hint:
      'That protocol is not allowed. Remotes may use https, ssh and git; local paths and file:// ' +
      'only when the operator starts the server with --allow-local-remotes, and only inside its repositories.',
  },
  {
    pattern:
      /could not read Username|Authentication failed|terminal prompts disabled|Permission denied \(publickey|Could not read from remote repository/i,
    hint:
      'The remote refused access. The server never prompts for credentials: the operator must provide ' +
      'them through an SSH agent/key or a credential helper in their global Git configuration.',
  },
  {
    pattern: /\[rejected\].*\((fetch first|non-fast-forward)\)|Updates were rejected/i,
    hint:
      'The remote has commits this branch does not. Integrate them first (git_pull), then push again. ' +
      'Overwriting the remote needs force=true and a server started with --allow-destructive.',
  },
];

/** Advice for the safe.directory refusal git gives for repositories owned by another user. */
export function dubiousOwnership(dir: string): string {
  return (
    `Git refuses ${dir} because it is owned by another user ("dubious ownership"). Run the server as ` +
    'the owner of the repository (with Docker: --user), or the operator can add it to safe.directory ' +
    'in their global Git configuration.'
  );
}

/** Git's stderr without progress noise and hint lines, trimmed to a readable size. */
export function cleanStderr(stderr: string): string {
  const lines = stderr
    .split(/\r?\n|\r/)
    .map((line) => line.trimEnd())
    .filter((line) => line !== '' && !line.startsWith('hint:') && !/\d+% \(\d+\/\d+\)/.test(line));
  // eslint-disable-next-line no-control-regex -- stripping them is the point
  const text = lines.join('\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}

/** A failed git command as a ToolError: what was attempted, git's words, and the next step. */
export function gitFailure(
  output: Pick<GitOutput, 'stderr' | 'stdout' | 'exitCode'>,
  action: string,
): ToolError {
  const combined = `${output.stderr}\n${output.stdout.toString('utf8').slice(0, 4000)}`;
  if (combined.includes('dubious ownership'))
    return new ToolError(`${action} failed. ${dubiousOwnership('the repository')}`);
  const words =
    cleanStderr(output.stderr) ||
    cleanStderr(output.stdout.toString('utf8')) ||
    `git exited with ${output.exitCode}`;
  const hint = HINTS.find((candidate) => candidate.pattern.test(combined))?.hint;
  return new ToolError(`${action} failed: ${words}${hint === undefined ? '' : `\n${hint}`}`);
}
