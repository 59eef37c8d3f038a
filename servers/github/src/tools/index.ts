/**
 * @module
 * The GitHub server's one tool registry: every tool of every toolset, the official server's 26
 * first in its order. Which of them a running server exposes is decided at start-up from the
 * toolsets each tool declares and the operator's flags.
 */
import {
  getJobLogs,
  getWorkflowRun,
  listWorkflowRuns,
  listWorkflows,
  rerunWorkflowRun,
} from './actions.js';
import { cancelWorkflowRun, runWorkflow } from './actions-control.js';
import { listWorkflowJobs, listWorkflowRunArtifacts } from './actions-runs.js';
import {
  getDiscussion,
  getDiscussionComments,
  listDiscussionCategories,
  listDiscussions,
} from './discussions.js';
import { getFileBlame } from './blame.js';
import { listRepositoryCollaborators } from './collaborators.js';
import { searchCommits } from './commit-search.js';
import { deleteFile } from './delete-file.js';
import { createOrUpdateFile, getFileContents, pushFiles } from './files.js';
import { createGist, getGist, listGists } from './gists.js';
import { issueDependencyRead, issueDependencyWrite } from './issue-dependencies.js';
import { listIssueTypes } from './issue-types.js';
import {
  addIssueComment,
  createIssue,
  getIssue,
  getIssueComments,
  listIssues,
  updateIssue,
} from './issues.js';
import { createLabel, getLabel, listLabels } from './labels.js';
import { listNotifications, markNotificationRead } from './notifications.js';
import { addCommentToPendingReview, pullRequestReviewWrite } from './pending-reviews.js';
import { getPullRequestDiff, getPullRequestFiles, getPullRequestStatus } from './pull-changes.js';
import {
  createPullRequestReview,
  getPullRequestComments,
  getPullRequestReviews,
} from './pull-reviews.js';
import { requestPullRequestReviewers, updatePullRequest } from './pull-edits.js';
import {
  addReplyToPullRequestComment,
  getPullRequestCommits,
  getPullRequestReviewThreads,
} from './pull-threads.js';
import {
  createPullRequest,
  getPullRequest,
  listPullRequests,
  mergePullRequest,
  updatePullRequestBranch,
} from './pulls.js';
import { addProjectItem, deleteProjectItem, updateProjectItemField } from './project-items.js';
import { listProjectFields, listProjectItems, listProjects } from './projects.js';
import { addIssueCommentReaction, addIssueReaction } from './reactions.js';
import { getRelease, listReleases, listTags } from './releases.js';
import {
  createBranch,
  createRepository,
  forkRepository,
  getCommit,
  getRepositoryTree,
  listBranches,
  listCommits,
} from './repos.js';
import { searchCode, searchIssues, searchRepositories, searchUsers } from './search.js';
import {
  getCodeScanningAlert,
  getDependabotAlert,
  getSecretScanningAlert,
  listCodeScanningAlerts,
  listDependabotAlerts,
  listSecretScanningAlerts,
} from './security.js';
import { addSubIssue, listSubIssues, removeSubIssue } from './sub-issues.js';
import { getTag } from './tags.js';
import { getTeamMembers, getTeams } from './teams.js';
import { getMe } from './users.js';
import { disconnectGithubAccount } from './accounts.js';

export const tools = [
  createOrUpdateFile,
  searchRepositories,
  createRepository,
  getFileContents,
  pushFiles,
  createIssue,
  createPullRequest,
  forkRepository,
  createBranch,
  listCommits,
  listIssues,
  updateIssue,
  addIssueComment,
  searchCode,
  searchIssues,
  searchUsers,
  getIssue,
  getPullRequest,
  listPullRequests,
  createPullRequestReview,
  mergePullRequest,
  getPullRequestFiles,
  getPullRequestStatus,
  updatePullRequestBranch,
  getPullRequestComments,
  getPullRequestReviews,
  getMe,
  disconnectGithubAccount,
  getRepositoryTree,
  listBranches,
  getCommit,
  listTags,
  listReleases,
  getRelease,
  getIssueComments,
  listSubIssues,
  addSubIssue,
  removeSubIssue,
  listLabels,
  getLabel,
  createLabel,
  getPullRequestDiff,
  listWorkflows,
  listWorkflowRuns,
  getWorkflowRun,
  getJobLogs,
  rerunWorkflowRun,
  listNotifications,
  markNotificationRead,
  listGists,
  getGist,
  createGist,
  listCodeScanningAlerts,
  getCodeScanningAlert,
  listDependabotAlerts,
  getDependabotAlert,
  listSecretScanningAlerts,
  getSecretScanningAlert,
  listDiscussions,
  getDiscussion,
  getDiscussionComments,
  listDiscussionCategories,
  updatePullRequest,
  requestPullRequestReviewers,
  pullRequestReviewWrite,
  addCommentToPendingReview,
  addReplyToPullRequestComment,
  getPullRequestReviewThreads,
  getPullRequestCommits,
  runWorkflow,
  cancelWorkflowRun,
  listWorkflowJobs,
  listWorkflowRunArtifacts,
  deleteFile,
  searchCommits,
  listRepositoryCollaborators,
  getTag,
  getTeams,
  getTeamMembers,
  listIssueTypes,
  issueDependencyRead,
  issueDependencyWrite,
  addIssueReaction,
  addIssueCommentReaction,
  getFileBlame,
  listProjects,
  listProjectFields,
  listProjectItems,
  addProjectItem,
  updateProjectItemField,
  deleteProjectItem,
];
