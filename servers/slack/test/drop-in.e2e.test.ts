/**
 * Drop-in compatibility with `@modelcontextprotocol/server-slack`: the built server, configured
 * with the official environment variables and a Slack app that has only the scopes the official
 * README asks for, has every official tool with every official argument (same names, same
 * meaning), requires nothing the official one does not, and answers calls shaped exactly as
 * hosts send them to the official server.
 */
import { fileURLToPath } from 'node:url';
import { connectStdio } from '@plugboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  argsOfCall,
  BOT_TOKEN,
  fakeSlack,
  OFFICIAL_SCOPES,
  tsAt,
  type FakeSlack,
} from './fake-slack.js';

const SERVER = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** The official tools, their arguments and which are required (reference anchors, section 5a). */
const OFFICIAL: Record<string, { args: string[]; required: string[] }> = {
  slack_list_channels: { args: ['limit', 'cursor'], required: [] },
  slack_post_message: { args: ['channel_id', 'text'], required: ['channel_id', 'text'] },
  slack_reply_to_thread: {
    args: ['channel_id', 'thread_ts', 'text'],
    required: ['channel_id', 'thread_ts', 'text'],
  },
  slack_add_reaction: {
    args: ['channel_id', 'timestamp', 'reaction'],
    required: ['channel_id', 'timestamp', 'reaction'],
  },
  slack_get_channel_history: { args: ['channel_id', 'limit'], required: ['channel_id'] },
  slack_get_thread_replies: {
    args: ['channel_id', 'thread_ts'],
    required: ['channel_id', 'thread_ts'],
  },
  slack_get_users: { args: ['cursor', 'limit'], required: [] },
  slack_get_user_profile: { args: ['user_id'], required: ['user_id'] },
};

describe('drop-in replacement for @modelcontextprotocol/server-slack', () => {
  let fake: FakeSlack;
  let connection: Awaited<ReturnType<typeof connectStdio>>;

  beforeAll(async () => {
    fake = await fakeSlack({
      tokens: { [BOT_TOKEN]: { kind: 'bot', scopes: OFFICIAL_SCOPES, userId: 'U0BOT' } },
    });
    // The official server's documented environment, with only the command changed.
    connection = await connectStdio({
      command: process.execPath,
      args: [SERVER],
      env: {
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_TEAM_ID: 'T0TEST',
        SLACK_API_URL: fake.apiUrl,
      },
    });
  });
  afterAll(async () => {
    await connection.close();
    await fake.close();
  });

  it('has every official tool with every official argument, requiring nothing more', async () => {
    const { tools } = await connection.client.listTools();
    for (const [name, official] of Object.entries(OFFICIAL)) {
      const tool = tools.find((candidate) => candidate.name === name);
      expect(tool, name).toBeDefined();
      const schema = tool!.inputSchema as {
        properties: Record<string, { type?: string }>;
        required?: string[];
      };
      for (const arg of official.args)
        expect(Object.keys(schema.properties), `${name}.${arg}`).toContain(arg);
      for (const required of schema.required ?? [])
        expect(official.required, `${name} requires ${required}`).toContain(required);
      for (const required of official.required)
        expect(schema.required ?? [], `${name} requires ${required}`).toContain(required);
    }
  });

  it('answers calls shaped as hosts send them to the official server', async () => {
    const call = async (name: string, args: Record<string, unknown>) => {
      const result = await connection.client.callTool({ name, arguments: args });
      expect(result.isError, `${name}: ${JSON.stringify(result.content)}`).toBeFalsy();
      return result.structuredContent as Record<string, unknown>;
    };
    const listed = await call('slack_list_channels', { limit: 100 });
    expect((listed.channels as { id: string }[]).map((channel) => channel.id)).toEqual([
      'C0GENERAL',
      'C0RANDOM',
      'C0NOTIN',
    ]);
    const history = await call('slack_get_channel_history', { channel_id: 'C0GENERAL', limit: 10 });
    expect((history.messages as unknown[]).length).toBe(4);
    const thread = await call('slack_get_thread_replies', {
      channel_id: 'C0GENERAL',
      thread_ts: tsAt(5),
    });
    expect((thread.messages as unknown[]).length).toBe(3);
    const posted = await call('slack_post_message', {
      channel_id: 'C0GENERAL',
      text: 'Hello from the agent',
    });
    await call('slack_reply_to_thread', {
      channel_id: 'C0GENERAL',
      thread_ts: posted.ts,
      text: 'and a reply',
    });
    await call('slack_add_reaction', {
      channel_id: 'C0GENERAL',
      timestamp: posted.ts,
      reaction: 'thumbsup',
    });
    const users = await call('slack_get_users', { limit: 100 });
    expect((users.users as unknown[]).length).toBe(4);
    const profile = await call('slack_get_user_profile', { user_id: 'U0ALICE' });
    expect(profile.real_name).toBe('Alice Liddell');
    // The official environment reached Slack: the team on listings, the text as written.
    expect(argsOfCall(fake.calls('users.list')[0]!).team_id).toBe('T0TEST');
    expect(argsOfCall(fake.calls('chat.postMessage')[0]!).text).toBe('Hello from the agent');
  });

  it('honours SLACK_CHANNEL_IDS the way the official server lists channels, and for writes too', async () => {
    await using limited = await connectStdio({
      command: process.execPath,
      args: [SERVER],
      env: {
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_TEAM_ID: 'T0TEST',
        SLACK_CHANNEL_IDS: 'C0GENERAL, C0RANDOM',
        SLACK_API_URL: fake.apiUrl,
      },
    });
    const listed = await limited.client.callTool({ name: 'slack_list_channels', arguments: {} });
    expect(
      (listed.structuredContent as { channels: { id: string }[] }).channels.map(
        (channel) => channel.id,
      ),
    ).toEqual(['C0GENERAL', 'C0RANDOM']);
    const outside = await limited.client.callTool({
      name: 'slack_post_message',
      arguments: { channel_id: 'C0NOTIN', text: 'hi' },
    });
    expect(outside.isError).toBe(true);
  });
});
