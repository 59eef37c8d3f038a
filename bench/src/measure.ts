/**
 * @module
 * One life of one stdio server, measured: spawn it, time the `initialize` and `tools/list`
 * replies, let its memory settle, then (in full rounds) drive its cheap calls sequentially and
 * pipelined and its heavy calls a few times each, reading its CPU and RSS from `/proc` around
 * every phase, and finally close stdin and time the exit. A server with heavy calls that ping is
 * started with the event-loop delay probe loaded (see `loop-delay.ts`).
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { BENCH_PROTOCOL_VERSION } from './config.js';
import {
  launch,
  stop,
  withTimeout,
  type ChildRegistry,
  type Command,
  type Launched,
} from './launch.js';
import { LoopDelayProbe } from './loop-delay.js';
import { processTree, readTree, resetPeak, type TreeReading } from './proc.js';
import { replyFailure, StdioRpcClient, type Reply } from './rpc-client.js';
import { quantile } from './stats.js';
import type { CallSpec, HeavySpec } from './suite.js';

/** How much work each phase does. */
export interface Workload {
  /** Sequential calls before the sequential measurement. */
  warmup: number;
  /** Pipelined calls before the pipelined measurement (the JIT needs thousands to settle). */
  pipelinedWarmup: number;
  sequential: number;
  pipelined: number;
  inFlight: number;
  heavyReps: number;
  /** Upper bound on a heavy call's own `reps` (a quick run lowers it). */
  heavyRepsCap: number;
  graceMs: number;
}

export interface ColdSample {
  /** spawn → `initialize` reply. */
  initializeMs: number;
  /** spawn → `tools/list` reply (sent as soon as `initialize` answered). */
  toolsListMs: number;
  /** Server CPU from spawn to the `tools/list` reply. */
  cpuToListMs: number;
  /** RSS once settled after `tools/list`. */
  idleRssMb: number;
}

export interface CallSample {
  seqP50Us: number;
  seqP99Us: number;
  /** Server CPU per call with one call in flight. */
  seqCpuUs: number;
  pipeCallsPerSec: number;
  /** Server CPU per call with `inFlight` calls outstanding: the protocol's own cost per call. */
  pipeCpuUs: number;
  /** The harness's own CPU per pipelined call, to show when it, not the server, is the limit. */
  harnessCpuUs: number;
  replyBytes: number;
}

export interface HeavySample {
  ms: number;
  cpuMs: number;
  bytes: number;
  /** UTF-8 bytes of the result's text content (what an output budget limits; the wire adds structuredContent). */
  textBytes: number;
  truncated: boolean;
  /** Peak RSS of the server during this call. */
  peakRssMb: number;
  /** How far the peak rose above the RSS just before the call. */
  rssGrowthMb: number;
  /** With `pingDuring`: the median, 99th-percentile and slowest ping round trip while the call ran. */
  pingP50Ms?: number;
  pingMaxMs?: number;
  pingP99Ms?: number;
  /** With `pingDuring`, in a Node server: its own event-loop delay while the call ran (the probe's). */
  loopDelayP50Ms?: number;
  loopDelayP99Ms?: number;
  loopDelayMaxMs?: number;
  /** 1 when the answer was an error result (a refusal), with `mayRefuse`; else 0. */
  refused: number;
  /** 1 when no answer came by the call's deadline (`ms` is then the deadline); else 0. */
  unanswered: number;
  /**
   * With `countTurns`: round trips to the peer per call, averaged over the repetitions (counted
   * until the server is quiet again, so work it does between calls counts too).
   */
  turnsPerCall?: number;
}

export interface ServerInfo {
  name: string;
  version: string;
  protocolVersion: string;
  tools: number;
  toolsListBytes: number;
}

export interface InstanceResult {
  cold: ColdSample;
  info: ServerInfo;
  calls: Map<string, CallSample | { failure: string }>;
  heavy: Map<string, HeavySample[] | { failure: string }>;
  peakRssMb?: number;
  exitMs: number;
  /** The server had to be signalled: it did not exit when stdin closed. */
  signalled: boolean;
  /** Lines on stdout that were not JSON-RPC. */
  noiseLines: number;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && key in value
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : '?';
}

/** Repetitions of a heavy call or baseline: its own count (capped in quick runs), else the run's. */
export function repsFor(reps: number | undefined, work: Workload): number {
  return reps === undefined ? work.heavyReps : Math.min(reps, work.heavyRepsCap);
}

