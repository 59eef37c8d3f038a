/**
 * The worker as servers run it: these tests load the kit's build (the worker thread runs
 * JavaScript, so `documents-worker.js` must exist beside the module that starts it), which the
 * test task builds first.
 */
import { describe, expect, it } from 'vitest';
import type * as Documents from './index.js';
import { rowBomb, wordFile, workbook } from './test-support/files.js';

const built: typeof Documents = await import(
  new URL('../../dist/documents/index.js', import.meta.url).href
);
const { DocumentError, extractDocument } = built;

describe('reading a document in a worker', () => {
  it('returns what the parsers read', async () => {
    const file = await wordFile([{ heading: 2, text: 'Notes' }, 'Body text.']);
    await expect(extractDocument(file, 'docx')).resolves.toEqual({
      kind: 'text',
      text: '## Notes\n\nBody text.\n',
      truncated: false,
    });
  });

  it("passes a parser's refusal on as a DocumentError", async () => {
    const refusal = extractDocument(await rowBomb(100_000_000), 'xlsx');
    await expect(refusal).rejects.toBeInstanceOf(DocumentError);
    await expect(refusal).rejects.toThrow(/declares row 100000000/);
  });

  // Writes and reads a 200,000-cell workbook: minutes, not seconds, on a loaded two-core machine.
  it('ends a worker that needs more memory than its budget, and says so', async () => {
    const rows = Array.from({ length: 40_000 }, (_, row) =>
      Array.from({ length: 5 }, (_, column) => `cell ${row}:${column} ${'x'.repeat(20)}`),
    );
    const file = await workbook([{ name: 'Big', rows }]);
    await expect(
      extractDocument(file, 'xlsx', { limits: { memoryMb: 16, maxCells: 10_000_000 } }),
    ).rejects.toThrow('reading the file needs more than the 16 MiB of memory allowed');
    // The same file within a normal budget is read whole.
    const read = await extractDocument(file, 'xlsx', { limits: { maxCells: 10_000_000 } });
    expect(read.kind === 'sheets' && read.sheets[0]?.rows.length).toBe(40_000);
  }, 120_000);

  it('ends a worker that passes its deadline, and says so', async () => {
    const file = await wordFile(['text']);
    await expect(extractDocument(file, 'docx', { limits: { timeoutMs: 1 } })).rejects.toThrow(
      'reading the file took longer than the 0.001 s allowed',
    );
  });

  it('ends the worker when the call is cancelled', async () => {
    const file = await wordFile(['text']);
    const controller = new AbortController();
    const reading = extractDocument(file, 'docx', { signal: controller.signal });
    controller.abort(new Error('cancelled by the client'));
    await expect(reading).rejects.toThrow('cancelled by the client');
  });
});
