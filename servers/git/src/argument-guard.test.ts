import { describe, expect, it } from 'vitest';
import { refuseUnsafeArguments } from './argument-guard.js';

describe('refuseUnsafeArguments', () => {
  it.each([
    [['-c', 'core.sshCommand=touch PWN', 'fetch', 'origin'], /core\.sshCommand/],
    [['-ccore.pager=sh', 'log'], /core\.pager/],
    [['--config-env=core.editor=X', 'commit'], /config-env/],
    [['--git-dir=/etc', 'log'], /git-dir/],
    [['fetch', '--upload-pack=touch PWN', 'origin'], /upload-pack/],
    [['push', '--receive-pack', 'x', 'origin'], /receive-pack/],
    [['clone', '-u', 'touch PWN', 'url', 'dest'], /"-u"/],
    [['clone', '-c', 'core.hooksPath=.', 'url'], /"-c"/],
    [['diff', '--output=/tmp/x'], /output/],
    [['log', '--ext-diff'], /ext-diff/],
  ])('refuses %j', (args, message) => {
    expect(() => refuseUnsafeArguments(args)).toThrow(message);
  });

  it.each([
    [['log', '-c', '--format=%H']],
    [['add', '-u']],
    [['stash', 'push', '-u']],
    [['fetch', '-u', 'origin']],
    [['log', '--end-of-options', '--output=x', '-c']],
    [['add', '--', '--upload-pack=x']],
  ])('lets %j through: the option is harmless there or comes after the end of options', (args) => {
    expect(() => refuseUnsafeArguments(args)).not.toThrow();
  });
});
