/**
 * @module
 * What each tool calls on GitHub, for its row of the README's permission column: REST routes as
 * Octokit writes them, checked against GitHub's published permission data by
 * `test/permissions.ts`, and, for what that data does not cover (GraphQL, endpoints newer than
 * it, search), the permission GitHub's documentation gives. The `GET /repos/{owner}/{repo}`
 * lookup every repository tool makes for the policy needs Metadata: read, which every
 * fine-grained token has, and is left out.
 */

export interface ToolEndpoints {
  /** REST routes GitHub's data lists, e.g. `GET /repos/{owner}/{repo}/issues/{issue_number}`. */
  readonly rest?: readonly string[];
  /** Where GitHub lists a route under several permissions: the key of the one this tool needs. */
  readonly via?: Readonly<Record<string, string>>;
  /** Routes GitHub's data does not list because they need no permission (public data, yourself). */
  readonly public?: readonly string[];
  /**
   * Routes GitHub's data does not list though they need a permission: newer than the data (the
   * permission is in `documented`), or out of fine-grained tokens' reach (`classicScope`).
   */
  readonly unlisted?: readonly string[];
  /** Permissions from GitHub's documentation for what the data does not cover. */
  readonly documented?: readonly string[];
  /** Fine-grained tokens cannot reach the API at all: the classic scope it needs. */
  readonly classicScope?: string;
  /** A condition shown after the permissions. */
  readonly note?: string;
}

const REPO = '/repos/{owner}/{repo}';
const PULL = `${REPO}/pulls/{pull_number}`;
const ISSUE = `${REPO}/issues/{issue_number}`;
const RUN = `${REPO}/actions/runs/{run_id}`;
const WORKFLOW_FILES = 'Workflows: write for workflow files';
const ON_PULL = (access: string) => `Pull requests: ${access} on a pull request`;
const PROJECTS_READ = 'Projects: read (organization or account)';
const PROJECTS_WRITE = 'Projects: write (organization or account)';
const GET_PULL = `GET ${PULL}`;
const VIA_PULL = { [GET_PULL]: 'pull_requests' };

