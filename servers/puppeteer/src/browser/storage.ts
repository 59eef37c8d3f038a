/**
 * @module
 * Cookies and Web Storage of the page's current origin, and nothing else: cookies are read for
 * the page's URL and set with that URL (so Chromium scopes them to its host), storage is read and
 * written in the page's own context. HttpOnly cookie values, which the site hides even from its
 * own scripts, are masked unless the operator passed --show-secret-headers. Everything read is
 * untrusted content, cleaned and capped.
 */
import { ToolError } from '@plugboard/protocol';
import type { CDPSession, Page } from 'puppeteer-core';
import { MASK } from './headers.js';
import { cleanLine } from './untrusted.js';

export type WebStore = 'localStorage' | 'sessionStorage';

export interface CookieView {
  readonly name: string;
  readonly value: string;
  readonly domain: string;
  readonly path: string;
  /** Seconds since the epoch; absent for a session cookie. */
  readonly expires?: number;
  readonly httpOnly: boolean;
  readonly secure: boolean;
  readonly sameSite?: string;
}

export interface StorageEntry {
  readonly key: string;
  readonly value: string;
}

export interface CookieInput {
  readonly name: string;
  readonly value: string;
  readonly httpOnly?: boolean | undefined;
  readonly secure?: boolean | undefined;
  readonly sameSite?: 'Strict' | 'Lax' | 'None' | undefined;
}

const VALUE_MAX = 4000;
const ENTRIES_MAX = 500;

/** The page's URL when it is an http(s) page; a ToolError otherwise. */
export function currentOrigin(page: Page): URL {
  const url = new URL(page.url());
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ToolError(
      'Cookies and storage belong to a web page: open an http or https page first (puppeteer_navigate).',
    );
  return url;
}

async function withCdp<T>(page: Page, work: (cdp: CDPSession) => Promise<T>): Promise<T> {
  const cdp = await page.createCDPSession();
  try {
    return await work(cdp);
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

export async function readCookies(page: Page, showSecrets: boolean): Promise<CookieView[]> {
  const url = currentOrigin(page);
  const { cookies } = await withCdp(page, (cdp) =>
    cdp.send('Network.getCookies', { urls: [url.href] }),
  );
  return cookies.slice(0, ENTRIES_MAX).map((cookie) => ({
    name: cleanLine(cookie.name, 200),
    value: cookie.httpOnly && !showSecrets ? MASK : cleanLine(cookie.value, VALUE_MAX),
    domain: cleanLine(cookie.domain, 300),
    path: cleanLine(cookie.path, 300),
    ...(cookie.session ? {} : { expires: Math.round(cookie.expires) }),
    httpOnly: cookie.httpOnly,
    secure: cookie.secure,
    ...(cookie.sameSite === undefined ? {} : { sameSite: cookie.sameSite }),
  }));
}

/** Sets a session cookie on path / for the current page's host (host-only, as the page could). */
export async function setCookie(page: Page, cookie: CookieInput): Promise<void> {
  const url = currentOrigin(page);
  const refused = (): ToolError =>
    new ToolError(
      `The browser refused the cookie ${JSON.stringify(cookie.name)} for ${url.origin} (a Secure or SameSite=None cookie needs an https page).`,
    );
  await withCdp(page, (cdp) =>
    cdp.send('Network.setCookie', {
      url: url.href,
      name: cookie.name,
      value: cookie.value,
      path: '/',
      ...(cookie.httpOnly === undefined ? {} : { httpOnly: cookie.httpOnly }),
      ...(cookie.secure === undefined ? {} : { secure: cookie.secure }),
      ...(cookie.sameSite === undefined ? {} : { sameSite: cookie.sameSite }),
    }),
  ).catch(() => {
    throw refused();
  });
  // Chromium may accept the call and still drop the cookie: check that it is there.
  const stored = await readCookies(page, true);
  if (!stored.some((found) => found.name === cookie.name)) throw refused();
}

export async function deleteCookie(page: Page, name: string): Promise<void> {
  const url = currentOrigin(page);
  await withCdp(page, (cdp) => cdp.send('Network.deleteCookies', { name, url: url.href }));
}

/** Every entry of one store of the page's origin, cleaned and capped. */
export async function readStore(page: Page, store: WebStore): Promise<StorageEntry[]> {
  currentOrigin(page);
  const entries = await page.evaluate(
    (which, max) => {
      const area = which === 'localStorage' ? window.localStorage : window.sessionStorage;
      const found: [string, string][] = [];
      for (let i = 0; i < area.length && found.length < max; i++) {
        const key = area.key(i);
        if (key !== null) found.push([key, area.getItem(key) ?? '']);
      }
      return found;
    },
    store,
    ENTRIES_MAX,
  );
  return entries.map(([key, value]) => ({
    key: cleanLine(key, 500),
    value: cleanLine(value, VALUE_MAX),
  }));
}

/** Sets (`value` given) or removes (`value` undefined) one entry of the page's origin. */
export async function writeStore(
  page: Page,
  store: WebStore,
  key: string,
  value: string | undefined,
): Promise<void> {
  currentOrigin(page);
  await page.evaluate(
    (which, name, next) => {
      const area = which === 'localStorage' ? window.localStorage : window.sessionStorage;
      if (next === null) area.removeItem(name);
      else area.setItem(name, next);
    },
    store,
    key,
    value ?? null,
  );
}
