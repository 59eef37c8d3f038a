import { describe, expect, it } from 'vitest';
import { DOC, FOLDER } from '../../test/fake-drive.js';
import { harness, textOf } from '../../test/harness.js';

describe('search', () => {
  it('returns ids, names, types, owners, modified times and links of matching files', async () => {
    await using bench = await harness();
    const doc = bench.fake.add({
      name: 'Quarterly plan',
      mimeType: DOC,
      exports: { 'text/plain': 'budget and hiring' },
    });
    bench.fake.add({ name: 'Unrelated', content: 'nothing here' });
    const result = await bench.call('search', { query: 'budget' });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      files: [
        {
          id: doc.id,
          name: 'Quarterly plan',
          type: 'Google Doc',
          mimeType: DOC,
          uri: `gdrive:///${doc.id}`,
          owners: ['Test User <user@example.com>'],
          modifiedTime: doc.modifiedTime,
          webViewLink: expect.stringContaining(doc.id),
        },
      ],
      truncated: false,
    });
    expect(textOf(result)).toContain(`id ${doc.id}`);
    const list = bench.fake.apiRequests().find((request) => request.path === '/drive/v3/files');
    expect(list?.query).toMatchObject({
      q: "fullText contains 'budget' and trashed = false",
      corpora: 'allDrives',
      includeItemsFromAllDrives: 'true',
      supportsAllDrives: 'true',
    });
  });

  it('pages through results with nextPageToken', async () => {
    await using bench = await harness();
    for (let index = 0; index < 5; index++)
      bench.fake.add({ name: `report ${index}`, content: 'report' });
    bench.fake.add({ name: 'folder', mimeType: FOLDER });
    const first = await bench.call('search', { query: 'report', pageSize: 2 });
    const token = first.structuredContent?.nextPageToken as string;
    expect(token).toEqual(expect.any(String));
    const names: string[] = [];
    let page = first;
    for (;;) {
      names.push(...(page.structuredContent!.files as { name: string }[]).map((file) => file.name));
      const next = page.structuredContent!.nextPageToken as string | undefined;
      if (next === undefined) break;
      page = await bench.call('search', { query: 'report', pageSize: 2, pageToken: next });
    }
    expect(names.sort()).toEqual(['report 0', 'report 1', 'report 2', 'report 3', 'report 4']);
  });
});
