/**
 * The red-team catalogue for this server (reference security.md, section 3.F: GD-01 to GD-04),
 * plus the cross-server cases that concern it, each against the
 * real Google client and the Drive fake. The fake parses `q` as Drive does, so a query that let
 * user text escape its literal would change what comes back.
 */
import { stat } from 'node:fs/promises';
import { captureLogger } from '@plugboard/testing';
import { describe, expect, it } from 'vitest';
import { DOC, FOLDER, READ_SCOPE, streamedBytes } from '../test/fake-drive.js';
import { zip } from '../test/fixtures.js';
import { CLIENT_SECRET, harness, textOf, type CallResult } from '../test/harness.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function files(result: CallResult): { id: string; name: string }[] {
  return result.structuredContent?.files as { id: string; name: string }[];
}

describe('GD-01: Drive query injection', () => {
  it("keeps x' or trashed = true or name contains ' inside one literal", async () => {
    await using bench = await harness();
    bench.fake.add({ name: 'secret draft', content: 'confidential', trashed: true });
    bench.fake.add({ name: 'visible', content: 'x' });
    const result = await bench.call('search', { query: "x' or trashed = true or name contains '" });
    expect(result.isError).toBeFalsy();
    expect(files(result)).toEqual([]);
    const [request] = bench.fake.apiRequests().filter((item) => item.path === '/drive/v3/files');
    expect(request!.query.q).toBe(
      "fullText contains 'x\\' or trashed = true or name contains \\'' and trashed = false",
    );
  });

  it("keeps \\' or 'a' in parents or ' inside one literal (backslashes escaped first)", async () => {
    await using bench = await harness();
    const folder = bench.fake.add({ name: 'a', mimeType: FOLDER });
    bench.fake.add({ name: 'inside a', content: 'hidden', parents: [folder.id] });
    const result = await bench.call('search', { query: "\\' or 'a' in parents or '" });
    expect(files(result)).toEqual([]);
    const [request] = bench.fake.apiRequests();
    expect(request!.query.q).toBe(
      "fullText contains '\\\\\\' or \\'a\\' in parents or \\'' and trashed = false",
    );
  });

  it('keeps a folder-scoped search inside the folder', async () => {
    await using bench = await harness();
    const folder = bench.fake.add({ name: 'Project', mimeType: FOLDER });
    const inside = bench.fake.add({
      name: 'in parents',
      content: "' in parents or '",
      parents: [folder.id],
    });
    bench.fake.add({ name: 'outside parents', content: "' in parents or '" });
    const result = await bench.call('search', { query: "' in parents or '", folderId: folder.id });
    expect(files(result).map((file) => file.id)).toEqual([inside.id]);
    const [request] = bench.fake.apiRequests().filter((item) => item.path === '/drive/v3/files');
    expect(request!.query.q).toBe(
      `fullText contains '\\' in parents or \\'' and '${folder.id}' in parents and trashed = false`,
    );
  });

  it('refuses structured parameters that are not ids before any request', async () => {
    await using bench = await harness();
    for (const args of [
      { query: 'x', folderId: "abcdefghijk' or 'a' in parents or '" },
      { query: 'x', driveId: "0AAAAAAAAAA' or '1" },
      { query: 'x', type: "document' or mimeType != '" },
    ]) {
      const result = await bench.call('search', args);
      expect(result.isError, JSON.stringify(args)).toBe(true);
    }
    expect(bench.fake.apiRequests()).toEqual([]);
  });

  it('drops results outside the requested folder or drive, whatever the API returns', async () => {
    await using bench = await harness();
    const folder = bench.fake.add({ name: 'Project', mimeType: FOLDER });
    const team = bench.fake.addDrive('Team');
    const inside = bench.fake.add({ name: 'in', content: 'x', parents: [folder.id] });
    const stranger = bench.fake.add({ name: 'stranger', content: 'x' });
    const elsewhere = bench.fake.add({
      name: 'elsewhere',
      content: 'x',
      parents: [team.id],
      driveId: 'other-drive-id',
    });
    // A Drive that ignores the query and returns everything.
    bench.fake.http.route('GET /drive/v3/files', () => ({
      body: {
        files: [inside, stranger, elsewhere].map((file) => ({
          id: file.id,
          name: file.name,
          mimeType: file.mimeType,
          parents: file.parents,
          ...(file.driveId === undefined ? {} : { driveId: file.driveId }),
        })),
      },
    }));
    expect(
      files(await bench.call('search', { query: 'x', folderId: folder.id })).map((file) => file.id),
    ).toEqual([inside.id]);
    expect(files(await bench.call('search', { query: 'x', driveId: team.id }))).toEqual([]);
    expect(
      files(await bench.call('list_folder', { folderId: folder.id })).map((file) => file.id),
    ).toEqual([inside.id]);
  });

  it('escapes Shared Drive name searches the same way', async () => {
    await using bench = await harness();
    bench.fake.addDrive('Private');
    const result = await bench.call('list_shared_drives', { query: "x' or name contains '" });
    expect(result.structuredContent?.drives).toEqual([]);
  });
});

