/**
 * @module
 * What the oversized-answer tests need: a fake response that streams a body of any size without
 * holding it (generated chunk by chunk, paced by the socket), the peak memory a spawned server
 * ever used (`VmHWM` from `/proc/<pid>/status`), a client that keeps pinging while a call runs,
 * and the look-alike closing tags a fence must defuse.
 */

/**
 * Closing tags of the `<untrusted-content>` fence as a model may read them, none of them the
 * ASCII original: a space before the slash, full-width brackets, other hyphens.
 */
export const LOOK_ALIKE_CLOSING_TAGS: readonly string[] = [
  '< /untrusted-content>',
  '\uFF1C/untrusted-content\uFF1E',
  '</untrusted\u2010content>',
  '</untrusted\u2011content>',
  '</untrusted\u2212content>',
];
import type { ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import type { FakeResponse } from './fake-http.js';
import { textOf, type ToolResultLike } from './tool-calls.js';
import { pingThroughout, type Pinger } from './ping-throughout.js';

export interface StreamedBodyOptions {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent before the filler; the filler is `a` repeated, then `suffix` ends the body. */
  readonly prefix?: string;
  readonly suffix?: string;
  /** Send a `Content-Length` (default false: a chunked body a client cannot size up front). */
  readonly declareLength?: boolean;
}

export interface StreamedBody extends FakeResponse {
  /** Bytes written to the socket so far (the client stops reading long before the end). */
  readonly written: () => number;
}

const CHUNK = Buffer.alloc(256 * 1024, 0x61);

/**
 * A response of `totalBytes` streamed in 256 KiB chunks as fast as the client reads, never more
 * than one chunk in memory: a well-formed JSON string by default (`{"data":"aaa…"}`).
 */
export function streamedBody(totalBytes: number, options: StreamedBodyOptions = {}): StreamedBody {
  const prefix = Buffer.from(options.prefix ?? '{"data":"');
  const suffix = Buffer.from(options.suffix ?? '"}');
  let written = 0;
  const respond = (res: ServerResponse): void => {
    const filler = totalBytes - prefix.length - suffix.length;
    res.writeHead(options.status ?? 200, {
      'content-type': 'application/json; charset=utf-8',
      ...options.headers,
      ...(options.declareLength === true ? { 'content-length': String(totalBytes) } : {}),
    });
    let sent = 0;
    let started = false;
    const pump = (): void => {
      for (;;) {
        if (res.destroyed) return;
        let part: Buffer;
        if (!started) {
          started = true;
          part = prefix;
        } else if (sent < filler) {
          part = CHUNK.subarray(0, Math.min(CHUNK.length, filler - sent));
          sent += part.length;
        } else {
          res.end(suffix);
          written += suffix.length;
          return;
        }
        written += part.length;
        if (!res.write(part)) {
          res.once('drain', pump);
          return;
        }
      }
    };
    res.on('error', () => undefined);
    pump();
  };
  return { respond, written: () => written };
}

/** The most resident memory process `pid` has had so far, in bytes (Linux `VmHWM`). */
export function peakResidentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
  if (match === null) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

/** A spawned server and its client, as `connectStdio` gives them. */
export interface SpawnedServer {
  readonly client: Pinger & {
    callTool(request: { name: string; arguments: Record<string, unknown> }): Promise<unknown>;
  };
  readonly pid: number | null;
}

/** What one tool call against an oversized answer did to the server. */
export interface OversizedCall {
  readonly isError: boolean;
  readonly text: string;
  /** Pings answered (each within a second) while the call ran. */
  readonly pings: number;
  /** The server's peak resident memory after the call, in bytes. */
  readonly peakBytes: number;
}

/**
 * Calls `name` while pinging, then reads the server's peak memory and pings once more (the
 * server must still be there).
 */
export async function callWhilePinging(
  server: SpawnedServer,
  name: string,
  args: Record<string, unknown>,
): Promise<OversizedCall> {
  if (server.pid === null) throw new Error('the server has no pid');
  const { result, pings } = await pingThroughout(
    server.client,
    server.client.callTool({ name, arguments: args }) as Promise<ToolResultLike>,
  );
  const peakBytes = peakResidentBytes(server.pid);
  await server.client.ping({ timeout: 1000 });
  return { isError: result.isError === true, text: textOf(result), pings, peakBytes };
}
