import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ApprovalPage } from './page.js';

interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** node:http, because fetch will not send a Host or Origin of the test's choosing. */
function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body = '',
): Promise<Reply> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: target.hostname, port: target.port, path: target.pathname, method, headers },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

let page: ApprovalPage;
afterEach(() => page.close());

async function opened(): Promise<{ url: string; origin: string; host: string }> {
  page = new ApprovalPage(Date.now);
  const url = await page.open('token-1', {
    tool: 'git_push',
    summary: 'Force-push <main> to origin & overwrite "history"',
    expires: Date.now() + 60_000,
  });
  const { origin, host } = new URL(url);
  return { url, origin, host };
}

describe('the loopback approval page', () => {
  it('shows the summary escaped, with headers that keep it out of frames and caches', async () => {
    const { url, host } = await opened();
    const reply = await send(url, 'GET', { host });
    expect(reply.status).toBe(200);
    expect(reply.body).toContain(
      'Force-push &lt;main&gt; to origin &amp; overwrite &quot;history&quot;',
    );
    expect(reply.headers['x-frame-options']).toBe('DENY');
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('refuses a decision posted from another origin, or with no origin, and keeps waiting', async () => {
    const { url, host } = await opened();
    for (const origin of ['http://evil.example', 'null', undefined]) {
      const reply = await send(
        url,
        'POST',
        { ...FORM, host, ...(origin === undefined ? {} : { origin }) },
        'decision=approve',
      );
      expect(reply.status).toBe(403);
    }
    const controller = new AbortController();
    const waiting = page.decision('token-1', controller.signal);
    controller.abort();
    expect(await waiting).toBeUndefined();
  });

  it('refuses requests under another Host name (DNS rebinding)', async () => {
    const { url, origin } = await opened();
    const port = new URL(url).port;
    for (const host of [`evil.example:${port}`, `localhost:${port}`]) {
      expect((await send(url, 'GET', { host })).status).toBe(403);
      expect((await send(url, 'POST', { ...FORM, host, origin }, 'decision=approve')).status).toBe(
        403,
      );
    }
  });

  it('takes one decision from its own origin and then forgets the token', async () => {
    const { url, origin, host } = await opened();
    const waiting = page.decision('token-1', new AbortController().signal);
    const reply = await send(url, 'POST', { ...FORM, host, origin }, 'decision=deny');
    expect(reply.status).toBe(200);
    expect(await waiting).toBe('deny');
    expect((await send(url, 'GET', { host })).status).toBe(410);
    expect((await send(url, 'POST', { ...FORM, host, origin }, 'decision=approve')).status).toBe(
      410,
    );
  });

  it('knows no token it did not open', async () => {
    const { url, host } = await opened();
    expect((await send(url.replace('token-1', 'token-2'), 'GET', { host })).status).toBe(410);
  });
});
