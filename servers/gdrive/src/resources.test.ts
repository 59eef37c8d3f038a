import { describe, expect, it } from 'vitest';
import { DOC, DRAWING, FOLDER, SHEET, SLIDES } from '../test/fake-drive.js';
import { PNG, xlsx } from '../test/fixtures.js';
import { harness } from '../test/harness.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('gdrive:/// resources', () => {
  it('lists recently modified files, not folders or the trash, with their types', async () => {
    await using bench = await harness();
    const older = bench.fake.add({
      name: 'older.txt',
      content: 'o',
      modifiedTime: '2026-01-01T00:00:00.000Z',
    });
    const newer = bench.fake.add({
      name: 'Newer doc',
      mimeType: DOC,
      modifiedTime: '2026-06-01T00:00:00.000Z',
    });
    bench.fake.add({ name: 'Folder', mimeType: FOLDER });
    bench.fake.add({ name: 'trashed.txt', content: 't', trashed: true });
    const { resources } = await bench.client.listResources();
    expect(resources).toEqual([
      { uri: `gdrive:///${newer.id}`, name: 'Newer doc', mimeType: DOC },
      { uri: `gdrive:///${older.id}`, name: 'older.txt', mimeType: 'text/plain', size: 1 },
    ]);
    const { resourceTemplates } = await bench.client.listResourceTemplates();
    expect(resourceTemplates).toEqual([
      expect.objectContaining({ uriTemplate: 'gdrive:///{fileId}', name: 'file' }),
    ]);
  });

  it("pages through every file with Drive's own page tokens inside the cursor", async () => {
    await using bench = await harness();
    const added = Array.from({ length: 120 }, (_, i) =>
      bench.fake.add({
        name: `file-${String(i).padStart(3, '0')}.txt`,
        content: 'x',
        modifiedTime: new Date(Date.UTC(2026, 0, 1, 0, 0, 120 - i)).toISOString(),
      }),
    );
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await bench.client.listResources(cursor === undefined ? {} : { cursor });
      pages.push(page.resources.map((resource) => resource.uri));
      cursor = page.nextCursor;
    } while (cursor !== undefined && pages.length < 10);
    expect(pages.map((page) => page.length)).toEqual([50, 50, 20]);
    expect(pages.flat()).toEqual(added.map((file) => `gdrive:///${file.id}`));
    await expect(bench.client.listResources({ cursor: 'forged' })).rejects.toMatchObject({
      code: -32602,
    });
    // A well-formed cursor around a token Drive never issued: Drive's refusal is the error.
    const forged = `r1:${Buffer.from(JSON.stringify([1, 'not-a-drive-token'])).toString('base64url')}`;
    await expect(bench.client.listResources({ cursor: forged })).rejects.toThrow(/invalid/i);
    expect((await bench.client.listResources()).resources).toHaveLength(50);
  });

  it('reads Docs as Markdown, Sheets as CSV per sheet, Slides as text, Drawings as PNG, files as text or base64', async () => {
    await using bench = await harness();
    const doc = bench.fake.add({
      name: 'Doc',
      mimeType: DOC,
      exports: { 'text/markdown': '# Title\n' },
    });
    const sheet = bench.fake.add({
      name: 'Sheet',
      mimeType: SHEET,
      exports: {
        [XLSX]: xlsx([
          { name: 'One', rows: [['a', 1]] },
          { name: 'Two', rows: [['b', 2]] },
        ]),
      },
    });
    const slides = bench.fake.add({
      name: 'Slides',
      mimeType: SLIDES,
      exports: { 'text/plain': 'slide text' },
    });
    const drawing = bench.fake.add({
      name: 'Drawing',
      mimeType: DRAWING,
      exports: { 'image/png': PNG },
    });
    const json = bench.fake.add({
      name: 'data.json',
      mimeType: 'application/json',
      content: '{"a":1}',
    });
    const zip = bench.fake.add({
      name: 'a.zip',
      mimeType: 'application/zip',
      content: Buffer.from([1, 2, 3]),
    });
    const read = async (id: string) =>
      (await bench.client.readResource({ uri: `gdrive:///${id}` })).contents;
    expect(await read(doc.id)).toEqual([
      { uri: `gdrive:///${doc.id}`, mimeType: 'text/markdown', text: '# Title\n' },
    ]);
    expect(await read(sheet.id)).toEqual([
      {
        uri: `gdrive:///${sheet.id}`,
        mimeType: 'text/csv',
        text: 'a,1\n',
        _meta: { sheet: { name: 'One', rows: 1, columns: 2 } },
      },
      {
        uri: `gdrive:///${sheet.id}`,
        mimeType: 'text/csv',
        text: 'b,2\n',
        _meta: { sheet: { name: 'Two', rows: 1, columns: 2 } },
      },
    ]);
    expect(await read(slides.id)).toEqual([
      { uri: `gdrive:///${slides.id}`, mimeType: 'text/plain', text: 'slide text' },
    ]);
    expect(await read(drawing.id)).toEqual([
      { uri: `gdrive:///${drawing.id}`, mimeType: 'image/png', blob: PNG.toString('base64') },
    ]);
    expect(await read(json.id)).toEqual([
      { uri: `gdrive:///${json.id}`, mimeType: 'application/json', text: '{"a":1}' },
    ]);
    expect(await read(zip.id)).toEqual([
      { uri: `gdrive:///${zip.id}`, mimeType: 'application/zip', blob: 'AQID' },
    ]);
  });

  it('caps a long text and says how to read the rest', async () => {
    await using bench = await harness();
    const big = bench.fake.add({ name: 'big.txt', content: `${'x'.repeat(1023)}\n`.repeat(1500) });
    const [content] = (await bench.client.readResource({ uri: `gdrive:///${big.id}` })).contents;
    expect(content).toMatchObject({ _meta: { truncated: true, nextOffset: 1024 * 1024 } });
    expect((content as { text: string }).text).toMatch(
      /\n\[truncated at 1048576 of 1536000 bytes: read the rest with the read_file tool, offset 1048576\]$/,
    );
  });

  it('answers a missing file with resource-not-found', async () => {
    await using bench = await harness();
    await expect(
      bench.client.readResource({ uri: 'gdrive:///1NoSuchFileAAAAAAAAAAAAAAAAAAAAAA' }),
    ).rejects.toMatchObject({ code: -32002 });
  });
});
