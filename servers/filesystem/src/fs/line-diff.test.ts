import { applyPatch, createTwoFilesPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from './line-diff.js';

const cases: [string, string, string][] = [
  ['one changed line', 'a\nb\nc\n', 'a\nB\nc\n'],
  ['added at the end', 'a\nb\n', 'a\nb\nc\n'],
  ['removed at the start', 'x\na\nb\n', 'a\nb\n'],
  ['final newline removed', 'a\nb\n', 'a\nb'],
  ['final newline added', 'a\nb', 'a\nb\n'],
  ['from empty', '', 'a\n'],
  ['to empty', 'a\nb\n', ''],
  [
    'two distant changes',
    Array.from({ length: 40 }, (_, i) => `l${i}`).join('\n'),
    Array.from({ length: 40 }, (_, i) => (i === 3 || i === 30 ? `L${i}` : `l${i}`)).join('\n'),
  ],
];

describe('unifiedDiff', () => {
  it.each(cases)('matches the diff library on small input: %s', async (_, before, after) => {
    const ours = await unifiedDiff('f', before, after);
    expect(ours).toBe(createTwoFilesPatch('f', 'f', before, after, 'original', 'modified'));
  });

  it.each(cases)('gives a correct patch in linear mode: %s', async (_, before, after) => {
    const patch = await unifiedDiff('f', before, after, 1);
    expect(applyPatch(before, patch)).toBe(after);
    const exact = createTwoFilesPatch('f', 'f', before, after, 'original', 'modified');
    // The same hunk headers as the exact diff wherever a single change makes both minimal.
    if (!before.includes('l30')) expect(patch).toBe(exact);
  });

  it('gives a correct patch for a change to every line of a 10,000-line file', async () => {
    const before = Array.from({ length: 10_000 }, (_, i) => `line ${i} foo`).join('\n') + '\n';
    const after = before.replaceAll('foo', 'bar');
    const patch = await unifiedDiff('f', before, after);
    expect(applyPatch(before, patch)).toBe(after);
    expect(patch.split('\n').filter((line) => line.startsWith('-line'))).toHaveLength(10_000);
  });

  it.each([
    ['lengths differ', 'x\n'.repeat(3000) + 'tail', 'y\n'.repeat(2500) + 'tail\n'],
    ['equal lengths, some lines kept', 'a\nb\n'.repeat(3000), 'a\nc\n'.repeat(3000)],
  ])('gives a correct patch past the exact bound: %s', async (_, before, after) => {
    const patch = await unifiedDiff('f', before, after);
    expect(applyPatch(before, patch)).toBe(after);
  });
});
