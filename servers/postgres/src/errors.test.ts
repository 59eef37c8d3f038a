import { describe, expect, it } from 'vitest';
import { conditionName, markPosition, toToolError } from './errors.js';

const context = { statementTimeoutMs: 30_000, allowWrite: false, secrets: ['hunter2'] };

function postgresError(fields: Record<string, string>): Error {
  return Object.assign(new Error(fields.message), { severity: 'ERROR', ...fields });
}

describe('error messages', () => {
  it('marks the error position with line, column and a caret, counting characters not bytes', () => {
    expect(markPosition('SELECT é,\n  nope FROM t', 13)).toBe(
      'at line 2, column 3:\n    nope FROM t\n    ^',
    );
    expect(markPosition('SELECT 1', 99)).toBeUndefined();
  });

  it('shows a window of a very long line around the position', () => {
    const sql = `SELECT ${'x, '.repeat(200)}oops`;
    const marked = markPosition(sql, sql.length - 3)!;
    expect(marked.split('\n')[1]!.length).toBeLessThanOrEqual(122);
    expect(marked.split('\n')[2]!.trimStart()).toBe('^');
  });

  it('names SQLSTATEs, falling back to their class', () => {
    expect(conditionName('25006')).toBe('read_only_sql_transaction');
    expect(conditionName('22999')).toBe('data_exception');
    expect(conditionName('ZZ999')).toBe('error');
  });

  it('removes the configured password wherever it appears', () => {
    const error = toToolError(
      postgresError({
        code: '08006',
        message: 'could not connect with password hunter2',
        detail: 'hunter2 again',
      }),
      context,
    );
    expect(error?.message).not.toContain('hunter2');
    expect(error?.message).toContain('[redacted]');
  });

  it('explains connection failures and leaves unknown errors to surface as bugs', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    });
    expect(toToolError(refused, context)?.message).toContain(
      'Cannot reach the database (ECONNREFUSED)',
    );
    expect(toToolError(new TypeError('x is not a function'), context)).toBeUndefined();
    expect(toToolError('text', context)).toBeUndefined();
  });
});
