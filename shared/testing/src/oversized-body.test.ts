import { describe, expect, it } from 'vitest';
import { fakeHttp } from './fake-http.js';
import { peakResidentBytes, streamedBody } from './oversized-body.js';

describe('streamedBody', () => {
  it('streams exactly the size asked for, as JSON, declaring the length when told to', async () => {
    const body = streamedBody(3 * 256 * 1024 + 5, { declareLength: true });
    await using fake = await fakeHttp({ 'GET /big': body });
    const response = await fetch(`${fake.url}/big`);
    expect(response.headers.get('content-length')).toBe(String(3 * 256 * 1024 + 5));
    const parsed = (await response.json()) as { data: string };
    expect(parsed.data).toMatch(/^a+$/);
    expect(parsed.data.length).toBe(3 * 256 * 1024 + 5 - '{"data":""}'.length);
    expect(body.written()).toBe(3 * 256 * 1024 + 5);
  });

  it('stops writing when the client goes away', async () => {
    const body = streamedBody(1024 * 1024 * 1024);
    await using fake = await fakeHttp({ 'GET /big': body });
    const stop = new AbortController();
    const response = await fetch(`${fake.url}/big`, { signal: stop.signal });
    const reader = response.body!.getReader();
    await reader.read();
    stop.abort();
    await fake.close();
    expect(body.written()).toBeLessThan(64 * 1024 * 1024);
  });
});

describe('peakResidentBytes', () => {
  it("reads this process's peak resident memory", () => {
    const resident = process.memoryUsage().rss;
    expect(peakResidentBytes(process.pid)).toBeGreaterThanOrEqual(resident - 4096);
  });
});
