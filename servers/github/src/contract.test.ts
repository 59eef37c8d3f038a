/**
 * The contract every tool keeps (CONVENTIONS.md): names, descriptions, described arguments,
 * truthful annotations, output schemas, toolsets in step with the registry, and a default tool
 * list that stays small.
 */
import { contractSuite } from '@plugboard/testing/contract';
import { describe, expect, it } from 'vitest';
import { harness } from '../test/harness.js';
import { githubToolConfiguration } from './server.js';
import { tools } from './tools/index.js';
import { exposeTools, toolsetsOf } from '@plugboard/kit/tools';

/**
 * Argument names the official server, or github-mcp-server for tools only it has, spelled in
 * snake_case; new arguments are camelCase.
 */
const OFFICIAL_SPELLINGS = new Set([
  'issue_number',
  'pull_number',
  'per_page',
  'from_branch',
  'maintainer_can_modify',
  'commit_id',
  'commit_title',
  'commit_message',
  'merge_method',
  'expected_head_sha',
  'team_slug',
  'comment_id',
  'related_issue_number',
  'related_owner',
  'related_repo',
  'start_line',
  'end_line',
  'project_number',
  'item_owner',
  'item_repo',
  'item_type',
  'item_number',
  'item_id',
  'field_id',
]);

/**
 * github/github-mcp-server's default tools/list, measured from its tool snapshots at commit
 * 64a49f34 (context, repos, issues, pull_requests, users; 42 tools): 112,251 bytes as served,
 * with the toolset icons it attaches to every tool, 51,463 bytes without them.
 */
const REFERENCE_DEFAULT_BYTES = 112_251;

contractSuite(tools, {
  names: /^[a-z]+(_[a-z]+)*$/,
  descriptions: { minLength: 20, maxLength: 300, maxSentences: 3 },
  argumentNames: { pattern: /^[a-z][a-zA-Z0-9]*$/, except: OFFICIAL_SPELLINGS },
});

describe('the github registry', () => {
  it('puts every tool in exactly one toolset, and maybe the default preset too', () => {
    for (const tool of tools) {
      const own = toolsetsOf(tool).filter((toolset) => toolset !== 'default');
      expect(own, tool.name).toHaveLength(1);
    }
  });

  it(`keeps the default tools/list under a third of github-mcp-server's (${REFERENCE_DEFAULT_BYTES} bytes)`, async () => {
    await using h = await harness();
    const { tools: listed } = await h.client.listTools();
    const defaults = new Set(
      exposeTools(
        tools,
        githubToolConfiguration(
          { toolsets: undefined },
          { tools: undefined, excludeTools: [], readOnly: false },
        ),
      ).tools.map((tool) => tool.name),
    );
    const size = Buffer.byteLength(
      JSON.stringify(listed.filter((tool) => defaults.has(tool.name))),
    );
    expect(defaults.size).toBe(27);
    expect(size).toBeLessThanOrEqual(REFERENCE_DEFAULT_BYTES / 3);
  });
});
