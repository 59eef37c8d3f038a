/**
 * @module
 * `pnpm bench`: the entry point. Parses options, installs the npm peers, builds the data sets the
 * chosen suites need, runs each suite, prints its table and targets, and writes every raw sample
 * to a JSON file in bench/results/. The only module with side effects.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HTTP_SUBJECTS, SUITES } from './config.js';
import { ensureGitRepo } from './fixtures/git-repo.js';
import { ensureGoogleCredentials } from './fixtures/google-key.js';
import { writeHostileInputs } from './fixtures/hostile.js';
import { startPageServer } from './fixtures/page.js';
import { startPoolers } from './fixtures/pgbouncer.js';
import { startDatabase, type Database } from './fixtures/postgres.js';
import { startTurnRelay } from './fixtures/turn-relay.js';
import { ensureTree } from './fixtures/tree.js';
import { startUpstreamFakes } from './fixtures/upstreams.js';
import { runHttp, type HttpRecord } from './http-load.js';
import { ChildRegistry } from './launch.js';
import { HELP, parseOptions, type BenchOptions } from './options.js';
import { loadAverage, machineDescription } from './proc.js';
import { renderHttp, renderSuite } from './report.js';
import { planSubjects, runSuite, type SuiteRecord } from './runner.js';
import { installPeers, resolveSources, type ResolveContext } from './sources.js';
import type { Source, Suite, SuiteEnv } from './suite.js';

const harness = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = resolve(harness, '../..');
const NOT_SELECTED = 'not selected (--suite)';
const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

let options: BenchOptions;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  log(`bench: ${error instanceof Error ? error.message : String(error)}\n\n${HELP}`);
  process.exit(2);
}
if (options.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

const cache = resolve(root, options.cache ?? 'bench/.cache');
const outDir = resolve(root, options.out ?? 'bench/results');
const registry = new ChildRegistry();
const databases: Database[] = [];
const stoppers: (() => void)[] = [];
const cleanUp = (): void => {
  registry.killAll();
  for (const db of databases.splice(0)) db.stop();
  for (const stop of stoppers.splice(0)) stop();
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`bench: ${signal}, stopping everything it started`);
    cleanUp();
    process.exit(130);
  });
}

/** Narrows a suite to the subjects named by --subjects (its cold baseline always stays). */
function filterSuite(suite: Suite): Suite {
  const wanted = options.subjects;
  if (wanted === undefined) return suite;
  return {
    ...suite,
    subjects: suite.subjects.filter((s) => wanted.includes(s.id)),
    baselines: suite.baselines.filter((b) => b.id === suite.coldBaseline || wanted.includes(b.id)),
  };
}

const npmPeers = [
  ...new Map(
    [
      ...SUITES.flatMap((suite) => suite.subjects.flatMap((s) => s.sources)),
      ...HTTP_SUBJECTS.flatMap((s) => s.sources),
    ]
      .filter((source): source is Extract<Source, { from: 'npm' }> => source.from === 'npm')
      .map((source) => [`${source.package}@${source.version}`, source]),
  ).values(),
];

function resolveContext(peerFailures: ReadonlyMap<string, string>): ResolveContext {
  return { root, cache, harness, node: process.execPath, peerFailures, install: options.install };
}

function selectedSuites(ctx: ResolveContext): { suite: Suite; why?: string }[] {
  return SUITES.map((suite) => {
    if (options.suites !== undefined) {
      return options.suites.includes(suite.id as never) ? { suite } : { suite, why: NOT_SELECTED };
    }
    const owner = suite.subjects.find((s) => s.id === suite.owner);
    const resolution = owner === undefined ? undefined : resolveSources(owner.sources, ctx);
    if (resolution !== undefined && 'skip' in resolution)
      return { suite, why: `${resolution.skip} (run it anyway with --suite ${suite.id})` };
    return { suite };
  });
}

