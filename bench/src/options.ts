/**
 * @module
 * The harness's command line: which suites and subjects to run, how long, and where results go.
 */
import { parseArgs } from 'node:util';
import type { HttpPlan } from './http-load.js';
import type { RunPlan } from './runner.js';

/** Every suite name `--suite` accepts. */
export const SUITE_NAMES = [
  'protocol',
  'filesystem',
  'postgres',
  'git',
  'puppeteer',
  'github',
  'slack',
  'gdrive',
  'heavy',
  'http',
] as const;
export type SuiteName = (typeof SUITE_NAMES)[number];

export interface BenchOptions {
  help: boolean;
  list: boolean;
  quick: boolean;
  /** Undefined: the default selection (every suite whose own server is available). */
  suites?: SuiteName[];
  /** Undefined: every subject. */
  subjects?: string[];
  install: boolean;
  out?: string;
  cache?: string;
  plan: RunPlan;
  http: HttpPlan;
}

export const HELP = `Usage: pnpm bench [options]

Measures stdio MCP servers (cold start, RSS, latency, throughput, CPU per call) against
bare node and the official servers in one interleaved run, and prints medians and ratios.
Results are also written as JSON to bench/results/.

Options:
  --quick               a short run: fewer rounds, calls and HTTP requests
  --suite LIST          suites to run, comma-separated: ${SUITE_NAMES.join(', ')}
                        (default: each suite whose own server is built, and http)
  --subjects LIST       only these servers and baselines, by id (see --list)
  --list                list suites and subjects and whether each can run, then exit
  --cold-rounds N       cold-start-only rounds (default 20, quick 4)
  --full-rounds N       rounds that also run the call workloads (default 5, quick 1)
  --calls N             sequential calls per cheap call and round (default 2000, quick 300)
  --pipelined N         pipelined calls per cheap call and round (default 20000, quick 5000)
  --in-flight K         calls in flight when pipelining (default 64)
  --heavy-reps N        repetitions of each heavy call per full round (default 3, quick 1)
  --http-requests N     requests per server in the HTTP suite (default 100000, quick 10000)
  --http-clients N      concurrent HTTP clients, one session each (default 200)
  --no-install          do not install the npm peers (skip them if absent)
  --cache DIR           cache for peers and generated data (default bench/.cache)
  --out DIR             results directory (default bench/results)
  -h, --help            show this help
`;

function positive(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`--${name} takes a whole number, got "${value}"`);
  return n;
}

function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** Parses argv; throws with a usage message on a bad option. */
export function parseOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      help: { type: 'boolean', short: 'h' },
      list: { type: 'boolean' },
      quick: { type: 'boolean' },
      suite: { type: 'string' },
      subjects: { type: 'string' },
      'cold-rounds': { type: 'string' },
      'full-rounds': { type: 'string' },
      calls: { type: 'string' },
      pipelined: { type: 'string' },
      'in-flight': { type: 'string' },
      'heavy-reps': { type: 'string' },
      'http-requests': { type: 'string' },
      'http-clients': { type: 'string' },
      'no-install': { type: 'boolean' },
      cache: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const quick = values.quick === true;
  const suites = list(values.suite);
  for (const suite of suites ?? []) {
    if (!(SUITE_NAMES as readonly string[]).includes(suite))
      throw new Error(`unknown suite "${suite}"; suites: ${SUITE_NAMES.join(', ')}`);
  }
  const subjects = list(values.subjects);
  const heavyReps = positive(values['heavy-reps'], 'heavy-reps', quick ? 1 : 3);
  const options: BenchOptions = {
    help: values.help === true,
    list: values.list === true,
    quick,
    install: values['no-install'] !== true,
    plan: {
      coldRounds: positive(values['cold-rounds'], 'cold-rounds', quick ? 4 : 20),
      fullRounds: positive(values['full-rounds'], 'full-rounds', quick ? 1 : 5),
      work: {
        warmup: quick ? 100 : 500,
        pipelinedWarmup: quick ? 10_000 : 20_000,
        sequential: Math.max(1, positive(values.calls, 'calls', quick ? 300 : 2000)),
        pipelined: Math.max(1, positive(values.pipelined, 'pipelined', quick ? 5000 : 20_000)),
        inFlight: Math.max(1, positive(values['in-flight'], 'in-flight', 64)),
        heavyReps,
        heavyRepsCap: quick ? 3 : Number.POSITIVE_INFINITY,
        graceMs: 2000,
      },
    },
    http: {
      clients: Math.max(1, positive(values['http-clients'], 'http-clients', 200)),
      requests: Math.max(
        1,
        positive(values['http-requests'], 'http-requests', quick ? 10_000 : 100_000),
      ),
      chunks: quick ? 5 : 10,
      warmup: quick ? 500 : 2000,
    },
  };
  if (suites !== undefined) options.suites = suites as SuiteName[];
  if (subjects !== undefined) options.subjects = subjects;
  if (values.cache !== undefined) options.cache = values.cache;
  if (values.out !== undefined) options.out = values.out;
  return options;
}
