/**
 * @module
 * The browser server's two ends: stdin closing (the host quit) and kill -9 (the host crashed or
 * the operator killed it). Both start Chromium with one navigation first. After stdin ends the
 * server should exit by itself and take Chromium with it; after kill -9 the server cannot clean
 * up, so what counts is how many Chromium processes it leaves running.
 */
import type { Command, ChildRegistry } from '../launch.js';
import { stop } from '../launch.js';
import type { Outcome } from './outcome.js';
import {
  commandName,
  isAlive,
  replyText,
  signalAll,
  startSession,
  within,
  type Session,
} from './session.js';
import { replyFailure } from '../rpc-client.js';

export interface BrowserSubject {
  readonly server: string;
  readonly command: Command;
}

/** How long a server may take to exit after stdin ends. */
const EXIT_GRACE_MS = 10_000;

function browserPids(pids: readonly number[]): number[] {
  return pids.filter((pid) => /chrom/i.test(commandName(pid)));
}

type Started = { session: Session; chromium: number[] } | { notRun: Outcome };

/** Starts the server and navigates once; the outcome says why not when that fails. */
async function withBrowser(
  fault: string,
  subject: BrowserSubject,
  pageUrl: string,
  registry: ChildRegistry,
): Promise<Started> {
  const session = await startSession(subject.command, registry);
  const reply = await session.call('puppeteer_navigate', { url: pageUrl });
  if (replyFailure(reply) === undefined) return { session, chromium: browserPids(session.tree()) };
  await stop(session.launched, 3000);
  return { notRun: { fault, server: subject.server, ok: undefined, result: replyText(reply) } };
}

export async function stdinEnd(
  subject: BrowserSubject,
  pageUrl: string,
  registry: ChildRegistry,
): Promise<Outcome> {
  const fault = 'stdin ends after a navigation';
  const started = await withBrowser(fault, subject, pageUrl, registry);
  if ('notRun' in started) return started.notRun;
  const { session, chromium } = started;
  session.launched.child.stdin.end();
  const exited = await within(EXIT_GRACE_MS, session.exited);
  const left = await leftAfter(chromium);
  const result = `${exited ? 'exited by itself' : `still running ${EXIT_GRACE_MS / 1000} s later`}; ${left} of ${chromium.length} Chromium processes left`;
  signalAll([...session.tree(), ...chromium], 'SIGKILL');
  await session.launched.exited;
  return { fault, server: subject.server, ok: exited && left === 0, result };
}

export async function killNine(
  subject: BrowserSubject,
  pageUrl: string,
  registry: ChildRegistry,
): Promise<Outcome> {
  const fault = 'kill -9 after a navigation';
  const started = await withBrowser(fault, subject, pageUrl, registry);
  if ('notRun' in started) return started.notRun;
  const { session, chromium } = started;
  signalAll([session.launched.pid], 'SIGKILL');
  await session.launched.exited;
  const left = await leftAfter(chromium);
  signalAll(chromium, 'SIGKILL');
  return {
    fault,
    server: subject.server,
    ok: left === 0,
    result: `${left} of ${chromium.length} Chromium processes left running`,
  };
}

/** How many of `pids` are still alive after giving them three seconds to go. */
async function leftAfter(pids: readonly number[]): Promise<number> {
  await within(3000, () => pids.every((pid) => !isAlive(pid)));
  return pids.filter(isAlive).length;
}
