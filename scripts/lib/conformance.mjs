/**
 * @module
 * Runs the official MCP conformance suite against the built conformance fixture over Streamable
 * HTTP. Two scored runs, `--requirements 2025-11-25` and `--requirements 2026-07-28`, fail on any
 * failed check of a scenario the revision requires; the scenarios the suite runs alongside but
 * marks "not scored" (extensions, pending ones) are reported, like the `pending` and `all` suites
 * that run afterwards. Each run gets a fresh fixture process (`--transport http --port 0`, URL
 * read from its stderr).
 *
 * Usage: node scripts/lib/conformance.mjs   (CONFORMANCE_CLI and NODE22 set by scripts/conformance.sh)
 * Exit 0 when the scored runs pass, 1 when they do not, 3 when the fixture is not built.
 * The last line printed is "<passed> passed, <failed> failed" over the scored checks.
 */
import { spawn } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURE = join(ROOT, 'shared', 'conformance-fixture', 'dist', 'main.js');
const RESULTS = join(ROOT, '.cache', 'conformance-results');
const cli = process.env.CONFORMANCE_CLI;
const node22 = process.env.NODE22;

const RUNS = [
  { name: 'requirements-2025-11-25', args: ['--requirements', '2025-11-25'], scored: true },
  { name: 'requirements-2026-07-28', args: ['--requirements', '2026-07-28'], scored: true },
  { name: 'suite-pending', args: ['--suite', 'pending', '--timeout', '10000'], scored: false },
  { name: 'suite-all', args: ['--suite', 'all', '--timeout', '10000'], scored: false },
];
/** A whole run is stopped past this; a healthy one takes seconds. */
const RUN_LIMIT_MS = 8 * 60_000;
const START_LIMIT_MS = 20_000;

/**
 * Starts the fixture on a free loopback port and resolves with its URL once it logs it.
 * @param {string} logPath where the fixture's stderr goes
 */
function startFixture(logPath) {
  const child = spawn(process.execPath, [FIXTURE, '--transport', 'http', '--port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const log = createWriteStream(logPath);
  child.stderr.pipe(log);
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `the fixture printed no URL within ${START_LIMIT_MS / 1000} s (see ${relative(ROOT, logPath)})`,
        ),
      );
    }, START_LIMIT_MS);
    const onData = (/** @type {Buffer} */ chunk) => {
      seen += chunk.toString('utf8');
      // "<bin> listening on http://127.0.0.1:PORT/mcp" (or a log field url=...).
      const match = /(?:listening on |url=)(https?:\/\/[^\s"]+)/.exec(seen);
      if (match === null) return;
      clearTimeout(timer);
      child.stderr.off('data', onData);
      const url = new URL(match[1]);
      if (url.pathname === '/' || url.pathname === '') url.pathname = '/mcp';
      resolve({ child, url: url.href });
    };
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new Error(
          `the fixture exited (code ${code}) before listening (see ${relative(ROOT, logPath)})`,
        ),
      );
    });
  });
}

/** @param {import('node:child_process').ChildProcess} child */
function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
    child.kill('SIGTERM');
  });
}

/**
 * Runs the suite; its full output goes to a log file. Resolves with the exit code.
 * @param {string[]} args
 * @param {string} logPath
 */
function runSuite(args, logPath) {
  return new Promise((resolve) => {
    const child = spawn(
      /** @type {string} */ (node22),
      [/** @type {string} */ (cli), 'server', ...args],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const log = createWriteStream(logPath);
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    const timer = setTimeout(() => {
      log.write(`\n[stopped after ${RUN_LIMIT_MS / 60_000} minutes]\n`);
      child.kill('SIGKILL');
    }, RUN_LIMIT_MS);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      log.end(() => resolve(code ?? (signal === null ? 1 : 128)));
    });
  });
}

/** "server-tools-list-2026-11-21T09-52-13-469Z" -> "tools-list". @param {string} folder */
function scenarioName(folder) {
  return folder.replace(/^server-/, '').replace(/-\d{4}-\d\d-\d\dT[\d-]+Z$/, '') || 'scenario';
}

/**
 * The scenarios a `--requirements` run lists as run but not scored (extensions, pending ones).
 * @param {string} logPath
 * @returns {Set<string>}
 */
function notScored(logPath) {
  const names = new Set();
  let inSection = false;
  for (const line of readFileSync(logPath, 'utf8').split('\n')) {
    if (/^Not scored for /.test(line)) inSection = true;
    else if (inSection) {
      const match = /^\s+[✓✗] (\S+) \(/.exec(line);
      if (match === null) inSection = false;
      else names.add(match[1]);
    }
  }
  return names;
}

/** @param {string} dir @returns {string[]} */
function findChecks(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('checks.json'))
    .map((file) => join(dir, file));
}

/**
 * The text of a failed tool result recorded in a check's details, if it has one.
 * @param {{ details?: { result?: { isError?: boolean, content?: Array<{ text?: string }> } } }} check
 */
function toolError(check) {
  const result = check.details?.result;
  if (result?.isError !== true) return undefined;
  return (
    (result.content ?? [])
      .map((item) => item.text ?? '')
      .join(' ')
      .slice(0, 120) || 'isError'
  );
}

/**
 * A check the suite counts as passed although the fixture's tool was never run: some scenarios
 * accept any result, and an unknown tool comes back as an `isError` result. Only the error
 * scenario may see `isError`, and then not for an unknown tool.
 * @param {string} scenario
 * @param {{ details?: { result?: { isError?: boolean, content?: Array<{ text?: string }> } } }} check
 */
