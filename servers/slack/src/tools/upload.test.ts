import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argsOfCall, BOT_TOKEN, tsAt } from '../../test/fake-slack.js';
import { harness, type Harness } from '../../test/harness.js';

describe('uploading files', () => {
  let h: Harness;
  let base: string;
  let dir: string;
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'slack-upload-'));
    dir = join(base, 'allowed');
    await mkdir(join(dir, 'reports'), { recursive: true });
    await writeFile(join(dir, 'reports', 'weekly.csv'), 'week,done\n48,12\n');
    await writeFile(join(base, 'secret.txt'), 'outside the upload directory\n');
    await symlink(join(base, 'secret.txt'), join(dir, 'link-out.txt'));
    await symlink(join(base), join(dir, 'dir-out'));
    await symlink(join(dir, 'reports', 'weekly.csv'), join(dir, 'link-in.csv'));
    h = await harness({ flags: { 'upload-dir': dir, 'post-channels': ['C0GENERAL'] } });
  });
  afterAll(async () => {
    await h.close();
    await rm(base, { recursive: true, force: true });
  });

  it('uploads a file from the directory with the three-step flow, in the exact shapes', async () => {
    h.fake.http.clear();
    const shared = await h.ok<{ file_id: string; name: string; size: number; channel: string }>(
      'slack_upload_file',
      { channel_id: 'C0GENERAL', path: 'reports/weekly.csv', title: 'Week 48' },
    );
    const [get, send, complete] = h.fake.http.requests.filter((r) => r.path !== '/api/auth.test');
    expect(get!.path).toBe('/api/files.getUploadURLExternal');
    expect(argsOfCall(get!)).toEqual({ filename: 'weekly.csv', length: '16' });
    expect(send!.method).toBe('POST');
    expect(send!.path).toBe(`/upload/v1/${shared.file_id}`);
    expect(send!.rawBody).toBe('week,done\n48,12\n');
    // The upload URL is pre-signed: the token is not sent there.
    expect(send!.headers.authorization).toBeUndefined();
    expect(complete!.path).toBe('/api/files.completeUploadExternal');
    expect(complete!.headers.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    expect(argsOfCall(complete!)).toEqual({
      files: JSON.stringify([{ id: shared.file_id, title: 'Week 48' }]),
      channel_id: 'C0GENERAL',
    });
    expect(shared).toMatchObject({ name: 'weekly.csv', size: 16, channel: 'C0GENERAL' });
    const file = h.fake.workspace.files.find((f) => f.id === shared.file_id)!;
    expect(file).toMatchObject({ channels: ['C0GENERAL'], content: 'week,done\n48,12\n' });
  });

  it('uploads a text snippet into a thread', async () => {
    h.fake.http.clear();
    const shared = await h.ok<{ file_id: string; thread_ts: string }>('slack_upload_file', {
      channel_id: 'C0GENERAL',
      content: 'SELECT 1;\n',
      filename: 'query.sql',
      thread_ts: tsAt(5),
    });
    expect(argsOfCall(h.fake.calls('files.getUploadURLExternal')[0]!)).toEqual({
      filename: 'query.sql',
      length: '10',
    });
    expect(argsOfCall(h.fake.calls('files.completeUploadExternal')[0]!)).toMatchObject({
      channel_id: 'C0GENERAL',
      thread_ts: tsAt(5),
    });
    expect(shared.thread_ts).toBe(tsAt(5));
    const message = h.fake.workspace.messages.C0GENERAL!.at(-1)!;
    expect(message).toMatchObject({ thread_ts: tsAt(5), files: [{ id: shared.file_id }] });
  });

  it('follows a link that stays inside the directory', async () => {
    const shared = await h.ok<{ name: string; size: number }>('slack_upload_file', {
      channel_id: 'C0GENERAL',
      path: 'link-in.csv',
    });
    expect(shared).toMatchObject({ name: 'weekly.csv', size: 16 });
  });

  it('refuses every path out of the directory, and sends Slack nothing', async () => {
    h.fake.http.clear();
    const attempts: [string, RegExp][] = [
      ['../secret.txt', /outside the upload directory/],
      [join(base, 'secret.txt'), /outside the upload directory/],
      ['reports/../../secret.txt', /outside the upload directory/],
      ['link-out.txt', /symbolic link that leads outside the upload directory/],
      ['dir-out/secret.txt', /symbolic link that leads outside the upload directory/],
      ['reports', /not a regular file/],
      ['missing.txt', /no file "missing.txt"/],
      ['a\0b', /NUL/],
    ];
    for (const [path, reason] of attempts)
      expect(await h.fail('slack_upload_file', { channel_id: 'C0GENERAL', path }), path).toMatch(
        reason,
      );
    expect(h.fake.http.requests.filter((r) => r.path !== '/api/auth.test')).toEqual([]);
  });

  it('needs exactly one of path and content, a file name for a snippet, and a writable channel', async () => {
    h.fake.http.clear();
    expect(await h.fail('slack_upload_file', { channel_id: 'C0GENERAL' })).toMatch(
      /either path .* or content/,
    );
    expect(
      await h.fail('slack_upload_file', {
        channel_id: 'C0GENERAL',
        path: 'reports/weekly.csv',
        content: 'x',
      }),
    ).toMatch(/either path .* or content/);
    expect(await h.fail('slack_upload_file', { channel_id: 'C0GENERAL', content: 'x' })).toMatch(
      /needs a file name/,
    );
    expect(
      await h.fail('slack_upload_file', {
        channel_id: 'C0GENERAL',
        content: 'x',
        filename: '../../etc/passwd',
      }),
    ).toMatch(/not a plain file name/);
    expect(
      await h.fail('slack_upload_file', {
        channel_id: 'C0RANDOM',
        path: 'reports/weekly.csv',
      }),
    ).toMatch(/--post-channels/);
    expect(h.fake.http.requests.filter((r) => r.path !== '/api/auth.test')).toEqual([]);
  });
});
