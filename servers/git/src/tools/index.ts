/**
 * @module
 * The git server's one tool registry: the twelve official tools first, in the official order,
 * then the additions.
 */
import {
  gitBranch,
  gitCheckout,
  gitCreateBranch,
  gitDeleteBranch,
  gitRenameBranch,
} from './branches.js';
import { gitDiff, gitDiffStaged, gitDiffUnstaged } from './diff.js';
import { gitBlame, gitLog, gitShow } from './history.js';
import { gitCherryPick, gitMerge, gitRebase } from './integrate.js';
import { gitClone, gitFetch, gitPull, gitPush, gitRemote } from './remotes.js';
import { gitAdd, gitCommit, gitReset } from './staging.js';
import { gitReflog } from './reflog.js';
import { gitStash } from './stash.js';
import { gitStatus } from './status.js';
import { gitTag, gitVerifyTag } from './tags.js';
import { gitAddWorktree, gitRemoveWorktree, gitWorktree } from './worktree.js';

export const tools = [
  gitStatus,
  gitDiffUnstaged,
  gitDiffStaged,
  gitDiff,
  gitCommit,
  gitAdd,
  gitReset,
  gitLog,
  gitCreateBranch,
  gitCheckout,
  gitShow,
  gitBranch,
  gitBlame,
  gitStash,
  gitTag,
  gitMerge,
  gitRebase,
  gitCherryPick,
  gitRemote,
  gitFetch,
  gitPull,
  gitPush,
  gitClone,
  gitWorktree,
  gitAddWorktree,
  gitRemoveWorktree,
  gitDeleteBranch,
  gitRenameBranch,
  gitReflog,
  gitVerifyTag,
];
