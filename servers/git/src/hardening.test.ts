import { describe, expect, it } from 'vitest';
import {
  dangerousKeys,
  gitEnvironment,
  hardeningConfig,
  parseConfigList,
  type ConfigEntry,
} from './hardening.js';

const local = (key: string, value?: string): ConfigEntry => ({ scope: 'local', key, value });
const refused = (entries: readonly ConfigEntry[], purpose: 'local' | 'remote'): string[] =>
  dangerousKeys(entries, purpose).map((found) => found.key);

describe('dangerousKeys', () => {
  it('finds program-running keys whatever their letter case (CVE-2026-28292)', () => {
    const entries = [
      local('FILTER.lfs.Clean', 'x'),
      local('Diff.External', 'x'),
      local('diff.Pdf.TextConv', 'x'),
      local('merge.ours.DRIVER', 'x'),
      local('Include.Path', 'x'),
      local('includeIf.gitdir:/x/.path', 'x'),
      local('GPG.ssh.Program', 'x'),
      local('core.FSMONITOR', 'touch x'),
    ];
    expect(refused(entries, 'local')).toEqual(entries.map((entry) => entry.key));
  });

  it('lets boolean fsmonitor settings and neutralised keys through', () => {
    const entries = [
      local('core.fsmonitor', 'false'),
      local('core.fsmonitor', 'true'),
      local('core.hookspath', '.husky'),
      local('core.pager', 'less'),
    ];
    expect(refused(entries, 'remote')).toEqual([]);
  });

  it('refuses remote-only keys only for remote work', () => {
    const entries = [
      local('core.sshCommand', 'x'),
      local('Core.GitProxy', 'x'),
      local('credential.helper', 'x'),
      local('credential.https://example.com.helper', 'x'),
      local('remote.origin.uploadpack', 'x'),
      local('remote.origin.receivePack', 'x'),
      local('remote.origin.vcs', 'x'),
    ];
    expect(refused(entries, 'local')).toEqual([]);
    expect(refused(entries, 'remote')).toEqual(entries.map((entry) => entry.key));
  });

  it('finds keys that name a file to read, and says so', () => {
    const reads = [
      local('blame.ignoreRevsFile', '/etc/shadow'),
      local('Core.ExcludesFile', '/etc/shadow'),
      local('core.attributesFile', '/etc/shadow'),
      local('commit.template', '/etc/shadow'),
      local('mailmap.file', '/etc/shadow'),
      local('diff.orderFile', '/etc/shadow'),
      local('fetch.fsck.skipList', '/etc/shadow'),
      local('gpg.ssh.allowedSignersFile', '/etc/shadow'),
    ];
    expect(dangerousKeys(reads, 'local')).toEqual(
      reads.map((entry) => ({ key: entry.key, effect: 'reads' })),
    );
    const remoteReads = [
      local('http.cookieFile', '/etc/shadow'),
      local('http.https://x.sslKey', 'k'),
    ];
    expect(refused(remoteReads, 'local')).toEqual([]);
    expect(refused(remoteReads, 'remote')).toEqual(remoteReads.map((entry) => entry.key));
  });

  it('trusts global and command-line configuration', () => {
    expect(
      refused(
        [{ scope: 'global', key: 'filter.lfs.clean', value: 'git-lfs clean -- %f' }],
        'remote',
      ),
    ).toEqual([]);
    expect(refused([{ scope: 'worktree', key: 'filter.x.smudge', value: 'x' }], 'local')).toEqual([
      'filter.x.smudge',
    ]);
  });
});

describe('parseConfigList', () => {
  it('reads scope, key and value, including bare keys and multi-line values', () => {
    const output =
      'local\0core.bare\nfalse\0local\0filter.x.clean\0global\0alias.l\nlog\n--oneline\0';
    expect(parseConfigList(output)).toEqual([
      { scope: 'local', key: 'core.bare', value: 'false' },
      { scope: 'local', key: 'filter.x.clean', value: undefined },
      { scope: 'global', key: 'alias.l', value: 'log\n--oneline' },
    ]);
  });
});

describe('gitEnvironment', () => {
  it('drops variables that redirect git or name programs, keeps identity and the rest', () => {
    const env = gitEnvironment(
      {
        PATH: '/bin',
        HOME: '/home/u',
        GIT_DIR: '/elsewhere',
        GIT_CONFIG_PARAMETERS: "'core.fsmonitor=touch x'",
        git_config_global: '/tmp/evil',
        GIT_SSH_COMMAND: 'touch x',
        GIT_AUTHOR_NAME: 'Ada',
        PAGER: 'touch x',
        EDITOR: 'vim',
      },
      { allowLocalRemotes: false },
    );
    expect(env).toMatchObject({
      PATH: '/bin',
      HOME: '/home/u',
      GIT_AUTHOR_NAME: 'Ada',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_TERMINAL_PROMPT: '0',
    });
    for (const key of [
      'GIT_DIR',
      'GIT_CONFIG_PARAMETERS',
      'git_config_global',
      'GIT_SSH_COMMAND',
      'PAGER',
      'EDITOR',
    ])
      expect(env).not.toHaveProperty(key);
    expect(env.GIT_ALLOW_PROTOCOL).toBe('https:ssh:git');
    expect(gitEnvironment({}, { allowLocalRemotes: true }).GIT_ALLOW_PROTOCOL).toBe(
      'https:ssh:git:file',
    );
  });
});

describe('hardeningConfig', () => {
  it('turns off fsmonitor and hooks, and signing unless asked', () => {
    expect(hardeningConfig({ signing: false })).toEqual(
      expect.arrayContaining([
        'core.fsmonitor=false',
        'core.hooksPath=/dev/null',
        'commit.gpgSign=false',
      ]),
    );
    expect(hardeningConfig({ signing: true })).not.toContain('commit.gpgSign=false');
  });
});
