import { describe, expect, it } from 'vitest';
import { DOC, FOLDER } from '../../test/fake-drive.js';
import { harness, textOf } from '../../test/harness.js';

describe('copy_file', () => {
  it('is offered only with --allow-write', async () => {
    await using bench = await harness();
    expect((await bench.client.listTools()).tools.map((tool) => tool.name)).not.toContain(
      'copy_file',
    );
    await using all = await harness({ allTools: true });
    const file = all.fake.add({ name: 'a.txt', content: 'a' });
    const refused = await all.call('copy_file', { fileId: file.id });
    expect(textOf(refused)).toContain('--allow-write');
    expect(all.fake.apiRequests()).toEqual([]);
  });

  it('copies beside the original, sending an empty body so Drive keeps the parents', async () => {
    await using bench = await harness({ config: { allowWrite: true } });
    const folder = bench.fake.add({ name: 'Team', mimeType: FOLDER });
    const doc = bench.fake.add({
      name: 'Plan',
      mimeType: DOC,
      parents: [folder.id],
      exports: { 'text/plain': 'the plan' },
    });
    const result = await bench.call('copy_file', { fileId: doc.id });
    expect(result.isError).toBeFalsy();
    const copy = result.structuredContent!.file as { id: string; name: string };
    expect(copy).toMatchObject({ name: 'Copy of Plan', mimeType: DOC, parents: [folder.id] });
    expect(copy.id).not.toBe(doc.id);
    expect(bench.fake.files.get(copy.id)!.exports!['text/plain']!.toString()).toBe('the plan');
    const request = bench.fake.apiRequests().find((item) => item.method === 'POST')!;
    expect(request.path).toBe(`/drive/v3/files/${doc.id}/copy`);
    expect(request.query).toMatchObject({ supportsAllDrives: 'true' });
    expect(request.body).toEqual({});
    expect(textOf(result)).toMatch(/^Copied: Copy of Plan \(Google Doc\) id /);
  });

  it('copies from My Drive into a Shared Drive folder under a new name', async () => {
    await using bench = await harness({ config: { allowWrite: true } });
    const shared = bench.fake.addDrive('Finance');
    const target = bench.fake.add({
      name: 'Q4',
      mimeType: FOLDER,
      parents: [shared.id],
      driveId: shared.id,
    });
    const file = bench.fake.add({ name: 'report.csv', mimeType: 'text/csv', content: 'a,b\n' });
    const result = await bench.call('copy_file', {
      fileId: file.id,
      name: 'report (Q4).csv',
      folderId: target.id,
    });
    expect(result.structuredContent!.file).toMatchObject({
      name: 'report (Q4).csv',
      parents: [target.id],
      driveId: shared.id,
    });
    const copy = bench.fake.apiRequests().find((item) => item.path.endsWith('/copy'))!;
    expect(copy.body).toEqual({ name: 'report (Q4).csv', parents: [target.id] });
    expect(copy.query).toMatchObject({ supportsAllDrives: 'true' });
    expect(bench.fake.files.get(file.id)!.parents).toEqual([bench.fake.rootId]);
  });

  it('copies out of a Shared Drive into My Drive', async () => {
    await using bench = await harness({ config: { allowWrite: true } });
    const shared = bench.fake.addDrive('Legal');
    const file = bench.fake.add({
      name: 'nda.txt',
      content: 'terms',
      parents: [shared.id],
      driveId: shared.id,
    });
    const result = await bench.call('copy_file', { fileId: file.id, folderId: 'root' });
    const copy = result.structuredContent!.file as { id: string; driveId?: string };
    expect(copy.driveId).toBeUndefined();
    expect(bench.fake.files.get(copy.id)).toMatchObject({ parents: [bench.fake.rootId] });
    expect(bench.fake.files.get(copy.id)!.content!.toString()).toBe('terms');
  });

  it('refuses folders, files whose owner turned copying off, and destinations that are not folders, before copying', async () => {
    await using bench = await harness({ config: { allowWrite: true } });
    const folder = bench.fake.add({ name: 'Folder', mimeType: FOLDER });
    const locked = bench.fake.add({ name: 'locked.pdf', content: '%PDF', noCopy: true });
    const file = bench.fake.add({ name: 'a.txt', content: 'a' });
    expect(textOf(await bench.call('copy_file', { fileId: folder.id }))).toContain(
      'Drive copies files only',
    );
    expect(textOf(await bench.call('copy_file', { fileId: locked.id }))).toContain(
      'may not copy "locked.pdf"',
    );
    expect(
      textOf(await bench.call('copy_file', { fileId: file.id, folderId: locked.id })),
    ).toContain('is not a folder');
    expect(bench.fake.apiRequests().filter((item) => item.method !== 'GET')).toEqual([]);
    const missing = await bench.call('copy_file', { fileId: '1missingmissingmissing' });
    expect(missing.isError).toBe(true);
    expect(bench.fake.files.size).toBe(3);
  });
});
