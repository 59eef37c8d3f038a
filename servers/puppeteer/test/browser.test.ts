/**
 * What the browser tools do, against a real headless Chromium and fixture pages on a loopback
 * server. One browser serves the whole file; tests move the current tab where they need it.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpDir, waitFor, type TmpDir } from '@plugboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, textOf, type Harness } from './harness.js';
import { startSite, type Site } from './site.js';

let site: Site;
let browser: Harness;
let uploads: TmpDir;
const notifications: string[] = [];

beforeAll(async () => {
  site = await startSite();
  uploads = await tmpDir('pp-uploads-');
  await writeFile(join(uploads.path, 'report.txt'), 'twelve bytes');
  await mkdir(join(uploads.path, 'more'));
  await writeFile(join(uploads.path, 'more', 'b.txt'), 'b');
  browser = await startHarness({
    // Generous: in CI this file shares two cores with other suites, and a network-idle wait
    // needs half a second of quiet that a busy machine may not give within a few seconds.
    flags: { 'allow-evaluate': true, 'upload-dir': [uploads.path], timeout: 20_000, 'max-tabs': 4 },
    onNotification: (method) => notifications.push(method),
  });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await uploads?.cleanup();
});

/** The structured part of a snapshot; its lines are in the text (`text` of the result). */
type Snapshot = {
  truncated: boolean;
  nextOffset?: number;
  totalLines: number;
  lines: number;
  cuts?: { names: number; texts: number; depth: number; elementLimit: boolean };
};

/** The ref on the first snapshot line that contains `text`. */
function refOf(snapshot: string, text: string): string {
  const line = snapshot.split('\n').find((candidate) => candidate.includes(text));
  const ref = line === undefined ? undefined : /\[ref=(e\d+)\]/.exec(line)?.[1];
  if (ref === undefined) throw new Error(`no line with ${text} in:\n${snapshot}`);
  return ref;
}

async function open(path: string): Promise<void> {
  await browser.ok('puppeteer_navigate', { url: `${site.url}${path}` });
}

describe('navigation', () => {
  it('follows redirects and reports the final URL, status and title', async () => {
    const result = await browser.ok<{ url: string; status: number; title: string; tab: string }>(
      'puppeteer_navigate',
      {
        url: `${site.url}/redirect?to=/second`,
      },
    );
    expect(result).toMatchObject({ url: `${site.url}/second`, status: 200, title: 'Second page' });
    expect(result.text).toContain('(HTTP 200)');
  });

  it('goes back, forward and reloads', async () => {
    await open('/');
    await open('/second');
    expect((await browser.ok<{ url: string }>('puppeteer_go_back')).url).toBe(`${site.url}/`);
    expect((await browser.ok<{ url: string }>('puppeteer_go_forward')).url).toBe(
      `${site.url}/second`,
    );
    const before = site.hits.get('/second') ?? 0;
    expect((await browser.ok<{ title: string }>('puppeteer_reload')).title).toBe('Second page');
    expect(site.hits.get('/second')).toBe(before + 1);
  });
});

