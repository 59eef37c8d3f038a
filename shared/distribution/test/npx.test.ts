/**
 * @module
 * Every built server packs into a tarball that installs with plain npm into a clean directory and
 * runs, as `npx -y` would: workspace and catalog references are rewritten, nothing under `shared/`
 * is needed at run time, and the installed bin serves a real MCP session to the official client,
 * named by its bin (`mcp-server-<name>`) and without a warning on stderr.
 */
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { formatBytes } from './support/footprint.js';
import { profiles } from './support/profiles.js';
import { runSession } from './support/session.js';
import { warningLines } from './support/warnings.js';

const run = promisify(execFile);
const installs = inject('installs');

for (const { name, reason } of installs.skipped)
  process.stderr.write(`SKIP [npx] ${name}: ${reason}\n`);

describe('packing and installing', () => {
  it('packs and installs every built server', () => {
    expect(installs.failed).toEqual([]);
    expect(installs.installed.length).toBeGreaterThan(0);
  });

  for (const installed of installs.installed) {
    describe(installed.name, () => {
      it('has no workspace: or catalog: reference left in the packed package.json', () => {
        const text = JSON.stringify(installed.packed);
        expect(text).not.toMatch(/"(workspace|catalog):/);
      });

      it('depends on nothing under shared/ at run time', () => {
        const runtime = Object.keys(installed.packed.dependencies ?? {});
        expect(
          runtime.filter((dep) => /^@plugboard\/(testing|config|distribution)$/.test(dep)),
        ).toEqual([]);
      });

      it('ships no tests, source maps or sources', async () => {
        const { stdout: listing } = await run('tar', ['-tzf', installed.tarball]);
        expect(
          listing.split('\n').filter((file) => /\.test\.|\.map$|^package\/src\//.test(file)),
        ).toEqual([]);
      });

      it('installs no @plugboard package besides itself and the protocol it declares', async () => {
        const scoped = await readdir(join(installed.prefix, 'node_modules/@plugboard'));
        const expected = [installed.name.replace('@plugboard/', '')];
        if (installed.neededProtocol) expected.push('protocol');
        expect(scoped.sort()).toEqual(expected.sort());
      });
    });
  }
});

describe('running the installed bin', () => {
  for (const installed of installs.installed) {
    const profile = profiles[installed.id];
    if (profile === undefined) {
      process.stderr.write(
        `SKIP [npx] ${installed.name}: no launch profile in test/support/profiles.ts\n`,
      );
      continue;
    }
    it(`${installed.name} answers initialize, tools/list and a read-only call from its npm install`, async () => {
      const prepared = await profile();
      try {
        const session = await runSession({
          command: installed.bin,
          args: prepared.args,
          env: prepared.env,
          call: prepared.call,
        });
        expect(session.serverName).toBe(installed.binName);
        expect(session.tools).toContain(prepared.call.name);
        expect(session.callIsError, session.callText).toBe(false);
        expect(session.callText).toContain(prepared.expectText);
        if (prepared.fake !== undefined) expect(prepared.fake.requests.length).toBeGreaterThan(0);
        expect(warningLines(session.stderr)).toEqual([]);
      } finally {
        await prepared.cleanup();
      }
    });
  }
});

afterAll(() => {
  const rows = installs.installed.map(
    (installed) =>
      `| ${installed.name} | ${installed.footprint.packages} | ${formatBytes(installed.footprint.bytes)} | ${installed.neededProtocol ? 'yes' : 'no'} |`,
  );
  process.stderr.write(
    [
      '',
      '| package | packages | bytes | installs @plugboard/protocol |',
      '|---|---|---|---|',
      ...rows,
      '',
    ].join('\n'),
  );
});
