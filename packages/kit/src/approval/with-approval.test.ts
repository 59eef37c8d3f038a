import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from '../cli/args.js';
import { fixtureToolList } from './test-support/fixture.js';
import { withApproval } from './with-approval.js';

const spec = { bin: 'mcp-server-test', version: '1.0.0', prefix: 'TEST', summary: 'test' };

function settingsFrom(argv: string[], env: Record<string, string> = {}) {
  const parsed = parseCommandLine(spec, argv, env);
  if (parsed.kind !== 'run') throw new Error('expected a run');
  return { ...parsed.common, prefix: 'TEST' };
}

function start(argv: string[], env: Record<string, string> = {}) {
  const tools = fixtureToolList();
  return withApproval(
    tools,
    { tools, disabledTools: new Map(), withheld: [] },
    settingsFrom(argv, env),
    { onClose: () => undefined },
  );
}

describe('--approve and --approve-via at start-up', () => {
  it('reads the flags and their env twins, the flag first', () => {
    expect(settingsFrom([])).toMatchObject({ approve: [], approveVia: 'form' });
    expect(
      settingsFrom([], { TEST_APPROVE: 'delete,touch_file', TEST_APPROVE_VIA: 'url' }),
    ).toMatchObject({
      approve: ['delete', 'touch_file'],
      approveVia: 'url',
    });
    expect(settingsFrom(['--approve', 'delete'], { TEST_APPROVE: 'touch_file' }).approve).toEqual([
      'delete',
    ]);
    expect(() => settingsFrom(['--approve-via', 'email'])).toThrow(
      new UsageError('--approve-via must be form or url, got "email"'),
    );
  });

  it('refuses a name that is neither a tool nor an action class, naming the closest', () => {
    expect(() => start(['--approve', 'delte'])).toThrow(
      new UsageError(
        '--approve names delte, which is neither a tool nor an action class of this server; did you mean delete?',
      ),
    );
  });

  it('refuses the loopback page for a server that listens elsewhere', () => {
    expect(() =>
      start(['--approve', 'delete', '--approve-via', 'url', '--host', '0.0.0.0']),
    ).toThrow(/--approve-via url serves its page on 127.0.0.1/);
  });

  it('wraps only the tools the entries catch, leaving the others the same objects', () => {
    const tools = fixtureToolList();
    const offered = withApproval(
      tools,
      { tools, disabledTools: new Map(), withheld: [] },
      settingsFrom(['--approve', 'delete']),
      { onClose: () => undefined },
    );
    expect(offered.tools[0]).not.toBe(tools[0]);
    expect(offered.tools[0]!.descriptor()).toEqual(tools[0]!.descriptor());
    expect(offered.tools[1]).toBe(tools[1]);
  });
});
