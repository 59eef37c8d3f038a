import { describe, expect, it } from 'vitest';
import { safeFileName, STAGING_PREFIX } from './downloads.js';

describe('safeFileName', () => {
  it('keeps one visible path component of the name a page suggests', () => {
    expect(safeFileName('report.pdf')).toBe('report.pdf');
    expect(safeFileName('../../etc/cron.d/job')).toBe('job');
    expect(safeFileName('..\\..\\evil.bat')).toBe('evil.bat');
    expect(safeFileName('.bashrc')).toBe('bashrc');
    expect(safeFileName(`${STAGING_PREFIX}abc`)).toBe('downloading-abc');
    expect(safeFileName('a\nb\u202ec.txt')).toBe('a bc.txt');
    expect(safeFileName('..')).toBe('download');
    expect(safeFileName('')).toBe('download');
    expect(safeFileName('x'.repeat(500)).length).toBeLessThanOrEqual(201);
  });
});
