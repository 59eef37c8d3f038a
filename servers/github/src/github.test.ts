import { fakeHttp } from '@plugboard/testing';
import { describe, expect, it } from 'vitest';
import { issue, ok } from '../test/fake-github.js';
import { harness, textOf } from '../test/harness.js';
import { createGuardedFetch } from './github.js';

describe('createGuardedFetch', () => {
  it('refuses any URL outside the configured roots, including ones that normalise out of them', async () => {
    const seen: string[] = [];
    const base: typeof fetch = (input) => {
      seen.push(input instanceof Request ? input.url : input instanceof URL ? input.href : input);
      return Promise.resolve(new Response('{}'));
    };
    const guarded = createGuardedFetch(
      ['https://ghe.example/api/v3', 'https://ghe.example/api/graphql'],
      base,
    );
    await expect(guarded('https://evil.example/api/v3/user')).rejects.toThrow(
      /outside the configured GitHub API root/,
    );
    await expect(guarded('https://ghe.example/admin')).rejects.toThrow(/outside/);
    await expect(guarded('https://ghe.example/api/v3/../../admin')).rejects.toThrow(/outside/);
    await expect(guarded('https://ghe.example/api/v3x/user')).rejects.toThrow(/outside/);
    await guarded('https://ghe.example/api/v3/user');
    await guarded('https://ghe.example/api/graphql');
    expect(seen).toEqual(['https://ghe.example/api/v3/user', 'https://ghe.example/api/graphql']);
  });

  it('drops the token when GitHub redirects to another host, and keeps it on the same host', async () => {
    await using storage = await fakeHttp({ 'GET /blob': { status: 200, body: 'log text' } });
    await using api = await fakeHttp({
      'GET /moved': { status: 301, headers: { location: '/here' } },
      'GET /here': { status: 200, body: 'same host' },
      'GET /logs': { status: 302, headers: { location: `${storage.url}/blob?sig=1` } },
    });
    const guarded = createGuardedFetch([api.url]);
    const headers = { authorization: 'token ghp_secret', accept: 'application/json' };
    expect(await (await guarded(`${api.url}/moved`, { headers })).text()).toBe('same host');
    expect(api.requests.at(-1)?.headers.authorization).toBe('token ghp_secret');
    expect(await (await guarded(`${api.url}/logs`, { headers })).text()).toBe('log text');
    expect(storage.requests[0]?.headers.authorization).toBeUndefined();
    expect(storage.requests[0]?.headers.accept).toBe('application/json');
  });

  it('refuses to follow a redirect from https down to http', async () => {
    const base: typeof fetch = () =>
      Promise.resolve(
        new Response(null, { status: 302, headers: { location: 'http://ghe.example/x' } }),
      );
    const guarded = createGuardedFetch(['https://ghe.example'], base);
    await expect(guarded('https://ghe.example/y')).rejects.toThrow(/https to http/);
  });

  it('gives up after a bounded number of redirects', async () => {
    let hops = 0;
    const base: typeof fetch = () => {
      hops++;
      return Promise.resolve(new Response(null, { status: 302, headers: { location: '/again' } }));
    };
    const response = await createGuardedFetch(
      ['https://ghe.example'],
      base,
    )('https://ghe.example/start');
    expect(response.status).toBe(302);
    expect(hops).toBe(6);
  });
});

describe('requests under cancellation and deadlines', () => {
  it('aborts the HTTP request to GitHub when the client cancels the call', async () => {
    let closed!: () => void;
    const socketClosed = new Promise<void>((resolve) => (closed = resolve));
    await using h = await harness({
      routes: {
        'GET /repos/o/r/issues/1': {
          respond: (res) => {
            res.on('close', closed);
          },
        },
      },
    });
    const stop = new AbortController();
    const pending = h.call(
      'get_issue',
      { owner: 'o', repo: 'r', issue_number: 1 },
      { signal: stop.signal },
    );
    while (h.fake.calls().length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    stop.abort();
    await expect(pending).rejects.toThrow();
    await socketClosed;
  });

  it('ends a call GitHub never answers at the configured timeout, with a clear message', async () => {
    await using h = await harness({
      routes: { 'GET /repos/o/r/issues/1': { respond: () => undefined } },
      config: { timeoutMs: 300 },
    });
    const result = await h.call('get_issue', { owner: 'o', repo: 'r', issue_number: 1 });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^GitHub did not answer within 0.3 seconds\. Try again/);
  });

  it('builds one client and reuses it for every call', async () => {
    await using h = await harness({
      routes: { 'GET /repos/o/r/issues/1': ok(issue('o', 'r', 1)) },
    });
    await h.call('get_issue', { owner: 'o', repo: 'r', issue_number: 1 });
    await h.call('get_issue', { owner: 'o', repo: 'r', issue_number: 1 });
    const agents = new Set(h.fake.requests.map((request) => request.headers['user-agent']));
    expect(agents.size).toBe(1);
    expect([...agents][0]).toMatch(/^plugboard-server-github\/\d+\.\d+\.\d+ octokit-rest\.js/);
  });
});
