import { UsageError, type FlagValue } from '@plugboard/kit/cli';
import { describe, expect, it } from 'vitest';
import { DEFAULT_API_URL, parseConfig } from './config.js';

const TOKEN = { SLACK_BOT_TOKEN: 'xoxb-1-2-abc' };

function flags(values: Record<string, FlagValue> = {}): Map<string, FlagValue> {
  return new Map(Object.entries(values));
}

describe('configuration', () => {
  it('takes the official environment and safe defaults', () => {
    const config = parseConfig(flags({ 'channel-ids': ['C0123', 'G0456'] }), {
      ...TOKEN,
      SLACK_TEAM_ID: 'T0123',
    });
    expect(config).toMatchObject({
      botToken: 'xoxb-1-2-abc',
      userToken: undefined,
      teamId: 'T0123',
      apiUrl: DEFAULT_API_URL,
      unfurlDomains: [],
      allowMassMentions: false,
      allowUserMentions: false,
      timeoutMs: 30_000,
      rateLimitWaitMs: 10_000,
      outputBudget: 65_536,
    });
    expect([...config.channelIds!]).toEqual(['C0123', 'G0456']);
    expect(config.postChannels).toBeUndefined();
  });

  it('refuses to start without any token, naming SLACK_BOT_TOKEN', () => {
    expect(() => parseConfig(flags(), {})).toThrow(UsageError);
    expect(() => parseConfig(flags(), {})).toThrow(/SLACK_BOT_TOKEN/);
  });

  it('takes the Slack app for per-user accounts instead of the operator’s tokens', () => {
    const app = { SLACK_CLIENT_ID: '1111.2222', SLACK_CLIENT_SECRET: 'secret' };
    const config = parseConfig(flags(), app);
    expect(config.accounts).toMatchObject({
      client: { clientId: '1111.2222', clientSecret: 'secret' },
      authorizeUrl: 'https://slack.com/oauth/v2/authorize',
    });
    expect(config.accounts?.userScopes).toContain('search:read');
    expect(config.botToken).toBeUndefined();
    expect(parseConfig(flags(), TOKEN).accounts).toBeUndefined();
    expect(
      parseConfig(
        flags({ 'oauth-url': 'https://acme.enterprise.slack.com/oauth/v2/authorize' }),
        app,
      ).accounts?.authorizeUrl,
    ).toBe('https://acme.enterprise.slack.com/oauth/v2/authorize');
  });

  it('refuses half a Slack app, a token beside it, and a consent page that is not a plain URL', () => {
    expect(() => parseConfig(flags(), { SLACK_CLIENT_ID: '1111.2222' })).toThrow(
      /SLACK_CLIENT_SECRET is not set/,
    );
    expect(() => parseConfig(flags(), { SLACK_CLIENT_SECRET: 'secret' })).toThrow(
      /SLACK_CLIENT_ID is not set/,
    );
    const app = { SLACK_CLIENT_ID: '1111.2222', SLACK_CLIENT_SECRET: 'secret' };
    expect(() => parseConfig(flags(), { ...app, ...TOKEN })).toThrow(
      /SLACK_BOT_TOKEN and SLACK_CLIENT_ID exclude each other/,
    );
    expect(() => parseConfig(flags(), { ...app, SLACK_USER_TOKEN: 'xoxp-1' })).toThrow(
      /SLACK_USER_TOKEN and SLACK_CLIENT_ID/,
    );
    for (const url of [
      'javascript:alert(1)',
      'https://u:p@slack.com/oauth',
      'https://slack.com/x?a=1',
    ])
      expect(() => parseConfig(flags({ 'oauth-url': url }), app)).toThrow(/--oauth-url/);
  });

  it('takes an absolute --upload-dir and refuses a relative one', () => {
    expect(parseConfig(flags(), TOKEN).uploadDir).toBeUndefined();
    expect(parseConfig(flags({ 'upload-dir': '/srv/share/' }), TOKEN).uploadDir).toBe('/srv/share');
    expect(() => parseConfig(flags({ 'upload-dir': 'share' }), TOKEN)).toThrow(
      /--upload-dir \(SLACK_UPLOAD_DIR\) must be an absolute path/,
    );
  });

  it('runs on a user token alone', () => {
    expect(parseConfig(flags(), { SLACK_USER_TOKEN: 'xoxp-1' }).userToken).toBe('xoxp-1');
  });

  it('refuses conversation lists that are not IDs', () => {
    expect(() => parseConfig(flags({ 'channel-ids': ['#general'] }), TOKEN)).toThrow(
      /SLACK_CHANNEL_IDS: "#general" is not a conversation ID/,
    );
    expect(() => parseConfig(flags({ 'post-channels': ['general'] }), TOKEN)).toThrow(
      /--post-channels/,
    );
  });

  it('reads --quiet-channels as conversation IDs, none by default', () => {
    expect(parseConfig(flags(), TOKEN).quietChannels.size).toBe(0);
    expect([
      ...parseConfig(flags({ 'quiet-channels': ['C0111', 'D0222'] }), TOKEN).quietChannels,
    ]).toEqual(['C0111', 'D0222']);
    expect(() => parseConfig(flags({ 'quiet-channels': ['#random'] }), TOKEN)).toThrow(
      /--quiet-channels: "#random" is not a conversation ID/,
    );
  });

  it('refuses --post-channels outside SLACK_CHANNEL_IDS', () => {
    expect(() =>
      parseConfig(flags({ 'channel-ids': ['C0111'], 'post-channels': ['C0222'] }), TOKEN),
    ).toThrow(/C0222 not in SLACK_CHANNEL_IDS/);
  });

  it('normalises the API URL and refuses credentials, queries and other schemes', () => {
    expect(parseConfig(flags({ 'api-url': 'http://127.0.0.1:9/api' }), TOKEN).apiUrl).toBe(
      'http://127.0.0.1:9/api/',
    );
    expect(() =>
      parseConfig(flags({ 'api-url': 'https://u:p@slack.example/api/' }), TOKEN),
    ).toThrow(/credentials/);
    expect(() =>
      parseConfig(flags({ 'api-url': 'https://slack.example/api/?x=1' }), TOKEN),
    ).toThrow(/query/);
    expect(() => parseConfig(flags({ 'api-url': 'file:///etc/passwd' }), TOKEN)).toThrow(/https/);
  });

  it('reads unfurl domains as bare domains', () => {
    expect(
      parseConfig(
        flags({ 'unfurl-domains': ['https://Docs.Example.com/x', '*.acme.example'] }),
        TOKEN,
      ).unfurlDomains,
    ).toEqual(['docs.example.com', 'acme.example']);
    expect(() => parseConfig(flags({ 'unfurl-domains': ['not a domain'] }), TOKEN)).toThrow(
      /--unfurl-domains/,
    );
  });

  it('refuses a token with whitespace and a malformed team ID', () => {
    expect(() => parseConfig(flags(), { SLACK_BOT_TOKEN: 'xoxb-1 xoxb-2' })).toThrow(/whitespace/);
    expect(() => parseConfig(flags(), { ...TOKEN, SLACK_TEAM_ID: 'acme' })).toThrow(
      /SLACK_TEAM_ID/,
    );
  });

  it('never puts the token in an error message', () => {
    let message = '';
    try {
      parseConfig(flags({ 'channel-ids': ['bad'] }), { SLACK_BOT_TOKEN: 'xoxb-secret value' });
    } catch (error) {
      message = String(error);
    }
    expect(message).toMatch(/whitespace/);
    expect(message).not.toContain('secret');
  });
});