function isFalsePass(scenario, check) {
  const error = toolError(check);
  if (error === undefined || !scenario.startsWith('tools-call-')) return false;
  return scenario !== 'tools-call-error' || /unknown tool|not found/i.test(error);
}

/**
 * Counts the checks of one run, by scenario.
 * @param {string} dir
 */
function countChecks(dir) {
  const scenarios = [];
  for (const file of findChecks(dir)) {
    /** @type {Array<{ id?: string, name?: string, status?: string, errorMessage?: string, description?: string }>} */
    let checks;
    try {
      checks = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      scenarios.push({
        name: scenarioName(relative(dir, dirname(file))),
        passed: 0,
        failed: 1,
        warnings: 0,
        failures: ['checks.json is not JSON'],
      });
      continue;
    }
    const name = scenarioName(relative(dir, dirname(file)));
    const by = (/** @type {string} */ status) => checks.filter((check) => check.status === status);
    const falsePasses = by('SUCCESS').filter((check) => isFalsePass(name, check));
    scenarios.push({
      name,
      passed: by('SUCCESS').length - falsePasses.length,
      failed: by('FAILURE').length + falsePasses.length,
      warnings: by('WARNING').length,
      failures: [
        ...by('FAILURE').map(
          (check) => `${check.name ?? check.id}: ${check.errorMessage ?? check.description ?? ''}`,
        ),
        ...falsePasses.map(
          (check) =>
            `${check.name ?? check.id}: passed, but the tool call failed (${toolError(check)}): the fixture tool was not really called`,
        ),
      ],
    });
  }
  return scenarios.sort((a, b) => a.name.localeCompare(b.name));
}

/** The tail of the suite's own output, from its summary on. @param {string} logPath */
function suiteSummary(logPath) {
  const text = readFileSync(logPath, 'utf8');
  const at = text.lastIndexOf('=== SUMMARY ===');
  const tail = at === -1 ? text.split('\n').slice(-15).join('\n') : text.slice(at);
  return tail.trim();
}

async function main() {
  if (!existsSync(FIXTURE)) {
    console.log('');
    console.log(
      '!!! CONFORMANCE SKIPPED: shared/conformance-fixture is not built (no dist/main.js).',
    );
    console.log(
      '!!! Build it with `pnpm --filter @plugboard/conformance-fixture build` and run again.',
    );
    console.log('0 passed, 0 failed');
    return 3;
  }
  if (cli === undefined || node22 === undefined) {
    console.log('CONFORMANCE_CLI and NODE22 must be set: run scripts/conformance.sh instead.');
    console.log('0 passed, 1 failed');
    return 1;
  }
  rmSync(RESULTS, { recursive: true, force: true });
  mkdirSync(RESULTS, { recursive: true });
  let passed = 0;
  let failed = 0;
  for (const run of RUNS) {
    const dir = join(RESULTS, run.name);
    mkdirSync(dir, { recursive: true });
    const suiteLog = join(dir, 'suite.log');
    console.log(`\n--- conformance ${run.args.join(' ')}${run.scored ? '' : ' (reported only)'}`);
    let fixture;
    try {
      fixture = await startFixture(join(dir, 'fixture.log'));
    } catch (error) {
      console.log(
        `  could not start the fixture: ${error instanceof Error ? error.message : String(error)}`,
      );
      if (run.scored) failed++;
      continue;
    }
    let code;
    try {
      code = await runSuite(
        ['--url', fixture.url, '-o', join(dir, 'checks'), ...run.args],
        suiteLog,
      );
    } finally {
      await stop(fixture.child);
    }
    const unscored = run.scored ? notScored(suiteLog) : new Set();
    const all = countChecks(join(dir, 'checks'));
    const scenarios = run.scored ? all.filter((s) => !unscored.has(s.name)) : all;
    const runPassed = scenarios.reduce((sum, s) => sum + s.passed, 0);
    const runFailed = scenarios.reduce((sum, s) => sum + s.failed, 0);
    const runWarnings = scenarios.reduce((sum, s) => sum + s.warnings, 0);
    if (run.scored) {
      console.log(
        suiteSummary(suiteLog)
          .split('\n')
          .filter((line) => !/^(=== SUMMARY ===|Total: .*)$/.test(line))
          .filter((line, i, lines) => line.trim() !== '' || (lines[i - 1] ?? '').trim() !== '')
          .map((line) => `  | ${line}`)
          .join('\n')
          .replace(/(\n {2}\| ?)+$/, ''),
      );
      for (const scenario of scenarios.filter((s) => s.failed > 0)) {
        console.log(`  FAILED ${scenario.name}:`);
        for (const failure of scenario.failures) {
          console.log(`      ${failure.replace(/\s+/g, ' ').slice(0, 300)}`);
        }
      }
    } else {
      const failing = scenarios.filter((s) => s.failed > 0);
      if (failing.length > 0) {
        console.log(`  failing: ${failing.map((s) => `${s.name} (${s.failed})`).join(', ')}`);
      }
    }
    const extra = unscored.size > 0 ? ` (+ ${unscored.size} not scored, reported above)` : '';
    const verdict = `${scenarios.length} scenarios${extra}: ${runPassed} checks passed, ${runFailed} failed, ${runWarnings} warnings; suite exit ${code}`;
    console.log(`  ${verdict} (full output: ${relative(ROOT, suiteLog)})`);
    if (!run.scored) continue;
    passed += runPassed;
    failed += runFailed;
    if (scenarios.length === 0) {
      console.log('  no checks were recorded: counted as a failure');
      failed++;
    } else if (code !== 0 && runFailed === 0) {
      console.log('  the suite failed without a failed check: counted as a failure');
      failed++;
    }
  }
  console.log(`\n${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
