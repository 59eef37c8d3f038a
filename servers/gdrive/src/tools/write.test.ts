import { describe, expect, it } from 'vitest';
import { DOC, FOLDER, parseMultipart, READ_SCOPE } from '../../test/fake-drive.js';
import { harness, textOf } from '../../test/harness.js';
import { tools } from './index.js';

/** The names of the tools that declare `requires` exactly `gates` (the contract test pins them). */
const requiring = (...gates: string[]) =>
  tools
    .filter((tool) => [...(tool.requires ?? [])].sort().join() === [...gates].sort().join())
    .map((tool) => tool.name);
const writeNames = requiring('allowWrite');
const sharingNames = requiring('allowSharing');

describe('writing', () => {
  it('offers no write or sharing tool unless the operator enables them', async () => {
    await using bench = await harness();
    const names = (await bench.client.listTools()).tools.map((tool) => tool.name);
    for (const name of [...writeNames, ...sharingNames]) expect(names).not.toContain(name);
    await using writer = await harness({ config: { allowWrite: true } });
    const writable = (await writer.client.listTools()).tools.map((tool) => tool.name);
    expect(writable).toEqual(expect.arrayContaining(writeNames));
    for (const name of sharingNames) expect(writable).not.toContain(name);
  });

  it('refuses to write from a tool when writing is off, even if the tool is registered', async () => {
    await using bench = await harness({ allTools: true });
    const result = await bench.call('create_folder', { name: 'x' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('--allow-write');
    expect(bench.fake.apiRequests().filter((request) => request.method !== 'GET')).toEqual([]);
  });

  it('creates folders and text files, and Google Docs from Markdown', async () => {
    await using bench = await harness({ config: { allowWrite: true } });
    const folder = await bench.call('create_folder', { name: 'Reports' });
    const folderId = (folder.structuredContent!.file as { id: string }).id;
    expect(bench.fake.files.get(folderId)).toMatchObject({
      name: 'Reports',
      mimeType: FOLDER,
      parents: [bench.fake.rootId],
    });
    const note = await bench.call('create_file', {
      name: 'notes.md',
      content: '# Notes\n',
      parentId: folderId,
    });
    expect(note.structuredContent!.file).toMatchObject({
      name: 'notes.md',
      mimeType: 'text/markdown',
      parents: [folderId],
    });
    const upload = bench.fake
      .apiRequests()
      .find((request) => request.path === '/upload/drive/v3/files');
    expect(upload?.query.uploadType).toBe('multipart');
    expect(parseMultipart(upload!)).toMatchObject({
      metadata: { name: 'notes.md', mimeType: 'text/markdown', parents: [folderId] },
      media: '# Notes\n',
      mediaType: 'text/markdown',
    });
    const doc = await bench.call('create_file', {
      name: 'Minutes',
      content: '# Minutes',
      convertTo: 'document',
    });
    expect(doc.structuredContent!.file).toMatchObject({ mimeType: DOC, type: 'Google Doc' });
    const refused = await bench.call('create_file', {
      name: 'x.bin',
      content: 'x',
      mimeType: 'application/octet-stream',
    });
    expect(refused.isError).toBe(true);
  });

  it('replaces the text of a file, refusing when it changed since the version given', async () => {
    await using bench = await harness({ config: { allowWrite: true } });
    const file = bench.fake.add({ name: 'todo.txt', content: 'old' });
    const stale = await bench.call('update_file', {
      fileId: file.id,
      content: 'new',
      expectedVersion: '0',
    });
    expect(stale.isError).toBe(true);
    expect(textOf(stale)).toContain('changed since version 0');
    expect(bench.fake.files.get(file.id)!.content!.toString()).toBe('old');
    const updated = await bench.call('update_file', {
      fileId: file.id,
      content: 'new',
      expectedVersion: '1',
    });
    expect(updated.isError).toBeFalsy();
    expect(bench.fake.files.get(file.id)!.content!.toString()).toBe('new');
    const binary = bench.fake.add({ name: 'photo.jpg', mimeType: 'image/jpeg', content: 'jpeg' });
    const refused = await bench.call('update_file', { fileId: binary.id, content: 'text' });
    expect(textOf(refused)).toContain('only text files and Google Docs can be replaced');
  });

  it('moves, renames and trashes', async () => {
    await using bench = await harness({ config: { allowWrite: true } });
    const from = bench.fake.add({ name: 'From', mimeType: FOLDER });
    const to = bench.fake.add({ name: 'To', mimeType: FOLDER });
    const file = bench.fake.add({ name: 'a.txt', content: 'a', parents: [from.id] });
    await bench.call('move_file', { fileId: file.id, folderId: to.id });
    expect(bench.fake.files.get(file.id)!.parents).toEqual([to.id]);
    const notFolder = await bench.call('move_file', { fileId: to.id, folderId: file.id });
    expect(textOf(notFolder)).toContain('is not a folder');
    await bench.call('rename_file', { fileId: file.id, name: 'b.txt' });
    expect(bench.fake.files.get(file.id)!.name).toBe('b.txt');
    const trashed = await bench.call('trash_file', { fileId: file.id });
    expect(trashed.structuredContent!.file).toMatchObject({ trashed: true });
    expect(textOf(trashed)).toContain('restore it from the trash within 30 days');
    expect(bench.fake.files.has(file.id)).toBe(true);
  });

  it('says which command to run when the saved sign-in is read-only', async () => {
    await using bench = await harness({ config: { allowWrite: true }, scope: READ_SCOPE });
    const result = await bench.call('create_folder', { name: 'x' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('Run `npx -y @plugboard/server-gdrive auth --allow-write`');
    expect(textOf(result)).toContain(
      'lacks the scope this needs (https://www.googleapis.com/auth/drive;',
    );
  });

  it('refuses names that hide characters', async () => {
    await using bench = await harness({ config: { allowWrite: true } });
    for (const name of ['a\nb', 'invoice\u202Efdp.exe', 'zero\u200Bwidth']) {
      const result = await bench.call('create_folder', { name });
      expect(result.isError, JSON.stringify(name)).toBe(true);
    }
    expect(bench.fake.apiRequests()).toEqual([]);
  });
});

describe('sharing', () => {
  it('shares with a person and removes the access again', async () => {
    await using bench = await harness({ config: { allowSharing: true } });
    const file = bench.fake.add({ name: 'doc', content: 'x' });
    const shared = await bench.call('share_file', {
      fileId: file.id,
      role: 'writer',
      type: 'user',
      emailAddress: 'bob@example.com',
      message: 'see this',
    });
    expect(shared.structuredContent).toMatchObject({
      permission: { type: 'user', role: 'writer', emailAddress: 'bob@example.com' },
    });
    const create = bench.fake.apiRequests().find((request) => request.method === 'POST');
    expect(create?.query).toMatchObject({
      sendNotificationEmail: 'true',
      emailMessage: 'see this',
      supportsAllDrives: 'true',
    });
    const permissionId = (shared.structuredContent!.permission as { id: string }).id;
    await bench.call('unshare_file', { fileId: file.id, permissionId });
    expect(bench.fake.files.get(file.id)!.permissions.map((permission) => permission.id)).toEqual([
      '01234567890',
    ]);
    const owner = await bench.call('unshare_file', {
      fileId: file.id,
      permissionId: '01234567890',
    });
    expect(textOf(owner)).toContain('cannot be removed here');
  });

  it('refuses link and domain sharing unless public sharing is allowed', async () => {
    await using bench = await harness({ config: { allowSharing: true } });
    const file = bench.fake.add({ name: 'doc', content: 'x' });
    for (const args of [{ type: 'anyone' }, { type: 'domain', domain: 'example.com' }]) {
      const result = await bench.call('share_file', { fileId: file.id, role: 'writer', ...args });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain('--allow-public-sharing');
    }
    expect(bench.fake.apiRequests().filter((request) => request.method === 'POST')).toEqual([]);
    await using open = await harness({ config: { allowSharing: true, allowPublicSharing: true } });
    const other = open.fake.add({ name: 'doc', content: 'x' });
    const result = await open.call('share_file', {
      fileId: other.id,
      role: 'reader',
      type: 'anyone',
    });
    expect(result.structuredContent).toMatchObject({
      permission: { id: 'anyoneWithLink', type: 'anyone', role: 'reader' },
    });
    expect(open.fake.apiRequests().find((request) => request.method === 'POST')?.body).toEqual({
      role: 'reader',
      type: 'anyone',
      allowFileDiscovery: false,
    });
  });
});