/** Whether a tool result says it was cut short (structured `truncated: true`, or the word in its text). */
export function saysTruncated(reply: Reply): boolean {
  const structured = field(field(reply.result, 'structuredContent'), 'truncated');
  if (typeof structured === 'boolean') return structured;
  const content = field(reply.result, 'content');
  const first: unknown = Array.isArray(content) ? content[0] : undefined;
  const text = field(first, 'text');
  return (
    typeof text === 'string' &&
    /\btruncated\b/i.test(text.length > 4000 ? text.slice(0, 2000) + text.slice(-2000) : text)
  );
}

/** UTF-8 bytes of every text item in a tool result's content. */
export function textBytes(reply: Reply): number {
  const content = field(reply.result, 'content');
  if (!Array.isArray(content)) return 0;
  let bytes = 0;
  for (const item of content as unknown[]) {
    const text = field(item, 'text');
    if (typeof text === 'string') bytes += Buffer.byteLength(text);
  }
  return bytes;
}

/** Polls RSS until two readings in a row differ by less than 256 KiB (at least 200 ms, at most 1.5 s). */
async function settledRss(pid: number, pids: readonly number[]): Promise<number> {
  const started = performance.now();
  let previous = readTree(pid, pids).rssMb;
  let stable = 0;
  for (;;) {
    await sleep(50);
    const current = readTree(pid, pids).rssMb;
    stable = Math.abs(current - previous) < 0.25 ? stable + 1 : 0;
    previous = current;
    const elapsed = performance.now() - started;
    if ((stable >= 2 && elapsed >= 200) || elapsed >= 1500) return current;
  }
}

function failWith(launched: Launched, what: string, error: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error);
  const stderr = launched.stderrTail().split('\n').slice(-4).join(' | ');
  return new Error(
    `${what}: ${reason}${stderr === '' ? '' : ` (stderr: ${stderr.slice(0, 400)})`}`,
  );
}

async function measureCall(
  client: StdioRpcClient,
  pid: number,
  pids: readonly number[],
  call: CallSpec,
  work: Workload,
): Promise<CallSample | { failure: string }> {
  const probe = await withTimeout(
    client.request(call.request.method, call.request.params),
    30_000,
    call.name,
  );
  const failure = replyFailure(probe);
  if (failure !== undefined) return { failure };
  const sequential = Math.min(work.sequential, call.sequential ?? work.sequential);
  const pipelined = Math.min(work.pipelined, call.pipelined ?? work.pipelined);
  const warm = await client.sequential(call.request, Math.min(work.warmup, sequential));
  if (warm.failure !== undefined) return { failure: warm.failure };

  const beforeSeq = readTree(pid, pids);
  const seq = await withTimeout(
    client.sequential(call.request, sequential),
    300_000,
    `${call.name} sequential`,
  );
  const afterSeq = readTree(pid, pids);
  if (seq.failure !== undefined) return { failure: seq.failure };

  // The pipelined path is hotter than the sequential one: let the JIT settle on it first.
  const pipeWarm = await client.pipelined(
    call.request,
    Math.min(work.pipelinedWarmup, pipelined),
    work.inFlight,
  );
  if (pipeWarm.firstFailure !== undefined) return { failure: pipeWarm.firstFailure };
  const beforePipe = readTree(pid, pids);
  const harnessBefore = process.cpuUsage();
  const pipe = await withTimeout(
    client.pipelined(call.request, pipelined, work.inFlight),
    300_000,
    `${call.name} pipelined`,
  );
  const harness = process.cpuUsage(harnessBefore);
  const afterPipe = readTree(pid, pids);
  if (pipe.firstFailure !== undefined)
    return { failure: `${pipe.failures} pipelined calls failed: ${pipe.firstFailure}` };

  const sorted = [...seq.latenciesUs].sort((a, b) => a - b);
  return {
    seqP50Us: quantile(sorted, 0.5),
    seqP99Us: quantile(sorted, 0.99),
    seqCpuUs: ((afterSeq.cpuMs - beforeSeq.cpuMs) * 1000) / sequential,
    pipeCallsPerSec: (pipelined * 1000) / pipe.elapsedMs,
    pipeCpuUs: ((afterPipe.cpuMs - beforePipe.cpuMs) * 1000) / pipelined,
    harnessCpuUs: (harness.user + harness.system) / pipelined,
    replyBytes: probe.bytes,
  };
}

