/**
 * @module
 * The browser stop, run whenever a Chromium is present (the server needs no credentials): a page
 * served by the demo itself on loopback, read as a snapshot, a click on the button by the ref the
 * snapshot gave it, and a navigation to a private address that the server's URL policy refuses.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Showcase } from '../showcase.js';
import { findChromium } from './chromium.js';

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Demo shop</title></head><body>
<h1>Demo shop</h1>
<p>A page the demo serves on loopback for the browser server to read.</p>
<label>Coupon <input id="coupon" value="SPRING"></label>
<button onclick="document.getElementById('out').textContent = 'Coupon ' + document.getElementById('coupon').value + ' applied'">Apply coupon</button>
<p id="out">No coupon yet</p>
</body></html>`;

/** A private address: the policy refuses it before any connection is made. */
const PRIVATE_URL = 'http://192.168.0.1/admin';

function textOf(result: CallToolResult | undefined): string {
  return (result?.content ?? [])
    .map((block) => (block.type === 'text' ? block.text : ''))
    .join('\n');
}

export const browserShowcase: Showcase = {
  name: 'browser',
  packageName: '@plugboard/server-puppeteer',
  folder: 'servers/puppeteer',
  summary:
    'A headless Chromium that reads pages as text and cannot be turned against your network.',
  unavailable() {
    const search = findChromium();
    return search.found ? undefined : search.reason;
  },
  async prepare() {
    const search = findChromium();
    if (!search.found) throw new Error(search.reason);
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    return {
      args: [],
      env: { PUPPETEER_EXECUTABLE_PATH: search.path },
      notes: [`browser: ${search.path}`, `page: ${url} (served by the demo)`],
      async run(session) {
        await session.call('puppeteer_navigate', { url }, 'Open the page the demo serves.');
        const snapshot = await session.call(
          'puppeteer_snapshot',
          {},
          'The page as text, one line per element, each with a ref.',
        );
        const ref = /button "Apply coupon" \[ref=(e\d+)\]/.exec(textOf(snapshot))?.[1];
        if (ref === undefined) throw new Error('the snapshot has no "Apply coupon" button');
        await session.call('puppeteer_click', { ref }, `Click the button by its ref, ${ref}.`);
        await session.call('puppeteer_wait_for', { text: 'applied' }, 'The page changed.');
        await session.call(
          'puppeteer_navigate',
          { url: PRIVATE_URL },
          'A private address: the URL policy must refuse it.',
        );
      },
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  },
};
