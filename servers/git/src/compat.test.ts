import { describe, expect, it } from 'vitest';
import { translateOfficialArguments } from './compat.js';

describe('translateOfficialArguments', () => {
  it("accepts the Python server's -r and -v options", () => {
    expect(translateOfficialArguments(['-r', '/repo'])).toEqual(['--repository', '/repo']);
    expect(translateOfficialArguments(['-r/repo'])).toEqual(['--repository', '/repo']);
    expect(translateOfficialArguments(['-v'])).toEqual(['--log-level', 'info']);
    expect(translateOfficialArguments(['-vv'])).toEqual(['--log-level', 'debug']);
  });

  it('leaves everything else alone', () => {
    expect(translateOfficialArguments(['--repository', '/a', '--read-only', '--', '-r'])).toEqual([
      '--repository',
      '/a',
      '--read-only',
      '--',
      '-r',
    ]);
  });
});