describe('snapshot and refs', () => {
  it('lists the elements with refs that fill, select and click accept, and a form submits through them', async () => {
    await open('/form');
    const { text: snapshot } = await browser.ok<Snapshot>('puppeteer_snapshot');
    expect(snapshot).toMatch(/- textbox "Name" \[ref=e\d+\]/);
    expect(snapshot).toMatch(/- combobox "Colour" .*\[ref=e\d+\]: "Red"/);
    await browser.ok('puppeteer_fill', {
      ref: refOf(snapshot, 'textbox "Name"'),
      value: 'Ada Lovelace',
    });
    await browser.ok('puppeteer_fill', {
      ref: refOf(snapshot, 'textbox "Notes"'),
      value: 'line one',
    });
    await browser.ok('puppeteer_select', {
      ref: refOf(snapshot, 'combobox "Colour"'),
      value: 'blue',
    });
    await browser.ok('puppeteer_click', { ref: refOf(snapshot, 'checkbox "I agree"') });
    const clicked = await browser.ok('puppeteer_click', { ref: refOf(snapshot, 'button "Send"') });
    expect(clicked.text).toContain('/submitted?');
    const after = await browser.ok<Snapshot>('puppeteer_snapshot');
    expect(after.text).toContain('\\"name\\":\\"Ada Lovelace\\"');
    expect(after.text).toContain('\\"colour\\":\\"blue\\"');
    expect(after.text).toContain('\\"agree\\":\\"on\\"');
  });

  it('fill replaces the value instead of appending, and the snapshot shows it', async () => {
    await open('/form');
    await browser.ok('puppeteer_fill', { selector: '#name', value: 'first' });
    await browser.ok('puppeteer_fill', { selector: '#name', value: 'second' });
    const { text: snapshot } = await browser.ok<Snapshot>('puppeteer_snapshot');
    expect(snapshot).toMatch(/textbox "Name" .*\[ref=e\d+\]: "second"/);
  });

  it('names controls from their labels: for= before or after, wrapping, several, shadow roots', async () => {
    await open('/labels');
    const { text: snapshot } = await browser.ok<Snapshot>('puppeteer_snapshot');
    const textboxes = [...snapshot.matchAll(/- textbox "([^"]*)" \[ref=e\d+\]/g)].map(
      (match) => match[1],
    );
    expect(textboxes).toEqual(['City', 'Street', 'Postcode (five digits)', 'Inside the shadow']);
  });

  it('refuses a ref from an older snapshot instead of acting on another element', async () => {
    await open('/form');
    const first = await browser.ok<Snapshot>('puppeteer_snapshot');
    const stale = refOf(first.text, 'button "Send"');
    await browser.ok<Snapshot>('puppeteer_snapshot');
    expect(await browser.fail('puppeteer_click', { ref: stale })).toContain('older snapshot');
    expect(await browser.fail('puppeteer_click', { ref: 'e999999' })).toContain(
      'take a puppeteer_snapshot',
    );
  });

  it('pages a 5,000-item page within the budget, and the next page keeps the same refs', async () => {
    await open('/large?n=5000');
    const first = await browser.ok<Snapshot>('puppeteer_snapshot');
    expect(first.truncated).toBe(true);
    expect(Buffer.byteLength(first.text)).toBeLessThanOrEqual(64 * 1024);
    expect(first.totalLines).toBeGreaterThan(5000);
    expect(first.text).toContain(`call again with offset ${first.nextOffset}`);
    expect(first.nextOffset).toBe(first.lines);
    const second = await browser.ok<Snapshot>('puppeteer_snapshot', { offset: first.nextOffset });
    const refs = (snapshot: string) =>
      [...snapshot.matchAll(/ref=e(\d+)/g)].map((match) => Number(match[1]));
    // The continuation reads the same snapshot: its refs follow on, and refs of both pages work.
    expect(Math.min(...refs(second.text))).toBeGreaterThan(Math.max(...refs(first.text)));
    await browser.ok('puppeteer_hover', { ref: `e${Math.max(...refs(first.text))}` });
    await browser.ok('puppeteer_hover', { ref: refOf(second.text, 'link "Item') });
  });

  it('sends the lines once: in the text, while the structured part says what they are', async () => {
    await open('/large?n=5000');
    const result = await browser.call('puppeteer_snapshot');
    const text = (result.content as { text: string }[])[0]!.text;
    const structured = JSON.stringify(result.structuredContent);
    expect(text.match(/\[ref=e\d+\]/g)?.length).toBeGreaterThan(1000);
    expect(structured).not.toContain('[ref=');
    expect(structured).not.toContain('Item 1');
    expect(result.structuredContent).toMatchObject({ offset: 0, truncated: true });
  });

  it('says what it cut: a 3 MB text node, a 100 KB name, the depth limit, the element limit', async () => {
    await open('/');
    const plain = await browser.ok<Snapshot>('puppeteer_snapshot');
    expect(plain.truncated).toBe(false);
    expect(plain.cuts).toBeUndefined();

    await open('/huge-text');
    const huge = await browser.ok<Snapshot>('puppeteer_snapshot');
    expect(huge.truncated).toBe(true);
    expect(huge.nextOffset).toBeUndefined();
    expect(huge.cuts).toEqual({ names: 1, texts: 1, depth: 0, elementLimit: false });
    expect(huge.text).toContain(
      '[cut: 1 name or value shortened to 200 characters; 1 text shortened to 400 characters]',
    );
    expect(huge.text).toMatch(/- button "Press y+…" \[ref=e\d+\]/);

    await open('/large?n=300');
    const shallow = await browser.ok<Snapshot>('puppeteer_snapshot', { depth: 0 });
    expect(shallow.truncated).toBe(true);
    expect(shallow.cuts).toMatchObject({ depth: 1, elementLimit: false });
    expect(shallow.text).toContain('1 element at the depth limit summarised');

    await open('/large?n=25100');
    const over = await browser.ok<Snapshot>('puppeteer_snapshot');
    expect(over.cuts).toMatchObject({ elementLimit: true });
    expect(over.text).toContain('elements beyond what one snapshot reads left out');
  });

  it('reads one subtree with root and summarises below depth', async () => {
    await open('/large?n=300');
    const section = await browser.ok<Snapshot>('puppeteer_snapshot', { root: '#first' });
    expect(section.text).toContain('button "First button"');
    expect(section.text).not.toContain('Item 1');
    const shallow = await browser.ok<Snapshot>('puppeteer_snapshot', { depth: 0 });
    expect(shallow.text).toMatch(
      /- list \[ref=e\d+\] \(\d+ nodes inside; pass this ref as root to see them\)/,
    );
    const list = refOf(shallow.text, '- list');
    const inside = await browser.ok<Snapshot>('puppeteer_snapshot', { root: list, maxBytes: 2048 });
    expect(inside.text).toContain('link "Item 0"');
    expect(inside.truncated).toBe(true);
  });

  it('reads and acts inside an iframe', async () => {
    await open(`/frame?to=${encodeURIComponent('/form')}`);
    const { text: snapshot } = await browser.ok<Snapshot>('puppeteer_snapshot');
    expect(snapshot).toContain('textbox "Name"');
    await browser.ok('puppeteer_fill', {
      ref: refOf(snapshot, 'textbox "Name"'),
      value: 'in the frame',
    });
    const after = await browser.ok<Snapshot>('puppeteer_snapshot');
    expect(after.text).toContain('"in the frame"');
    // A root inside the frame: its subtree, and still the page's own title.
    const inner = await browser.ok<Snapshot & { title: string }>('puppeteer_snapshot', {
      root: refOf(after.text, 'textbox "Name"'),
    });
    expect(inner.text).toMatch(/^- textbox "Name" .*\[ref=e\d+\]: "in the frame"$/m);
    expect(inner.text).not.toContain('button "Send"');
    expect(inner.title).toBe('Frames');
  });

  it('reads pages that replace JSON.stringify or give arrays a toJSON method', async () => {
    await open('/patched-json');
    const patched = await browser.ok<Snapshot>('puppeteer_snapshot');
    expect(patched.text).toMatch(/- heading "Patched" .*\[ref=e\d+\]/);
    expect(patched.text).toMatch(/- link "One link" \[ref=e\d+\]/);
    expect(patched.text).toMatch(/- button "A button" \[ref=e\d+\]/);
    await open('/patched-stringify');
    const lying = await browser.ok<Snapshot>('puppeteer_snapshot');
    expect(lying.text).toMatch(/- button "Still here" \[ref=e\d+\]/);
  });

  it('acts on nothing when the page takes the elements a snapshot kept, and says so', async () => {
    await open('/form');
    const submitted = site.hits.get('/submitted') ?? 0;
    const first = await browser.ok<Snapshot>('puppeteer_snapshot');
    const send = refOf(first.text, 'button "Send"');
    // The page finds where the walk kept its elements, empties it and keeps it for itself.
    await browser.ok('puppeteer_evaluate', {
      script: `for (const name of Object.getOwnPropertyNames(window).filter((n) => n.startsWith('plugboardRefs')))
        Object.defineProperty(window, name, { value: [document.body], configurable: false, writable: false });`,
    });
    expect(await browser.fail('puppeteer_click', { ref: send })).toContain('no longer on the page');
    const second = await browser.ok<Snapshot>('puppeteer_snapshot');
    expect(second.text).toContain('button "Send"');
    expect(
      await browser.fail('puppeteer_click', { ref: refOf(second.text, 'button "Send"') }),
    ).toContain('no longer on the page');
    expect(site.hits.get('/submitted') ?? 0).toBe(submitted);
  });

  it('says which selector matched nothing', async () => {
    await open('/');
    expect(await browser.fail('puppeteer_click', { selector: '#missing' })).toContain(
      'No element matches "#missing"',
    );
  });
});