const PING_EVERY_MS = 20;
/** How long to let a server finish what it does after its last call before counting its round trips. */
const TURNS_SETTLE_MS = 200;
/** How long a heavy call may take when its spec sets no deadline. */
const HEAVY_TIMEOUT_MS = 600_000;

/**
 * Pings every {@link PING_EVERY_MS} until `done` settles; resolves with the round trips in ms. A
 * server that blocks its event loop answers late, so this is its event-loop delay as a client sees
 * it. A ping still unanswered when the deadline passes counts the time it waited so far.
 */
async function pingUntil(
  client: StdioRpcClient,
  done: Promise<unknown>,
  deadline: Promise<unknown>,
): Promise<number[]> {
  let settled = false;
  void done.finally(() => {
    settled = true;
  });
  const roundTrips: number[] = [];
  while (!settled) {
    const start = performance.now();
    await Promise.race([client.request('ping'), deadline]);
    roundTrips.push(performance.now() - start);
    await new Promise((resolve) => setTimeout(resolve, PING_EVERY_MS));
  }
  return roundTrips;
}

/** The reply, or undefined once `deadlineMs` passed without one; no timer outlives the call. */
function replyBy(
  call: Promise<Reply>,
  deadlineMs: number,
): { reply: Promise<Reply | undefined>; deadline: Promise<undefined> } {
  const cancel = new AbortController();
  const deadline = sleep(deadlineMs, undefined, { signal: cancel.signal }).catch(() => undefined);
  const reply = Promise.race([call, deadline]).finally(() => cancel.abort());
  return { reply, deadline };
}

/**
 * The process tree is read afresh around each heavy call: a call may start processes (a browser on
 * first use), and their CPU and RSS belong to it. A call that gets no answer by its deadline ends
 * the repetitions: the server is stuck, and its sample says so.
 */
async function measureHeavy(
  client: StdioRpcClient,
  pid: number,
  heavy: HeavySpec,
  work: Workload,
  probe: LoopDelayProbe | undefined,
): Promise<HeavySample[] | { failure: string }> {
  const reps = repsFor(heavy.reps, work);
  const samples: HeavySample[] = [];
  const deadlineMs = heavy.deadlineMs ?? HEAVY_TIMEOUT_MS;
  const turnsBefore = heavy.countTurns?.();
  for (let i = 0; i < reps; i++) {
    const pids = processTree(pid);
    resetPeak(pids);
    const probing = heavy.pingDuring === true && probe !== undefined && (await probe.start(pid));
    const before = readTree(pid, pids);
    const sentAt = performance.now();
    const { reply: answered, deadline } = replyBy(
      client.request(heavy.request.method, heavy.request.params),
      deadlineMs,
    );
    const pings = heavy.pingDuring === true ? pingUntil(client, answered, deadline) : undefined;
    const reply = await answered;
    if (reply === undefined && heavy.deadlineMs === undefined)
      return { failure: `${heavy.name}: no answer within ${deadlineMs / 1000} s` };
    const after = readTree(pid);
    const failure = reply === undefined ? undefined : replyFailure(reply);
    if (failure !== undefined && heavy.mayRefuse !== true) return { failure };
    const roundTrips = pings === undefined ? undefined : (await pings).sort((a, b) => a - b);
    const loop = probing && reply !== undefined ? await probe.read(pid) : undefined;
    samples.push({
      ...(loop === undefined
        ? {}
        : {
            loopDelayP50Ms: loop.p50Ms,
            loopDelayP99Ms: loop.p99Ms,
            loopDelayMaxMs: loop.maxMs,
          }),
      ...(roundTrips === undefined || roundTrips.length === 0
        ? {}
        : {
            pingP50Ms: quantile(roundTrips, 0.5),
            pingMaxMs: roundTrips.at(-1)!,
            pingP99Ms: quantile(roundTrips, 0.99),
          }),
      ms: reply === undefined ? deadlineMs : reply.at - sentAt,
      cpuMs: after.cpuMs - before.cpuMs,
      bytes: reply?.bytes ?? 0,
      textBytes: reply === undefined ? 0 : textBytes(reply),
      truncated: reply === undefined ? false : saysTruncated(reply),
      peakRssMb: after.peakRssMb,
      rssGrowthMb: after.peakRssMb - before.rssMb,
      refused: failure === undefined ? 0 : 1,
      unanswered: reply === undefined ? 1 : 0,
    });
    if (reply === undefined) break;
  }
  if (heavy.countTurns !== undefined && turnsBefore !== undefined && samples.length > 0) {
    await sleep(TURNS_SETTLE_MS);
    const turnsPerCall = (heavy.countTurns() - turnsBefore) / samples.length;
    for (const sample of samples) sample.turnsPerCall = turnsPerCall;
  }
  return samples;
}

