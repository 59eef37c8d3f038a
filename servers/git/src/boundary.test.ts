import { describe, expect, it } from 'vitest';
import { allowedAreas } from './boundary.js';

describe('allowedAreas', () => {
  it('uses the repositories when the client has no roots', () => {
    expect(allowedAreas(['/a', '/b'], undefined)).toEqual(['/a', '/b']);
    expect(allowedAreas(['/a'], [])).toEqual(['/a']);
  });

  it('narrows to roots inside repositories and keeps repositories inside roots', () => {
    expect(allowedAreas(['/code'], ['/code/app'])).toEqual(['/code/app']);
    expect(allowedAreas(['/code/app', '/code/lib'], ['/code'])).toEqual(['/code/app', '/code/lib']);
  });

  it('never adds what the operator did not configure', () => {
    expect(allowedAreas(['/code'], ['/etc', '/home/u'])).toEqual([]);
  });

  it('takes roots as the boundary when no repository is configured', () => {
    expect(allowedAreas([], ['/work'])).toEqual(['/work']);
    expect(allowedAreas([], undefined)).toEqual([]);
  });
});