describe('keyboard, hover and waits', () => {
  it('hovers, presses chords, types and waits for text to appear', async () => {
    await open('/interact');
    await browser.ok('puppeteer_hover', { selector: '#menu' });
    await browser.ok('puppeteer_wait_for', { text: 'hovered' });
    await browser.ok('puppeteer_press_key', { key: 'Control+a', selector: '#keys' });
    await browser.ok('puppeteer_wait_for', { text: 'key a ctrl' });
    await browser.ok('puppeteer_type', { text: 'xyz', selector: '#keys' });
    await browser.ok('puppeteer_wait_for', { text: 'key z', textGone: 'hovered' });
    await browser.ok('puppeteer_click', { selector: '#later' });
    const waited = await browser.ok('puppeteer_wait_for', {
      text: 'ready now',
      selector: '#status',
      state: 'visible',
      networkIdle: true,
    });
    expect(waited.text).toContain('the text "ready now" is shown');
    // One statement of the timeout, with the call's own limit (not the server's), and no
    // puppeteer prefix under ours.
    const late = await browser.fail('puppeteer_wait_for', { text: 'never shown', timeoutMs: 300 });
    expect(late).toMatch(/^Timed out after 0\.3 s: /);
    expect(late).not.toMatch(/Waiting failed|exceeded/);
    expect(await browser.fail('puppeteer_press_key', { key: 'NoSuchKey' })).toContain(
      'Unknown key',
    );
  });

  it('waits for network idle on a page after leaving one with a request still open', async () => {
    await open('/pending-fetch');
    await waitFor(() => (site.hits.get('/hang') ?? 0) > 0);
    await open('/second');
    const waited = await browser.ok('puppeteer_wait_for', { networkIdle: true, timeoutMs: 5000 });
    expect(waited.text).toContain('the network is idle');
  });

  it('types into a form and submits with Enter', async () => {
    await open('/form');
    const typed = await browser.ok('puppeteer_type', {
      text: 'Grace',
      selector: '#name',
      submit: true,
    });
    expect(typed.text).toContain('/submitted?name=Grace');
  });
});

