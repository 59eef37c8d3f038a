/**
 * @module
 * A raw stdio peer: spawns a server and talks to it byte for byte, with no SDK in between. Tests of
 * transport robustness need exactly this: split a message across writes, send CRLF or invalid UTF-8,
 * see every stdout line verbatim (to prove stdout carries protocol messages only), and observe the
 * exit code.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { isJsonRpcMessage, isResponseTo, jsonRpcProblem } from './json-rpc.js';
import type { JsonRpcMessage } from './json-rpc.js';

/** How to start the server. */
export interface RawStdioOptions {
  readonly command: string;
  readonly args?: readonly string[];
  /** Added to a minimal inherited environment (PATH, HOME, ...), like the SDK clients do. */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Default timeout of the `waitFor*` helpers. */
  readonly timeoutMs?: number;
}

/** How the process ended. */
export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Where to start looking and for how long. */
export interface WaitOptions {
  readonly timeoutMs?: number;
  /** Only consider messages (or lines) at or after this index; see {@link RawStdioPeer.mark}. */
  readonly since?: number;
}

/** The handshake `initialize` sends. */
export interface HandshakeOptions {
  readonly protocolVersion?: string;
  readonly capabilities?: Readonly<Record<string, unknown>>;
  readonly clientInfo?: { readonly name: string; readonly version: string };
}

/** A spawned server driven at the byte level. */
export interface RawStdioPeer {
  readonly child: ChildProcessWithoutNullStreams;
  readonly pid: number;
  /** Every complete stdout line, verbatim, without its `\n`. Invalid UTF-8 shows as U+FFFD. */
  readonly lines: readonly string[];
  /** The stdout lines that are well-formed JSON-RPC messages, parsed, in order. */
  readonly messages: readonly JsonRpcMessage[];
  /** Settles when the process has exited and its output has been read completely. */
  readonly exit: Promise<ExitStatus>;
  /** Everything written to stderr so far. */
  readonly stderr: () => string;
  /** Writes exactly these bytes in one write; resolves once they are handed to the pipe. */
  readonly write: (chunk: string | Uint8Array) => Promise<void>;
  /** Writes `JSON.stringify(message) + "\n"`. */
  readonly send: (message: unknown) => Promise<void>;
  /** Sends a request with a fresh numeric id and resolves with its response (result or error). */
  readonly request: (
    method: string,
    params?: unknown,
    options?: WaitOptions,
  ) => Promise<JsonRpcMessage>;
  /** Sends a notification. */
  readonly notify: (method: string, params?: unknown) => Promise<void>;
  /** `initialize` + `notifications/initialized`; resolves with the initialize response. */
  readonly initialize: (options?: HandshakeOptions) => Promise<JsonRpcMessage>;
  /** The number of messages received so far; pass as `since` to wait only for newer ones. */
  readonly mark: () => number;
  /** Resolves with the first message at or after `since` matching `predicate`. */
  readonly waitFor: (
    predicate: (message: JsonRpcMessage) => boolean,
    options?: WaitOptions,
  ) => Promise<JsonRpcMessage>;
  /** Resolves with the first stdout line (verbatim) at or after `since` matching `predicate`. */
  readonly waitForLine: (
    predicate: (line: string) => boolean,
    options?: WaitOptions,
  ) => Promise<string>;
  /** Resolves with the response to request `id`. */
  readonly responseTo: (
    id: string | number | null,
    options?: WaitOptions,
  ) => Promise<JsonRpcMessage>;
  /**
   * Stdout content that is not a JSON-RPC message: bad lines with the reason, and a trailing partial
   * line once the process has exited. Empty for a server whose stdout is pure.
   */
  readonly impureOutput: () => string[];
  /** Throws, listing the offending lines, unless {@link impureOutput} is empty. */
  readonly assertStdoutPure: () => void;
  /** Closes the server's stdin (EOF). */
  readonly endInput: () => void;
  /** Stops reading stdout and closes our end of the pipe, so the server's next write fails (EPIPE). */
  readonly closeOutput: () => void;
  /** Ends stdin and waits for exit; kills the process if it has not exited within `timeoutMs`. */
  readonly close: (timeoutMs?: number) => Promise<ExitStatus>;
}

const INHERITED_ENV = [
  'HOME',
  'LOGNAME',
  'PATH',
  'SHELL',
  'TERM',
  'USER',
  'TMPDIR',
  'SystemRoot',
] as const;

/** The minimal environment a spawned server inherits, as the official SDK clients pass it. */
export function defaultEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of INHERITED_ENV) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}

interface Waiter<T> {
  readonly test: (index: number) => T | undefined;
  readonly resolve: (value: T) => void;
  readonly reject: (error: Error) => void;
}

