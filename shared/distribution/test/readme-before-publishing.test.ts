/**
 * @module
 * The top README's ways to run a server before the packages are published work as written: the
 * checkout commands name real entry files, `npm run tarballs` is the pack script the other suites
 * install from, and every `npx -y --package=<file.tgz> <bin>` host entry starts that server from
 * its tarball through real npx, without a warning on stderr.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { npxEnv } from './support/npm.js';
import { profiles } from './support/profiles.js';
import { hostEntries, jsonBlocks, tarballEntry } from './support/readme.js';
import { runSession } from './support/session.js';
import { noteNpmWarnings, warningLines } from './support/warnings.js';
import { listServers, readPackage, repoRoot, tarballName } from './support/workspace.js';

const installs = inject('installs');

/** npx unpacks the tarball and links its dependencies from the cache first; busy machines are slow. */
const NPX_LIMIT_MS = 180_000;
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const servers = listServers();

const entries = jsonBlocks(readme).flatMap((block) => {
  try {
    return [...hostEntries(block, JSON.parse(block.text) as unknown)];
  } catch {
    return [];
  }
});
const tarballEntries = entries.flatMap((entry) => {
  const found = tarballEntry(entry);
  return found === undefined ? [] : [{ entry, ...found }];
});

describe('the top README before publishing', () => {
  it('says the packages are not on the registry yet', () => {
    expect(readme).toContain('not on the npm registry yet');
  });

  it('runs from a checkout with entry files that the servers really build', () => {
    const commands = [...readme.matchAll(/^node (servers\/([a-z]+)\/\S+)/gm)];
    expect(commands.length).toBeGreaterThan(0);
    for (const [, path, id] of commands) {
      const server = servers.find((candidate) => candidate.id === id);
      expect(server, path).toBeDefined();
      expect(`servers/${id}/${server?.binPath ?? ''}`).toBe(path);
    }
  });

  it('packs with `npm run tarballs`, the script the distribution tests install from', () => {
    expect(readme).toContain('npm run tarballs');
    expect(readPackage(repoRoot).scripts?.tarballs).toBe('bash scripts/pack.sh');
  });

  it('shows at least one host entry in the tarball form, naming a real tarball and bin', () => {
    expect(tarballEntries.length).toBeGreaterThan(0);
    for (const { tarball, bin } of tarballEntries) {
      const server = servers.find((candidate) => candidate.binName === bin);
      expect(server, bin).toBeDefined();
      expect(basename(tarball)).toBe(tarballName(server?.pkg ?? { name: '', version: '' }));
    }
  });

  for (const { entry, bin, rest } of tarballEntries) {
    const installed = installs.installed.find((candidate) => candidate.binName === bin);
    const profile = profiles[installed?.id ?? ''];
    if (installed === undefined || profile === undefined) continue;
    it(
      `starts ${bin} with npx from the entry "${entry.key}" at line ${entry.line}`,
      { timeout: NPX_LIMIT_MS },
      async () => {
        const prepared = await profile();
        try {
          const session = await runSession({
            command: 'npx',
            args: [
              '-y',
              `--package=${installed.tarball}`,
              bin,
              ...rest.map((arg) => prepared.substitute(arg)),
            ],
            env: { ...npxEnv(), ...prepared.env },
            cwd: prepared.cwd,
            call: prepared.call,
          });
          expect(session.serverName).toBe(bin);
          expect(session.callIsError, session.callText).toBe(false);
          expect(session.callText).toContain(prepared.expectText);
          expect(warningLines(session.stderr)).toEqual([]);
          noteNpmWarnings(bin, session.stderr);
        } finally {
          await prepared.cleanup();
        }
      },
    );
  }
});
