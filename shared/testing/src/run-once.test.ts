import { describe, expect, it } from 'vitest';
import { runOnce } from './run-once.js';

describe('runOnce', () => {
  it('returns the exit code, stdout and stderr, with the extra environment passed', async () => {
    const result = await runOnce(
      process.execPath,
      ['-e', 'console.log(process.env.GREETING); console.error("warned"); process.exit(3)'],
      { GREETING: 'hello' },
    );
    expect(result).toEqual({ code: 3, stdout: 'hello\n', stderr: 'warned\n' });
  });
});
