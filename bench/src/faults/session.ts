/**
 * @module
 * One server under a fault: spawned as a host spawns it, initialised over the harness's own
 * JSON-RPC client, and inspected through `/proc` (is it alive, which processes it started, which
 * of those outlived it).
 */
import { readFileSync } from 'node:fs';
import { BENCH_PROTOCOL_VERSION } from '../config.js';
import { launch, withTimeout, type ChildRegistry, type Command, type Launched } from '../launch.js';
import { processTree } from '../proc.js';
import { replyFailure, StdioRpcClient, type Reply } from '../rpc-client.js';

export interface Session {
  readonly launched: Launched;
  readonly rpc: StdioRpcClient;
  /** Calls a tool; resolves with the reply, rejects when the server goes away first. */
  readonly call: (
    name: string,
    args: Record<string, unknown>,
    timeoutMs?: number,
  ) => Promise<Reply>;
  /** The server and every process it started that is still its descendant. */
  readonly tree: () => number[];
  /** Whether the server process has exited. */
  readonly exited: () => boolean;
}

/** Starts `command` and completes the MCP handshake. */
export async function startSession(command: Command, registry: ChildRegistry): Promise<Session> {
  const launched = launch(command, registry);
  const rpc = new StdioRpcClient(launched.child.stdin, launched.child.stdout);
  let gone = false;
  void launched.exited.then(() => {
    gone = true;
  });
  const init = await withTimeout(
    rpc.request('initialize', {
      protocolVersion: BENCH_PROTOCOL_VERSION,
      capabilities: {},
      clientInfo: { name: 'plugboard-faults', version: '0.0.0' },
    }),
    30_000,
    'initialize',
  );
  const failure = replyFailure(init);
  if (failure !== undefined) throw new Error(`initialize: ${failure}`);
  rpc.notify('notifications/initialized');
  return {
    launched,
    rpc,
    call: (name, args, timeoutMs = 60_000) =>
      withTimeout(
        rpc.request('tools/call', { name, arguments: args }),
        timeoutMs,
        `tools/call ${name}`,
      ),
    tree: () => processTree(launched.pid),
    exited: () => gone,
  };
}

/** True while `pid` exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The command name of `pid` (`/proc/<pid>/comm`), or '' once it is gone. */
export function commandName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'latin1').trim();
  } catch {
    return '';
  }
}

/** Sends `signal` to every pid, ignoring the ones already gone. */
export function signalAll(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

/** Resolves true once `check` holds, false when `ms` pass first (polled every 50 ms). */
export async function within(ms: number, check: () => boolean): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

/** The text of a tool reply, or its failure. */
export function replyText(reply: Reply): string {
  const failure = replyFailure(reply);
  if (failure !== undefined) return failure;
  const result = reply.result as { content?: { text?: string }[] } | undefined;
  return result?.content?.map((block) => block.text ?? '').join(' ') ?? '';
}
