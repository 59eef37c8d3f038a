/**
 * @module
 * What keeps a hostile repository from running programs or reading files: the `-c` overrides
 * and environment every git child gets, and the check that refuses repositories whose own
 * configuration names a program git would run or a file git would read. The operator's global configuration is trusted; the repository's local
 * and worktree configuration is not (it can arrive in an archive, or be written by another tool).
 * Everything here is pure so that it can be tested key by key.
 */

/**
 * `-c` overrides for every git child. Command-line configuration beats the repository's, so
 * these neutralise the settings git would otherwise execute or that would change the output
 * the tools parse. Hooks are also skipped with `--no-verify` where a command has it.
 */
export function hardeningConfig(options: { signing: boolean }): string[] {
  const config = [
    'core.fsmonitor=false',
    'core.hooksPath=/dev/null',
    'core.quotePath=false',
    'color.ui=false',
    'log.showSignature=false',
    'gc.auto=0',
    'maintenance.auto=false',
    'submodule.recurse=false',
    'fetch.recurseSubmodules=false',
    'push.recurseSubmodules=no',
    'advice.detachedHead=false',
  ];
  if (!options.signing)
    config.push('commit.gpgSign=false', 'tag.gpgSign=false', 'tag.forceSignAnnotated=false');
  return config;
}

/**
 * `GIT_*` variables from the server's own environment that git children may inherit: commit
 * identity (containers often have no global config) and the CA bundle for https behind a
 * corporate proxy. None of them names a repository, a config source or a program.
 */
const PASSED_THROUGH_GIT_VARIABLES = new Set([
  'GIT_AUTHOR_NAME',
  'GIT_AUTHOR_EMAIL',
  'GIT_COMMITTER_NAME',
  'GIT_COMMITTER_EMAIL',
  'GIT_SSL_CAINFO',
  'GIT_SSL_CAPATH',
]);

/** Variables that name programs or config sources; never inherited. */
const DROPPED_VARIABLES = new Set(['PAGER', 'EDITOR', 'VISUAL', 'SSH_ASKPASS', 'PREFIX']);

/** Protocols remote operations may use; `file` is added only when the operator allows local remotes. */
export const NETWORK_PROTOCOLS = ['https', 'ssh', 'git'] as const;

/**
 * The environment of every git child: the server's environment without any `GIT_*` variable
 * (they could point git at another repository, config file or program) except the identity
 * ones, plus the settings that stop git from prompting, paging, editing or using a protocol
 * the operator did not allow.
 */
export function gitEnvironment(
  inherited: Readonly<Record<string, string | undefined>>,
  options: { allowLocalRemotes: boolean },
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(inherited)) {
    if (value === undefined) continue;
    const upper = key.toUpperCase();
    if (DROPPED_VARIABLES.has(upper)) continue;
    if (upper.startsWith('GIT_') && !PASSED_THROUGH_GIT_VARIABLES.has(upper)) continue;
    env[key] = value;
  }
  const protocols: string[] = [...NETWORK_PROTOCOLS];
  if (options.allowLocalRemotes) protocols.push('file');
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    GIT_EDITOR: ':',
    GIT_SEQUENCE_EDITOR: ':',
    GIT_ALLOW_PROTOCOL: protocols.join(':'),
    GIT_PROTOCOL_FROM_USER: '0',
    // git would otherwise take `--upload` for `--upload-pack`: an abbreviation is refused, so the
    // options the tools pass and the ones the argument guard refuses are the only spellings.
    GIT_TEST_DISALLOW_ABBREVIATED_OPTIONS: '1',
    LC_ALL: 'C',
  };
}

/** What the repository's configuration is used for: local work, or talking to remotes too. */
export type ConfigPurpose = 'local' | 'remote';

/** What a refused key would make git do. */
export type KeyEffect = 'runs' | 'reads';

/** One configuration entry as `git config --list --show-scope -z` prints it. */
export interface ConfigEntry {
  scope: string;
  /** As git prints it: section and variable lower-cased, subsection as written. */
  key: string;
  value: string | undefined;
}

interface Rule {
  pattern: RegExp;
  purpose: ConfigPurpose;
  /** What the key makes git do with its value: run it, or read the file it names. */
  effect: KeyEffect;
  /** True when the value makes the key harmless (e.g. `core.fsmonitor=false`). */
  harmless?: (value: string | undefined) => boolean;
}

const BOOLEAN = /^(true|false|yes|no|on|off|1|0|)$/i;

/**
 * Repository-local keys that make git run a program or read a file. Keys are compared case-insensitively
 * (CVE-2026-28292 was a case-sensitive filter over case-insensitive git config). Keys that the
 * `-c` overrides above neutralise (hooksPath, pager, editor, askPass) are not listed: refusing
 * them would lock out ordinary repositories (husky sets `core.hooksPath`).
 */
