import { describe, expect, it } from 'vitest';
import { npmWarningLines, warningLines } from './warnings.js';

describe('warningLines', () => {
  it('finds server WARN and ERROR lines, Node warnings and library notices, npm lines apart', () => {
    const stderr = [
      'mcp-server-git INFO started transport=stdio',
      'mcp-server-git WARN password in the argument list',
      'mcp-server-git ERROR pool failed',
      '(node:4242) [DEP0040] DeprecationWarning: The `punycode` module is deprecated.',
      'npm warn EBADENGINE Unsupported engine {',
      'SIMPLE_GIT_UNLISTED_CONFIG: core.fsmonitor will be blocked in the next major version',
      '[SIMPLE_GIT_UNLISTED_CONFIG] core.hooksPath',
      'Warning: something was ignored',
      'mcp-server-postgres INFO connected database=app',
      '',
    ].join('\n');
    expect(warningLines(stderr)).toEqual([
      'mcp-server-git WARN password in the argument list',
      'mcp-server-git ERROR pool failed',
      '(node:4242) [DEP0040] DeprecationWarning: The `punycode` module is deprecated.',
      'SIMPLE_GIT_UNLISTED_CONFIG: core.fsmonitor will be blocked in the next major version',
      '[SIMPLE_GIT_UNLISTED_CONFIG] core.hooksPath',
      'Warning: something was ignored',
    ]);
    expect(npmWarningLines(stderr)).toEqual(['npm warn EBADENGINE Unsupported engine {']);
  });
});
