import { describe, expect, it } from 'vitest';
import { helpText, parseCommandLine, UsageError, type ParsedCommand } from './args.js';

const spec = { bin: 'mcp-server-x', version: '1.0.0', prefix: 'X', summary: 'x' };

function store(argv: string[], env: Record<string, string> = {}): URL | undefined {
  const parsed: ParsedCommand = parseCommandLine(spec, argv, env);
  if (parsed.kind !== 'run') throw new Error(parsed.kind);
  return parsed.common.http.store;
}

describe('--store, the shared store', () => {
  it('is in memory unless a Redis URL is given, by flag or PLUGBOARD_STORE', () => {
    expect(store([])).toBeUndefined();
    expect(store(['--store', 'memory'])).toBeUndefined();
    expect(store([], { PLUGBOARD_STORE: 'redis://cache:6379/2' })?.href).toBe(
      'redis://cache:6379/2',
    );
    expect(store(['--store=rediss://cache:6380'], { PLUGBOARD_STORE: 'redis://other' })?.host).toBe(
      'cache:6380',
    );
  });

  it('refuses anything else at start-up', () => {
    expect(() => store(['--store', 'http://cache'])).toThrow(UsageError);
    expect(() => store([], { PLUGBOARD_STORE: 'not a url' })).toThrow(/redis:\/\//);
  });

  it('is listed in --help with its env twin', () => {
    expect(helpText(spec)).toMatch(/--store URL .*\[env PLUGBOARD_STORE\]/);
  });
});