describe('dialogs', () => {
  it('dismisses an unexpected alert and says so in the result', async () => {
    await open('/dialogs');
    const result = await browser.ok('puppeteer_click', { selector: '#alert' });
    expect(result.text).toContain(
      'showed an alert dialog "plain alert"; it was dismissed automatically',
    );
  });

  it('answers a prompt and a confirm as armed', async () => {
    await open('/dialogs');
    await browser.ok('puppeteer_handle_dialog', { accept: true, promptText: 'Ada' });
    await browser.ok('puppeteer_click', { selector: '#prompt' });
    await browser.ok('puppeteer_wait_for', { text: 'prompt: Ada' });
    await browser.ok('puppeteer_handle_dialog', { accept: false });
    await browser.ok('puppeteer_click', { selector: '#confirm' });
    await browser.ok('puppeteer_wait_for', { text: 'confirm: false' });
    const history = await browser.ok<{
      recent: { type: string; outcome: string; automatic: boolean }[];
    }>('puppeteer_handle_dialog', { accept: true });
    expect(history.recent.slice(-2)).toEqual([
      { type: 'prompt', message: 'Your name?', outcome: 'accepted', automatic: false },
      { type: 'confirm', message: 'Sure?', outcome: 'dismissed', automatic: false },
    ]);
    // Disarm for the tests that follow.
    await browser.ok('puppeteer_click', { selector: '#alert' });
  });
});

