/**
 * @module
 * The HTTP suite: each server serves Streamable HTTP on a loopback port, 200 clients each open
 * their own session (`initialize`, then `Mcp-Session-Id` on every request) and call a cheap tool
 * back to back over keep-alive connections. The requests go in chunks that alternate between the
 * servers (A B A B ...), both staying up the whole time, so machine noise hits both alike and the
 * RSS read after every chunk shows whether memory stays flat over the whole run.
 */
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { BENCH_PROTOCOL_VERSION, HTTP_SUBJECTS } from './config.js';
import { exchange, failureOf } from './http-exchange.js';
import { launch, terminate, type ChildRegistry, type Launched } from './launch.js';
import { freePort } from '@plugboard/peers';
import { waitForPort } from './ports.js';
import { readTree } from './proc.js';
import type { RequestTemplate } from './rpc-client.js';
import { resolveSources, type ResolveContext } from './sources.js';
import { quantile } from './stats.js';

export interface HttpChunk {
  /** Requests served before this chunk ended (excluding warm-up). */
  requestsSoFar: number;
  callsPerSec: number;
  p50Us: number;
  p99Us: number;
  serverCpuUsPerCall: number;
  harnessCpuUsPerCall: number;
  rssMb: number;
}

export interface HttpSubjectRecord {
  id: string;
  label: string;
  role: 'ours' | 'peer';
  command?: string[];
  note?: string;
  skipped?: string;
  failures: number;
  firstFailure?: string;
  /** RSS right after the sessions were opened and the warm-up requests served. */
  warmRssMb?: number;
  peakRssMb?: number;
  chunks: HttpChunk[];
}

export interface HttpRecord {
  clients: number;
  requests: number;
  chunkSize: number;
  warmup: number;
  subjects: HttpSubjectRecord[];
}

export interface HttpPlan {
  clients: number;
  requests: number;
  chunks: number;
  warmup: number;
}

interface Session {
  id: string;
  nextId: number;
}

interface Running {
  record: HttpSubjectRecord;
  launched: Launched;
  port: number;
  agent: Agent;
  sessions: Session[];
  call: RequestTemplate;
}

interface Answer {
  status: number;
  sessionId: string | undefined;
  message: unknown;
}

async function post(
  agent: Agent,
  port: number,
  body: string,
  sessionId: string | undefined,
): Promise<Answer> {
  const answer = await exchange(
    { agent, port },
    {
      'mcp-protocol-version': BENCH_PROTOCOL_VERSION,
      ...(sessionId === undefined ? {} : { 'mcp-session-id': sessionId }),
    },
    body,
  );
  const sid = answer.headers['mcp-session-id'];
  return {
    status: answer.status,
    sessionId: typeof sid === 'string' ? sid : undefined,
    message: answer.reply ?? answer.messages[0],
  };
}

async function openSession(running: Omit<Running, 'sessions'>): Promise<Session> {
  const init = await post(
    running.agent,
    running.port,
    JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: {
        protocolVersion: BENCH_PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: 'plugboard-bench', version: '0.0.0' },
      },
    }),
    undefined,
  );
  const failure = failureOf(init.status, init.message);
  if (failure !== undefined) throw new Error(`initialize: ${failure}`);
  if (init.sessionId === undefined) throw new Error('initialize: no Mcp-Session-Id header');
  const note = await post(
    running.agent,
    running.port,
    JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
    init.sessionId,
  );
  if (note.status !== 202 && note.status !== 200)
    throw new Error(`notifications/initialized: HTTP ${note.status}`);
  return { id: init.sessionId, nextId: 1 };
}

/** Sends `count` calls from all sessions at once, each session one call at a time. */
async function load(
  running: Running,
  count: number,
): Promise<{ latenciesUs: number[]; elapsedMs: number }> {
  const latenciesUs: number[] = [];
  let remaining = count;
  const tail = `,"method":${JSON.stringify(running.call.method)},"params":${JSON.stringify(running.call.params ?? {})}}`;
  const started = performance.now();
  await Promise.all(
    running.sessions.map(async (session) => {
      while (remaining > 0) {
        remaining--;
        const body = `{"jsonrpc":"2.0","id":${session.nextId++}${tail}`;
        const sent = performance.now();
        const answer = await post(running.agent, running.port, body, session.id);
        latenciesUs.push((performance.now() - sent) * 1000);
        const failure = failureOf(answer.status, answer.message);
        if (failure !== undefined) {
          running.record.failures++;
          running.record.firstFailure ??= failure;
        }
      }
    }),
  );
  return { latenciesUs, elapsedMs: performance.now() - started };
}

