/**
 * @module
 * Counts what a `turbo run <task> --summarize` run did, for the summary line of scripts/test.sh.
 * For build, typecheck and lint each package's task is one check; for test each Vitest test is
 * one check (read from the task's log), plus one failure for a test task that failed without a
 * failing test (a file that did not load, an unhandled error, no test files). A planned task
 * (from `turbo run <task> --dry=json`) that turbo did not run, because something it depends on
 * failed, is one failure too: that package was not checked.
 *
 * Usage: node scripts/lib/tally.mjs <summary.json> <dry-run.json> <task> <tasks|tests>
 * Prints details on stderr and "<passed> <failed>" on stdout.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [summaryPath, dryRunPath, taskName, mode] = process.argv.slice(2);
if (
  summaryPath === undefined ||
  dryRunPath === undefined ||
  taskName === undefined ||
  (mode !== 'tasks' && mode !== 'tests')
) {
  console.error('usage: tally.mjs <summary.json> <dry-run.json> <task> <tasks|tests>');
  process.exit(2);
}

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

/**
 * The counts on Vitest's final "Tests" line, e.g. "Tests  2 failed | 40 passed | 1 skipped (43)".
 * @param {string} log
 * @returns {{ passed: number, failed: number, skipped: number } | undefined}
 */
function vitestCounts(log) {
  const lines = log.replace(ANSI, '').split(/\r?\n/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const match = /^(?:[^:]*:test: )?\s*Tests\s+(.*\d.*)$/.exec(lines[i] ?? '');
    if (match === null) continue;
    const count = (/** @type {string} */ word) =>
      Number(new RegExp(`(\\d+) ${word}`).exec(match[1] ?? '')?.[1] ?? 0);
    return { passed: count('passed'), failed: count('failed'), skipped: count('skipped') };
  }
  return undefined;
}

/** @param {{ task: string, command: string }} task */
const counted = (task) => task.task === taskName && task.command !== '<NONEXISTENT>';

const summary = JSON.parse(readFileSync(summaryPath, 'utf8'));
/** @type {Set<string>} */
let planned = new Set();
try {
  planned = new Set(
    JSON.parse(readFileSync(dryRunPath, 'utf8'))
      .tasks.filter(counted)
      .map((task) => task.taskId),
  );
} catch {
  console.error('  (turbo gave no task plan: tasks that did not run cannot be listed)');
}
const root = summary.execution?.repoPath
  ? join(process.cwd(), summary.execution.repoPath)
  : process.cwd();
let passed = 0;
let failed = 0;

for (const task of (summary.tasks ?? []).filter(counted)) {
  planned.delete(task.taskId);
  const exitCode = task.execution?.exitCode;
  if (exitCode === undefined || exitCode === null) {
    planned.add(task.taskId);
    continue;
  }
  if (mode === 'tasks') {
    if (exitCode === 0) passed++;
    else {
      failed++;
      console.error(`  failed: ${task.taskId} (exit ${exitCode})`);
    }
    continue;
  }
  let log = '';
  try {
    log = readFileSync(join(root, task.logFile), 'utf8');
  } catch {
    // No log: counted below from the exit code alone.
  }
  const counts = vitestCounts(log);
  const tests = counts ?? { passed: 0, failed: 0, skipped: 0 };
  passed += tests.passed;
  failed += tests.failed;
  const extra = exitCode !== 0 && tests.failed === 0 ? 1 : 0;
  failed += extra;
  const skipped = tests.skipped > 0 ? `, ${tests.skipped} skipped` : '';
  const line = `  ${task.package}: ${tests.passed} passed, ${tests.failed + extra} failed${skipped}`;
  if (exitCode === 0) console.error(line);
  else if (counts === undefined)
    console.error(`${line} (exit ${exitCode}, no test summary: see its log above)`);
  else console.error(`${line} (exit ${exitCode})`);
}

if (planned.size > 0) {
  failed += planned.size;
  console.error(`  not run, because something they depend on failed: ${[...planned].join(', ')}`);
}
console.log(`${passed} ${failed}`);