describe('tabs', () => {
  it('opens, lists, selects and closes tabs, and adopts popups', async () => {
    await open('/');
    const opened = await browser.ok<{ tab: string }>('puppeteer_open_tab', {
      url: `${site.url}/second`,
    });
    const listed = await browser.ok<{ current: string; tabs: { id: string; url: string }[] }>(
      'puppeteer_list_tabs',
    );
    expect(listed.current).toBe(opened.tab);
    expect(listed.tabs.map((tab) => tab.url)).toEqual(
      expect.arrayContaining([`${site.url}/`, `${site.url}/second`]),
    );
    const first = listed.tabs.find((tab) => tab.url === `${site.url}/`)!.id;
    await browser.ok('puppeteer_select_tab', { tab: first });
    await browser.ok('puppeteer_navigate', { url: `${site.url}/popups` });
    const popup = await browser.ok('puppeteer_click', { selector: '#one' });
    expect(popup.text).toMatch(/A new tab t\d+ opened \(a popup\)/);
    const withPopup = await browser.ok<{ tabs: { id: string; url: string }[] }>(
      'puppeteer_list_tabs',
    );
    for (const tab of withPopup.tabs.filter((candidate) => candidate.id !== first)) {
      await browser.ok('puppeteer_close_tab', { tab: tab.id });
    }
    const left = await browser.ok<{ current: string; tabs: unknown[] }>('puppeteer_list_tabs');
    expect(left).toMatchObject({ current: first, tabs: [expect.anything()] });
    expect(await browser.fail('puppeteer_select_tab', { tab: 't999' })).toContain(
      'There is no tab t999',
    );
  });
});

describe('console, network and resources', () => {
  it('lists console messages and uncaught errors, and serves them as console://logs', async () => {
    await open('/console');
    await browser.ok('puppeteer_wait_for', { networkIdle: true });
    const all = await browser.ok<{ messages: { level: string; text: string }[] }>(
      'puppeteer_list_console_messages',
    );
    expect(all.messages).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ tab: expect.any(String), level: 'log', text: 'log line' }),
        expect.objectContaining({ tab: expect.any(String), level: 'warn', text: 'warn line' }),
        expect.objectContaining({ tab: expect.any(String), level: 'error', text: 'error line' }),
      ]),
    );
    const errors = await waitFor(async () => {
      const listed = await browser.ok<{ messages: { level: string; text: string }[] }>(
        'puppeteer_list_console_messages',
        { level: 'error' },
      );
      return listed.messages.some((message) => message.level === 'pageerror') ? listed : undefined;
    });
    expect(errors.messages.every((message) => ['error', 'pageerror'].includes(message.level))).toBe(
      true,
    );
    const resource = await browser.client.readResource({ uri: 'console://logs' });
    expect(resource.contents[0]).toMatchObject({ uri: 'console://logs', mimeType: 'text/plain' });
    expect((resource.contents[0] as { text: string }).text).toContain('[warn] warn line');
  });

  it('lists network requests with status and failures', async () => {
    await open(`/img?to=${encodeURIComponent('/missing.png')}`);
    const listed = await browser.ok<{ requests: { url: string; status?: number; type: string }[] }>(
      'puppeteer_list_network_requests',
      { failedOnly: true },
    );
    expect(listed.requests).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ url: `${site.url}/missing.png`, status: 404, type: 'image' }),
      ]),
    );
    const filtered = await browser.ok<{ requests: { url: string }[] }>(
      'puppeteer_list_network_requests',
      { filter: '/img?' },
    );
    expect(filtered.requests.map((request) => request.url)).toEqual([
      `${site.url}/img?to=%2Fmissing.png`,
    ]);
  });
});

describe('console source locations and stacks', () => {
  type Messages = {
    messages: { level: string; text: string; location?: string; stack?: string[] }[];
  };

  it('gives the url:line:column of a message, and the stack of an error and of an uncaught throw', async () => {
    await open('/stack');
    const listed = await waitFor(async () => {
      const found = await browser.ok<Messages>('puppeteer_list_console_messages', {
        level: 'error',
      });
      return found.messages.some((message) => message.text.includes('thrown problem'))
        ? found
        : undefined;
    });
    const logged = listed.messages.find((message) => message.text === 'reported problem')!;
    expect(logged.location).toBe(`${site.url}/stack.js:2:11`);
    expect(logged.stack?.[0]).toBe(`at ${site.url}/stack.js:2:11`);
    expect(logged.stack).toHaveLength(2);
    const thrown = listed.messages.find((message) => message.text.includes('thrown problem'))!;
    expect(thrown.level).toBe('pageerror');
    expect(thrown.text).toContain('thrown problem');
    expect(thrown.location).toBe(`${site.url}/stack.js:5:9`);
    expect(thrown.stack?.[0]).toBe(`at failLater (${site.url}/stack.js:5:9)`);
    expect(thrown.stack?.[1]).toMatch(/^at tick \(http:\/\/127\.0\.0\.1:\d+\/stack\.js:8:\d+\)$/);
    expect(listed.text).toContain(`[error] reported problem (${site.url}/stack.js:2:11)`);
    expect(listed.text).toContain(`\n    at failLater (${site.url}/stack.js:5:9)`);
  });
});