const RULES: readonly Rule[] = [
  { pattern: /^filter\..+\.(clean|smudge|process)$/i, purpose: 'local', effect: 'runs' },
  { pattern: /^diff\.external$/i, purpose: 'local', effect: 'runs' },
  { pattern: /^diff\..+\.(command|textconv)$/i, purpose: 'local', effect: 'runs' },
  { pattern: /^merge\..+\.driver$/i, purpose: 'local', effect: 'runs' },
  { pattern: /^gpg\.(.+\.)?program$/i, purpose: 'local', effect: 'runs' },
  { pattern: /^gpg\.ssh\.defaultkeycommand$/i, purpose: 'local', effect: 'runs' },
  { pattern: /^core\.alternaterefscommand$/i, purpose: 'local', effect: 'runs' },
  {
    pattern: /^core\.fsmonitor$/i,
    purpose: 'local',
    effect: 'runs',
    harmless: (value) => BOOLEAN.test(value ?? ''),
  },
  { pattern: /^core\.sshcommand$/i, purpose: 'remote', effect: 'runs' },
  { pattern: /^core\.gitproxy$/i, purpose: 'remote', effect: 'runs' },
  { pattern: /^credential\.(.+\.)?helper$/i, purpose: 'remote', effect: 'runs' },
  { pattern: /^remote\..+\.(uploadpack|receivepack|vcs)$/i, purpose: 'remote', effect: 'runs' },
  // Keys that name a file git reads. Any path is accepted by git, and what it read can come back
  // in its output or its errors (blame prints the first line of an ignoreRevsFile it cannot
  // parse), so a repository could read /etc/shadow through them. Their values cannot be reset
  // from the command line (blame.ignoreRevsFile is a list, read as it is parsed).
  { pattern: /^include\.path$/i, purpose: 'local', effect: 'reads' },
  { pattern: /^includeif\..+\.path$/i, purpose: 'local', effect: 'reads' },
  { pattern: /^blame\.ignorerevsfile$/i, purpose: 'local', effect: 'reads' },
  { pattern: /^core\.(excludesfile|attributesfile)$/i, purpose: 'local', effect: 'reads' },
  { pattern: /^commit\.template$/i, purpose: 'local', effect: 'reads' },
  { pattern: /^mailmap\.file$/i, purpose: 'local', effect: 'reads' },
  { pattern: /^diff\.orderfile$/i, purpose: 'local', effect: 'reads' },
  { pattern: /^((fetch|receive)\.)?fsck\.skiplist$/i, purpose: 'local', effect: 'reads' },
  {
    pattern: /^gpg\.ssh\.(allowedsignersfile|revocationfile)$/i,
    purpose: 'local',
    effect: 'reads',
  },
  {
    pattern:
      /^http\.(.+\.)?(cookiefile|sslcert|sslkey|sslcainfo|sslcapath|proxysslcert|proxysslkey|proxysslcainfo)$/i,
    purpose: 'remote',
    effect: 'reads',
  },
];

const UNTRUSTED_SCOPES = new Set(['local', 'worktree']);

/** A refused key and what it would make git do. */
export interface DangerousKey {
  readonly key: string;
  readonly effect: KeyEffect;
}

/**
 * The repository-local keys that would run a program or read a file for this purpose. `remote`
 * includes the `local` ones: remote operations do everything local ones do and then talk to the
 * network.
 */
export function dangerousKeys(
  entries: readonly ConfigEntry[],
  purpose: ConfigPurpose,
): DangerousKey[] {
  const found = new Map<string, KeyEffect>();
  for (const entry of entries) {
    if (!UNTRUSTED_SCOPES.has(entry.scope.toLowerCase())) continue;
    for (const rule of RULES) {
      if (rule.purpose === 'remote' && purpose === 'local') continue;
      if (!rule.pattern.test(entry.key)) continue;
      if (rule.harmless?.(entry.value) === true) continue;
      found.set(entry.key, rule.effect);
    }
  }
  return [...found].map(([key, effect]) => ({ key, effect }));
}

/** Parses `git config --list --show-scope -z`: `scope NUL key LF value NUL`, value absent for bare keys. */
export function parseConfigList(output: string): ConfigEntry[] {
  const fields = output.split('\0');
  const entries: ConfigEntry[] = [];
  for (let index = 0; index + 1 < fields.length; index += 2) {
    const scope = fields[index]!;
    const pair = fields[index + 1]!;
    const newline = pair.indexOf('\n');
    entries.push(
      newline === -1
        ? { scope, key: pair, value: undefined }
        : { scope, key: pair.slice(0, newline), value: pair.slice(newline + 1) },
    );
  }
  return entries;
}
