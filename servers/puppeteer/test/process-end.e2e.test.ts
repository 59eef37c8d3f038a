/**
 * No Chromium process outlives the server, however the server ends: the built server is spawned
 * over stdio, starts a real headless Chromium, is left in a navigation that never finishes, and
 * then loses its stdin, gets SIGTERM or SIGINT (also with the browser frozen), or is killed with
 * SIGKILL. /proc is read before
 * and after: the browser leads its own process group, and afterwards no process of that group
 * (renderers, zygote, utilities) and no process that was below the server is alive. When stdin
 * ends, the server is gone within the kit's shutdown grace, counted from that moment.
 */
import { rawStdio, waitFor, type RawStdioPeer } from '@plugboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserProcess, descendants, groupMembers, groupOf, isAlive } from './processes.js';
import { BROWSER_ENV, SERVER } from './built-server.js';
import { startSite, type Site } from './site.js';

/** How long the kit gives a server to exit once its client has gone (its promise, not a tuning). */
const SHUTDOWN_GRACE_MS = 4000;
/** Time for the parent to see an exit that happened at the very end of the grace. */
const EXIT_OBSERVED_MS = 400;

let site: Site;

beforeAll(async () => {
  site = await startSite();
});

afterAll(async () => {
  await site?.close();
});

interface Running {
  readonly server: RawStdioPeer;
  readonly browserPid: number;
  /** Every process below the server once the browser runs. */
  readonly family: readonly number[];
}

/** A server with a running browser, busy with a navigation to a page that never answers. */
async function serverWithBrowser(): Promise<Running> {
  const server = rawStdio({
    command: process.execPath,
    args: [SERVER],
    env: BROWSER_ENV,
    timeoutMs: 60_000,
  });
  await server.initialize();
  const opened = await server.request('tools/call', {
    name: 'puppeteer_navigate',
    arguments: { url: site.url },
  });
  expect(JSON.stringify(opened)).toContain('Fixture home');
  // Not awaited: the server is in the middle of this call when it is ended (and may never answer).
  server
    .request('tools/call', { name: 'puppeteer_navigate', arguments: { url: `${site.url}/hang` } })
    .catch(() => undefined);
  await waitFor(() => (site.hits.get('/hang') ?? 0) > 0, { description: 'the hanging request' });
  const browser = browserProcess(server.pid);
  expect(browser).toBeDefined();
  return {
    server,
    browserPid: browser!.pid,
    family: descendants(server.pid).map((info) => info.pid),
  };
}

const endings: [string, (server: RawStdioPeer, browserPid: number) => void][] = [
  ['its stdin ends', (server) => server.endInput()],
  [
    'it gets SIGTERM while the browser is frozen (SIGSTOP: it neither answers nor reads its pipe)',
    (server, browserPid) => {
      process.kill(browserPid, 'SIGSTOP');
      server.child.kill('SIGTERM');
    },
  ],
  ['it gets SIGTERM', (server) => server.child.kill('SIGTERM')],
  ['it gets SIGINT', (server) => server.child.kill('SIGINT')],
  ['it is killed with SIGKILL', (server) => server.child.kill('SIGKILL')],
];

describe('no browser process outlives the server', () => {
  it.each(endings)('when %s', async (_name, end) => {
    const { server, browserPid, family } = await serverWithBrowser();
    // Before: the browser leads a group of its own, apart from the server's, with its helpers in it.
    expect(groupOf(browserPid)).toBe(browserPid);
    expect(groupOf(server.pid)).not.toBe(browserPid);
    const before = groupMembers(browserPid);
    expect(before.length).toBeGreaterThan(1);
    expect(family).toEqual(expect.arrayContaining(before));

    end(server, browserPid);
    await server.exit;
    // After: nothing of the group, and nothing that was below the server, is left.
    await waitFor(
      () => groupMembers(browserPid).length === 0 && family.every((pid) => !isAlive(pid)),
      { timeoutMs: 15_000, description: 'every browser process to exit' },
    );
    expect(groupMembers(browserPid)).toEqual([]);
    expect(family.filter((pid) => isAlive(pid))).toEqual([]);
  });
});

describe('when the client goes away', () => {
  it('exits within the shutdown grace, in the middle of a navigation, and takes the browser with it', async () => {
    const { server, browserPid, family } = await serverWithBrowser();
    const ended = performance.now();
    server.endInput();
    const status = await server.exit;
    const took = performance.now() - ended;
    expect(status.code).toBe(0);
    expect(took).toBeLessThan(SHUTDOWN_GRACE_MS + EXIT_OBSERVED_MS);
    await waitFor(
      () => groupMembers(browserPid).length === 0 && family.every((pid) => !isAlive(pid)),
      { timeoutMs: 15_000, description: 'every browser process to exit' },
    );
  });
});