describe('one network request in full', () => {
  type Listed = { requests: { id: string; url: string; status?: number; type: string }[] };
  type Detail = {
    status?: number;
    method: string;
    requestHeaders: Record<string, string>;
    responseHeaders: Record<string, string>;
    requestBody?: string;
    durationMs?: number;
    body: { kind: string; text?: string; bytes?: number; mimeType?: string; nextOffset?: number };
    truncated: boolean;
  };
  const value = (headers: Record<string, string>, name: string) => headers[name];

  async function requestTo(path: string): Promise<string> {
    const listed = await browser.ok<Listed>('puppeteer_list_network_requests', { filter: path });
    const found = listed.requests.find((request) => request.url === `${site.url}${path}`);
    expect(found, path).toBeDefined();
    return found!.id;
  }

  beforeAll(async () => {
    await open('/network');
    await browser.ok('puppeteer_wait_for', { text: 'requests done' });
  });

  it('shows status, headers with credentials masked, timing and a JSON body', async () => {
    const detail = await browser.ok<Detail>('puppeteer_get_network_request', {
      id: await requestTo('/api/json'),
    });
    expect(detail.status).toBe(200);
    expect(value(detail.requestHeaders, 'authorization')).toBe('Bearer <masked>');
    expect(value(detail.responseHeaders, 'set-cookie')).toBe(
      'token=<masked>; Path=/; SameSite=Lax',
    );
    expect(value(detail.responseHeaders, 'x-fixture')).toBe('visible');
    expect(detail.body).toMatchObject({ kind: 'text', mimeType: 'application/json' });
    expect(JSON.parse(detail.body.text!)).toEqual({ items: [1, 2, 3], name: 'fixture' });
    expect(detail.durationMs).toBeGreaterThanOrEqual(0);
    expect(detail.text).not.toContain('topsecret-token');
    expect(detail.text).not.toContain('server-secret-value');
    const cookie = await browser.ok<Detail>('puppeteer_get_network_request', {
      id: await requestTo('/api/text'),
    });
    expect(value(cookie.requestHeaders, 'cookie')).toBe('sid=<masked>; token=<masked>');
  });

  it('pages a long text body within the budget, describes binary and empty bodies, shows what was posted', async () => {
    const id = await requestTo('/api/text');
    const first = await browser.ok<Detail>('puppeteer_get_network_request', { id, maxBytes: 4096 });
    expect(first.truncated).toBe(true);
    expect(Buffer.byteLength(first.text)).toBeLessThanOrEqual(64 * 1024);
    expect(first.body.text).toMatch(/^line 0 t+\n/);
    const second = await browser.ok<Detail>('puppeteer_get_network_request', {
      id,
      bodyOffset: first.body.nextOffset,
    });
    expect(first.body.text! + second.body.text!).toMatch(/line 100 t+\nline 101/);
    const binary = await browser.ok<Detail>('puppeteer_get_network_request', {
      id: await requestTo('/api/binary'),
    });
    expect(binary.body).toMatchObject({ kind: 'binary', mimeType: 'image/png' });
    expect(binary.body.bytes).toBeGreaterThan(0);
    expect(binary.body.text).toBeUndefined();
    const missing = await browser.ok<Detail>('puppeteer_get_network_request', {
      id: await requestTo('/api/none'),
    });
    expect(missing.status).toBe(404);
    const posted = await browser.ok<Detail>('puppeteer_get_network_request', {
      id: await requestTo('/api/echo'),
    });
    expect(posted.method).toBe('POST');
    expect(posted.requestBody).toBe('{"q":"posted"}');
  });

  it('filters the list by resource type and status', async () => {
    const fetches = await browser.ok<Listed>('puppeteer_list_network_requests', {
      resourceType: ['fetch'],
      filter: '/api/',
    });
    expect(fetches.requests.length).toBe(5);
    expect(fetches.requests.every((request) => request.type === 'fetch')).toBe(true);
    const notFound = await browser.ok<Listed>('puppeteer_list_network_requests', {
      status: '4xx',
      filter: '/api/',
    });
    expect(notFound.requests.map((request) => request.url)).toEqual([`${site.url}/api/none`]);
    expect(await browser.fail('puppeteer_get_network_request', { id: 'r999999' })).toContain(
      'no request r999999',
    );
  });
});

