import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SAMPLING_REPLY } from '../src/session.js';

/** The whole tour starts four servers (one with an embedded database); CI machines can be slow. */
const TOUR_LIMIT_MS = 300_000;
const demoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const main = join(demoRoot, 'dist', 'main.js');
const fixtureBuilt = existsSync(
  join(demoRoot, '..', 'shared', 'conformance-fixture', 'dist', 'main.js'),
);

async function runBuiltDemo(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [main, ...args], {
      timeout: TOUR_LIMIT_MS,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

describe('the built demo', () => {
  it(
    'tours every built server, exits 0 and prints no stack trace',
    { timeout: TOUR_LIMIT_MS + 10_000 },
    async () => {
      const { code, stdout, stderr } = await runBuiltDemo();
      expect(stdout).toContain('━━ summary');
      expect(`${stdout}\n${stderr}`).not.toMatch(STACK_LINE);
      expect(
        code,
        `the demo failed; its summary:\n${stdout.slice(stdout.lastIndexOf('━━ summary'))}`,
      ).toBe(0);
    },
  );

  it.runIf(fixtureBuilt)(
    'shows a real session with the fixture: a count and a few of its tools, progress as it was on the wire, sampling answered by the client',
    async () => {
      const { code, stdout } = await runBuiltDemo('--only', 'protocol');
      expect(code).toBe(0);
      expect(stdout).toContain(' → test_sampling {"prompt":"What is the capital of France?"}');
      expect(stdout).toContain(`client answers: "${SAMPLING_REPLY}"`);
      const tools =
        /^ {3}(\d+) tools, among them: test_simple_text, .*(?:\n {3}.*)*? and (\d+) more$/m.exec(
          stdout,
        );
      expect(tools, 'a count, the first eight tools and how many more').not.toBeNull();
      expect(Number(tools?.[1]) - Number(tools?.[2])).toBe(8);
      expect(stdout).toContain(
        [' ⋯ progress 0/100', ' ⋯ progress 50/100', ' ⋯ progress 100/100'].join('\n'),
      );
      expect(stdout).toMatch(
        / ⋯ 3 progress notifications on the wire; the SDK's onprogress callback saw \d/,
      );
      expect(stdout).toMatch(/✓ protocol: \d+ requests/);
    },
  );

  it.skipIf(fixtureBuilt)(
    'says the fixture is not built instead of failing',
    { timeout: TOUR_LIMIT_MS },
    async () => {
      const { code, stdout } = await runBuiltDemo('--only', 'protocol');
      expect(code).toBe(0);
      expect(stdout).toContain('skipped: not built yet');
    },
  );
});
