import fs from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { dataOf, serveEachTest, textOf } from '../../test/harness.js';
import { MAX_EDITS } from './edit.js';
import { pingThroughout } from '@plugboard/testing';

const served = serveEachTest();
const at = served.at;

interface EditData {
  applied: boolean;
  replacements: number;
  diff: string;
  truncated: boolean;
}

describe('edit_file on heavy input', () => {
  it('replaces on every line of a 10,000-line file while ping keeps answering', async () => {
    const before = Array.from({ length: 10_000 }, (_, i) => `line ${i} foo`).join('\n') + '\n';
    await fs.writeFile(at('big.txt'), before);
    for (const dryRun of [true, false]) {
      const { result } = await pingThroughout(
        served.harness.client,
        served.harness.call('edit_file', {
          path: 'big.txt',
          edits: [{ oldText: 'foo', newText: 'bar', replaceAll: true }],
          dryRun,
        }),
      );
      const data = dataOf<EditData>(result);
      expect(data).toMatchObject({ applied: !dryRun, replacements: 10_000, truncated: true });
      expect(data.diff).toContain('-line 0 foo\n');
      expect(data.diff).toMatch(/^@@ -1,10000 \+1,10000 @@$/m);
    }
    expect(await fs.readFile(at('big.txt'), 'utf8')).toBe(before.replaceAll('foo', 'bar'));
  });

  it(`refuses more than ${MAX_EDITS} edits in one call and changes nothing`, async () => {
    const edits = Array.from({ length: MAX_EDITS + 1 }, (_, i) => ({
      oldText: `<w${i}>`,
      newText: `<v${i}>`,
    }));
    await fs.writeFile(at('many.txt'), edits.map((edit) => edit.oldText).join('\n'));
    const result = await served.harness.call('edit_file', { path: 'many.txt', edits });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(new RegExp(`${MAX_EDITS}`));
    expect(await fs.readFile(at('many.txt'), 'utf8')).toMatch(/^<w0>\n/);
    const allowed = edits.slice(0, MAX_EDITS);
    const { result: ok } = await pingThroughout(
      served.harness.client,
      served.harness.call('edit_file', { path: 'many.txt', edits: allowed }),
    );
    expect(dataOf<EditData>(ok).replacements).toBe(MAX_EDITS);
  });

  it('matches whitespace-forgiving text in linear time on a file built against naive matching', async () => {
    // 200,000 identical lines: a window-by-window comparison costs lines × window.
    await fs.writeFile(at('same.txt'), '  x\n'.repeat(200_000));
    const oldText = `${'x\n'.repeat(2000)}y`;
    const { result } = await pingThroughout(
      served.harness.client,
      served.harness.call('edit_file', { path: 'same.txt', edits: [{ oldText, newText: 'z' }] }),
    );
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/oldText was not found/);
    const loose = await served.harness.call('edit_file', {
      path: 'same.txt',
      edits: [{ oldText: 'x\nx', newText: 'y', replaceAll: true }],
      dryRun: true,
    });
    expect(dataOf<EditData>(loose).replacements).toBe(100_000);
  });
});