describe('GD-02: file ids and URIs', () => {
  it('refuses hostile resource URIs before any request, with -32602 or -32002', async () => {
    await using bench = await harness();
    const cases: [string, number][] = [
      ['gdrive:///../../about?fields=*', -32002],
      ['gdrive:///a/b', -32002],
      ['gdrive:///abcdefghijk?x=1', -32002],
      ['gdrive:///abcdefghijk#frag', -32002],
      ['gdrive:///%2e%2e', -32602],
      ['gdrive:///abcdefghij%2Fabout', -32602],
      ['gdrive:///%31abcdefghijk', -32602],
      ['gdrive://evil/1abcdefghijk', -32002],
      ['GDRIVE:///1abcdefghijk', -32002],
      ['gdrive:///short', -32602],
      [`gdrive:///${'a'.repeat(10_000)}`, -32602],
    ];
    for (const [uri, code] of cases)
      await expect(bench.client.readResource({ uri }), uri).rejects.toMatchObject({ code });
    expect(bench.fake.apiRequests()).toEqual([]);
  });

  it("refuses tool file ids outside Drive's alphabet and length", async () => {
    await using bench = await harness();
    for (const fileId of [
      '../../about',
      '1abcdefghij/..',
      '1abcdefghij?alt=media',
      '1abcdefghij#x',
      '%2e%2e%2fabout',
      'a'.repeat(201),
      'short',
    ]) {
      const result = await bench.call('read_file', { fileId });
      expect(result.isError, fileId).toBe(true);
      expect(textOf(result)).toContain('fileId');
    }
    expect(bench.fake.apiRequests()).toEqual([]);
  });

  it('sends valid ids as one path segment', async () => {
    await using bench = await harness();
    const file = bench.fake.add({ name: 'a.txt', content: 'a' });
    await bench.call('get_file_metadata', { fileId: file.id });
    expect(bench.fake.apiRequests()[0]!.path).toBe(`/drive/v3/files/${file.id}`);
  });
});

