import { describe, expect, it } from 'vitest';
import { tools } from './tools/index.js';
import { DIRECTORY_SCOPES, TOOL_SCOPES, userScopesFor } from './scopes.js';

describe('user-token scopes', () => {
  it('knows the scopes of every tool in the registry, and of no tool that is not', () => {
    expect(Object.keys(TOOL_SCOPES).sort()).toEqual(tools.map((tool) => tool.name).sort());
  });

  it('asks for the directory and the offered tools only', () => {
    const scopes = userScopesFor(['slack_list_channels', 'slack_post_message']);
    expect(scopes).toEqual([...DIRECTORY_SCOPES, 'chat:write'].sort());
    expect(userScopesFor(['slack_search_messages'])).toContain('search:read');
    expect(userScopesFor(['slack_list_channels'])).not.toContain('search:read');
  });

  it('refuses a tool it has no scopes for, so a new tool must say what it needs', () => {
    expect(() => userScopesFor(['slack_new_thing'])).toThrow(/slack_new_thing/);
  });
});
