/**
 * @module
 * Toolsets: the tools grouped by domain, so an operator exposes only what the job needs and the
 * tool list a model reads stays small. Plain data (no zod, no tool code), so choosing tools at
 * start-up costs nothing; a contract test keeps it in step with the tool registry.
 */

export const TOOLSETS = {
  context: ['get_me', 'get_teams', 'get_team_members'],
  repos: [
    'search_repositories',
    'create_repository',
    'get_file_contents',
    'create_or_update_file',
    'push_files',
    'fork_repository',
    'create_branch',
    'list_commits',
    'search_code',
    'get_repository_tree',
    'list_branches',
    'get_commit',
    'delete_file',
    'search_commits',
    'list_repository_collaborators',
    'get_file_blame',
  ],
  releases: ['list_tags', 'get_tag', 'list_releases', 'get_release'],
  issues: [
    'create_issue',
    'list_issues',
    'update_issue',
    'add_issue_comment',
    'search_issues',
    'get_issue',
    'get_issue_comments',
    'list_issue_types',
    'issue_dependency_read',
    'issue_dependency_write',
    'add_issue_reaction',
    'add_issue_comment_reaction',
  ],
  sub_issues: ['list_sub_issues', 'add_sub_issue', 'remove_sub_issue'],
  labels: ['list_labels', 'get_label', 'create_label'],
  pull_requests: [
    'create_pull_request',
    'get_pull_request',
    'list_pull_requests',
    'create_pull_request_review',
    'merge_pull_request',
    'get_pull_request_files',
    'get_pull_request_status',
    'update_pull_request_branch',
    'get_pull_request_comments',
    'get_pull_request_reviews',
    'get_pull_request_diff',
    'update_pull_request',
    'request_pull_request_reviewers',
    'pull_request_review_write',
    'add_comment_to_pending_review',
    'add_reply_to_pull_request_comment',
    'get_pull_request_review_threads',
    'get_pull_request_commits',
  ],
  users: ['search_users'],
  actions: [
    'list_workflows',
    'list_workflow_runs',
    'get_workflow_run',
    'get_job_logs',
    'rerun_workflow_run',
    'run_workflow',
    'cancel_workflow_run',
    'list_workflow_jobs',
    'list_workflow_run_artifacts',
  ],
  notifications: ['list_notifications', 'mark_notification_read'],
  gists: ['list_gists', 'get_gist', 'create_gist'],
  code_security: ['list_code_scanning_alerts', 'get_code_scanning_alert'],
  dependabot: ['list_dependabot_alerts', 'get_dependabot_alert'],
  secret_protection: ['list_secret_scanning_alerts', 'get_secret_scanning_alert'],
  discussions: [
    'list_discussions',
    'get_discussion',
    'get_discussion_comments',
    'list_discussion_categories',
  ],
  projects: [
    'list_projects',
    'list_project_fields',
    'list_project_items',
    'add_project_item',
    'update_project_item_field',
    'delete_project_item',
  ],
} as const satisfies Record<string, readonly string[]>;

export type ToolsetName = keyof typeof TOOLSETS;

/**
 * What `default` means: the official server's 26 tools plus `get_me`. A host switching from
 * @modelcontextprotocol/server-github sees every tool it knew, and the list stays small; the
 * rest of each domain comes with its toolset (`--toolsets default,issues,actions`).
 */
export const DEFAULT_TOOLS: readonly string[] = [
  'get_me',
  'create_or_update_file',
  'search_repositories',
  'create_repository',
  'get_file_contents',
  'push_files',
  'create_issue',
  'create_pull_request',
  'fork_repository',
  'create_branch',
  'list_commits',
  'list_issues',
  'update_issue',
  'add_issue_comment',
  'search_code',
  'search_issues',
  'search_users',
  'get_issue',
  'get_pull_request',
  'list_pull_requests',
  'create_pull_request_review',
  'merge_pull_request',
  'get_pull_request_files',
  'get_pull_request_status',
  'update_pull_request_branch',
  'get_pull_request_comments',
  'get_pull_request_reviews',
];

/** A toolset name, or `default` (the preset above). */
export type ToolsetChoice = ToolsetName | 'default';

export function isToolsetName(name: string): name is ToolsetName {
  return Object.hasOwn(TOOLSETS, name);
}

/** Tool names of the given toolsets (and the default preset when chosen). */
export function toolsInToolsets(names: readonly ToolsetChoice[]): Set<string> {
  return new Set(names.flatMap((name) => (name === 'default' ? DEFAULT_TOOLS : TOOLSETS[name])));
}

/** The toolset a tool belongs to, for error messages that say how to enable it. */
export function toolsetOf(tool: string): ToolsetName | undefined {
  for (const [name, members] of Object.entries(TOOLSETS) as [ToolsetName, readonly string[]][]) {
    if (members.includes(tool)) return name;
  }
  return undefined;
}
