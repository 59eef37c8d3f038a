import { describe, expect, it } from 'vitest';
import { DOC, DRAWING, FOLDER, SHEET, SLIDES } from '../../test/fake-drive.js';
import { docx, pdf, PNG, pptx, xlsx } from '../../test/fixtures.js';
import { harness, textOf } from '../../test/harness.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('read_file', () => {
  it('reads a Google Doc as Markdown, fenced as untrusted in the text', async () => {
    await using bench = await harness();
    const doc = bench.fake.add({
      name: 'Plan',
      mimeType: DOC,
      exports: { 'text/markdown': '# Plan\n\nShip it.\n' },
    });
    const result = await bench.call('read_file', { fileId: doc.id });
    expect(result.structuredContent).toMatchObject({
      kind: 'text',
      contentType: 'text/markdown',
      text: '# Plan\n\nShip it.\n',
      truncated: false,
      file: { id: doc.id, type: 'Google Doc' },
    });
    expect(textOf(result)).toContain(`<untrusted-content source="gdrive:///${doc.id}">\n# Plan`);
    const exported = bench.fake.apiRequests().find((request) => request.path.endsWith('/export'));
    expect(exported?.query.mimeType).toBe('text/markdown');
  });

  it('reads every sheet of a Google Sheet, or one by name or range', async () => {
    await using bench = await harness();
    const sheet = bench.fake.add({
      name: 'Budget',
      mimeType: SHEET,
      exports: {
        [XLSX]: xlsx([
          {
            name: 'Costs',
            rows: [
              ['Item', 'Cost'],
              ['Laptop', 1200],
              ['Desk', 300],
            ],
          },
          { name: 'Q1 notes', rows: [['a,b', 'say "hi"']] },
        ]),
      },
    });
    const all = await bench.call('read_file', { fileId: sheet.id });
    expect(all.structuredContent).toMatchObject({
      contentType: 'text/markdown',
      sheets: [
        { name: 'Costs', rows: 3, columns: 2 },
        { name: 'Q1 notes', rows: 1, columns: 2 },
      ],
    });
    expect(all.structuredContent?.text).toBe(
      '## Sheet: Costs (3 rows × 2 columns)\n\n```csv\nItem,Cost\nLaptop,1200\nDesk,300\n```\n\n## Sheet: Q1 notes (1 rows × 2 columns)\n\n```csv\n"a,b","say ""hi"""\n```\n',
    );
    const one = await bench.call('read_file', { fileId: sheet.id, sheet: 'q1 NOTES' });
    expect(one.structuredContent).toMatchObject({
      contentType: 'text/csv',
      text: '"a,b","say ""hi"""\n',
    });
    const range = await bench.call('read_file', { fileId: sheet.id, range: 'Costs!B2:B3' });
    expect(range.structuredContent?.text).toBe('1200\n300\n');
    const missing = await bench.call('read_file', { fileId: sheet.id, sheet: 'Nope' });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toContain('Its sheets: "Costs", "Q1 notes"');
    // The spreadsheet was exported once and parsed once for all four reads.
    expect(
      bench.fake.apiRequests().filter((request) => request.path.endsWith('/export')),
    ).toHaveLength(1);
  });

  it('reads Slides as text and a Drawing as a PNG image', async () => {
    await using bench = await harness();
    const slides = bench.fake.add({
      name: 'Deck',
      mimeType: SLIDES,
      exports: { 'text/plain': 'Slide one\nSlide two\n' },
    });
    const drawing = bench.fake.add({
      name: 'Diagram',
      mimeType: DRAWING,
      exports: { 'image/png': PNG },
    });
    expect((await bench.call('read_file', { fileId: slides.id })).structuredContent).toMatchObject({
      contentType: 'text/plain',
      text: 'Slide one\nSlide two\n',
    });
    const image = await bench.call('read_file', { fileId: drawing.id });
    expect(image.content[1]).toEqual({
      type: 'image',
      mimeType: 'image/png',
      data: PNG.toString('base64'),
    });
    expect(image.structuredContent).toMatchObject({ kind: 'image', bytes: PNG.length });
  });

  it('pages through a text file with ranged downloads of only the window shown', async () => {
    await using bench = await harness({ config: { outputBudget: 8192 } });
    const lines = Array.from({ length: 2000 }, (_, index) => `line ${index} ü`).join('\n');
    const file = bench.fake.add({ name: 'log.txt', mimeType: 'text/plain', content: lines });
    let offset: number | undefined = 0;
    let text = '';
    let calls = 0;
    while (offset !== undefined) {
      const result = await bench.call('read_file', { fileId: file.id, offset });
      const data = result.structuredContent as {
        text: string;
        nextOffset?: number;
        truncated: boolean;
      };
      expect(Buffer.byteLength(data.text)).toBeLessThanOrEqual(8192);
      text += data.text;
      offset = data.nextOffset;
      expect(data.truncated).toBe(offset !== undefined);
      calls++;
    }
    expect(text).toBe(lines);
    expect(calls).toBeGreaterThan(3);
    const media = bench.fake.apiRequests().filter((request) => request.query.alt === 'media');
    expect(media.every((request) => /^bytes=\d+-\d+$/.test(String(request.headers.range)))).toBe(
      true,
    );
    expect(media[1]?.headers.range).toMatch(/^bytes=\d{4}-/);
  });

  it('tells how to continue when a document is longer than the budget', async () => {
    await using bench = await harness({ config: { outputBudget: 4096 } });
    const doc = bench.fake.add({
      name: 'Long',
      mimeType: DOC,
      exports: { 'text/markdown': 'word '.repeat(5000) },
    });
    const result = await bench.call('read_file', { fileId: doc.id, maxBytes: 2048 });
    expect(result.structuredContent).toMatchObject({
      truncated: true,
      nextOffset: 2048,
      totalBytes: 25000,
    });
    expect(textOf(result)).toContain('call read_file again with offset 2048');
  });

  it('extracts the text of PDFs and Office files', async () => {
    await using bench = await harness();
    const report = bench.fake.add({
      name: 'report.pdf',
      mimeType: 'application/pdf',
      content: pdf([['Hello PDF', 'second line'], ['Page two']]),
    });
    const letter = bench.fake.add({
      name: 'letter.docx',
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      content: docx([{ heading: 1, text: 'Dear team' }, 'Thanks.']),
    });
    const deck = bench.fake.add({
      name: 'deck.pptx',
      mimeType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
      content: pptx([['Intro'], ['Outro']]),
    });
    const book = bench.fake.add({
      name: 'book.xlsx',
      mimeType: XLSX,
      content: xlsx([{ name: 'S', rows: [['x', 1]] }]),
    });
    expect((await bench.call('read_file', { fileId: report.id })).structuredContent?.text).toBe(
      '[page 1]\nHello PDF\nsecond line\n\n[page 2]\nPage two\n',
    );
    expect((await bench.call('read_file', { fileId: letter.id })).structuredContent).toMatchObject({
      contentType: 'text/markdown',
      text: '# Dear team\n\nThanks.\n',
    });
    expect((await bench.call('read_file', { fileId: deck.id })).structuredContent?.text).toBe(
      '## Slide 1\n\nIntro\n\n## Slide 2\n\nOutro\n',
    );
    expect((await bench.call('read_file', { fileId: book.id })).structuredContent).toMatchObject({
      contentType: 'text/csv',
      text: 'x,1\n',
    });
  });

  it('returns small images and binaries whole, and refuses large ones without downloading them', async () => {
    await using bench = await harness({ config: { maxBlobBytes: 4096 } });
    const photo = bench.fake.add({ name: 'dot.png', mimeType: 'image/png', content: PNG });
    const blob = bench.fake.add({
      name: 'data.bin',
      mimeType: 'application/octet-stream',
      content: Buffer.from([0, 1, 2, 3]),
    });
    const big = bench.fake.add({
      name: 'big.zip',
      mimeType: 'application/zip',
      content: Buffer.alloc(10_000),
    });
    const image = await bench.call('read_file', { fileId: photo.id });
    expect(image.content[1]).toMatchObject({ type: 'image', mimeType: 'image/png' });
    const binary = await bench.call('read_file', { fileId: blob.id });
    expect(binary.content[1]).toEqual({
      type: 'resource',
      resource: {
        uri: `gdrive:///${blob.id}`,
        mimeType: 'application/octet-stream',
        blob: 'AAECAw==',
      },
    });
    bench.fake.http.clear();
    const refused = await bench.call('read_file', { fileId: big.id });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(
      /is 9\.8 KB, over the 4\.0 KB this server returns whole.*Open it in the browser instead: https:\/\/drive\.google\.com\/file\/d\//,
    );
    expect(bench.fake.apiRequests().some((request) => request.query.alt === 'media')).toBe(false);
  });

  it('follows a shortcut to its target, and refuses a folder with the tool to use', async () => {
    await using bench = await harness();
    const target = bench.fake.add({ name: 'target.txt', content: 'real content' });
    const shortcut = bench.fake.add({
      name: 'link',
      mimeType: 'application/vnd.google-apps.shortcut',
      shortcutDetails: { targetId: target.id, targetMimeType: 'text/plain' },
    });
    const folder = bench.fake.add({ name: 'Folder', mimeType: FOLDER });
    expect(
      (await bench.call('read_file', { fileId: shortcut.id })).structuredContent,
    ).toMatchObject({ text: 'real content', file: { id: target.id } });
    const refused = await bench.call('read_file', { fileId: folder.id });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain('is a folder; list it with list_folder');
  });

  it('says when a file does not exist or is not visible', async () => {
    await using bench = await harness();
    const result = await bench.call('read_file', { fileId: '1NoSuchFileAAAAAAAAAAAAAAAAAAAAAA' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('does not exist, or the signed-in account cannot see it');
  });
});
