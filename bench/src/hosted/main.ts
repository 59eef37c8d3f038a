/**
 * @module
 * `pnpm bench hosted [--quick]`: the hosted load run with a kill. Starts Redis, three instances
 * of the conformance fixture sharing it and nginx in front of them (the site file of
 * `deploy/nginx-hosted.conf`), runs the mixed load, kills one instance half way, prints the
 * tables and writes them with the commit to bench/results/hosted-<date>.json. Without nginx or
 * redis-server it says so and runs nothing. The only module of the run with side effects.
 */
import { findNginx, locateRedisServer } from '@plugboard/peers';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OURS_PROTOCOL } from '../config.js';
import { ChildRegistry } from '../launch.js';
import { loadAverage } from '../proc.js';
import { resolveSources } from '../sources.js';
import { startCluster } from './cluster.js';
import { renderHosted } from './report.js';
import { FULL_PLAN, QUICK_PLAN, runHosted, type HostedRecord } from './run.js';

const harness = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const root = resolve(harness, '../..');
const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== '--quick');
if (unknown.length > 0) {
  log(`bench hosted: unknown option ${unknown.join(' ')}; it takes only --quick`);
  process.exit(2);
}
const plan = args.includes('--quick') ? QUICK_PLAN : FULL_PLAN;

const fixture = resolveSources(OURS_PROTOCOL, {
  root,
  cache: resolve(root, 'bench/.cache'),
  harness,
  node: process.execPath,
  peerFailures: new Map(),
  install: false,
});
const nginxBinary = findNginx();
const redisBinary = locateRedisServer();
if ('skip' in fixture || nginxBinary === undefined || redisBinary === undefined) {
  const missing = [
    'skip' in fixture ? fixture.skip : '',
    nginxBinary === undefined ? 'nginx is not installed (apt-get install -y nginx)' : '',
    redisBinary === undefined
      ? 'redis-server is not installed (apt-get install -y redis-server)'
      : '',
  ];
  log(`bench hosted: skipped: ${missing.filter((why) => why !== '').join('; ')}`);
  process.exit(0);
}

const registry = new ChildRegistry();
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    registry.killAll();
    process.exit(130);
  });

const cluster = await startCluster(
  {
    argv: fixture.argv,
    instances: 3,
    redisBinary,
    nginxBinary,
    site: readFileSync(join(root, 'deploy/nginx-hosted.conf'), 'utf8'),
  },
  registry,
);
const loadBefore = loadAverage();
let record: HostedRecord;
try {
  log(`bench hosted: ${plan.requests.toLocaleString('en-US')} requests through nginx`);
  record = await runHosted(cluster, plan, log);
} finally {
  await cluster.stop();
  registry.killAll();
}
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
  cwd: root,
  encoding: 'utf8',
}).trim();
const loadAfter = loadAverage();
process.stdout.write(
  `Hosted load run with a kill, measured at ${commit} (1-minute load average ${String(loadBefore)} before, ${String(loadAfter)} after, on 2 cores):\n\n${renderHosted(record)}\n`,
);
const out = join(root, 'bench/results');
mkdirSync(out, { recursive: true });
const date = new Date().toISOString();
writeFileSync(
  join(out, `hosted-${date.replace(/[:.]/g, '-')}.json`),
  `${JSON.stringify({ date, commit, loadBefore, loadAfter, ...record }, null, 1)}\n`,
);
