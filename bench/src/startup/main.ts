/**
 * @module
 * `pnpm bench startup --against DIR`: our servers' start-up as built here against the same
 * servers as built in DIR (another checkout, `pnpm install && pnpm build` run there), beside the
 * floor. Per round and server: the floor, then the two builds, alternating which goes first;
 * each instance answers `initialize` and `tools/list` and is measured as the cold rounds of the
 * harness measure it (server CPU to the `tools/list` answer, idle RSS once settled). Then, once
 * per build, the files of its bundle Node loaded on the way to `tools/list`, from a module hook
 * that names each file as it loads. Prints one Markdown table. The only module of this command
 * with side effects.
 *
 * `--rounds N` (default 15), `--servers LIST` (default all of them).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LOADED_FILES_PRELOAD, loadedFiles } from '@plugboard/testing/loaded-files';
import { ensureGoogleCredentials } from '../fixtures/google-key.js';
import { startDatabase } from '../fixtures/postgres.js';
import { ChildRegistry, launch, terminate, withTimeout, type Command } from '../launch.js';
import { measureInstance, type InstanceOptions } from '../measure.js';
import { loadAverage } from '../proc.js';
import { StdioRpcClient } from '../rpc-client.js';
import { median } from '../stats.js';

const harness = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const root = resolve(harness, '../..');

/** Each server's package directory and what it needs to start without a real upstream. */
interface Server {
  dir: string;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
}

const COLD_ONLY: InstanceOptions = {
  full: false,
  calls: [],
  heavy: [],
  work: {
    warmup: 0,
    pipelinedWarmup: 0,
    sequential: 0,
    pipelined: 0,
    inFlight: 1,
    heavyReps: 0,
    heavyRepsCap: 0,
    graceMs: 2_000,
  },
};

const { values } = parseArgs({
  args: process.argv.slice(2),
  strict: true,
  options: {
    against: { type: 'string' },
    rounds: { type: 'string', default: '15' },
    servers: { type: 'string' },
  },
});
if (values.against === undefined) throw new Error('--against DIR names the other checkout');
const against = resolve(values.against);
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1)
  throw new Error(`--rounds takes a whole number, got "${values.rounds}"`);

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};
const registry = new ChildRegistry();
const scratch = mkdtempSync(join(tmpdir(), 'plugboard-bench-startup-'));
const database = await startDatabase(log);
if (typeof database === 'string') throw new Error(database);
const google = ensureGoogleCredentials(join(scratch, 'google'));
const offline = 'http://127.0.0.1:9';

const SERVERS: Readonly<Record<string, Server>> = {
  fixture: { dir: 'shared/conformance-fixture', args: [], env: {} },
  filesystem: { dir: 'servers/filesystem', args: [scratch], env: {} },
  postgres: { dir: 'servers/postgres', args: [database.url], env: {} },
  git: { dir: 'servers/git', args: ['--repository', root], env: {} },
  puppeteer: { dir: 'servers/puppeteer', args: [], env: {} },
  github: {
    dir: 'servers/github',
    args: [],
    env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'github_pat_bench', GITHUB_API_URL: `${offline}/` },
  },
  slack: {
    dir: 'servers/slack',
    args: [],
    env: { SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_TEAM_ID: 'T01234567', SLACK_API_URL: offline },
  },
  gdrive: {
    dir: 'servers/gdrive',
    args: [],
    env: {
      GOOGLE_APPLICATION_CREDENTIALS: google.serviceAccountKey,
      GDRIVE_CREDENTIALS_PATH: join(scratch, 'absent.json'),
    },
  },
};
const names = values.servers?.split(',').filter(Boolean) ?? Object.keys(SERVERS);
for (const name of names) {
  if (!(name in SERVERS))
    throw new Error(`unknown server "${name}"; servers: ${Object.keys(SERVERS).join(', ')}`);
}