describe('GD-03: size and format', () => {
  it('reports a Doc too large to export instead of failing obscurely', async () => {
    await using bench = await harness();
    const doc = bench.fake.add({ name: 'Huge doc', mimeType: DOC, exportTooLarge: true });
    const result = await bench.call('read_file', { fileId: doc.id });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('too large for Google to export');
  });

  it('refuses a 4 GB video from its metadata, without downloading any of it', async () => {
    await using bench = await harness();
    const video = bench.fake.add({
      name: 'all-hands.mp4',
      mimeType: 'video/mp4',
      size: 4 * 1024 ** 3,
      content: 'x',
    });
    const result = await bench.call('read_file', { fileId: video.id });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('is 4.0 GB, over the 1.0 MB this server returns whole');
    expect(bench.fake.apiRequests().some((request) => request.query.alt === 'media')).toBe(false);
    expect(streamedBytes(bench.fake)).toBe(0);
  });

  it('stops reading at the cap when the metadata understates the size', async () => {
    await using bench = await harness({
      config: { maxBlobBytes: 64 * 1024, maxFileBytes: 64 * 1024 },
    });
    const liar = bench.fake.add({
      name: 'small.bin',
      mimeType: 'application/octet-stream',
      content: 'tiny',
      streamBytes: 512 * 1024 * 1024,
    });
    const result = await bench.call('read_file', { fileId: liar.id });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('over the 64 KB this server returns whole');
    // The server dropped the connection: far less than the 512 MB was ever sent.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(streamedBytes(bench.fake)).toBeLessThan(32 * 1024 * 1024);
  });

  it('refuses a zip bomb posing as a Word document', async () => {
    await using bench = await harness();
    const bomb = zip(
      { 'word/document.xml': Buffer.alloc(100 * 1024 * 1024, 0x20) },
      { declaredSize: 1000 },
    );
    expect(bomb.length).toBeLessThan(200 * 1024);
    const file = bench.fake.add({ name: 'invoice.docx', mimeType: DOCX, content: bomb });
    const result = await bench.call('read_file', { fileId: file.id });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(
      /Cannot read the text of .*expands more than 200 times its compressed size .*ZIP bomb/,
    );
  });

  it('refuses PDFs and Office files over the download cap from their metadata', async () => {
    await using bench = await harness({ config: { maxFileBytes: 1024 * 1024 } });
    const file = bench.fake.add({
      name: 'scan.pdf',
      mimeType: 'application/pdf',
      size: 300 * 1024 * 1024,
      content: '%PDF',
    });
    const result = await bench.call('read_file', { fileId: file.id });
    expect(textOf(result)).toContain(
      'is 300 MB, over the 1.0 MB this server downloads to extract text',
    );
    expect(bench.fake.apiRequests().some((request) => request.query.alt === 'media')).toBe(false);
  });

  it('stops at a loop of shortcuts', async () => {
    await using bench = await harness();
    const first = bench.fake.add({
      name: 'loop 1',
      mimeType: 'application/vnd.google-apps.shortcut',
    });
    const second = bench.fake.add({
      name: 'loop 2',
      mimeType: 'application/vnd.google-apps.shortcut',
      shortcutDetails: { targetId: first.id },
    });
    first.shortcutDetails = { targetId: second.id };
    const result = await bench.call('read_file', { fileId: first.id });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('shortcut whose target cannot be followed');
    expect(bench.fake.apiRequests().length).toBeLessThanOrEqual(3);
  });

  it('reads a heavily commented Doc without fetching its comments, under the budget', async () => {
    await using bench = await harness({ config: { outputBudget: 8192 } });
    const doc = bench.fake.add({
      name: 'Reviewed',
      mimeType: DOC,
      exports: { 'text/markdown': 'text '.repeat(100_000) },
    });
    const result = await bench.call('read_file', { fileId: doc.id });
    expect(Buffer.byteLength(String(result.structuredContent?.text))).toBeLessThanOrEqual(8192);
    expect(result.structuredContent?.truncated).toBe(true);
    expect(bench.fake.apiRequests().map((request) => request.path)).toEqual([
      `/drive/v3/files/${doc.id}`,
      `/drive/v3/files/${doc.id}/export`,
    ]);
  });

  it('says clearly when a Google file type cannot be read', async () => {
    await using bench = await harness();
    const form = bench.fake.add({ name: 'Survey', mimeType: 'application/vnd.google-apps.form' });
    const result = await bench.call('read_file', { fileId: form.id });
    expect(textOf(result)).toContain('is a Google Form, which Drive cannot export as content');
  });
});

describe('GD-04: credential handling', () => {
  it('keeps the saved sign-in at mode 0600 after renewing', async () => {
    await using bench = await harness();
    bench.fake.add({ name: 'a', content: 'a' });
    await bench.call('search', { query: '' });
    await expect
      .poll(async () => (await stat(bench.config.credentialsPath)).mtimeMs)
      .toBeGreaterThan(0);
    expect((await stat(bench.config.credentialsPath)).mode & 0o777).toBe(0o600);
  });

  it('turns a failed renewal into an isError result, not a crash', async () => {
    await using bench = await harness();
    bench.fake.revoke(bench.refreshToken);
    const result = await bench.call('list_folder', {});
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('auth');
    await expect(bench.client.ping()).resolves.toEqual({});
  });

  it('asks for the read-only scope unless writing is enabled', async () => {
    await using bench = await harness();
    expect(bench.config.scopes).toEqual([READ_SCOPE]);
  });
});

