import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError, type ParsedCommand } from './args.js';

const spec = { bin: 'mcp-server-x', version: '1.0.0', prefix: 'X', summary: 'x' };

function common(argv: string[], env: Record<string, string> = {}) {
  const parsed: ParsedCommand = parseCommandLine(spec, argv, env);
  if (parsed.kind !== 'run') throw new Error(parsed.kind);
  return parsed.common;
}

describe('the transport limits on the command line', () => {
  it('are unset by default, so each transport keeps its own default', () => {
    expect(common([]).maxLineBytes).toBeUndefined();
    expect(common([]).http.maxBodyBytes).toBeUndefined();
  });

  it('come from flags, or from their env twins, and flags win', () => {
    expect(common(['--max-line-bytes', '33554432']).maxLineBytes).toBe(33554432);
    expect(common([], { MCP_MAX_BODY_BYTES: '8388608' }).http.maxBodyBytes).toBe(8388608);
    expect(
      common(['--max-body-bytes=2048'], { MCP_MAX_BODY_BYTES: '8388608' }).http.maxBodyBytes,
    ).toBe(2048);
  });

  it('refuse values too small to carry a message', () => {
    expect(() => common(['--max-line-bytes', '10'])).toThrow(UsageError);
    expect(() => common([], { MCP_MAX_LINE_BYTES: 'lots' })).toThrow(/MCP_MAX_LINE_BYTES/);
  });

  it('are listed in --help with their env twins', () => {
    const help = parseCommandLine(spec, ['--help'], {});
    expect(help.kind === 'help' && help.text).toMatch(
      /--max-line-bytes N.*\[env MCP_MAX_LINE_BYTES\]/,
    );
    expect(help.kind === 'help' && help.text).toMatch(
      /--max-body-bytes N.*\[env MCP_MAX_BODY_BYTES\]/,
    );
  });
});
