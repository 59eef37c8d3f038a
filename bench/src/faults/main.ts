/**
 * @module
 * `pnpm bench faults`: the fault harness. Runs the same faults against our servers and the
 * official ones (installed from npm like the rest of the bench), prints one Markdown table, and
 * writes it with the commit it measured to bench/results/faults-<date>.json. The only module of
 * the harness with side effects. `--only filesystem,postgres,browser,git` narrows the run.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PEERS } from '../config.js';
import { workspace } from '../config-builders.js';
import { startPageServer } from '../fixtures/page.js';
import { startDatabase } from '../fixtures/postgres.js';
import { ChildRegistry } from '../launch.js';
import { installPeers, resolveSources, type ResolveContext } from '../sources.js';
import type { Source } from '../suite.js';
import { killNine, stdinEnd, type BrowserSubject } from './browser.js';
import { killDuringNewFileWrite } from './filesystem.js';
import { hangingFetch } from './git.js';
import { renderOutcomes, type Outcome } from './outcome.js';
import { restartMidSession } from './postgres.js';

const AREAS = ['filesystem', 'postgres', 'browser', 'git'] as const;
type Area = (typeof AREAS)[number];

const harness = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const root = resolve(harness, '../..');
const cache = resolve(root, 'bench/.cache');
const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};
const CHROMIUM = '/usr/bin/chromium';

function parseAreas(argv: readonly string[]): readonly Area[] {
  const at = argv.indexOf('--only');
  if (at === -1) return AREAS;
  const wanted = (argv[at + 1] ?? '').split(',').filter(Boolean);
  const unknown = wanted.filter((name) => !(AREAS as readonly string[]).includes(name));
  if (unknown.length > 0 || wanted.length === 0)
    throw new Error(`--only takes a list of ${AREAS.join(', ')}; got "${argv[at + 1] ?? ''}"`);
  return wanted as Area[];
}

const registry = new ChildRegistry();
const areas = parseAreas(process.argv.slice(2));
const peers = [PEERS.filesystem, PEERS.postgres, PEERS.puppeteer];
mkdirSync(cache, { recursive: true });
const ctx: ResolveContext = {
  root,
  cache,
  harness,
  node: process.execPath,
  peerFailures: installPeers(cache, peers, log),
  install: true,
};

/** The command prefix of `source`, or why it cannot run here. */
function argvOf(source: Source): readonly string[] | string {
  const resolution = resolveSources([source], ctx);
  return 'skip' in resolution ? resolution.skip : resolution.argv;
}

const outcomes: Outcome[] = [];
const notRun = (fault: string, server: string, why: string): void => {
  outcomes.push({ fault, server, ok: undefined, result: why });
};

/** Runs `fault` for each server that can run here; a server that cannot gets a row saying why. */
async function each(
  fault: string,
  servers: readonly (readonly [string, Source])[],
  run: (server: string, argv: readonly string[]) => Promise<Outcome>,
): Promise<void> {
  for (const [server, source] of servers) {
    const argv = argvOf(source);
    if (typeof argv === 'string') {
      notRun(fault, server, argv);
      continue;
    }
    log(`faults: ${fault}: ${server}`);
    try {
      outcomes.push(await run(server, argv));
    } catch (error) {
      notRun(
        fault,
        server,
        `harness error: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

async function main(): Promise<void> {
  if (areas.includes('filesystem'))
    await each(
      'kill -9 while write_file creates a new 8 MiB file',
      [
        ['filesystem (ours)', workspace('filesystem')],
        ['server-filesystem (official)', PEERS.filesystem],
      ],
      (server, argv) => killDuringNewFileWrite({ server, argv }, registry),
    );

  if (areas.includes('postgres')) {
    const db = await startDatabase(log);
    const fault = 'the database restarts mid-session';
    if (typeof db === 'string' || db.restart === undefined) {
      const why = typeof db === 'string' ? db : 'BENCH_DATABASE_URL cannot be restarted';
      notRun(fault, 'postgres (ours)', why);
      notRun(fault, 'server-postgres (official)', why);
    } else {
      try {
        const restart = db.restart;
        await each(
          fault,
          [
            ['postgres (ours)', workspace('postgres')],
            ['server-postgres (official)', PEERS.postgres],
          ],
          (server, argv) => restartMidSession({ server, argv }, db.url, restart, registry),
        );
      } finally {
        db.stop();
      }
    }
  }

  if (areas.includes('browser')) {
    const page = await startPageServer();
    try {
      const subjects = (
        argv: readonly string[],
        official: boolean,
      ): Omit<BrowserSubject, 'server'> => ({
        command: official
          ? {
              argv,
              env: {
                PUPPETEER_LAUNCH_OPTIONS: JSON.stringify({
                  headless: true,
                  executablePath: CHROMIUM,
                  args: ['--no-sandbox'],
                }),
                // It refuses --no-sandbox (needed as root) without this.
                ALLOW_DANGEROUS: 'true',
              },
            }
          : { argv: [...argv, '--no-sandbox'], env: { PUPPETEER_EXECUTABLE_PATH: CHROMIUM } },
      });
      const servers = [
        ['puppeteer (ours)', workspace('puppeteer')],
        ['server-puppeteer (official)', PEERS.puppeteer],
      ] as const;
      await each('stdin ends after a navigation', servers, (server, argv) =>
        stdinEnd({ server, ...subjects(argv, server.includes('official')) }, page.url, registry),
      );
      await each('kill -9 after a navigation', servers, (server, argv) =>
        killNine({ server, ...subjects(argv, server.includes('official')) }, page.url, registry),
      );
    } finally {
      page.stop();
    }
  }

  if (areas.includes('git'))
    for (const how of ['timeout', 'SIGTERM', 'stdin end'] as const)
      await each(
        `git_fetch from a hanging https remote, ended by ${how}`,
        [['git (ours)', workspace('git')]],
        (server, argv) => hangingFetch(server, argv, how, registry),
      );

  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
    cwd: root,
    encoding: 'utf8',
  }).trim();
  const table = renderOutcomes(outcomes);
  process.stdout.write(`Faults, measured at ${commit}:\n\n${table}\n`);
  const out = join(root, 'bench/results');
  mkdirSync(out, { recursive: true });
  const date = new Date().toISOString();
  writeFileSync(
    join(out, `faults-${date.replace(/[:.]/g, '-')}.json`),
    `${JSON.stringify({ date, commit, outcomes }, null, 1)}\n`,
  );
}

try {
  await main();
} finally {
  registry.killAll();
}