describe('cookies and storage of the current origin', () => {
  type Storage = {
    origin: string;
    cookies: { name: string; value: string; httpOnly: boolean }[];
    localStorage: { key: string; value: string }[];
    sessionStorage: { key: string; value: string }[];
  };

  it('reads cookies (HttpOnly values masked) and storage, and sets and deletes what the page and server then see', async () => {
    await open('/storage');
    const first = await browser.ok<Storage>('puppeteer_get_storage');
    expect(first.origin).toBe(site.url);
    expect(first.cookies).toContainEqual(
      expect.objectContaining({ name: 'hidden', value: '<masked>', httpOnly: true }),
    );
    expect(first.text).not.toContain('http-only-secret');

    await browser.ok('puppeteer_set_storage', {
      store: 'localStorage',
      name: 'colour',
      value: 'teal',
    });
    await browser.ok('puppeteer_set_storage', {
      store: 'sessionStorage',
      name: 'step',
      value: '2',
    });
    await browser.ok('puppeteer_set_storage', { store: 'cookies', name: 'theme', value: 'dark' });
    await browser.ok('puppeteer_reload');
    // Other tests' cookies of this origin may come first in document.cookie.
    await browser.ok('puppeteer_wait_for', { text: 'local=teal session=2 cookie=' });
    await browser.ok('puppeteer_wait_for', { text: 'theme=dark' });
    expect(site.lastHeaders.get('/storage')?.cookie).toContain('theme=dark');
    const read = await browser.ok<Storage>('puppeteer_get_storage', { key: 'colo' });
    expect(read.localStorage).toEqual([{ key: 'colour', value: 'teal' }]);
    expect(read.sessionStorage).toEqual([]);
    expect(read.cookies).toEqual([]);

    await browser.ok('puppeteer_set_storage', { store: 'cookies', name: 'theme', delete: true });
    await browser.ok('puppeteer_set_storage', {
      store: 'localStorage',
      name: 'colour',
      delete: true,
    });
    await browser.ok('puppeteer_reload');
    await browser.ok('puppeteer_wait_for', { text: 'local=null session=2 cookie=' });
    await browser.ok('puppeteer_wait_for', { textGone: 'theme=dark' });
    expect(site.lastHeaders.get('/storage')?.cookie).not.toContain('theme=');
    expect(
      await browser.fail('puppeteer_set_storage', { store: 'localStorage', name: 'x' }),
    ).toContain('give a value');
  });

  it('refuses on a page that has no web origin', async () => {
    await browser.ok('puppeteer_navigate', { url: 'about:blank' });
    expect(await browser.fail('puppeteer_get_storage')).toContain('open an http or https page');
  });
});

