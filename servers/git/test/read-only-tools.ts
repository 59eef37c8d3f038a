/**
 * @module
 * The tools that change nothing, written out once: the registry must mark exactly these
 * read-only, and `--read-only` must leave exactly these.
 */
export const READ_ONLY_TOOLS: readonly string[] = [
  'git_blame',
  'git_branch',
  'git_diff',
  'git_diff_staged',
  'git_diff_unstaged',
  'git_log',
  'git_reflog',
  'git_show',
  'git_status',
  'git_verify_tag',
  'git_worktree',
];