const command = (checkout: string, server: Server, env: Record<string, string> = {}): Command => ({
  argv: [process.execPath, join(checkout, server.dir, 'dist/main.js'), ...server.args],
  env: { ...server.env, ...env },
});
const FLOOR: Command = { argv: [process.execPath, join(harness, 'src/floor/mcp-server.js')] };

/** The files of `checkout`'s build of `server` that Node loaded before `tools/list` was answered. */
async function bundleFiles(checkout: string, server: Server): Promise<number> {
  const launched = launch(
    command(checkout, server, { NODE_OPTIONS: `--import=${LOADED_FILES_PRELOAD}` }),
    registry,
  );
  const client = new StdioRpcClient(launched.child.stdin, launched.child.stdout);
  let stderr = '';
  launched.child.stderr.on('data', (text: string) => {
    stderr += text;
  });
  try {
    await withTimeout(
      client.request('initialize', {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'plugboard-bench', version: '0.0.0' },
      }),
      30_000,
      'initialize',
    );
    await withTimeout(client.request('tools/list', {}), 30_000, 'tools/list');
    return loadedFiles(stderr, join(checkout, server.dir, 'dist')).length;
  } finally {
    await terminate(launched);
  }
}

const cpu = new Map<string, number[]>();
const rss = new Map<string, number[]>();
async function sample(key: string, what: Command): Promise<void> {
  const { cold } = await measureInstance(what, COLD_ONLY, registry);
  cpu.set(key, [...(cpu.get(key) ?? []), cold.cpuToListMs]);
  rss.set(key, [...(rss.get(key) ?? []), cold.idleRssMb]);
}

const loadBefore = loadAverage();
const started = new Date();
try {
  for (let round = 0; round < rounds; round++) {
    log(`round ${round + 1} of ${rounds}`);
    for (const name of names) {
      const server = SERVERS[name] as Server;
      const builds: [string, string][] = [
        ['against', against],
        ['here', root],
      ];
      await sample('floor', FLOOR);
      for (const [label, checkout] of round % 2 === 0 ? builds : builds.reverse())
        await sample(`${name} ${label}`, command(checkout, server));
    }
  }
  const floorCpu = median(cpu.get('floor') ?? []) ?? Number.NaN;
  const floorRss = median(rss.get('floor') ?? []) ?? Number.NaN;
  const time = (date: Date): string => date.toISOString().slice(11, 16);
  console.log(
    `${String(rounds)} rounds, ${time(started)}–${time(new Date())} UTC, load average ${String(loadBefore)} → ${String(loadAverage())}; the floor: ${floorCpu.toFixed(1)} ms, ${floorRss.toFixed(1)} MB; ${against} → here\n`,
  );
  console.log(
    '| server | CPU to `tools/list` | ratio to the floor | idle RSS, MB | ratio to the floor | bundle files loaded |',
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const name of names) {
    const server = SERVERS[name] as Server;
    const of = (values: Map<string, number[]>, label: string): number =>
      median(values.get(`${name} ${label}`) ?? []) ?? Number.NaN;
    const pair = (a: number, b: number, digits: number, unit = ''): string =>
      `${a.toFixed(digits)}${unit} → ${b.toFixed(digits)}${unit}`;
    const [cpuA, cpuH, rssA, rssH] = [
      of(cpu, 'against'),
      of(cpu, 'here'),
      of(rss, 'against'),
      of(rss, 'here'),
    ];
    const files = `${String(await bundleFiles(against, server))} → ${String(await bundleFiles(root, server))}`;
    console.log(
      `| ${name} | ${pair(cpuA, cpuH, 1, ' ms')} | ${pair(cpuA / floorCpu, cpuH / floorCpu, 2, '×')} | ${pair(rssA, rssH, 1)} | ${pair(rssA / floorRss, rssH / floorRss, 2, '×')} | ${files} |`,
    );
  }
} finally {
  registry.killAll();
  database.stop();
  rmSync(scratch, { recursive: true, force: true });
}
