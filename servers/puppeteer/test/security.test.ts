/**
 * The attacks of security.md section 3.G (PP-01 to PP-10) against a real headless Chromium.
 * The browser sees a simulated network: `public.test` resolves to a public address that the
 * egress proxy's network maps to the fixture server, and private addresses (10.0.0.7, the cloud
 * metadata address, ...) map to a canary. Loopback is closed (--block-loopback) so canaries on
 * 127.0.0.1 and ::1 stand for local services. "Blocked" means the canary saw zero connections.
 */
import { existsSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@plugboard/protocol';
import { tmpDir, waitFor, type TmpDir } from '@plugboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAUNCH_OPTIONS_REFUSED } from '../src/tools/navigation.js';
import { startHarness, type Harness } from './harness.js';
import { browserProcess, descendants, isAlive, listeningSockets } from './processes.js';
import { mappedNetwork, startCanary, startSite, type Canary, type Site } from './site.js';

const PUBLIC = '93.184.216.34';
const PRIVATE = '10.0.0.7';

let site: Site;
let loopback: Canary;
let loopback6: Canary | undefined;
let inside: Canary;
let browser: Harness;
let markers: TmpDir;
let files: TmpDir;
let rebindLookups = 0;
const logged: string[] = [];
const updates: string[] = [];
const network = { connections: [] as string[] };

const logger: Logger = {
  debug: () => undefined,
  info: (message, fields) => logged.push(`${message} ${JSON.stringify(fields ?? {})}`),
  warn: (message, fields) => logged.push(`${message} ${JSON.stringify(fields ?? {})}`),
  error: (message, fields) => logged.push(`${message} ${JSON.stringify(fields ?? {})}`),
  enabled: () => true,
};

const DNS: Record<string, string[]> = {
  'public.test': [PUBLIC],
  'intranet.test': [PRIVATE],
  'mixed.test': [PUBLIC, PRIVATE],
  'localtest.me': ['127.0.0.1'],
  '169.254.169.254.nip.io': ['169.254.169.254'],
  'metadata.google.internal': ['169.254.169.254'],
};

function resolve(host: string): Promise<string[]> {
  if (host === 'rebind.test') return Promise.resolve(rebindLookups++ === 0 ? [PUBLIC] : [PRIVATE]);
  const answer = DNS[host];
  return answer === undefined
    ? Promise.reject(new Error(`ENOTFOUND ${host}`))
    : Promise.resolve(answer);
}

const connections = (): number =>
  loopback.connections() + (loopback6?.connections() ?? 0) + inside.connections();

beforeAll(async () => {
  site = await startSite();
  loopback = await startCanary();
  loopback6 = await startCanary('::1').catch(() => undefined);
  inside = await startCanary();
  markers = await tmpDir('pp-markers-');
  files = await tmpDir('pp-files-');
  await mkdir(join(files.path, 'uploads'));
  await mkdir(join(files.path, 'uploads_evil'));
  await writeFile(join(files.path, 'uploads', 'ok.txt'), 'fine');
  await writeFile(join(files.path, 'uploads_evil', 'secret.txt'), 'secret');
  await writeFile(join(files.path, 'outside.txt'), 'outside');
  await symlink(join(files.path, 'outside.txt'), join(files.path, 'uploads', 'link.txt'));
  await symlink(files.path, join(files.path, 'uploads', 'parent'));
  const target = (port: number) => ({ host: '127.0.0.1', port });
  const mapped = mappedNetwork(
    new Map([
      [`${PUBLIC}:80`, target(site.port)],
      [PRIVATE, target(inside.port)],
      ['169.254.169.254', target(inside.port)],
      ['192.168.1.1', target(inside.port)],
      ['172.16.0.1', target(inside.port)],
      ['100.64.0.1', target(inside.port)],
      ['fd00::1', target(inside.port)],
    ]),
  );
  network.connections = mapped.connections;
  browser = await startHarness({
    flags: {
      'block-loopback': true,
      'allow-evaluate': true,
      timeout: 3000,
      'max-tabs': 3,
      'upload-dir': [join(files.path, 'uploads')],
    },
    resolve,
    connect: mapped.connect,
    logger,
    onNotification: (method) => updates.push(method),
  });
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([site?.close(), loopback?.close(), loopback6?.close(), inside?.close()]);
  await markers?.cleanup();
  await files?.cleanup();
});

async function at(path: string): Promise<void> {
  const result = await browser.call('puppeteer_navigate', { url: `http://public.test${path}` });
  if (result.isError === true) throw new Error(`${path}: ${JSON.stringify(result.content)}`);
}

describe('PP-01 local files and browser-internal schemes', () => {
  it('refuses them before anything loads, in every spelling', async () => {
    await at('/');
    for (const url of [
      'file:///etc/passwd',
      ' FILE:///etc/passwd',
      'file://localhost/etc/passwd',
      'view-source:file:///etc/passwd',
      'view-source:http://public.test/',
      'chrome://settings',
      'devtools://devtools/bundled/inspector.html',
      'javascript:alert(document.cookie)',
      'data:text/html,<script>alert(1)</script>',
      'blob:http://public.test/0a1b2c3d',
      'chrome-extension://abc/page.html',
      'about:config',
    ]) {
      expect(await browser.fail('puppeteer_navigate', { url }), url).toContain(
        'Blocked by the URL policy',
      );
    }
    const tabs = await browser.ok<{ tabs: { url: string }[] }>('puppeteer_list_tabs');
    expect(tabs.tabs.map((tab) => tab.url)).toEqual(['http://public.test/']);
  });

  it('keeps local files out of redirects, frames and popups', async () => {
    expect(
      await browser.fail('puppeteer_navigate', {
        url: 'http://public.test/redirect?to=file:///etc/passwd',
      }),
    ).toMatch(/Blocked|failed/);
    await at(`/frame?to=${encodeURIComponent('file:///etc/passwd')}`);
    const framed = await browser.ok('puppeteer_snapshot');
    expect(framed.text).not.toContain('root:');
    await at(`/popups?to=${encodeURIComponent('file:///etc/passwd')}`);
    await browser.ok('puppeteer_click', { selector: '#one' });
    const tabs = await browser.ok<{ tabs: { id: string; url: string }[] }>('puppeteer_list_tabs');
    expect(tabs.tabs.some((tab) => tab.url.startsWith('file:'))).toBe(false);
    for (const tab of tabs.tabs.slice(1)) await browser.ok('puppeteer_close_tab', { tab: tab.id });
  });
});

describe('PP-02 server-side request forgery', () => {
  it('refuses loopback, private, link-local and metadata targets in every spelling, with zero connections', async () => {
    const before = connections();
    const port = loopback.port;
    const targets = [
      `http://127.0.0.1:${port}/admin`,
      `http://localhost:${port}/`,
      `http://0x7f000001:${port}/`,
      `http://2130706433:${port}/`,
      `http://127.1:${port}/`,
      `http://0177.0.0.1:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
      `http://0.0.0.0:${port}/`,
      `http://localtest.me:${port}/`,
      `http://[::1]:${loopback6?.port ?? port}/`,
      'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://169.254.169.254.nip.io/',
      `http://${PRIVATE}/`,
      'http://192.168.1.1/',
      'http://172.16.0.1/',
      'http://100.64.0.1/',
      'http://[fd00::1]/',
      'http://intranet.test/',
      'http://mixed.test/',
    ];
    for (const url of targets) {
      expect(await browser.fail('puppeteer_navigate', { url }), url).toContain(
        'Blocked by the URL policy',
      );
    }
    expect(connections()).toBe(before);
  });

  it('refuses a public page that redirects to a private or loopback address', async () => {
    const before = connections();
    for (const to of [
      `http://${PRIVATE}/`,
      `http://127.0.0.1:${loopback.port}/`,
      'http://169.254.169.254/latest/meta-data/',
    ]) {
      const message = await browser.fail('puppeteer_navigate', {
        url: `http://public.test/redirect?to=${encodeURIComponent(to)}`,
      });
      expect(message, to).toContain('Blocked by the URL policy');
      const tabs = await browser.ok<{ tabs: { url: string }[] }>('puppeteer_list_tabs');
      expect(tabs.tabs[0]!.url).not.toMatch(/^chrome-error:/);
    }
    expect(connections()).toBe(before);
    const listed = await browser.ok<{ requests: { url: string; blocked?: string }[] }>(
      'puppeteer_list_network_requests',
      { failedOnly: true },
    );
    expect(
      listed.requests.some(
        (request) => request.url === `http://${PRIVATE}/` && request.blocked !== undefined,
      ),
    ).toBe(true);
  });

  it('blocks images, frames, fetch, workers and WebSockets aimed inside, while the same page reaches public hosts', async () => {
    const before = connections();
    const cases: [string, string][] = [
      [`/fetch?to=${encodeURIComponent(`http://${PRIVATE}/`)}`, 'fetch failed'],
      [`/fetch?to=${encodeURIComponent(`http://127.0.0.1:${loopback.port}/`)}`, 'fetch failed'],
      [`/worker?to=${encodeURIComponent(`http://${PRIVATE}/`)}`, 'worker: failed'],
      [`/worker?to=${encodeURIComponent(`http://127.0.0.1:${loopback.port}/`)}`, 'worker: failed'],
      [`/ws?to=${encodeURIComponent(`ws://${PRIVATE}/socket`)}`, 'ws failed'],
      [`/ws?to=${encodeURIComponent(`ws://127.0.0.1:${loopback.port}/socket`)}`, 'ws failed'],
    ];
    for (const [path, outcome] of cases) {
      await at(path);
      await browser.ok('puppeteer_wait_for', { text: outcome });
    }
    await at(`/img?to=${encodeURIComponent(`http://${PRIVATE}/x.png`)}`);
    await at(`/frame?to=${encodeURIComponent(`http://127.0.0.1:${loopback.port}/`)}`);
    const framed = await browser.ok('puppeteer_snapshot');
    expect(framed.text).not.toContain('canary');
    expect(connections()).toBe(before);
    // The controls: the same mechanisms work towards a public host.
    await at(`/ws?to=${encodeURIComponent('ws://public.test/socket')}`);
    await browser.ok('puppeteer_wait_for', { text: 'ws open' });
    await at(`/worker?to=${encodeURIComponent('http://public.test/second')}`);
    await browser.ok('puppeteer_wait_for', { text: 'worker: ok' });
  });
});

describe('PP-03 DNS rebinding', () => {
  it('connects to the address it checked, so a name that flips to a private address reaches nothing', async () => {
    const before = connections();
    rebindLookups = 0;
    const message = await browser.fail('puppeteer_navigate', { url: 'http://rebind.test/' });
    expect(message).toContain('Blocked by the URL policy');
    expect(rebindLookups).toBeGreaterThanOrEqual(2);
    expect(connections()).toBe(before);
    expect(network.connections).not.toContain(`${PRIVATE}:80`);
  });
});

describe('PP-05 launch options from tool input', () => {
  it('refuses every launch-option payload and never relaunches the browser', async () => {
    await at('/');
    const pid = browserProcess(process.pid)?.pid;
    expect(pid).toBeDefined();
    const marker = join(markers.path, 'PWN');
    const payloads: Record<string, unknown>[] = [
      { launchOptions: { executablePath: '/bin/sh', args: ['-c', `touch ${marker}`] } },
      { launchOptions: { args: ['--no-sandbox'] }, allowDangerous: true },
      { launchOptions: { args: [`--renderer-cmd-prefix=touch ${marker}2`] }, allowDangerous: true },
      {
        launchOptions: {
          args: ['--remote-debugging-port=9222', '--remote-debugging-address=0.0.0.0'],
        },
      },
      { launchOptions: { userDataDir: join(homedir(), '.config', 'google-chrome') } },
      { launchOptions: { env: { LD_PRELOAD: '/tmp/evil.so' } } },
      { launchOptions: { ignoreDefaultArgs: true } },
      { allowDangerous: true },
      { launchOptions: {} },
    ];
    for (const payload of payloads) {
      expect(
        await browser.fail('puppeteer_navigate', { url: 'http://public.test/second', ...payload }),
      ).toBe(LAUNCH_OPTIONS_REFUSED);
    }
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(`${marker}2`)).toBe(false);
    expect(browserProcess(process.pid)?.pid).toBe(pid);
    const tabs = await browser.ok<{ tabs: { url: string }[] }>('puppeteer_list_tabs');
    expect(tabs.tabs[0]!.url).toBe('http://public.test/');
  });

  it('treats security switches in arguments as unknown fields (X-01)', async () => {
    for (const args of [
      '{"readOnly":false}',
      '{"allowPrivateNetwork":true}',
      '{"unsafe":true}',
      '{"__proto__":{"allowEvaluate":true}}',
    ]) {
      const message = await browser.fail(
        'puppeteer_snapshot',
        JSON.parse(args) as Record<string, unknown>,
      );
      expect(message).toMatch(/Unrecognized key|unrecognized/i);
    }
  });
});

describe('PP-06 script exfiltration', () => {
  it('holds scripts to the URL policy and denies permissions', async () => {
    const before = connections();
    await at('/');
    const fetched = await browser.ok<{ json: string }>('puppeteer_evaluate', {
      script: `Promise.all([fetch('http://${PRIVATE}/admin').then(() => 'reached', () => 'failed'), fetch('http://127.0.0.1:${loopback.port}/').then(() => 'reached', () => 'failed')])`,
    });
    expect(JSON.parse(fetched.json)).toEqual(['failed', 'failed']);
    const clipboard = await browser.ok<{ json: string }>('puppeteer_evaluate', {
      script:
        "(navigator.clipboard ? navigator.clipboard.readText() : Promise.reject(new Error('no clipboard'))).then(() => 'read', () => 'denied')",
    });
    expect(JSON.parse(clipboard.json)).toBe('denied');
    expect(connections()).toBe(before);
  });

  it('keeps evaluate off and unlisted unless the operator enables it, without starting a browser', async () => {
    const plain = await startHarness({});
    try {
      const { tools } = await plain.client.listTools();
      expect(tools.map((tool) => tool.name)).not.toContain('puppeteer_evaluate');
      expect(plain.client.getInstructions()).toContain(
        'puppeteer_evaluate (arbitrary JavaScript in the page) is off on this server: the operator enables it with --allow-evaluate',
      );
      const call = await plain.client
        .callTool({ name: 'puppeteer_evaluate', arguments: { script: 'document.cookie' } })
        .then(
          (result) => JSON.stringify(result),
          (error: unknown) => String(error),
        );
      expect(call).toContain(
        'puppeteer_evaluate is turned off on this server; the operator turns it on with --allow-evaluate',
      );
      expect(plain.deps.session.launched).toBe(false);
    } finally {
      await plain.close();
    }
  });
});

describe('uploads outside the upload directory', () => {
  it('refuses absolute, relative, sibling-prefix and symlinked escapes, and sends nothing', async () => {
    await at('/upload');
    for (const path of [
      join(homedir(), '.ssh', 'id_rsa'),
      '/etc/passwd',
      '../outside.txt',
      join(files.path, 'outside.txt'),
      join(files.path, 'uploads_evil', 'secret.txt'),
      '../uploads_evil/secret.txt',
      'link.txt',
      'parent/outside.txt',
    ]) {
      const message = await browser.fail('puppeteer_upload_file', {
        selector: '#one',
        paths: [path],
      });
      expect(message, path).toMatch(
        /outside the upload directories|does not exist in the upload directories/,
      );
    }
    await browser.ok('puppeteer_upload_file', { selector: '#one', paths: ['ok.txt'] });
    await browser.ok('puppeteer_wait_for', { text: 'ok.txt:4' });
  });
});

describe('PP-07 downloads, popups and dialogs', () => {
  it('writes no download anywhere', async () => {
    const name = `pp-download-${process.pid}-${Date.now()}.txt`;
    await browser.call('puppeteer_navigate', { url: `http://public.test/download?name=${name}` });
    await at(`/download-link?name=${name}`);
    await browser.ok('puppeteer_click', { selector: '#dl' });
    const profile = browserProcess(process.pid)
      ?.args.find((arg) => arg.startsWith('--user-data-dir='))
      ?.slice('--user-data-dir='.length);
    for (const dir of [
      join(homedir(), 'Downloads'),
      process.cwd(),
      ...(profile === undefined ? [] : [profile, join(profile, 'Downloads')]),
    ]) {
      expect(existsSync(join(dir, name)), dir).toBe(false);
    }
  });

  it('bounds the tabs a popup loop can open and lets no beforeunload trap a navigation', async () => {
    await at('/popups');
    const result = await browser.ok('puppeteer_click', { selector: '#many' });
    const tabs = await browser.ok<{ tabs: unknown[] }>('puppeteer_list_tabs');
    expect(tabs.tabs.length).toBeLessThanOrEqual(3);
    expect(result.text).toMatch(/tab|popup/i);
    const listed = await browser.ok<{ tabs: { id: string }[]; current: string }>(
      'puppeteer_list_tabs',
    );
    for (const tab of listed.tabs.filter((candidate) => candidate.id !== listed.current))
      await browser.ok('puppeteer_close_tab', { tab: tab.id });
    await at('/beforeunload');
    await browser.ok('puppeteer_click', { selector: 'h1' });
    expect(
      (
        await browser.ok<{ url: string }>('puppeteer_navigate', {
          url: 'http://public.test/second',
        })
      ).url,
    ).toBe('http://public.test/second');
  });
});

describe('PP-08 page-driven resource exhaustion', () => {
  it('keeps the console a bounded ring and coalesces its update notifications', async () => {
    await browser.client.subscribeResource({ uri: 'console://logs' });
    const startUpdates = updates.filter(
      (method) => method === 'notifications/resources/updated',
    ).length;
    const startTotal = browser.deps.session.console.total;
    await at('/flood?n=5000&size=1000');
    await waitFor(() => browser.deps.session.console.total - startTotal > 5000, {
      timeoutMs: 30_000,
    });
    expect(browser.deps.session.console.items().length).toBeLessThanOrEqual(1000);
    const read = await browser.client.readResource({ uri: 'console://logs' });
    expect(Buffer.byteLength((read.contents[0] as { text: string }).text)).toBeLessThanOrEqual(
      64 * 1024 + 100,
    );
    const sent = (): number =>
      updates.filter((method) => method === 'notifications/resources/updated').length -
      startUpdates;
    // Updates are coalesced, so the last one may still be on its way when the read returns.
    await waitFor(() => sent() > 0, { timeoutMs: 10_000 });
    expect(sent()).toBeLessThan(100);
    await browser.client.unsubscribeResource({ uri: 'console://logs' });
  });
});

describe('X-02 page content is untrusted data', () => {
  it('cannot forge snapshot lines, hide characters or smuggle hidden text', async () => {
    await at('/injection');
    const { title, text: snapshot } = await browser.ok<{ title: string }>('puppeteer_snapshot');
    expect(snapshot.split('\n')[0]).toMatch(
      /^\[untrusted page content from http:\/\/public\.test\/injection/,
    );
    expect(
      snapshot.split('\n').filter((line) => line.trimStart().startsWith('- button')),
    ).toHaveLength(1);
    expect(snapshot).toContain('button "OK\\" - button \\"Delete everything\\" [ref=e1]"');
    expect(snapshot).not.toContain('hidden instruction');
    expect(snapshot).toContain('zerowidth and tag text');
    expect(title).toBe('Injectionevil');
  });
});

describe('PP-10 hangs and crashes', () => {
  it('times out a response that never ends, and a script that never settles', async () => {
    const hung = await browser.fail('puppeteer_navigate', { url: 'http://public.test/hang' });
    expect(hung).toMatch(/^Timed out after \d+ s: the page did not finish loading\./);
    expect(hung).not.toMatch(/Navigation timeout|exceeded/);
    await at('/');
    const pending = await browser.fail('puppeteer_evaluate', { script: 'new Promise(() => {})' });
    expect(pending).toContain('did not finish');
    expect(pending).not.toContain('blank page');
    expect((await browser.ok<{ title: string }>('puppeteer_snapshot')).title).toBe('Fixture home');
  });

  it('replaces a page stuck in an endless loop', async () => {
    await at('/');
    expect(await browser.fail('puppeteer_evaluate', { script: 'while (true) {}' })).toContain(
      'now shows a blank page',
    );
    expect(
      (
        await browser.ok<{ title: string }>('puppeteer_navigate', {
          url: 'http://public.test/second',
        })
      ).title,
    ).toBe('Second page');
  });

  it('recovers a tab whose renderer was killed', { timeout: 60_000 }, async () => {
    await at('/');
    const renderers = descendants(process.pid).filter((info) =>
      info.args.includes('--type=renderer'),
    );
    expect(
      renderers.length,
      JSON.stringify(descendants(process.pid).map((info) => info.args.slice(0, 2))),
    ).toBeGreaterThan(0);
    for (const renderer of renderers) process.kill(renderer.pid, 'SIGKILL');
    const after = await waitFor(
      async () => {
        const result = await browser.call('puppeteer_snapshot');
        return result.isError === true ? undefined : result;
      },
      { timeoutMs: 40_000 },
    );
    expect(after.isError).not.toBe(true);
    expect(
      (
        await browser.ok<{ url: string }>('puppeteer_navigate', {
          url: 'http://public.test/second',
        })
      ).url,
    ).toBe('http://public.test/second');
  });

  it('serialises concurrent calls on the same page', async () => {
    await at('/form');
    const results = await Promise.all([
      browser.call('puppeteer_navigate', { url: 'http://public.test/second' }),
      browser.call('puppeteer_click', { selector: 'h1' }),
      browser.call('puppeteer_snapshot'),
    ]);
    expect(results.map((result) => result.isError === true)).toEqual([false, false, false]);
    expect((await browser.ok<{ title: string }>('puppeteer_snapshot')).title).toBe('Second page');
  });
});

describe('PP-09 the launched browser', () => {
  it('runs with CDP over a pipe, a temporary profile, no extensions and no listening port, and leaves nothing behind', async () => {
    await at('/');
    const chromium = browserProcess(process.pid);
    expect(chromium).toBeDefined();
    const args = chromium!.args;
    expect(args).toContain('--remote-debugging-pipe');
    expect(args.some((arg) => arg.startsWith('--remote-debugging-port'))).toBe(false);
    expect(args).toContain('--disable-extensions');
    expect(args.some((arg) => arg.startsWith('--proxy-server=http://127.0.0.1:'))).toBe(true);
    expect(args).toContain('--proxy-bypass-list=<-loopback>');
    for (const forbidden of [
      '--disable-web-security',
      '--allow-file-access-from-files',
      '--ignore-certificate-errors',
      '--disable-popup-blocking',
    ]) {
      expect(args).not.toContain(forbidden);
    }
    const root = process.getuid?.() === 0;
    expect(args.includes('--no-sandbox')).toBe(root);
    if (root)
      expect(logged.join('\n')).toMatch(/launching Chromium with --no-sandbox .*runs as root/);
    const profile = args
      .find((arg) => arg.startsWith('--user-data-dir='))!
      .slice('--user-data-dir='.length);
    expect(existsSync(profile)).toBe(true);
    const family = descendants(process.pid).filter((info) => info.args[0]?.includes('chrom'));
    expect(listeningSockets(family.map((info) => info.pid))).toBe(0);
    await browser.close();
    await waitFor(() => family.every((info) => !isAlive(info.pid)));
    expect(existsSync(profile)).toBe(false);
  });
});
