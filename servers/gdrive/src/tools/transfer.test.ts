import { randomBytes } from 'node:crypto';
import { readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpDir, waitFor, type TmpDir } from '@plugboard/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GdriveConfig } from '../config.js';
import { DOC, FOLDER } from '../../test/fake-drive.js';
import { harness, textOf } from '../../test/harness.js';

const KIB = 1024;

let local: TmpDir;
let outside: TmpDir;

beforeEach(async () => {
  local = await tmpDir('gdrive-transfers-');
  outside = await tmpDir('gdrive-outside-');
  await writeFile(join(outside.path, 'secret.txt'), 'outside secret');
});

afterEach(async () => {
  await local.cleanup();
  await outside.cleanup();
});

function writing(overrides: Partial<GdriveConfig> = {}) {
  return harness({ config: { allowWrite: true, localDir: local.path, ...overrides } });
}

const names = async (bench: Awaited<ReturnType<typeof harness>>) =>
  (await bench.client.listTools()).tools.map((tool) => tool.name);

describe('which transfer tools are offered', () => {
  it('none without --local-dir; download alone without --allow-write; both with it', async () => {
    {
      await using bench = await harness({ config: { allowWrite: true } });
      expect(await names(bench)).not.toContain('download_file');
      expect(await names(bench)).not.toContain('upload_file');
    }
    {
      await using bench = await harness({ config: { localDir: local.path } });
      expect(await names(bench)).toContain('download_file');
      expect(await names(bench)).not.toContain('upload_file');
    }
    await using bench = await writing();
    expect(await names(bench)).toEqual(expect.arrayContaining(['download_file', 'upload_file']));
  });
});

describe('upload_file', () => {
  it('sends a small binary file in one multipart request, bytes exact', async () => {
    await using bench = await writing();
    const folder = bench.fake.add({ name: 'Scans', mimeType: FOLDER });
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe]);
    await writeFile(join(local.path, 'scan.png'), bytes);
    const result = await bench.call('upload_file', { path: 'scan.png', folderId: folder.id });
    expect(result.isError).toBeFalsy();
    const file = result.structuredContent!.file as { id: string };
    expect(bench.fake.files.get(file.id)).toMatchObject({
      name: 'scan.png',
      mimeType: 'image/png',
      parents: [folder.id],
    });
    expect(bench.fake.files.get(file.id)!.content!.equals(bytes)).toBe(true);
    const upload = bench.fake.apiRequests().filter((request) => request.path.startsWith('/upload'));
    expect(upload).toHaveLength(1);
    expect(upload[0]!.query).toMatchObject({ uploadType: 'multipart', supportsAllDrives: 'true' });
  });

  it('sends a large file resumably, resuming after a failed chunk from where Drive stands', async () => {
    await using bench = await writing({ chunkBytes: 512 * KIB });
    const size = 1300 * KIB;
    const bytes = randomBytes(size);
    await writeFile(join(local.path, 'video.mp4'), bytes);
    // The second chunk breaks after Drive kept 256 KiB of it.
    bench.fake.failUploadAt.push(512 * KIB);
    const seen: number[] = [];
    const result = await bench.client.callTool(
      { name: 'upload_file', arguments: { path: 'video.mp4', name: 'Launch.mp4' } },
      undefined,
      { onprogress: (progress) => seen.push(progress.progress) },
    );
    expect(result.isError).toBeFalsy();
    const id = (result.structuredContent as { file: { id: string } }).file.id;
    expect(bench.fake.files.get(id)).toMatchObject({ name: 'Launch.mp4', mimeType: 'video/mp4' });
    expect(bench.fake.files.get(id)!.content!.equals(bytes)).toBe(true);

    const upload = bench.fake.apiRequests().filter((request) => request.path.startsWith('/upload'));
    const open = upload[0]!;
    expect(open.method).toBe('POST');
    expect(open.query).toMatchObject({ uploadType: 'resumable', supportsAllDrives: 'true' });
    expect(open.headers).toMatchObject({
      'x-upload-content-type': 'video/mp4',
      'x-upload-content-length': String(size),
    });
    expect(open.body).toEqual({ name: 'Launch.mp4', mimeType: 'video/mp4' });
    expect(
      upload.slice(1).map((request) => `${request.method} ${request.headers['content-range']}`),
    ).toEqual([
      `PUT bytes 0-${512 * KIB - 1}/${size}`,
      `PUT bytes ${512 * KIB}-${1024 * KIB - 1}/${size}`,
      `PUT bytes */${size}`,
      `PUT bytes ${768 * KIB}-${1280 * KIB - 1}/${size}`,
      `PUT bytes ${1280 * KIB}-${size - 1}/${size}`,
    ]);
    for (const request of upload.slice(1))
      expect(request.headers.authorization).toMatch(/^Bearer ya29\./);
    // Progress follows what Drive holds (the SDK drops the last notification before the result).
    expect(seen.slice(0, 2)).toEqual([512 * KIB, 768 * KIB]);
  });

  it('ends the upload session and creates nothing when the call is cancelled', async () => {
    await using bench = await writing({ chunkBytes: 256 * KIB });
    await writeFile(join(local.path, 'big.bin'), randomBytes(64 * 256 * KIB));
    const controller = new AbortController();
    await expect(
      bench.client.callTool({ name: 'upload_file', arguments: { path: 'big.bin' } }, undefined, {
        signal: controller.signal,
        onprogress: () => controller.abort(),
      }),
    ).rejects.toThrow();
    const session = await waitFor(() =>
      [...bench.fake.uploadSessions.values()].find((item) => item.state === 'cancelled'),
    );
    expect(session.bytes.length).toBeLessThan(session.total);
    expect([...bench.fake.files.values()].some((file) => file.name === 'big.bin')).toBe(false);
    const cancel = bench.fake.apiRequests().find((request) => request.method === 'DELETE')!;
    expect(cancel.path).toBe('/upload/drive/v3/files');
    // The server is still there for the next call.
    const again = await bench.call('upload_file', { path: '../big.bin' });
    expect(textOf(again)).toMatch(/outside the local directory/);
  });

  it('refuses paths out of the directory and files over the cap before any request', async () => {
    await using bench = await writing({ maxTransferBytes: 4 * KIB });
    await symlink(join(outside.path, 'secret.txt'), join(local.path, 'link.txt'));
    await writeFile(join(local.path, 'large.bin'), Buffer.alloc(5 * KIB));
    const cases: [string, RegExp][] = [
      ['../secret.txt', /outside the local directory/],
      [join(outside.path, 'secret.txt'), /outside the local directory/],
      ['link.txt', /symbolic link that leads outside/],
      ['missing.txt', /no file "missing.txt"/],
      ['large.bin', /5\.0 KB, over this server's 4\.0 KB transfer limit \(--max-transfer-bytes\)/],
    ];
    for (const [path, message] of cases) {
      const result = await bench.call('upload_file', { path });
      expect(result.isError, path).toBe(true);
      expect(textOf(result), path).toMatch(message);
    }
    expect(bench.fake.apiRequests()).toEqual([]);
  });
});