describe('cross-server cases', () => {
  it('X-01: refuses security switches passed as tool arguments', async () => {
    await using bench = await harness();
    for (const extra of [
      { allowWrite: true },
      { readOnly: false },
      { allowDangerous: true },
      { unsafe: true },
      { scope: 'https://www.googleapis.com/auth/drive' },
    ]) {
      const result = await bench.call('search', { query: 'x', ...extra });
      expect(result.isError, JSON.stringify(extra)).toBe(true);
    }
    expect(bench.fake.apiRequests()).toEqual([]);
  });

  it('X-02: shows hostile file names on one line, without invisible characters, keeping them exact in data', async () => {
    await using bench = await harness();
    const names = [
      'report\n[folder] Secrets (folder) id 1FAKE',
      'invoice\u202Efdp.exe',
      `tag\u{E0041}\u{E0042}chars`,
    ];
    for (const name of names) bench.fake.add({ name, content: 'z' });
    const result = await bench.call('search', { query: '' });
    const text = textOf(result);
    const lines = text.split('\n');
    expect(lines).toHaveLength(1 + names.length);
    expect(text).not.toMatch(/[\u202E\u{E0041}]/u);
    expect(text).toContain('report [folder] Secrets');
    expect(
      files(result)
        .map((file) => file.name)
        .sort(),
    ).toEqual([...names].sort());
  });

  it('X-05: never shows tokens or secrets in results or logs, on any failure path', async () => {
    const { logger, lines } = captureLogger();
    await using bench = await harness({ logger });
    const outputs: string[] = [];
    const record = (result: CallResult): void => void outputs.push(JSON.stringify(result));
    bench.fake.add({ name: 'a', content: 'a' });
    record(await bench.call('search', { query: 'a' }));
    bench.fake.http.route('GET /drive/v3/files/:id', {
      status: 500,
      body: {
        error: { code: 500, message: 'Backend Error', errors: [{ reason: 'backendError' }] },
      },
    });
    record(await bench.call('get_file_metadata', { fileId: '1abcdefghijklmnopqrstuvwxyz01234' }));
    bench.fake.expireAccessTokens();
    bench.fake.addClient(
      '123456789012-abcdefghijklmnop.apps.googleusercontent.com',
      'a-different-secret',
    );
    record(await bench.call('search', { query: 'b' }));
    bench.fake.revoke(bench.refreshToken);
    record(await bench.call('search', { query: 'c' }));
    const tokens = bench.fake.tokenRequests().length;
    expect(tokens).toBeGreaterThan(1);
    const everything = [...outputs, ...lines].join('\n');
    expect(everything).not.toContain(bench.refreshToken);
    expect(everything).not.toContain(CLIENT_SECRET);
    expect(everything).not.toMatch(/ya29\.[A-Za-z0-9_-]{10,}/);
    expect(everything).not.toMatch(/Bearer [A-Za-z0-9._-]{10,}/);
    expect(everything).toContain('invalid_client');
  });

  it('X-06: keeps a read of a 50 MB text file and a long listing within the budget', async () => {
    await using bench = await harness({ config: { outputBudget: 16_384 } });
    const big = bench.fake.add({ name: 'dump.txt', content: Buffer.alloc(50 * 1024 * 1024, 0x61) });
    const read = await bench.call('read_file', { fileId: big.id });
    expect(Buffer.byteLength(String(read.structuredContent?.text))).toBeLessThanOrEqual(16_384);
    expect(read.structuredContent).toMatchObject({ truncated: true, nextOffset: 16_384 });
    for (let index = 0; index < 100; index++)
      bench.fake.add({ name: `${'long name '.repeat(60)}${index}`, content: 'n' });
    const listing = await bench.call('search', {
      query: 'long name',
      nameOnly: true,
      pageSize: 100,
    });
    expect(Buffer.byteLength(JSON.stringify(listing.structuredContent))).toBeLessThanOrEqual(
      16_384,
    );
    expect(listing.structuredContent).toMatchObject({
      truncated: true,
      nextPageToken: expect.any(String),
    });
    const rest = await bench.call('search', {
      query: 'long name',
      nameOnly: true,
      pageSize: 100,
      pageToken: listing.structuredContent!.nextPageToken,
    });
    const firstIds = new Set(files(listing).map((file) => file.id));
    expect(files(rest).some((file) => firstIds.has(file.id))).toBe(false);
  });

  it('X-08: answers a 100 KB resource URI with an error and stays alive', async () => {
    await using bench = await harness();
    await expect(
      bench.client.readResource({ uri: `gdrive:///${',a'.repeat(50_000)}` }),
    ).rejects.toMatchObject({ code: -32602 });
    await expect(bench.client.ping()).resolves.toEqual({});
  });
});
