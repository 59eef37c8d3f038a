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

describe('--output-budget, the common flag, and its aliases', () => {
  const withAlias = {
    ...spec,
    flags: [
      {
        name: 'max-output-bytes',
        type: 'integer' as const,
        env: 'X_MAX_OUTPUT_BYTES',
        description: 'alias',
        aliasOf: 'output-budget',
      },
    ],
  };
  const budgetOf = (argv: string[], env: Record<string, string> = {}) => {
    const parsed = parseCommandLine(withAlias, argv, env);
    if (parsed.kind !== 'run') throw new Error(parsed.kind);
    return parsed.common.outputBudget;
  };

  it('reads the flag and its <PREFIX>_OUTPUT_BUDGET twin', () => {
    expect(budgetOf([])).toBeUndefined();
    expect(budgetOf(['--output-budget', '8192'])).toBe(8192);
    expect(budgetOf([], { X_OUTPUT_BUDGET: '16384' })).toBe(16384);
  });

  it('takes an alias when the common flag is absent, and the common flag over it', () => {
    expect(budgetOf(['--max-output-bytes', '20000'])).toBe(20000);
    expect(budgetOf([], { X_MAX_OUTPUT_BYTES: '30000' })).toBe(30000);
    expect(budgetOf(['--max-output-bytes', '20000', '--output-budget', '9000'])).toBe(9000);
  });

  it('hands the common value to the alias, which the server reads, and names the flag typed', () => {
    const parsed = parseCommandLine(withAlias, ['--output-budget', '9000'], {});
    expect(parsed.kind === 'run' && parsed.flags.get('max-output-bytes')).toBe(9000);
    expect(() => budgetOf(['--max-output-bytes', '0'])).toThrow(
      '--max-output-bytes must be at least 1 bytes, got 0',
    );
  });

  it('is one flag for every server: a server may not declare it again, only alias it', () => {
    const own = {
      ...spec,
      flags: [
        {
          name: 'output-budget',
          type: 'integer' as const,
          env: 'X_OUTPUT_BUDGET',
          description: 'own words',
        },
      ],
    };
    expect(() => parseCommandLine(own, ['--help'], {})).toThrow(
      'mcp-server-x declares --output-budget, a common flag; read the common one instead',
    );
    const strayAlias = {
      ...spec,
      flags: [{ ...withAlias.flags[0]!, aliasOf: 'max-rows' }],
    };
    expect(() => parseCommandLine(strayAlias, [], {})).toThrow(/not a common flag/);
    const help = parseCommandLine(withAlias, ['--help'], {});
    const text = help.kind === 'help' ? help.text : '';
    expect(text.match(/--output-budget N/g)).toHaveLength(1);
  });
});
