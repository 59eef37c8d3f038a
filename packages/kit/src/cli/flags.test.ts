import { describe, expect, it } from 'vitest';
import { UsageError, type FlagValue } from './args.js';
import { integerFlag, listFlag, stringFlag } from './flags.js';

const flags = new Map<string, FlagValue>([
  ['name', '  octo  '],
  ['blank', '   '],
  ['repos', ['a/b', 'c/*']],
  ['limit', 7],
]);

describe('flag readers', () => {
  it('trims strings and treats blank or absent ones as unset', () => {
    expect(stringFlag(flags, 'name')).toBe('octo');
    expect(stringFlag(flags, 'blank')).toBeUndefined();
    expect(stringFlag(flags, 'missing')).toBeUndefined();
  });

  it('reads lists, empty when absent', () => {
    expect(listFlag(flags, 'repos')).toEqual(['a/b', 'c/*']);
    expect(listFlag(flags, 'missing')).toEqual([]);
  });

  it('bounds integers and falls back when absent', () => {
    expect(integerFlag(flags, 'limit', { fallback: 1, min: 1 })).toBe(7);
    expect(integerFlag(flags, 'missing', { fallback: 3, min: 1, max: 5 })).toBe(3);
    expect(() => integerFlag(flags, 'limit', { fallback: 1, min: 8 })).toThrow(
      new UsageError('--limit must be a whole number of at least 8'),
    );
    expect(() => integerFlag(flags, 'limit', { fallback: 1, min: 1, max: 5 })).toThrow(
      new UsageError('--limit must be between 1 and 5, got 7'),
    );
    expect(() => integerFlag(flags, 'name', { fallback: 1, min: 1 })).toThrow(UsageError);
  });
});
