/**
 * @module
 * The host-config snippets in every server README are copy-paste ready: each ```json block parses,
 * and the Claude Desktop style (`mcpServers`) and VS Code (`servers` + `inputs`) entries start the
 * server the way a host would, with `npx -y <package>` swapped for the bin installed from the local
 * tarball and the README's placeholders (paths, tokens, `${input:...}`) filled with working values.
 * The Claude Desktop entry also runs through real npx, rewritten to `--package=<tarball> <bin>` as
 * the top README shows before publishing. No launch may print a warning on stderr.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { profiles, type Prepared } from './support/profiles.js';
import { npxEnv } from './support/npm.js';
import {
  hostEntries,
  inputReferences,
  jsonBlocks,
  npxServerArgs,
  tarballNpxArgs,
  type HostEntry,
} from './support/readme.js';
import { runSession } from './support/session.js';
import { noteNpmWarnings, warningLines } from './support/warnings.js';
import { listServers } from './support/workspace.js';

const installs = inject('installs');

/** npx unpacks the tarball and links its dependencies from the cache first; busy machines are slow. */
const NPX_LIMIT_MS = 180_000;

/** Forms each README should offer; missing ones are reported, the launchable two are required. */
const optionalForms: Readonly<Record<string, RegExp>> = {
  'Windows cmd /c npx': /"cmd",\s*\n?\s*"args":\s*\[\s*\n?\s*"\/c"/,
  'Zed context_servers': /"context_servers"/,
  'Claude Code claude mcp add': /claude mcp add/,
  'Docker docker run -i --rm': /"docker"[\s\S]*?"-i"/,
  'HTTP url': /"(url|serverUrl)":\s*"http/,
};

/**
 * Fills a README value the way the host and the user's shell would: `${workspaceFolder}`/`${PWD}` is
 * the workspace, `${VAR}`, `${env:VAR}` and `${VAR:-default}` come from the user's environment (the
 * profile's working values), `${input:id}` is what the user typed, and literal placeholders (paths,
 * example tokens, connection URLs) are replaced by working ones.
 */
function resolveValue(value: string, prepared: Prepared, key?: string): string {
  let expanded = false;
  const result = value
    .replace(/\$\{(workspaceFolder|PWD)\}/g, () => {
      expanded = true;
      return prepared.cwd;
    })
    .replace(/\$\{input:[^}]+\}/g, (match) => {
      expanded = true;
      return prepared.substitute(match, key);
    })
    .replace(
      /\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g,
      (match, name: string, fallback?: string) => {
        expanded = true;
        const found = prepared.substitute(match, name);
        return found === match ? (fallback ?? '') : found;
      },
    );
  return expanded ? result : prepared.substitute(value, key);
}

/** Env names whose VS Code input must be a password prompt. */
const secretName = /TOKEN|SECRET|PASSWORD|KEY|CREDENTIALS|DATABASE_URL/;

for (const server of listServers()) {
  const readmePath = join(server.dir, 'README.md');
  if (!existsSync(readmePath)) {
    process.stderr.write(`SKIP [host-configs] ${server.pkg.name}: no README.md yet\n`);
    continue;
  }
  const readme = readFileSync(readmePath, 'utf8');
  const blocks = jsonBlocks(readme);

  describe(`${server.pkg.name} README`, () => {
    it('has JSON blocks that all parse', () => {
      expect(blocks.length).toBeGreaterThan(0);
      for (const block of blocks) {
        expect(
          () => JSON.parse(block.text) as unknown,
          `README.md line ${block.line}`,
        ).not.toThrow();
      }
    });

    const entries: HostEntry[] = blocks.flatMap((block) => {
      try {
        return [...hostEntries(block, JSON.parse(block.text) as unknown)];
      } catch {
        return [];
      }
    });
    const launchable = entries.filter(
      (entry) =>
        (entry.form === 'mcpServers' || entry.form === 'servers') &&
        npxServerArgs(entry, server.pkg.name) !== undefined,
    );

    it('offers a Claude Desktop (mcpServers) and a VS Code (servers) npx entry', () => {
      expect(launchable.map((entry) => entry.form)).toContain('mcpServers');
      expect(launchable.map((entry) => entry.form)).toContain('servers');
      const missing = Object.entries(optionalForms)
        .filter(([, pattern]) => !pattern.test(readme))
        .map(([form]) => form);
      if (missing.length > 0)
        process.stderr.write(
          `NOTE [host-configs] ${server.pkg.name} README lacks: ${missing.join(', ')}\n`,
        );
    });

    it('declares every VS Code ${input:...} it uses, secrets as password prompts', () => {
      for (const entry of entries.filter((candidate) => candidate.form === 'servers')) {
        for (const [name, value] of Object.entries(entry.env)) {
          for (const id of inputReferences({ ...entry, env: { [name]: value } })) {
            expect(entry.inputs[id], `input ${id} (line ${entry.line})`).toMatchObject({
              type: 'promptString',
              ...(secretName.test(name) ? { password: true } : {}),
            });
          }
        }
      }
    });

    const installed = installs.installed.find((candidate) => candidate.id === server.id);
    const profile = profiles[server.id];
    if (installed === undefined || profile === undefined) {
      process.stderr.write(
        `SKIP [host-configs] ${server.pkg.name}: ${installed === undefined ? 'not installed from a tarball' : 'no launch profile'}; entries not launched\n`,
      );
      return;
    }
    for (const entry of launchable) {
      it(`starts from the ${entry.form} entry "${entry.key}" at line ${entry.line}`, async () => {
        const prepared = await profile();
        try {
          const args = (npxServerArgs(entry, server.pkg.name) ?? []).map((arg) =>
            resolveValue(arg, prepared),
          );
          const env: Record<string, string> = { ...prepared.env };
          for (const [key, value] of Object.entries(entry.env))
            env[key] = resolveValue(value, prepared, key);
          const session = await runSession({
            command: installed.bin,
            args,
            env,
            cwd: prepared.cwd,
            call: prepared.call,
          });
          expect(session.tools.length).toBeGreaterThan(0);
          expect(session.callIsError, session.callText).toBe(false);
          expect(session.callText).toContain(prepared.expectText);
          expect(warningLines(session.stderr)).toEqual([]);
        } finally {
          await prepared.cleanup();
        }
      });
    }

    const desktop = launchable.find((entry) => entry.form === 'mcpServers');
    if (desktop === undefined) return;
    it(
      `starts with npx from its tarball, the entry "${desktop.key}" rewritten to --package=<tgz>`,
      { timeout: NPX_LIMIT_MS },
      async () => {
        const prepared = await profile();
        try {
          const args = tarballNpxArgs(
            desktop,
            server.pkg.name,
            installed.tarball,
            installed.binName,
          );
          const env: Record<string, string> = { ...npxEnv(), ...prepared.env };
          for (const [key, value] of Object.entries(desktop.env))
            env[key] = resolveValue(value, prepared, key);
          const session = await runSession({
            command: 'npx',
            args: (args ?? []).map((arg, index) => (index < 3 ? arg : resolveValue(arg, prepared))),
            env,
            cwd: prepared.cwd,
            call: prepared.call,
          });
          expect(session.serverName).toBe(installed.binName);
          expect(session.callIsError, session.callText).toBe(false);
          expect(session.callText).toContain(prepared.expectText);
          expect(warningLines(session.stderr)).toEqual([]);
          noteNpmWarnings(server.pkg.name, session.stderr);
        } finally {
          await prepared.cleanup();
        }
      },
    );
  });
}
