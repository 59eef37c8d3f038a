import { describe, expect, it } from 'vitest';
import { DOC, FOLDER } from '../../test/fake-drive.js';
import { harness, textOf } from '../../test/harness.js';

describe('browsing', () => {
  it('lists My Drive folders first, then files, with paging', async () => {
    await using bench = await harness();
    bench.fake.add({ name: 'b.txt', content: 'b' });
    bench.fake.add({ name: 'a.txt', content: 'a' });
    bench.fake.add({ name: 'Zed folder', mimeType: FOLDER });
    const elsewhere = bench.fake.add({ name: 'Elsewhere', mimeType: FOLDER });
    bench.fake.add({ name: 'nested.txt', content: 'n', parents: [elsewhere.id] });
    bench.fake.add({ name: 'gone.txt', content: 'g', trashed: true });
    const first = await bench.call('list_folder', { pageSize: 2 });
    expect(first.structuredContent).toMatchObject({
      folder: { id: bench.fake.rootId, name: 'My Drive' },
    });
    const names = (first.structuredContent!.files as { name: string }[]).map((file) => file.name);
    expect(names).toEqual(['Elsewhere', 'Zed folder']);
    const second = await bench.call('list_folder', {
      pageSize: 2,
      pageToken: first.structuredContent!.nextPageToken,
    });
    expect(
      (second.structuredContent!.files as { name: string }[]).map((file) => file.name),
    ).toEqual(['a.txt', 'b.txt']);
    expect(second.structuredContent!.nextPageToken).toBeUndefined();
    const list = bench.fake.apiRequests().find((request) => request.path === '/drive/v3/files');
    expect(list?.query.q).toBe(`'${bench.fake.rootId}' in parents and trashed = false`);
  });

  it('lists a Shared Drive through its id, with the Shared Drive parameters', async () => {
    await using bench = await harness();
    const team = bench.fake.addDrive('Team');
    const file = bench.fake.add({
      name: 'team doc',
      mimeType: DOC,
      parents: [team.id],
      driveId: team.id,
    });
    const result = await bench.call('list_folder', { folderId: team.id });
    expect(result.structuredContent).toMatchObject({
      folder: { id: team.id, name: 'Team', driveId: team.id },
      files: [{ id: file.id, driveId: team.id }],
    });
    const list = bench.fake.apiRequests().find((request) => request.path === '/drive/v3/files');
    expect(list?.query).toMatchObject({
      corpora: 'drive',
      driveId: team.id,
      includeItemsFromAllDrives: 'true',
      supportsAllDrives: 'true',
    });
  });

  it('finds Shared Drive files in an ordinary search, and only one drive when asked', async () => {
    await using bench = await harness();
    const team = bench.fake.addDrive('Team');
    const other = bench.fake.addDrive('Other');
    const mine = bench.fake.add({ name: 'roadmap mine', content: 'roadmap' });
    const shared = bench.fake.add({
      name: 'roadmap team',
      content: 'roadmap',
      parents: [team.id],
      driveId: team.id,
    });
    bench.fake.add({
      name: 'roadmap other',
      content: 'roadmap',
      parents: [other.id],
      driveId: other.id,
    });
    const everywhere = await bench.call('search', { query: 'roadmap' });
    expect(
      (everywhere.structuredContent!.files as { id: string }[]).map((file) => file.id),
    ).toEqual(expect.arrayContaining([mine.id, shared.id]));
    expect(everywhere.structuredContent!.files).toHaveLength(3);
    const one = await bench.call('search', { query: 'roadmap', driveId: team.id });
    expect(one.structuredContent!.files).toEqual([expect.objectContaining({ id: shared.id })]);
  });

  it('reads a Shared Drive file, which needs supportsAllDrives on every request', async () => {
    await using bench = await harness();
    const team = bench.fake.addDrive('Team');
    const file = bench.fake.add({
      name: 'notes.txt',
      content: 'team notes',
      parents: [team.id],
      driveId: team.id,
    });
    expect((await bench.call('read_file', { fileId: file.id })).structuredContent?.text).toBe(
      'team notes',
    );
    expect(
      (await bench.call('get_file_metadata', { fileId: file.id })).structuredContent,
    ).toMatchObject({ driveId: team.id });
    for (const request of bench.fake.apiRequests())
      expect(request.query.supportsAllDrives, request.path).toBe('true');
  });

  it('shows one file in detail, with what the account may do', async () => {
    await using bench = await harness();
    const file = bench.fake.add({
      name: 'spec.md',
      mimeType: 'text/markdown',
      content: '# Spec',
      description: 'The spec',
      readOnly: true,
    });
    const result = await bench.call('get_file_metadata', { fileId: file.id });
    expect(result.structuredContent).toMatchObject({
      id: file.id,
      name: 'spec.md',
      size: 6,
      description: 'The spec',
      version: '1',
      lastModifyingUser: { name: 'Test User', email: 'user@example.com' },
      capabilities: { canEdit: false, canDownload: true },
    });
    expect(textOf(result)).toContain('Description: The spec');
  });

  it('lists Shared Drives, by name words too', async () => {
    await using bench = await harness();
    const team = bench.fake.addDrive("Team's drive");
    bench.fake.addDrive('Archive');
    const all = await bench.call('list_shared_drives', {});
    expect(all.structuredContent!.drives).toHaveLength(2);
    const found = await bench.call('list_shared_drives', { query: "team's" });
    expect(found.structuredContent!.drives).toEqual([
      { id: team.id, name: "Team's drive", createdTime: expect.any(String) },
    ]);
    const request = bench.fake.apiRequests().at(-1);
    expect(request?.query.q).toBe("name contains 'team\\'s'");
  });

  it('lists revisions and permissions, read only', async () => {
    await using bench = await harness();
    const file = bench.fake.add({
      name: 'contract.pdf',
      content: 'x',
      revisions: [
        {
          id: '101',
          modifiedTime: '2026-01-01T00:00:00.000Z',
          size: 10,
          lastModifyingUser: { displayName: 'Ada', emailAddress: 'ada@example.com' },
        },
        { id: '102', modifiedTime: '2026-02-01T00:00:00.000Z', size: 12 },
      ],
      permissions: [
        {
          id: '01234567890',
          type: 'user',
          role: 'owner',
          emailAddress: 'user@example.com',
          displayName: 'Test User',
        },
        { id: 'anyoneWithLink', type: 'anyone', role: 'reader' },
        { id: '999', type: 'domain', role: 'commenter', domain: 'example.com', inherited: true },
      ],
    });
    const revisions = await bench.call('list_revisions', { fileId: file.id });
    expect(revisions.structuredContent!.revisions).toEqual([
      {
        id: '101',
        modifiedTime: '2026-01-01T00:00:00.000Z',
        size: 10,
        lastModifyingUser: { name: 'Ada', email: 'ada@example.com' },
        mimeType: 'text/plain',
        keepForever: false,
      },
      {
        id: '102',
        modifiedTime: '2026-02-01T00:00:00.000Z',
        size: 12,
        mimeType: 'text/plain',
        keepForever: false,
      },
    ]);
    const permissions = await bench.call('list_permissions', { fileId: file.id });
    expect(permissions.structuredContent!.permissions).toEqual([
      {
        id: '01234567890',
        type: 'user',
        role: 'owner',
        emailAddress: 'user@example.com',
        displayName: 'Test User',
      },
      { id: 'anyoneWithLink', type: 'anyone', role: 'reader' },
      { id: '999', type: 'domain', role: 'commenter', domain: 'example.com', inherited: true },
    ]);
    expect(textOf(permissions)).toContain('anyone with the link: reader');
  });
});
