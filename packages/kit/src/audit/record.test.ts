import { describe, expect, it } from 'vitest';
import type { RequestContext } from '@plugboard/protocol';
import { approvalOf, callerOf, targetOf } from './record.js';

const context = (fields: object) => fields as unknown as RequestContext;

describe('what a record reads from the call', () => {
  it('keeps only the named, plain target arguments, bounded', () => {
    const args = { owner: 'o', repo: 'r', number: 7, files: ['a', 'b'], options: { x: 1 } };
    expect(targetOf(args, ['owner', 'repo', 'number', 'files', 'options', 'absent'])).toEqual({
      owner: 'o',
      repo: 'r',
      number: '7',
      files: ['a', 'b'],
    });
    expect(targetOf(args, undefined)).toBeNull();
    expect(targetOf({}, ['path'])).toBeNull();
    const long = targetOf({ path: 'p'.repeat(2000), paths: Array(100).fill('q') }, [
      'path',
      'paths',
    ]);
    expect(long?.path).toHaveLength(512);
    expect(long?.paths).toHaveLength(32);
  });

  it('keeps no credential a URL target carries', () => {
    const args = {
      url: 'https://x-access-token:ghs_secret@github.com/o/r.git?token=abc#frag',
      urls: ['http://example.test/login?magic=s3cret', 'git@github.com:o/r.git'],
    };
    expect(targetOf(args, ['url', 'urls'])).toEqual({
      url: 'https://github.com/o/r.git',
      urls: ['http://example.test/login', 'git@github.com:o/r.git'],
    });
  });

  it("reads the caller's sub from the call's verified token, null without one", () => {
    expect(callerOf(context({ auth: { subject: 'user-1', scopes: ['mcp:write'] } }))).toBe(
      'user-1',
    );
    expect(callerOf(context({ auth: undefined }))).toBeNull();
  });

  it('reads how and by whom a call was approved, and nothing the approver was shown', () => {
    expect(
      approvalOf(context({ approval: { approved: 'url', by: 'alice', summary: 'DROP TABLE x' } })),
    ).toEqual({ approved: 'url', by: 'alice' });
    expect(approvalOf(context({ approval: { approved: 'form' } }))).toEqual({ approved: 'form' });
    expect(approvalOf(context({ approval: { confirmed: true } }))).toBeNull();
    expect(approvalOf(context({}))).toBeNull();
  });
});
