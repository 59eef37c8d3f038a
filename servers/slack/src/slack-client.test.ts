import { nullLogger, type Logger } from '@plugboard/protocol';
import { captureLogger, fakeHttp, waitFor } from '@plugboard/testing';
import { describe, expect, it } from 'vitest';
import { BOT_TOKEN, fakeSlack, rateLimited } from '../test/fake-slack.js';
import { parseConfig } from './config.js';
import { createSlackClient, isSlackFileUrl } from './slack-client.js';

function clientFor(
  apiUrl: string,
  flags: Record<string, number> = {},
  logger: Logger = nullLogger,
) {
  const config = parseConfig(
    new Map<string, string | number>([['api-url', apiUrl], ...Object.entries(flags)]),
    { SLACK_BOT_TOKEN: BOT_TOKEN },
  );
  return createSlackClient(config, { logger, retryBaseMs: 5 });
}

describe('the Slack client', () => {
  it('stops a rate-limit wait as soon as the signal aborts', { timeout: 10_000 }, async () => {
    await using fake = await fakeSlack();
    fake.override('users.list', rateLimited(60));
    const { logger, lines } = captureLogger();
    const client = clientFor(fake.apiUrl, { 'rate-limit-wait': 120 }, logger);
    const controller = new AbortController();
    const pending = client.request('bot', controller.signal, (web) => web.users.list({}));
    await waitFor(() => lines.some((line) => line.includes('waiting')));
    controller.abort();
    // Without a cancellable wait this would settle only after the 60-second Retry-After.
    await expect(pending).rejects.toThrow();
    expect(fake.calls('users.list')).toHaveLength(1);
  });

  it('aborts a request that hangs when the signal aborts', { timeout: 10_000 }, async () => {
    await using fake = await fakeSlack();
    fake.override('users.list', { respond: () => undefined });
    const client = clientFor(fake.apiUrl);
    const controller = new AbortController();
    const pending = client.request('bot', controller.signal, (web) => web.users.list({}));
    await waitFor(() => fake.calls('users.list').length === 1);
    controller.abort();
    await expect(pending).rejects.toThrow();
  });

  it('sends the token in the Authorization header to the configured API only', async () => {
    await using fake = await fakeSlack();
    await using elsewhere = await fakeHttp({ '* /*': { body: { ok: true } } });
    const client = clientFor(fake.apiUrl);
    await client.request('bot', new AbortController().signal, (web) => web.auth.test());
    expect(fake.calls('auth.test')[0]!.headers.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    await expect(
      client.request('bot', new AbortController().signal, (web) =>
        web.apiCall(`${elsewhere.url}/api/auth.test`),
      ),
    ).rejects.toThrow();
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('downloads private files only from Slack or the configured API host', async () => {
    await using fake = await fakeSlack();
    await using elsewhere = await fakeHttp({ '* /*': { body: 'stolen' } });
    const client = clientFor(fake.apiUrl);
    await expect(
      client.download(
        `${elsewhere.url}/files-pri/T0TEST-F0NOTES/notes.txt`,
        new AbortController().signal,
        100,
      ),
    ).rejects.toThrow(/outside Slack/);
    expect(elsewhere.requests).toHaveLength(0);
    const file = await client.download(
      `${fake.url}/files-pri/T0TEST-F0NOTES/notes.txt`,
      new AbortController().signal,
      7,
    );
    expect(new TextDecoder().decode(file.bytes)).toBe('Release');
    expect(file.complete).toBe(false);
    expect(isSlackFileUrl('https://files.slack.com/files-pri/T1-F1/a.txt', fake.apiUrl)).toBe(true);
    expect(isSlackFileUrl('http://files.slack.com/files-pri/T1-F1/a.txt', fake.apiUrl)).toBe(false);
    expect(isSlackFileUrl('https://files.slack.com.evil.example/a', fake.apiUrl)).toBe(false);
    expect(isSlackFileUrl('https://user:pw@files.slack.com/a', fake.apiUrl)).toBe(false);
  });

  it('does not follow a download redirect, which would carry the token along', async () => {
    await using fake = await fakeSlack();
    await using elsewhere = await fakeHttp({ '* /*': { body: 'sign in' } });
    fake.http.route('GET /files-pri/:key/:name', {
      status: 302,
      headers: { location: `${elsewhere.url}/signin` },
      body: '',
    });
    const client = clientFor(fake.apiUrl);
    await expect(
      client.download(
        `${fake.url}/files-pri/T0TEST-F0NOTES/notes.txt`,
        new AbortController().signal,
        100,
      ),
    ).rejects.toThrow(/redirected/);
    expect(elsewhere.requests).toHaveLength(0);
  });
});
