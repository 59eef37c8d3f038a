/**
 * The built server as a host runs it: `node dist/main.js` over stdio with the official SDK client
 * on the other end, configured only through the environment and flags, talking to the Slack fake
 * through SLACK_API_URL.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { connectStdio, callWhilePinging, streamedBody } from '@plugboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  argsOfCall,
  BOT_TOKEN,
  fakeSlack,
  tsAt,
  USER_TOKEN,
  type FakeSlack,
} from './fake-slack.js';

const SERVER = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const { version } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as { version: string };

const READ_TOOLS = [
  'slack_list_channels',
  'slack_get_channel_history',
  'slack_get_thread_replies',
  'slack_get_users',
  'slack_get_user_profile',
  'slack_list_files',
  'slack_read_file',
  'slack_find_users',
  'slack_list_scheduled_messages',
];

describe('mcp-server-slack over stdio', () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await fakeSlack();
  });
  afterAll(async () => {
    await fake.close();
  });

  it('lists its tools and resources and answers calls with structured results', async () => {
    await using connection = await connectStdio({
      command: process.execPath,
      args: [SERVER],
      env: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: fake.apiUrl },
    });
    const { client } = connection;
    expect(client.getServerVersion()).toMatchObject({ name: 'mcp-server-slack', version });
    expect(client.getInstructions()).toContain('untrusted-content');
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual([
      'slack_list_channels',
      'slack_post_message',
      'slack_reply_to_thread',
      'slack_add_reaction',
      'slack_get_channel_history',
      'slack_get_thread_replies',
      'slack_get_users',
      'slack_get_user_profile',
      'slack_remove_reaction',
      'slack_schedule_message',
      'slack_list_files',
      'slack_read_file',
      'slack_update_message',
      'slack_delete_message',
      'slack_find_users',
      'slack_open_dm',
      'slack_list_scheduled_messages',
      'slack_delete_scheduled_message',
    ]);
    for (const tool of tools) expect(tool.outputSchema, tool.name).toBeDefined();
    const { resources } = await client.listResources();
    expect(resources.map((resource) => resource.uri)).toEqual([
      'slack://channels',
      'slack://users',
    ]);
    const history = await client.callTool({
      name: 'slack_get_channel_history',
      arguments: { channel_id: '#general', limit: 2 },
    });
    expect(history.isError).toBeFalsy();
    const structured = history.structuredContent as {
      messages: { ts: string; user_name?: string }[];
      truncated: boolean;
      next_cursor?: string;
    };
    expect(structured.messages.map((message) => message.ts)).toEqual([tsAt(20), tsAt(10)]);
    expect(structured.truncated).toBe(true);
    expect(structured.next_cursor).toEqual(expect.any(String));
  });

  it('offers message search only with a user token', async () => {
    await using connection = await connectStdio({
      command: process.execPath,
      args: [SERVER],
      env: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_USER_TOKEN: USER_TOKEN, SLACK_API_URL: fake.apiUrl },
    });
    const { tools } = await connection.client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('slack_search_messages');
    const result = await connection.client.callTool({
      name: 'slack_search_messages',
      arguments: { query: 'deploy' },
    });
    expect((result.structuredContent as { matches: unknown[] }).matches).toHaveLength(1);
  });

  it('hides every tool that writes under --read-only', async () => {
    await using connection = await connectStdio({
      command: process.execPath,
      args: [SERVER, '--read-only'],
      env: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: fake.apiUrl },
    });
    const { tools } = await connection.client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(READ_TOOLS);
    await expect(
      connection.client.callTool({
        name: 'slack_post_message',
        arguments: { channel_id: 'C0GENERAL', text: 'hi' },
      }),
    ).rejects.toThrow(/Unknown tool: slack_post_message/);
  });

  it('offers uploads and channel creation only when turned on; a call without names the flag', async () => {
    {
      await using connection = await connectStdio({
        command: process.execPath,
        args: [SERVER],
        env: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: fake.apiUrl },
      });
      await expect(
        connection.client.callTool({
          name: 'slack_upload_file',
          arguments: { channel_id: 'C0GENERAL', content: 'x', filename: 'x.txt' },
        }),
      ).rejects.toThrow(
        /slack_upload_file is turned off.*--upload-dir DIR \(or SLACK_UPLOAD_DIR\)/,
      );
      await expect(
        connection.client.callTool({ name: 'slack_create_channel', arguments: { name: 'x' } }),
      ).rejects.toThrow(/--allow-create-channels \(or SLACK_ALLOW_CREATE_CHANNELS=1\)/);
    }
    await using connection = await connectStdio({
      command: process.execPath,
      args: [SERVER],
      env: {
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_API_URL: fake.apiUrl,
        SLACK_UPLOAD_DIR: tmpdir(),
        SLACK_ALLOW_CREATE_CHANNELS: '1',
      },
    });
    const { tools } = await connection.client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(
      expect.arrayContaining(['slack_upload_file', 'slack_create_channel']),
    );
  });

  it('lists the canvas tools only with SLACK_TOOLSETS=canvases, and only the reading one under --read-only', async () => {
    const canvasTools = (names: string[]) => names.filter((name) => name.includes('canvas'));
    {
      await using connection = await connectStdio({
        command: process.execPath,
        args: [SERVER],
        env: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: fake.apiUrl },
      });
      await expect(
        connection.client.callTool({
          name: 'slack_read_canvas',
          arguments: { canvas_id: 'F0CANVAS' },
        }),
      ).rejects.toThrow(/--toolsets canvases \(or SLACK_TOOLSETS=canvases\)/);
    }
    {
      await using connection = await connectStdio({
        command: process.execPath,
        args: [SERVER],
        env: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: fake.apiUrl, SLACK_TOOLSETS: 'canvases' },
      });
      const { tools } = await connection.client.listTools();
      expect(canvasTools(tools.map((tool) => tool.name))).toEqual([
        'slack_read_canvas',
        'slack_create_canvas',
        'slack_edit_canvas',
      ]);
      const read = await connection.client.callTool({
        name: 'slack_read_canvas',
        arguments: { canvas_id: 'F0CANVAS' },
      });
      expect((read.structuredContent as { markdown: string }).markdown).toMatch(/^# Release plan/);
    }
    await using connection = await connectStdio({
      command: process.execPath,
      args: [SERVER, '--toolsets', 'canvases', '--read-only'],
      env: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: fake.apiUrl },
    });
    const { tools } = await connection.client.listTools();
    expect(canvasTools(tools.map((tool) => tool.name))).toEqual(['slack_read_canvas']);
  });

  it('applies SLACK_CHANNEL_IDS and SLACK_POST_CHANNELS from the environment', async () => {
    fake.http.clear();
    await using connection = await connectStdio({
      command: process.execPath,
      args: [SERVER],
      env: {
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_API_URL: fake.apiUrl,
        SLACK_CHANNEL_IDS: 'C0GENERAL,C0RANDOM',
        SLACK_POST_CHANNELS: 'C0RANDOM',
      },
    });
    const { client } = connection;
    const outside = await client.callTool({
      name: 'slack_get_channel_history',
      arguments: { channel_id: 'C0SECRET' },
    });
    expect(outside.isError).toBe(true);
    const readOnlyHere = await client.callTool({
      name: 'slack_post_message',
      arguments: { channel_id: 'C0GENERAL', text: 'hi' },
    });
    expect(readOnlyHere.isError).toBe(true);
    const posted = await client.callTool({
      name: 'slack_post_message',
      arguments: { channel_id: 'C0RANDOM', text: 'hi [there](https://example.com)' },
    });
    expect(posted.isError).toBeFalsy();
    expect(fake.calls('chat.postMessage').map(argsOfCall)).toEqual([
      expect.objectContaining({
        channel: 'C0RANDOM',
        unfurl_links: 'false',
        unfurl_media: 'false',
      }),
    ]);
    expect(fake.calls('conversations.history')).toHaveLength(0);
  });

  it('logs neither tokens nor message bodies, even at debug level', async () => {
    const connection = await connectStdio({
      command: process.execPath,
      args: [SERVER, '--log-level', 'debug'],
      env: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_USER_TOKEN: USER_TOKEN, SLACK_API_URL: fake.apiUrl },
    });
    await connection.client.callTool({
      name: 'slack_post_message',
      arguments: { channel_id: 'C0GENERAL', text: 'BODY-e2e-5d1 quarterly numbers' },
    });
    await connection.client.callTool({
      name: 'slack_search_messages',
      arguments: { query: 'QUERY-e2e-77c' },
    });
    await connection.client.callTool({
      name: 'slack_get_channel_history',
      arguments: { channel_id: 'C0GENERAL' },
    });
    await connection.close();
    const stderr = connection.stderr();
    expect(stderr).toContain('tool call');
    for (const secret of [BOT_TOKEN, USER_TOKEN, 'BODY-e2e-5d1', 'QUERY-e2e-77c', 'Good morning'])
      expect(stderr).not.toContain(secret);
  });

  it('exits 2 with one line naming SLACK_BOT_TOKEN when no token is set', () => {
    const result = spawnSync(process.execPath, [SERVER], {
      env: { PATH: process.env.PATH },
      input: '',
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^mcp-server-slack: SLACK_BOT_TOKEN is not set/);
  });

  it('exits 2 when per-user accounts are configured on stdio, where no one signs in', () => {
    const result = spawnSync(process.execPath, [SERVER], {
      env: { PATH: process.env.PATH, SLACK_CLIENT_ID: '1111.2222', SLACK_CLIENT_SECRET: 'secret' },
      input: '',
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^mcp-server-slack: SLACK_CLIENT_ID \(per-user Slack accounts\) needs hosted mode/,
    );
    expect(result.stderr).not.toContain('secret');
  });

  it('exits 2 when SLACK_CHANNEL_IDS holds something other than IDs', () => {
    const result = spawnSync(process.execPath, [SERVER], {
      env: { PATH: process.env.PATH, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_CHANNEL_IDS: '#general' },
      input: '',
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/SLACK_CHANNEL_IDS: "#general" is not a conversation ID/);
    expect(result.stderr).not.toContain(BOT_TOKEN);
  });

  it('prints help without a token and without waiting for input', () => {
    const result = spawnSync(process.execPath, [SERVER, '--help'], {
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(0);
    for (const flag of ['--channel-ids', '--post-channels', '--unfurl-domains', '--read-only'])
      expect(result.stdout).toContain(flag);
  });
});

describe('mcp-server-slack against an oversized answer', () => {
  const MiB = 1024 * 1024;

  it.each([
    ['a 200 MB history, length undeclared', 200, false],
    ['a 200 MB error body, length declared', 500, true],
  ])(
    'stops reading %s at the cap, stays small and answers ping throughout',
    async (_name, status, declareLength) => {
      await using fake = await fakeSlack();
      const body = streamedBody(200 * MiB, { status, declareLength });
      fake.override('conversations.history', body);
      await using connection = await connectStdio({
        command: process.execPath,
        args: [SERVER],
        env: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: fake.apiUrl },
      });
      const call = await callWhilePinging(connection, 'slack_get_channel_history', {
        channel_id: 'C0GENERAL',
      });
      expect(call.isError).toBe(true);
      expect(call.text).toMatch(
        /^Slack's answer was larger than the 32 MiB cap on upstream responses, so it was not read\. Ask for less/,
      );
      expect(call.pings).toBeGreaterThan(0);
      expect(call.peakBytes).toBeLessThan(400 * MiB);
      expect(body.written()).toBeLessThan(100 * MiB);
    },
  );
});