async function start(
  subject: (typeof HTTP_SUBJECTS)[number],
  ctx: ResolveContext,
  plan: HttpPlan,
  registry: ChildRegistry,
): Promise<Running | HttpSubjectRecord> {
  const record: HttpSubjectRecord = {
    id: subject.id,
    label: subject.label,
    role: subject.role,
    failures: 0,
    chunks: [],
  };
  const resolution = resolveSources(subject.sources, ctx);
  if ('skip' in resolution) return { ...record, skipped: resolution.skip };
  if (resolution.note !== undefined) record.note = resolution.note;
  const port = await freePort();
  const argv = [...resolution.argv, ...subject.args(port)];
  record.command = argv;
  const envVars = subject.envVars?.(port);
  const launched = launch({ argv, ...(envVars === undefined ? {} : { env: envVars }) }, registry);
  launched.child.stdout.resume();
  let exited = false;
  void launched.exited.then(() => (exited = true));
  const listening = await waitForPort(port, 15_000, () => exited);
  const why = (what: string): HttpSubjectRecord => {
    const stderr = launched.stderrTail().split('\n').slice(-3).join(' | ').slice(0, 400);
    return { ...record, skipped: `${what}${stderr === '' ? '' : ` (stderr: ${stderr})`}` };
  };
  if (!listening) {
    await terminate(launched);
    const code = exited ? `it exited` : 'nothing listened within 15 s';
    return why(
      subject.role === 'ours'
        ? `--transport http does not serve yet: ${code}`
        : `did not serve HTTP: ${code}`,
    );
  }
  const agent = new Agent({ keepAlive: true, maxSockets: plan.clients });
  const base = { record, launched, port, agent, call: subject.call };
  try {
    const sessions: Session[] = [];
    for (let i = 0; i < plan.clients; i++) sessions.push(await openSession(base));
    return { ...base, sessions };
  } catch (error) {
    agent.destroy();
    await terminate(launched);
    return why(
      `could not open ${plan.clients} sessions: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** Runs the HTTP suite; servers that cannot serve HTTP are recorded as skipped, with the reason. */
export async function runHttp(
  ctx: ResolveContext,
  plan: HttpPlan,
  registry: ChildRegistry,
  log: (line: string) => void,
): Promise<HttpRecord> {
  const started: Running[] = [];
  const records: HttpSubjectRecord[] = [];
  for (const subject of HTTP_SUBJECTS) {
    const result = await start(subject, ctx, plan, registry);
    if ('launched' in result) {
      started.push(result);
      records.push(result.record);
    } else {
      records.push(result);
      log(`  ${result.label}: skipped: ${result.skipped ?? ''}`);
    }
  }
  if (!started.some((running) => running.record.role === 'ours')) {
    // Nothing of ours to compare: do not spend minutes loading the peer alone.
    for (const running of started.splice(0)) {
      running.agent.destroy();
      await terminate(running.launched);
      running.record.skipped = 'not run: none of our servers serves HTTP here';
    }
  }
  const chunkSize = Math.ceil(plan.requests / plan.chunks);
  try {
    if (started.length > 0) {
      for (const running of started) {
        await load(running, plan.warmup);
        running.record.warmRssMb = readTree(running.launched.pid).rssMb;
      }
      for (let chunk = 0; chunk < plan.chunks; chunk++) {
        const shift = chunk % started.length;
        const order = [...started.slice(shift), ...started.slice(0, shift)];
        const notes: string[] = [];
        for (const running of order) {
          const pids = readTree(running.launched.pid).pids;
          const before = readTree(running.launched.pid, pids);
          const harnessBefore = process.cpuUsage();
          const { latenciesUs, elapsedMs } = await load(running, chunkSize);
          const harness = process.cpuUsage(harnessBefore);
          const after = readTree(running.launched.pid, pids);
          const sorted = latenciesUs.sort((a, b) => a - b);
          const callsPerSec = (chunkSize * 1000) / elapsedMs;
          running.record.chunks.push({
            requestsSoFar: (chunk + 1) * chunkSize,
            callsPerSec,
            p50Us: quantile(sorted, 0.5),
            p99Us: quantile(sorted, 0.99),
            serverCpuUsPerCall: ((after.cpuMs - before.cpuMs) * 1000) / chunkSize,
            harnessCpuUsPerCall: (harness.user + harness.system) / chunkSize,
            rssMb: after.rssMb,
          });
          running.record.peakRssMb = after.peakRssMb;
          notes.push(
            `${running.record.id} ${Math.round(callsPerSec)}/s ${after.rssMb.toFixed(0)} MB`,
          );
        }
        log(
          `  chunk ${chunk + 1}/${plan.chunks} (${chunkSize.toLocaleString('en-US')} requests each): ${notes.join(', ')}`,
        );
      }
    }
  } finally {
    for (const running of started) {
      running.agent.destroy();
      await terminate(running.launched);
    }
  }
  return {
    clients: plan.clients,
    requests: chunkSize * plan.chunks,
    chunkSize,
    warmup: plan.warmup,
    subjects: records,
  };
}
