/**
 * @module
 * The shapes of the declarative benchmark configuration (`config.ts`): suites, the servers they
 * compare, the one-shot baseline commands run beside them, the calls to measure and the targets to
 * mark. A new comparison is a new entry in the config, not new harness code.
 */
import type { Command } from './launch.js';
import type { RequestTemplate } from './rpc-client.js';

/** Data sets a suite needs; the harness builds each once, in the cache directory. */
export type FixtureName =
  | 'tree'
  | 'hostile'
  | 'upstreams'
  | 'postgres'
  | 'pgbouncer'
  | 'git-repo'
  | 'page'
  | 'google-credentials';

/** What the suites' functions can see: where things are, and the fixtures they asked for. */
export interface SuiteEnv {
  /** The repository root. */
  root: string;
  /** The git-ignored cache directory (peers, generated trees and repositories). */
  cache: string;
  /** The Node binary running the harness; servers and baselines use the same one. */
  node: string;
  /** The compiled harness directory (for the floor scripts). */
  harness: string;
  tree?: TreeFixture;
  hostile?: HostileFixture;
  upstreams?: UpstreamFakes;
  databaseUrl?: string;
  /** Round trips clients have made to PostgreSQL so far (a relay in front of it counts them). */
  databaseTurns?: () => number;
  /** The database through PgBouncer in each pool mode; why not, when PgBouncer could not start. */
  poolerUrls?: Record<'session' | 'transaction', string> | { missing: string };
  gitRepo?: string;
  /** The generated 5,000-element page, served on loopback. */
  pageUrl?: string;
  /** The generated 50,000-element page, served beside it. */
  largePageUrl?: string;
  /** Throw-away Google credentials (a service-account key, the official server's sign-in). */
  google?: { serviceAccountKey: string; officialCredentials: string };
}

/** The generated file tree used by the filesystem suite. */
export interface TreeFixture {
  root: string;
  files: number;
  directories: number;
  /** A small text file, a directory of ten entries, and a word found in a few hundred files. */
  smallFile: string;
  smallDirectory: string;
  needle: string;
}

/**
 * The hostile inputs of issue 25 in a directory of their own (an allowed directory for the
 * filesystem servers, the files the Drive fake serves), written afresh each run.
 */
export interface HostileFixture {
  dir: string;
  /** A 10,000-line file for the heavy edits, and its text before and after changing every line. */
  editFile: { path: string; before: string; after: string };
  /** A file whose name is 200 `a`s, for the pathological glob. */
  longName: string;
  /** A workbook declaring row 100,000,000, and one whose shared string 6,000 cells reference. */
  declaredRows: string;
  sharedString: string;
  /** A text PDF of more pages than a document read takes (2,500). */
  largePdf: { path: string; pages: number };
}

/** Where the local upstream fakes listen, and what they serve (see `fixtures/upstreams.ts`). */
export interface UpstreamFakes {
  /** GitHub's REST root: `GET /repos/octo/app/issues/1` answers with a 200 MB issue. */
  githubApi: string;
  /** Slack's Web API root: `conversations.history` answers with a 200 MB history. */
  slackApi: string;
  /** The Drive v3 root and the OAuth token endpoint, for a service-account key. */
  driveApi: string;
  tokenUrl: string;
  /** Drive file ids of the hostile fixture's PDF and workbooks. */
  driveFiles: { largePdf: string; declaredRows: string; sharedString: string };
}

/** Where a server comes from. */
export type Source =
  | { from: 'workspace'; package: string; dir: string; entry: string }
  | { from: 'npm'; package: string; version: string; entry: string }
  | { from: 'python'; module: string; uvx: string }
  /** A script of the harness itself (a floor), relative to the compiled harness directory. */
  | { from: 'harness'; script: string };

/** A cheap call measured thousands of times: sequential latency, pipelined throughput, CPU per call. */
export interface CallSpec {
  name: string;
  request: RequestTemplate;
  /** Fewer calls than the run's counts, for "cheap" calls that still take milliseconds. */
  sequential?: number;
  pipelined?: number;
}

/** An expensive call measured a few times per round: wall time, server CPU, response size. */
export interface HeavySpec {
  name: string;
  request: RequestTemplate;
  /** Repetitions per full round (default: the run's heavy repetitions). */
  reps?: number;
  /** Ping the server while the call runs and record the round trips (event-loop delay). */
  pingDuring?: boolean;
  /** An error result (a refusal) is an answer too: recorded, not a failure. */
  mayRefuse?: boolean;
  /**
   * Stop waiting after this long and record that no answer came (an input that hangs the server);
   * the instance's remaining heavy calls are then not run.
   */
  deadlineMs?: number;
  /** A count of round trips to a peer of the server; each sample records them per call. */
  countTurns?: () => number;
}

/** A stdio MCP server under test. */
export interface ServerSubject {
  id: string;
  label: string;
  /** `ours` is what the suite is about; `peer` is what it is compared with. */
  role: 'ours' | 'peer';
  /** Tried in order; the first available one is measured. */
  sources: readonly Source[];
  args(env: SuiteEnv): string[];
  envVars?(env: SuiteEnv): Record<string, string>;
  calls(env: SuiteEnv): CallSpec[];
  heavy?(env: SuiteEnv): HeavySpec[];
}

/** A one-shot command timed from spawn to exit, interleaved with the servers. */
export interface Baseline {
  id: string;
  label: string;
  command(env: SuiteEnv): Command;
  /** `cold`: once every round, like a cold start; `heavy`: `reps` times in full rounds only. */
  kind: 'cold' | 'heavy';
  reps?: number;
}

/** The results a target reads, already reduced to medians. */
export interface Medians {
  /** A server metric: `cold.toolsListMs`, `idleRssMb`, `call.<name>.pipeCpuUs`, `heavy.<name>.ms`... */
  server(subject: string, metric: string): number | undefined;
  /** A baseline metric: `wallMs`, `inProcessMs`, `stdoutBytes`. */
  baseline(id: string, metric: string): number | undefined;
  /** Whether the first response of a heavy call said `truncated`. */
  truncated(subject: string, heavy: string): boolean | undefined;
}

/**
 * A measured value against its limit; `ratio` when the limit is a factor of a reference measured
 * in the same run (the floor, `node -e ''`, the peer), so the report can show value / reference.
 */
export interface TargetCheck {
  value: number;
  limit: number;
  unit: string;
  ratio?: { value: number; limit: number };
}

/** A figure to mark pass/fail next to the results (never an assertion). */
export interface Target {
  label: string;
  /**
   * The measured value and the limit it must not exceed; a note when the figure is not
   * comparable; undefined when it could not be measured.
   */
  check(m: Medians): TargetCheck | { note: string } | undefined;
}

/** A group of servers and baselines measured together, interleaved. */
export interface Suite {
  id: string;
  title: string;
  /** Run by default only when this subject is available (it is what the suite is about). */
  owner: string;
  needs: readonly FixtureName[];
  subjects: readonly ServerSubject[];
  baselines: readonly Baseline[];
  /** Cold-start ratios are taken against this baseline. */
  coldBaseline: string;
  targets: readonly Target[];
}

/** A server measured under HTTP load (Streamable HTTP, one session per client). */
export interface HttpSubject {
  id: string;
  label: string;
  role: 'ours' | 'peer';
  sources: readonly Source[];
  args(port: number): string[];
  envVars?(port: number): Record<string, string>;
  /** The cheap call measured under load. */
  call: RequestTemplate;
}