function printList(ctx: ResolveContext): void {
  const lines: string[] = [];
  for (const suite of SUITES) {
    lines.push(`${suite.id}: ${suite.title}`);
    for (const subject of suite.subjects) {
      const resolution = resolveSources(subject.sources, ctx);
      lines.push(
        `  ${subject.id.padEnd(22)} ${'skip' in resolution ? `unavailable: ${resolution.skip}` : `ready${resolution.note === undefined ? '' : ` (${resolution.note})`}`}`,
      );
    }
    for (const baseline of suite.baselines)
      lines.push(`  ${baseline.id.padEnd(22)} baseline: ${baseline.label}`);
  }
  lines.push('http: Streamable HTTP under load');
  for (const subject of HTTP_SUBJECTS) {
    const resolution = resolveSources(subject.sources, ctx);
    lines.push(
      `  ${subject.id.padEnd(22)} ${'skip' in resolution ? `unavailable: ${resolution.skip}` : 'ready if it serves HTTP'}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function prepare(suite: Suite, env: SuiteEnv): Promise<string | undefined> {
  for (const need of suite.needs) {
    switch (need) {
      case 'tree':
        env.tree = ensureTree(join(cache, 'tree-50k'), log);
        break;
      case 'hostile':
        env.hostile = writeHostileInputs(join(cache, 'hostile'));
        break;
      case 'upstreams': {
        if (env.hostile === undefined)
          return 'the upstream fakes serve the hostile inputs: list them first';
        const running = await startUpstreamFakes(env.hostile);
        stoppers.push(running.stop);
        env.upstreams = running.fakes;
        break;
      }
      case 'git-repo':
        env.gitRepo = ensureGitRepo(join(cache, 'git-10k'), log);
        break;
      case 'page': {
        const page = await startPageServer();
        stoppers.push(page.stop);
        env.pageUrl = page.url;
        env.largePageUrl = page.largeUrl;
        break;
      }
      case 'google-credentials':
        env.google = ensureGoogleCredentials(join(cache, 'google-credentials'));
        break;
      case 'postgres': {
        const db = await startDatabase(log);
        if (typeof db === 'string') return db;
        databases.push(db);
        // Every subject and baseline reaches the database through one relay that counts round trips.
        const target = new URL(db.url);
        const relay = await startTurnRelay(target.hostname, Number(target.port || '5432'));
        stoppers.push(relay.stop);
        target.hostname = '127.0.0.1';
        target.port = String(relay.port);
        env.databaseUrl = target.href;
        env.databaseTurns = relay.turns;
        break;
      }
      case 'pgbouncer': {
        if (env.databaseUrl === undefined) return 'PgBouncer needs the database first';
        const poolers = await startPoolers(env.databaseUrl, log);
        if (typeof poolers === 'string') {
          log(`${suite.id}: ${poolers}`);
          env.poolerUrls = { missing: poolers };
        } else {
          stoppers.push(poolers.stop);
          env.poolerUrls = poolers.urls;
        }
        break;
      }
    }
  }
  return undefined;
}

async function main(): Promise<void> {
  const started = new Date();
  let peerFailures = new Map<string, string>();
  if (options.install && !options.list) {
    mkdirSync(cache, { recursive: true });
    peerFailures = installPeers(cache, npmPeers, log);
  }
  const ctx = resolveContext(peerFailures);
  if (options.list) {
    printList(ctx);
    return;
  }
  const machine = machineDescription();
  const header = `Plugboard bench, ${started.toISOString()}: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, Linux ${machine.kernel}, Node ${process.version}, load ${String(loadAverage() ?? '?')}${options.quick ? ' (--quick)' : ''}`;
  process.stdout.write(`${header}\n`);

  const results: SuiteRecord[] = [];
  const skip = (suite: Suite, why: string, subjects: SuiteRecord['subjects'] = []): void => {
    const record: SuiteRecord = {
      id: suite.id,
      title: suite.title,
      skipped: why,
      rounds: { cold: 0, full: 0 },
      subjects,
      baselines: [],
      coldBaseline: suite.coldBaseline,
      targets: [],
    };
    results.push(record);
    process.stdout.write(`${renderSuite(record)}\n`);
  };
  for (const { suite: full, why } of selectedSuites(ctx)) {
    const suite = filterSuite(full);
    if (why === NOT_SELECTED) continue;
    if (why !== undefined) {
      skip(suite, why);
      continue;
    }
    const subjects = planSubjects(suite, ctx);
    for (const s of subjects)
      if (s.skipped !== undefined) log(`${suite.id}: ${s.label} skipped: ${s.skipped}`);
    if (!subjects.some((s) => s.skipped === undefined)) {
      skip(suite, 'no server in this suite can run here', subjects);
      continue;
    }
    const env: SuiteEnv = { root, cache, node: process.execPath, harness };
    log(`${suite.id}: ${suite.title}`);
    const problem = await prepare(suite, env);
    if (problem !== undefined) {
      skip(suite, problem, subjects);
      continue;
    }
    try {
      const record = await runSuite(suite, subjects, env, options.plan, registry, log);
      results.push(record);
      process.stdout.write(`${renderSuite(record)}\n`);
    } finally {
      for (const db of databases.splice(0)) db.stop();
      for (const stop of stoppers.splice(0)) stop();
    }
  }

  let http: HttpRecord | undefined;
  if (options.suites === undefined || options.suites.includes('http')) {
    log(
      `http: Streamable HTTP, ${options.http.clients} clients, ${options.http.requests.toLocaleString('en-US')} requests per server`,
    );
    http = await runHttp(ctx, options.http, registry, log);
    process.stdout.write(`${renderHttp(http)}\n`);
  }

  mkdirSync(outDir, { recursive: true });
  const file = join(
    outDir,
    `${started.toISOString().replace(/[:.]/g, '-')}${options.quick ? '-quick' : ''}.json`,
  );
  const document = {
    date: started.toISOString(),
    finished: new Date().toISOString(),
    machine: {
      ...machine,
      arch: arch(),
      cpusReported: cpus().length,
      totalMemoryGb: Math.round(totalmem() / 2 ** 30),
    },
    node: process.version,
    loadAverageAtEnd: loadAverage(),
    options: {
      quick: options.quick,
      suites: options.suites,
      subjects: options.subjects,
      plan: options.plan,
      http: options.http,
    },
    suites: results,
    http,
  };
  writeFileSync(
    file,
    `${JSON.stringify(document, (_, value: unknown) => (value === Number.POSITIVE_INFINITY ? 'Infinity' : value), 1)}\n`,
  );
  writeFileSync(
    join(outDir, 'latest.json'),
    `${JSON.stringify(document, (_, value: unknown) => (value === Number.POSITIVE_INFINITY ? 'Infinity' : value))}\n`,
  );
  process.stdout.write(`\nraw results: ${relative(process.cwd(), file) || file}\n`);
}

try {
  await main();
} finally {
  cleanUp();
}