/** Spawns the server and returns a peer driving its stdin and reading its stdout and stderr. */
export function rawStdio(options: RawStdioOptions): RawStdioPeer {
  const defaultTimeout = options.timeoutMs ?? 10_000;
  const child = spawn(options.command, [...(options.args ?? [])], {
    cwd: options.cwd,
    env: { ...defaultEnvironment(), ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const messages: JsonRpcMessage[] = [];
  const problems: string[] = [];
  const stderrChunks: string[] = [];
  const waiters = new Set<Waiter<unknown>>();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const lenient = new TextDecoder('utf-8');
  let pending: Buffer[] = [];
  let exited: ExitStatus | undefined;
  let nextId = 1;

  const check = (): void => {
    for (const waiter of waiters) {
      const found = waiter.test(0);
      if (found !== undefined) {
        waiters.delete(waiter);
        waiter.resolve(found);
      }
    }
  };

  const takeLine = (bytes: Buffer): void => {
    let line: string;
    try {
      line = decoder.decode(bytes);
    } catch {
      line = lenient.decode(bytes);
      problems.push(`invalid UTF-8: ${line.slice(0, 200)}`);
      lines.push(line);
      return;
    }
    lines.push(line);
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      problems.push(`not JSON: ${line.slice(0, 200)}`);
      return;
    }
    const problem = jsonRpcProblem(parsed);
    if (problem !== undefined || !isJsonRpcMessage(parsed)) {
      problems.push(`${problem ?? 'not JSON-RPC'}: ${line.slice(0, 200)}`);
      return;
    }
    messages.push(parsed);
  };

  child.stdout.on('data', (chunk: Buffer) => {
    let start = 0;
    for (let newline = chunk.indexOf(0x0a); newline !== -1; newline = chunk.indexOf(0x0a, start)) {
      pending.push(chunk.subarray(start, newline));
      takeLine(Buffer.concat(pending));
      pending = [];
      start = newline + 1;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
    check();
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => stderrChunks.push(chunk));
  // A server that exits while we write produces EPIPE on our side; that is an outcome tests observe
  // through `exit`, not a crash of the test process.
  child.stdin.on('error', () => undefined);
  child.stdout.on('error', () => undefined);

  const exit = new Promise<ExitStatus>((resolve) => {
    child.on('close', (code, signal) => {
      if (pending.length > 0) {
        const rest = lenient.decode(Buffer.concat(pending));
        problems.push(`unterminated last line: ${rest.slice(0, 200)}`);
        pending = [];
      }
      exited = { code, signal };
      for (const waiter of waiters) {
        waiters.delete(waiter);
        waiter.reject(new Error(`Server exited (${code ?? signal ?? '?'}) first.${diagnostics()}`));
      }
      resolve(exited);
    });
    child.on('error', (error) => {
      stderrChunks.push(`spawn error: ${error.message}\n`);
    });
  });

  const stderr = (): string => stderrChunks.join('');
  const diagnostics = (): string =>
    `\n--- last stdout lines:\n${lines.slice(-5).join('\n').slice(-2000)}\n--- stderr tail:\n${stderr().slice(-2000)}`;

  const wait = <T>(
    test: (index: number) => T | undefined,
    what: string,
    timeoutMs: number,
  ): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const found = test(0);
      if (found !== undefined) {
        resolve(found);
        return;
      }
      if (exited !== undefined) {
        reject(
          new Error(
            `Server already exited (${exited.code ?? exited.signal ?? '?'}) before ${what}.${diagnostics()}`,
          ),
        );
        return;
      }
      const timer = setTimeout(() => {
        waiters.delete(waiter as Waiter<unknown>);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.${diagnostics()}`));
      }, timeoutMs);
      const waiter: Waiter<T> = {
        test,
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      waiters.add(waiter as Waiter<unknown>);
    });

  const write = (chunk: string | Uint8Array): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      child.stdin.write(chunk, (error) => {
        if (error) reject(error);
        else resolve();
      });
    });

  const waitFor = (
    predicate: (message: JsonRpcMessage) => boolean,
    waitOptions: WaitOptions = {},
  ): Promise<JsonRpcMessage> =>
    wait(
      () => messages.slice(waitOptions.since ?? 0).find(predicate),
      'a matching message',
      waitOptions.timeoutMs ?? defaultTimeout,
    );

  const responseTo = (
    id: string | number | null,
    waitOptions: WaitOptions = {},
  ): Promise<JsonRpcMessage> =>
    wait(
      () => messages.slice(waitOptions.since ?? 0).find(isResponseTo(id)),
      `the response to id ${JSON.stringify(id)}`,
      waitOptions.timeoutMs ?? defaultTimeout,
    );

  const send = (message: unknown): Promise<void> => write(`${JSON.stringify(message)}\n`);

  const request = async (
    method: string,
    params?: unknown,
    waitOptions?: WaitOptions,
  ): Promise<JsonRpcMessage> => {
    const id = nextId++;
    const since = messages.length;
    await send(
      params === undefined
        ? { jsonrpc: '2.0', id, method }
        : { jsonrpc: '2.0', id, method, params },
    );
    return responseTo(id, { since, ...waitOptions });
  };

  const notify = (method: string, params?: unknown): Promise<void> =>
    send(params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params });

  const close = async (timeoutMs = 5_000): Promise<ExitStatus> => {
    if (exited !== undefined) return exited;
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    try {
      return await exit;
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    child,
    pid: child.pid ?? -1,
    lines,
    messages,
    exit,
    stderr,
    write,
    send,
    request,
    notify,
    async initialize(handshake = {}) {
      const response = await request('initialize', {
        protocolVersion: handshake.protocolVersion ?? '2025-11-25',
        capabilities: handshake.capabilities ?? {},
        clientInfo: handshake.clientInfo ?? { name: 'raw-stdio-peer', version: '0.0.0' },
      });
      if (response.error === undefined) await notify('notifications/initialized');
      return response;
    },
    mark: () => messages.length,
    waitFor,
    waitForLine: (predicate, waitOptions = {}) =>
      wait(
        () => lines.slice(waitOptions.since ?? 0).find(predicate),
        'a matching stdout line',
        waitOptions.timeoutMs ?? defaultTimeout,
      ),
    responseTo,
    impureOutput: () => [...problems],
    assertStdoutPure() {
      if (problems.length > 0) {
        throw new Error(
          `stdout carried ${problems.length} non-JSON-RPC line(s):\n${problems.join('\n')}`,
        );
      }
    },
    endInput: () => {
      child.stdin.end();
    },
    closeOutput: () => {
      child.stdout.destroy();
    },
    close,
  };
}
