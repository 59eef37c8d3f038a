import { afterEach, describe, expect, it } from 'vitest';
import { fakeHttp, type FakeHttp } from './fake-http.js';

describe('fakeHttp', () => {
  let fake: FakeHttp | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('routes by method and path pattern and records what was sent', async () => {
    fake = await fakeHttp({
      'GET /repos/:owner/:repo': (request) => ({
        body: { full_name: `${request.params.owner}/${request.params.repo}` },
      }),
      'POST /api/chat.postMessage': { body: { ok: true } },
    });
    const read = await fetch(`${fake.url}/repos/octo/hello%20world?per_page=5&label=a&label=b`, {
      headers: { authorization: 'token abc' },
    });
    expect(await read.json()).toEqual({ full_name: 'octo/hello world' });
    const post = await fetch(`${fake.url}/api/chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: 'C1', text: 'hi' }),
    });
    expect(await post.json()).toEqual({ ok: true });

    const [get, sent] = fake.requests;
    expect(get).toMatchObject({
      method: 'GET',
      path: '/repos/octo/hello%20world',
      query: { per_page: '5', label: ['a', 'b'] },
      params: { owner: 'octo', repo: 'hello world' },
    });
    expect(get?.headers.authorization).toBe('token abc');
    expect(sent).toMatchObject({ method: 'POST', body: { channel: 'C1', text: 'hi' } });
  });

  it('parses form bodies and answers unknown routes with a recorded 404', async () => {
    fake = await fakeHttp({
      'POST /token': (request) => ({ status: 201, body: { got: request.body } }),
    });
    const response = await fetch(`${fake.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=refresh_token&refresh_token=r1',
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({
      got: { grant_type: 'refresh_token', refresh_token: 'r1' },
    });
    const missing = await fetch(`${fake.url}/nowhere`);
    expect(missing.status).toBe(404);
    expect(fake.requests.map((request) => request.path)).toEqual(['/token', '/nowhere']);
  });

  it('lets a route added later override an earlier one, and reports handler failures as 500', async () => {
    fake = await fakeHttp({
      'GET /x': { body: 'first', headers: { 'content-type': 'text/plain' } },
    });
    fake.route('GET /x', () => {
      throw new Error('fake broke');
    });
    const response = await fetch(`${fake.url}/x`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'fake broke' });
  });

  it('sends a handler-less undefined as 204 and lets one handler see every request', async () => {
    fake = await fakeHttp(() => undefined);
    const response = await fetch(`${fake.url}/anything/at/all`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(fake.requests[0]?.method).toBe('DELETE');
    fake.clear();
    expect(fake.requests).toHaveLength(0);
  });

  it('listens on 127.0.0.1 only', async () => {
    fake = await fakeHttp();
    expect(fake.url).toBe(`http://127.0.0.1:${fake.port}`);
  });
});
