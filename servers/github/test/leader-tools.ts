/**
 * @module
 * Tools this server shares with github/github-mcp-server, with that server's argument names,
 * required ones marked "!" (from its tool snapshots, pkg/github/__toolsnaps__, at commit
 * 64a49f34d076b6f5917dae1424521d43c7bcae84). A tool listed here takes exactly these names;
 * `EXPLAINED` holds the differences the README explains.
 */
export const LEADER_TOOLS: Record<string, string[]> = {
  update_pull_request: [
    'base',
    'body',
    'draft',
    'maintainer_can_modify',
    'owner!',
    'pullNumber!',
    'repo!',
    'reviewers',
    'state',
    'title',
  ],
  request_pull_request_reviewers: ['owner!', 'pullNumber!', 'repo!', 'reviewers!'],
  pull_request_review_write: [
    'body',
    'commitID',
    'event',
    'method!',
    'owner!',
    'pullNumber!',
    'repo!',
    'threadId',
  ],
  add_comment_to_pending_review: [
    'body!',
    'line',
    'owner!',
    'path!',
    'pullNumber!',
    'repo!',
    'side',
    'startLine',
    'startSide',
    'subjectType!',
  ],
  add_reply_to_pull_request_comment: [
    'body',
    'commentId!',
    'owner!',
    'pullNumber',
    'reaction',
    'repo!',
  ],
  delete_file: ['branch!', 'message!', 'owner!', 'path!', 'repo!'],
  search_commits: ['order', 'page', 'perPage', 'query!', 'sort'],
  get_tag: ['owner!', 'repo!', 'tag!'],
  list_repository_collaborators: ['affiliation', 'owner!', 'page', 'perPage', 'repo!'],
  get_teams: ['user'],
  get_team_members: ['org!', 'team_slug!'],
  list_issue_types: ['owner!', 'repo'],
  issue_dependency_read: ['issue_number!', 'method!', 'owner!', 'page', 'perPage', 'repo!'],
  issue_dependency_write: [
    'issue_number!',
    'method!',
    'owner!',
    'related_issue_number!',
    'related_owner',
    'related_repo',
    'repo!',
    'type!',
  ],
  add_issue_reaction: ['content!', 'issue_number!', 'owner!', 'repo!'],
  add_issue_comment_reaction: ['comment_id!', 'content!', 'owner!', 'repo!'],
  get_file_blame: ['after', 'end_line', 'owner!', 'path!', 'perPage', 'ref', 'repo!', 'start_line'],
};

/** Per tool, argument names that differ from github-mcp-server, each explained in the README. */
export const EXPLAINED: Record<string, readonly string[]> = {
  search_commits: ['cursor'],
  list_repository_collaborators: ['cursor'],
  get_team_members: ['page', 'perPage', 'cursor'],
};
