/**
 * @module
 * {@link askClientRoots}: the one way a server asks its client for roots. It checks the client's
 * capability and era, bounds the wait, turns each `file:` root into a real directory (or says
 * why it is ignored), and lets the protocol's input-required round pass through untouched, so
 * servers never see it.
 */
import fs from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { InputRequired, type RequestContext } from '@plugboard/protocol';

/** A client root as the client wrote it (as a path) and as it really is (symlinks resolved). */
export interface RootDirectory {
  readonly given: string;
  readonly real: string;
}

/** A root that names no usable directory, and why. */
export interface IgnoredRoot {
  readonly uri: string;
  readonly reason: string;
}

export interface RootsQuery {
  /**
   * `handshake`: ask only clients of the handshake era (from 2026-07-28 roots are deprecated,
   * and asking would cost a round trip per call). `every`: ask in every era; in 2026-07-28 the
   * question becomes the protocol's input-required round.
   */
  readonly eras: 'handshake' | 'every';
  /** How long the client may take to answer; without it, the call's own signal bounds the wait. */
  readonly timeoutMs?: number;
  /** A server's own objection to a root's path ("not an acceptable path"), or undefined to accept it. */
  readonly pathProblem?: (path: string) => string | undefined;
}

export type ClientRoots =
  /** The client has no roots to offer (no capability, another era): the ceiling stands. */
  | { readonly kind: 'none' }
  /** The client did not answer (an error or the timeout): the ceiling stands. */
  | { readonly kind: 'failed'; readonly error: string }
  | {
      readonly kind: 'listed';
      readonly directories: readonly RootDirectory[];
      readonly ignored: readonly IgnoredRoot[];
    };

async function withTimeout<T>(promise: Promise<T>, ms: number | undefined): Promise<T> {
  if (ms === undefined) return promise;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Turns one root URI into a real directory, or says why it names none. */
async function rootDirectory(
  uri: string,
  pathProblem: RootsQuery['pathProblem'],
): Promise<RootDirectory | string> {
  let given: string;
  try {
    const url = new URL(uri);
    if (url.protocol !== 'file:') return 'not a file: URI';
    if (url.host !== '' && url.host !== 'localhost') return 'names a remote host';
    given = fileURLToPath(url);
  } catch {
    return 'not a valid local file URI';
  }
  if (pathProblem?.(given) !== undefined) return 'not an acceptable path';
  try {
    const real = await fs.realpath(given);
    if (!(await fs.stat(real)).isDirectory()) return 'not a directory';
    return { given, real };
  } catch {
    return 'does not exist';
  }
}

/** Asks the client of this request for its roots, as {@link RootsQuery} says. */
export async function askClientRoots(
  ctx: Pick<RequestContext, 'client' | 'listRoots'>,
  query: RootsQuery,
): Promise<ClientRoots> {
  const capabilities = ctx.client.capabilities as Record<string, unknown>;
  if (typeof capabilities.roots !== 'object' || capabilities.roots === null)
    return { kind: 'none' };
  if (query.eras === 'handshake' && ctx.client.era !== 'handshake') return { kind: 'none' };
  let roots;
  try {
    roots = await withTimeout(ctx.listRoots(), query.timeoutMs);
  } catch (error) {
    // The 2026-07-28 question: the protocol ends this round and runs the handler again with the answer.
    if (error instanceof InputRequired) throw error;
    return { kind: 'failed', error: error instanceof Error ? error.message : String(error) };
  }
  const directories: RootDirectory[] = [];
  const ignored: IgnoredRoot[] = [];
  for (const root of roots) {
    const uri = typeof root.uri === 'string' ? root.uri : '';
    const directory = await rootDirectory(uri, query.pathProblem);
    if (typeof directory === 'string') ignored.push({ uri, reason: directory });
    else directories.push(directory);
  }
  return { kind: 'listed', directories, ignored };
}