describe('download_file', () => {
  it('saves a binary file under its Drive name, with no temporary file left', async () => {
    await using bench = await harness({ config: { localDir: local.path } });
    const bytes = randomBytes(300 * KIB);
    const file = bench.fake.add({ name: 'photo.jpg', mimeType: 'image/jpeg', content: bytes });
    const seen: number[] = [];
    const result = await bench.client.callTool(
      { name: 'download_file', arguments: { fileId: file.id } },
      undefined,
      { onprogress: (progress) => seen.push(progress.progress) },
    );
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({
      path: 'photo.jpg',
      bytes: bytes.length,
      mimeType: 'image/jpeg',
    });
    expect((await readFile(join(local.path, 'photo.jpg'))).equals(bytes)).toBe(true);
    expect(await readdir(local.path)).toEqual(['photo.jpg']);
    expect(seen.length).toBeGreaterThan(0);
    const media = bench.fake.apiRequests().find((request) => request.query.alt === 'media')!;
    expect(media.path).toBe(`/drive/v3/files/${file.id}`);
    expect(media.query).toMatchObject({ supportsAllDrives: 'true' });
  });

  it('refuses existing names, paths out, Google files and folders, before downloading', async () => {
    await using bench = await harness({ config: { localDir: local.path } });
    await writeFile(join(local.path, 'taken.txt'), 'mine');
    await symlink(outside.path, join(local.path, 'out'));
    const file = bench.fake.add({ name: 'notes.txt', content: 'from drive' });
    const doc = bench.fake.add({ name: 'Plan', mimeType: DOC, exports: { 'text/plain': 'x' } });
    const folder = bench.fake.add({ name: 'Team', mimeType: FOLDER });
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ fileId: file.id, path: 'taken.txt' }, /already exists/],
      [{ fileId: file.id, path: '../notes.txt' }, /outside the local directory/],
      [{ fileId: file.id, path: 'out/notes.txt' }, /leads outside/],
      [{ fileId: doc.id }, /read it with read_file/],
      [{ fileId: folder.id }, /is a folder/],
    ];
    for (const [args, message] of cases) {
      const result = await bench.call('download_file', args);
      expect(result.isError, JSON.stringify(args)).toBe(true);
      expect(textOf(result)).toMatch(message);
    }
    expect(await readFile(join(local.path, 'taken.txt'), 'utf8')).toBe('mine');
    expect(await readdir(outside.path)).toEqual(['secret.txt']);
    expect(bench.fake.apiRequests().some((request) => request.query.alt === 'media')).toBe(false);
  });

  it('stops at the cap when Drive sends more than the size it gave, and keeps nothing', async () => {
    await using bench = await harness({
      config: { localDir: local.path, maxTransferBytes: 256 * KIB },
    });
    const file = bench.fake.add({
      name: 'liar.bin',
      mimeType: 'application/octet-stream',
      content: 'x',
      streamBytes: 64 * 1024 * KIB,
    });
    const result = await bench.call('download_file', { fileId: file.id });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/over this server's 256 KB transfer limit/);
    expect(await readdir(local.path)).toEqual([]);
  });

  it('removes the partial file when the call is cancelled', async () => {
    await using bench = await harness({ config: { localDir: local.path } });
    const file = bench.fake.add({
      name: 'huge.iso',
      mimeType: 'application/octet-stream',
      content: 'x',
      streamBytes: 4 * 1024 * 1024 * KIB,
    });
    const controller = new AbortController();
    await expect(
      bench.client.callTool({ name: 'download_file', arguments: { fileId: file.id } }, undefined, {
        signal: controller.signal,
        onprogress: () => controller.abort(),
      }),
    ).rejects.toThrow();
    await waitFor(async () => (await readdir(local.path)).length === 0);
    expect(await readdir(local.path)).toEqual([]);
  });
});