describe('screenshots and PDF', () => {
  it('captures the viewport, an element and a scaled full page, each stored as a resource', async () => {
    await open('/form');
    const before = notifications.filter(
      (method) => method === 'notifications/resources/list_changed',
    ).length;
    const viewport = await browser.call('puppeteer_screenshot', {
      name: 'form',
      width: 640,
      height: 480,
    });
    expect(viewport.structuredContent).toMatchObject({
      name: 'form',
      uri: 'screenshot://form',
      mimeType: 'image/png',
      width: 640,
      height: 480,
    });
    expect(viewport.content[1]).toMatchObject({ type: 'image', mimeType: 'image/png' });
    const { text: snapshot } = await browser.ok<Snapshot>('puppeteer_snapshot');
    const element = await browser.ok<{ width: number; height: number }>('puppeteer_screenshot', {
      name: 'button',
      ref: refOf(snapshot, 'button "Send"'),
    });
    expect(element.width).toBeLessThan(200);
    const half = await browser.ok<{ width: number }>('puppeteer_screenshot', {
      name: 'half',
      scale: 0.5,
      format: 'jpeg',
    });
    expect(half.width).toBe(320);
    const encoded = await browser.call('puppeteer_screenshot', { name: 'encoded', encoded: true });
    expect(textOf(encoded)).toContain('data:image/png;base64,iVBOR');
    const read = await browser.client.readResource({ uri: 'screenshot://form' });
    expect(read.contents[0]).toMatchObject({ uri: 'screenshot://form', mimeType: 'image/png' });
    expect(
      Buffer.from((read.contents[0] as { blob: string }).blob, 'base64')
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    const listed = await browser.client.listResources();
    expect(listed.resources.map((resource) => resource.uri)).toEqual(
      expect.arrayContaining(['console://logs', 'screenshot://form', 'screenshot://half']),
    );
    await waitFor(
      () =>
        notifications.filter((method) => method === 'notifications/resources/list_changed').length >
        before,
    );
  });

  it('cuts a full-page capture of a 200,000-pixel page at the height cap', async () => {
    await open('/tall?h=200000');
    const tall = await browser.ok<{ height: number; cut: boolean; bytes: number }>(
      'puppeteer_screenshot',
      { name: 'tall', fullPage: true, width: 400, height: 300 },
    );
    expect(tall).toMatchObject({ height: 16_384, cut: true });
    expect(tall.bytes).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(tall.text).toContain('only the top was captured');
  });

  it('prints the page to PDF as an embedded resource', async () => {
    await open('/second');
    const result = await browser.call('puppeteer_save_pdf', { name: 'second' });
    expect(result.structuredContent).toMatchObject({ name: 'second', uri: 'pdf://second' });
    const block = result.content[1] as {
      type: string;
      resource: { mimeType: string; blob: string };
    };
    expect(block.resource.mimeType).toBe('application/pdf');
    expect(Buffer.from(block.resource.blob, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    const read = await browser.client.readResource({ uri: 'pdf://second' });
    expect(read.contents[0]).toMatchObject({ mimeType: 'application/pdf' });
  });

  it('stops printing when the call is cancelled, and keeps no PDF of it', async () => {
    // Hundreds of pages of text: printing takes seconds, and the PDF (about 3 MiB) stays under the cap.
    await open('/large?n=3000');
    const controller = new AbortController();
    const printing = browser.client.callTool(
      { name: 'puppeteer_save_pdf', arguments: { name: 'cancelled' } },
      undefined,
      { signal: controller.signal },
    );
    // Cancelled once the call has reached the server (the SDK sends notifications/cancelled).
    await new Promise((resolve) => setTimeout(resolve, 300));
    controller.abort();
    await expect(printing).rejects.toThrow();
    // The next call on the tab runs after the cancelled one has let go of it.
    await open('/second');
    const listed = await browser.client.listResources();
    expect(listed.resources.map((resource) => resource.uri)).not.toContain('pdf://cancelled');
    const printed = await browser.ok<{ name: string }>('puppeteer_save_pdf', { name: 'after' });
    expect(printed.name).toBe('after');
  });
});

describe('uploads and evaluate', () => {
  it('uploads files from the upload directory, by relative and absolute path', async () => {
    await open('/upload');
    await browser.ok('puppeteer_upload_file', { selector: '#one', paths: ['report.txt'] });
    await browser.ok('puppeteer_wait_for', { text: 'report.txt:12' });
    await browser.ok('puppeteer_upload_file', {
      selector: '#many',
      paths: [join(uploads.path, 'report.txt'), 'more/b.txt'],
    });
    await browser.ok('puppeteer_wait_for', { text: 'report.txt:12,b.txt:1' });
    expect(
      await browser.fail('puppeteer_upload_file', {
        selector: '#one',
        paths: ['report.txt', 'more/b.txt'],
      }),
    ).toContain('takes one file');
  });

  it('evaluates a script and returns its JSON result and console output', async () => {
    await open('/');
    const result = await browser.ok<{ json: string; console: string[] }>('puppeteer_evaluate', {
      script: "console.log('from script'); ({ title: document.title, n: 1 + 1 })",
    });
    expect(JSON.parse(result.json)).toEqual({ title: 'Fixture home', n: 2 });
    expect(result.console).toEqual(['[log] from script']);
    expect(result.text).toContain('Execution result:');
    // Whatever the script throws is its own failure, said once, not a bug of the server.
    expect(await browser.fail('puppeteer_evaluate', { script: 'throw new Error("nope")' })).toBe(
      'Script execution failed: nope',
    );
    expect(await browser.fail('puppeteer_evaluate', { script: 'missing()' })).toBe(
      'Script execution failed: missing is not defined',
    );
  });
});
