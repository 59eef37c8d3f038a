/**
 * Failures become messages with a next step, from Drive's real error bodies and from the
 * network, after the client's own retries.
 */
import { describe, expect, it } from 'vitest';
import { driveError } from '../test/fake-drive.js';
import { pdf } from '../test/fixtures.js';
import { harness, textOf } from '../test/harness.js';

describe('failures', () => {
  it('explains rate limits, outages and an unreachable API', async () => {
    await using bench = await harness();
    const file = bench.fake.add({ name: 'a.txt', content: 'a' });
    bench.fake.http.route(
      'GET /drive/v3/files',
      driveError(403, 'userRateLimitExceeded', 'User rate limit exceeded.'),
    );
    expect(textOf(await bench.call('search', { query: 'a' }))).toContain(
      'Google Drive is rate-limiting these requests (userRateLimitExceeded)',
    );
    bench.fake.http.route(
      'GET /drive/v3/files/:id',
      driveError(503, 'backendError', 'Backend Error'),
    );
    expect(textOf(await bench.call('get_file_metadata', { fileId: file.id }))).toContain(
      'Google Drive had a server error (backendError); try again',
    );
    // The client retried the outage before giving up.
    expect(
      bench.fake.apiRequests().filter((request) => request.path === `/drive/v3/files/${file.id}`)
        .length,
    ).toBeGreaterThan(1);
  });

  it('says when Google cannot be reached at all, naming only the host', async () => {
    await using bench = await harness({ config: { apiUrl: 'http://127.0.0.1:9/' } });
    const result = await bench.call('search', { query: 'a' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(
      /^Could not reach Google \(127\.0\.0\.1:9\): ECONNREFUSED\. Check the network/,
    );
  });

  it('reports progress page by page while extracting a PDF', async () => {
    await using bench = await harness();
    const file = bench.fake.add({
      name: 'three.pdf',
      mimeType: 'application/pdf',
      content: pdf([['one'], ['two'], ['three']]),
    });
    const messages: string[] = [];
    const result = await bench.client.callTool(
      { name: 'read_file', arguments: { fileId: file.id } },
      undefined,
      {
        onprogress: (progress) => void messages.push(progress.message ?? ''),
      },
    );
    expect(result.isError).toBeFalsy();
    // The SDK drops the last notification before the result, so at least the first pages arrive.
    expect(messages.slice(0, 2)).toEqual(['PDF page 1 of 3', 'PDF page 2 of 3']);
  });
});
