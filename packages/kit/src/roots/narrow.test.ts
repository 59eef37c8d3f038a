import { describe, expect, it } from 'vitest';
import { narrowCeiling } from './narrow.js';

const narrow = (ceiling: string[], roots: string[]) => narrowCeiling(ceiling, roots, (p) => p);

describe('narrowCeiling', () => {
  it('keeps a root inside the ceiling and a ceiling directory inside a root', () => {
    expect(narrow(['/code'], ['/code/app'])).toEqual(['/code/app']);
    expect(narrow(['/code/app', '/code/lib'], ['/code'])).toEqual(['/code/app', '/code/lib']);
    expect(narrow(['/p/a', '/p/b'], ['/'])).toEqual(['/p/a', '/p/b']);
  });

  it('never widens: roots outside the ceiling, or beside it by a shared prefix, add nothing', () => {
    expect(narrow(['/code'], ['/etc', '/home/u'])).toEqual([]);
    expect(narrow(['/p/a'], ['/q', '/p/a_evil'])).toEqual([]);
    expect(narrow([], ['/anything'])).toEqual([]);
  });

  it('lists each directory once, compared by the real path the accessor gives', () => {
    const ceiling = [{ given: '/link', real: '/p/a' }];
    const roots = [
      { given: '/p/a', real: '/p/a' },
      { given: '/again', real: '/p/a' },
    ];
    expect(narrowCeiling(ceiling, roots, (entry) => entry.real)).toEqual([roots[0]]);
  });
});