/** Measures one fresh instance of a server. `full` adds the call workloads to the cold start. */
/** What one instance is asked to do. */
export interface InstanceOptions {
  full: boolean;
  calls: readonly CallSpec[];
  heavy: readonly HeavySpec[];
  work: Workload;
}

/**
 * Measures one instance; in a full round with heavy calls that ping, with the event-loop delay
 * probe loaded (cold-only rounds start the server exactly as a host would).
 */
export async function measureInstance(
  command: Command,
  options: InstanceOptions,
  registry: ChildRegistry,
): Promise<InstanceResult> {
  const probe =
    options.full && options.heavy.some((heavy) => heavy.pingDuring === true)
      ? new LoopDelayProbe()
      : undefined;
  try {
    return await measureLaunched(
      probe === undefined
        ? command
        : {
            ...command,
            env: {
              ...command.env,
              ...probe.env(command.env?.NODE_OPTIONS ?? process.env.NODE_OPTIONS),
            },
          },
      options,
      registry,
      probe,
    );
  } finally {
    probe?.dispose();
  }
}

async function measureLaunched(
  command: Command,
  options: InstanceOptions,
  registry: ChildRegistry,
  probe: LoopDelayProbe | undefined,
): Promise<InstanceResult> {
  const launched = launch(command, registry);
  const client = new StdioRpcClient(launched.child.stdin, launched.child.stdout);
  try {
    const initialize = await withTimeout(
      client.request('initialize', {
        protocolVersion: BENCH_PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: 'plugboard-bench', version: '0.0.0' },
      }),
      30_000,
      'initialize',
    );
    const initFailure = replyFailure(initialize);
    if (initFailure !== undefined) throw new Error(`initialize failed: ${initFailure}`);
    client.notify('notifications/initialized');
    const list = await withTimeout(client.request('tools/list', {}), 30_000, 'tools/list');
    const atList: TreeReading = readTree(launched.pid);
    const listFailure = replyFailure(list);
    if (listFailure !== undefined) throw new Error(`tools/list failed: ${listFailure}`);
    const pids = atList.pids;
    const idleRssMb = await settledRss(launched.pid, pids);
    const tools = field(list.result, 'tools');
    const serverInfo = field(initialize.result, 'serverInfo');
    const result: InstanceResult = {
      cold: {
        initializeMs: initialize.at - launched.startedAt,
        toolsListMs: list.at - launched.startedAt,
        cpuToListMs: atList.cpuMs,
        idleRssMb,
      },
      info: {
        name: asText(field(serverInfo, 'name')),
        version: asText(field(serverInfo, 'version')),
        protocolVersion: asText(field(initialize.result, 'protocolVersion')),
        tools: Array.isArray(tools) ? tools.length : 0,
        toolsListBytes: list.bytes,
      },
      calls: new Map(),
      heavy: new Map(),
      exitMs: Number.NaN,
      signalled: false,
      noiseLines: 0,
    };
    if (options.full) {
      for (const call of options.calls)
        result.calls.set(
          call.name,
          await measureCall(client, launched.pid, pids, call, options.work),
        );
      let stuck: string | undefined;
      for (const heavy of options.heavy) {
        if (stuck !== undefined) {
          result.heavy.set(heavy.name, { failure: `not run: ${stuck} got no answer` });
          continue;
        }
        const samples = await measureHeavy(client, launched.pid, heavy, options.work, probe);
        result.heavy.set(heavy.name, samples);
        if (!('failure' in samples) && samples.some((sample) => sample.unanswered === 1))
          stuck = heavy.name;
      }
      result.peakRssMb = readTree(launched.pid).peakRssMb;
    }
    const stopped = await stop(launched, options.work.graceMs);
    result.exitMs = stopped.exitMs;
    result.signalled = stopped.signalled;
    result.noiseLines = client.noiseLines;
    return result;
  } catch (error) {
    const failure = failWith(launched, 'server failed', error);
    await stop(launched, 0);
    throw failure;
  }
}