export const TOOL_ENDPOINTS: Readonly<Record<string, ToolEndpoints>> = {
  get_me: { public: ['GET /user'] },
  disconnect_github_account: { public: [] },
  get_teams: { unlisted: ['GET /user/teams'], documented: ['Members: read (organization)'] },
  get_team_members: {
    unlisted: ['GET /orgs/{org}/teams/{team_slug}/members'],
    documented: ['Members: read (organization)'],
  },

  search_repositories: { public: ['GET /search/repositories'], documented: ['Metadata: read'] },
  create_repository: { rest: ['POST /user/repos'], public: ['GET /user'] },
  get_file_contents: {
    rest: [`GET ${REPO}/contents/{path}`, `GET ${REPO}/git/blobs/{file_sha}`],
  },
  create_or_update_file: {
    rest: [`GET ${REPO}/contents/{path}`, `PUT ${REPO}/contents/{path}`],
    note: WORKFLOW_FILES,
  },
  push_files: {
    rest: [
      `GET ${REPO}/git/ref/{ref}`,
      `GET ${REPO}/git/commits/{commit_sha}`,
      `POST ${REPO}/git/trees`,
      `POST ${REPO}/git/commits`,
      `PATCH ${REPO}/git/refs/{ref}`,
    ],
    via: { [`PATCH ${REPO}/git/refs/{ref}`]: 'contents' },
    note: WORKFLOW_FILES,
  },
  fork_repository: { rest: [`POST ${REPO}/forks`], public: ['GET /user'] },
  create_branch: {
    rest: [`GET ${REPO}/git/ref/{ref}`, `POST ${REPO}/git/refs`],
    via: { [`POST ${REPO}/git/refs`]: 'contents' },
  },
  list_commits: { rest: [`GET ${REPO}/commits`] },
  search_code: { public: ['GET /search/code'], documented: ['Contents: read'] },
  get_repository_tree: { rest: [`GET ${REPO}/git/trees/{tree_sha}`] },
  list_branches: { rest: [`GET ${REPO}/branches`] },
  get_commit: { rest: [`GET ${REPO}/commits/{ref}`] },
  delete_file: {
    rest: [`GET ${REPO}/contents/{path}`, `DELETE ${REPO}/contents/{path}`],
    note: WORKFLOW_FILES,
  },
  search_commits: { public: ['GET /search/commits'], documented: ['Contents: read'] },
  list_repository_collaborators: { rest: [`GET ${REPO}/collaborators`] },
  get_file_blame: { documented: ['Contents: read'] },

  list_tags: { rest: [`GET ${REPO}/tags`] },
  get_tag: { rest: [`GET ${REPO}/git/ref/{ref}`, `GET ${REPO}/git/tags/{tag_sha}`] },
  list_releases: { rest: [`GET ${REPO}/releases`] },
  get_release: { rest: [`GET ${REPO}/releases/latest`, `GET ${REPO}/releases/tags/{tag}`] },

  create_issue: { rest: [`POST ${REPO}/issues`] },
  list_issues: { rest: [`GET ${REPO}/issues`] },
  update_issue: { rest: [`PATCH ${ISSUE}`], via: { [`PATCH ${ISSUE}`]: 'issues' } },
  add_issue_comment: {
    rest: [`POST ${ISSUE}/comments`],
    via: { [`POST ${ISSUE}/comments`]: 'issues' },
    note: ON_PULL('write'),
  },
  search_issues: {
    public: ['GET /search/issues'],
    documented: ['Issues: read', 'Pull requests: read'],
  },
  get_issue: { rest: [`GET ${ISSUE}`] },
  get_issue_comments: {
    rest: [`GET ${ISSUE}/comments`],
    via: { [`GET ${ISSUE}/comments`]: 'issues' },
    note: ON_PULL('read'),
  },
  list_issue_types: {
    unlisted: ['GET /orgs/{org}/issue-types'],
    documented: ['Issue types: read (organization)'],
  },
  issue_dependency_read: {
    rest: [`GET ${ISSUE}`],
    unlisted: [`GET ${ISSUE}/dependencies/{side}`],
    documented: ['Issues: read'],
  },
  issue_dependency_write: {
    rest: [`GET ${ISSUE}`],
    unlisted: [
      `POST ${ISSUE}/dependencies/blocked_by`,
      `DELETE ${ISSUE}/dependencies/blocked_by/{issue_id}`,
    ],
    documented: ['Issues: write'],
  },
  add_issue_reaction: { rest: [`POST ${ISSUE}/reactions`] },
  add_issue_comment_reaction: { rest: [`POST ${REPO}/issues/comments/{comment_id}/reactions`] },

  list_sub_issues: { unlisted: [`GET ${ISSUE}/sub_issues`], documented: ['Issues: read'] },
  add_sub_issue: {
    rest: [`GET ${ISSUE}`],
    unlisted: [`POST ${ISSUE}/sub_issues`],
    documented: ['Issues: write'],
  },
  remove_sub_issue: {
    rest: [`GET ${ISSUE}`],
    unlisted: [`DELETE ${ISSUE}/sub_issue`],
    documented: ['Issues: write'],
  },

  list_labels: {
    rest: [`GET ${REPO}/labels`],
    via: { [`GET ${REPO}/labels`]: 'issues' },
  },
  get_label: {
    rest: [`GET ${REPO}/labels/{name}`],
    via: { [`GET ${REPO}/labels/{name}`]: 'issues' },
  },
  create_label: {
    rest: [`POST ${REPO}/labels`],
    via: { [`POST ${REPO}/labels`]: 'issues' },
  },

  create_pull_request: { rest: [`POST ${REPO}/pulls`] },
  get_pull_request: { rest: [GET_PULL], via: VIA_PULL },
  list_pull_requests: { rest: [`GET ${REPO}/pulls`] },
  create_pull_request_review: { rest: [`POST ${PULL}/reviews`] },
  merge_pull_request: { rest: [`PUT ${PULL}/merge`] },
  get_pull_request_files: { rest: [`GET ${PULL}/files`] },
  get_pull_request_status: {
    rest: [GET_PULL, `GET ${REPO}/commits/{ref}/status`, `GET ${REPO}/commits/{ref}/check-runs`],
    via: VIA_PULL,
  },
  update_pull_request_branch: { rest: [`PUT ${PULL}/update-branch`] },
  get_pull_request_comments: { rest: [`GET ${PULL}/comments`] },
  get_pull_request_reviews: { rest: [`GET ${PULL}/reviews`] },
  get_pull_request_diff: { rest: [GET_PULL], via: VIA_PULL },
  update_pull_request: {
    rest: [`PATCH ${PULL}`, GET_PULL, `POST ${PULL}/requested_reviewers`],
    via: VIA_PULL,
  },
  request_pull_request_reviewers: { rest: [`POST ${PULL}/requested_reviewers`] },
  pull_request_review_write: {
    rest: [`POST ${PULL}/reviews`],
    documented: ['Pull requests: write'],
  },
  add_comment_to_pending_review: { documented: ['Pull requests: write'] },
  add_reply_to_pull_request_comment: {
    rest: [
      `POST ${PULL}/comments/{comment_id}/replies`,
      `POST ${REPO}/pulls/comments/{comment_id}/reactions`,
    ],
  },
  get_pull_request_review_threads: { documented: ['Pull requests: read'] },
  get_pull_request_commits: { rest: [`GET ${PULL}/commits`] },

  search_users: { public: ['GET /search/users'] },

  list_workflows: { rest: [`GET ${REPO}/actions/workflows`] },
  list_workflow_runs: {
    rest: [`GET ${REPO}/actions/runs`, `GET ${REPO}/actions/workflows/{workflow_id}/runs`],
  },
  get_workflow_run: { rest: [`GET ${RUN}`, `GET ${RUN}/jobs`] },
  get_job_logs: { rest: [`GET ${RUN}/jobs`, `GET ${REPO}/actions/jobs/{job_id}/logs`] },
  rerun_workflow_run: { rest: [`POST ${RUN}/rerun`, `POST ${RUN}/rerun-failed-jobs`] },
  run_workflow: { rest: [`POST ${REPO}/actions/workflows/{workflow_id}/dispatches`] },
  cancel_workflow_run: { rest: [`POST ${RUN}/cancel`] },
  list_workflow_jobs: { rest: [`GET ${RUN}/jobs`] },
  list_workflow_run_artifacts: { rest: [`GET ${RUN}/artifacts`] },

  list_notifications: {
    unlisted: ['GET /notifications', `GET ${REPO}/notifications`],
    classicScope: 'notifications',
  },
  mark_notification_read: {
    unlisted: [
      'GET /notifications/threads/{thread_id}',
      'PATCH /notifications/threads/{thread_id}',
    ],
    classicScope: 'notifications',
  },

  list_gists: { public: ['GET /gists', 'GET /users/{username}/gists'] },
  get_gist: { public: ['GET /gists/{gist_id}'] },
  create_gist: { rest: ['POST /gists'], via: { 'POST /gists': 'gists' } },

  list_code_scanning_alerts: { rest: [`GET ${REPO}/code-scanning/alerts`] },
  get_code_scanning_alert: { rest: [`GET ${REPO}/code-scanning/alerts/{alert_number}`] },
  list_dependabot_alerts: { rest: [`GET ${REPO}/dependabot/alerts`] },
  get_dependabot_alert: { rest: [`GET ${REPO}/dependabot/alerts/{alert_number}`] },
  list_secret_scanning_alerts: { rest: [`GET ${REPO}/secret-scanning/alerts`] },
  get_secret_scanning_alert: {
    rest: [
      `GET ${REPO}/secret-scanning/alerts/{alert_number}`,
      `GET ${REPO}/secret-scanning/alerts/{alert_number}/locations`,
    ],
  },

  list_discussions: { documented: ['Discussions: read'] },
  get_discussion: { documented: ['Discussions: read'] },
  get_discussion_comments: { documented: ['Discussions: read'] },
  list_discussion_categories: { documented: ['Discussions: read'] },

  list_projects: { documented: [PROJECTS_READ] },
  list_project_fields: { documented: [PROJECTS_READ] },
  list_project_items: { documented: [PROJECTS_READ] },
  add_project_item: {
    rest: [`GET ${ISSUE}`, GET_PULL],
    via: VIA_PULL,
    documented: [PROJECTS_WRITE],
  },
  update_project_item_field: { documented: [PROJECTS_WRITE] },
  delete_project_item: { documented: [PROJECTS_WRITE] },
};
