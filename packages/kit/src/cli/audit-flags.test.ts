import { describe, expect, it } from 'vitest';
import { helpText, parseCommandLine, UsageError, type AuditOptions } from './args.js';

const spec = { bin: 'mcp-server-x', version: '1.0.0', prefix: 'X', summary: 'x' };

function audit(argv: string[], env: Record<string, string> = {}): AuditOptions {
  const parsed = parseCommandLine(spec, argv, env);
  if (parsed.kind !== 'run') throw new Error(parsed.kind);
  return parsed.common.audit;
}

describe('the audit flags', () => {
  it('are off by default and read from flags or their PLUGBOARD_ twins', () => {
    expect(audit([])).toEqual({
      log: undefined,
      logMaxBytes: undefined,
      otel: false,
      reads: false,
    });
    expect(
      audit(['--audit-log', 'a.jsonl', '--audit-log-max-bytes', '1048576', '--audit-reads']),
    ).toEqual({ log: 'a.jsonl', logMaxBytes: 1048576, otel: false, reads: true });
    expect(
      audit([], {
        PLUGBOARD_AUDIT_OTEL: '1',
        PLUGBOARD_AUDIT_READS: 'true',
        PLUGBOARD_AUDIT_LOG: '/l',
      }),
    ).toEqual({ log: '/l', logMaxBytes: undefined, otel: true, reads: true });
  });

  it('refuse settings that qualify a sink without one', () => {
    expect(() => audit(['--audit-reads'])).toThrow(UsageError);
    expect(() => audit(['--audit-reads'])).toThrow(/--audit-log PATH .* or --audit-otel/);
    expect(audit(['--audit-reads', '--audit-otel']).reads).toBe(true);
    expect(() => audit(['--audit-log-max-bytes', '8192'])).toThrow(/needs --audit-log/);
    expect(() => audit(['--audit-log', 'a', '--audit-log-max-bytes', '100'])).toThrow(
      /at least 4096/,
    );
    expect(() => audit(['--audit-log', ' '])).toThrow(/needs a file path/);
  });

  it('are listed in --help with their env twins', () => {
    const help = helpText(spec);
    expect(help).toMatch(/--audit-log PATH .*\[env PLUGBOARD_AUDIT_LOG\]/);
    expect(help).toMatch(/--audit-log-max-bytes N .*\[env PLUGBOARD_AUDIT_LOG_MAX_BYTES\]/);
    expect(help).toMatch(/--audit-otel .*\[env PLUGBOARD_AUDIT_OTEL\]/);
    expect(help).toMatch(/--audit-reads .*\[env PLUGBOARD_AUDIT_READS\]/);
  });
});
