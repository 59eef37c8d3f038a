/**
 * @module
 * Storage state in Playwright's `storageState` shape (`{ cookies, origins: [{ origin,
 * localStorage }] }`), so a file saved here loads in Playwright and the other way round. Export
 * takes every cookie of the browser and the localStorage of the origins open in tabs; import sets
 * the cookies and writes each origin's localStorage in a page that never reaches the network
 * (its document is answered locally), and only for origins the URL policy lets the browser open.
 */
import type { Browser, CDPSession, HTTPRequest, Page } from 'puppeteer-core';
import { z } from 'zod';
import type { UrlPolicy } from '../policy/url-policy.js';

const SAME_SITE = ['Strict', 'Lax', 'None'] as const;

const stateCookie = z.object({
  name: z.string().max(4096),
  value: z.string().max(16_384),
  domain: z.string().min(1).max(253),
  path: z.string().max(4096),
  /** Seconds since the epoch; -1 for a session cookie. */
  expires: z.number(),
  httpOnly: z.boolean(),
  secure: z.boolean(),
  sameSite: z.enum(SAME_SITE),
});

const stateOrigin = z.object({
  origin: z.string().max(2048),
  localStorage: z.array(z.object({ name: z.string(), value: z.string() })).max(10_000),
});

export const storageStateSchema = z.object({
  cookies: z.array(stateCookie).max(10_000),
  origins: z.array(stateOrigin).max(1000),
});

export type StorageState = z.infer<typeof storageStateSchema>;

async function withBrowserCdp<T>(
  browser: Browser,
  work: (cdp: CDPSession) => Promise<T>,
): Promise<T> {
  const cdp = await browser.target().createCDPSession();
  try {
    return await work(cdp);
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

function webOrigin(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

/** Every cookie of the browser, and the localStorage of each http(s) origin open in `pages`. */
export async function exportStorageState(
  browser: Browser,
  pages: readonly Page[],
): Promise<StorageState> {
  const { cookies } = await withBrowserCdp(browser, (cdp) => cdp.send('Storage.getCookies'));
  const origins = new Map<string, StorageState['origins'][number]>();
  for (const page of pages) {
    const origin = webOrigin(page.url());
    if (origin === undefined || origins.has(origin)) continue;
    const localStorage = await page
      .evaluate(() =>
        Object.keys(window.localStorage).map((name) => ({
          name,
          value: window.localStorage.getItem(name) ?? '',
        })),
      )
      .catch(() => []);
    origins.set(origin, { origin, localStorage });
  }
  return {
    cookies: cookies.map((cookie) => ({
      name: cookie.name,
      value: cookie.value,
      domain: cookie.domain,
      path: cookie.path,
      expires: cookie.session ? -1 : cookie.expires,
      httpOnly: cookie.httpOnly,
      secure: cookie.secure,
      // Chromium treats a cookie without the attribute as Lax, and Playwright writes it so.
      sameSite: cookie.sameSite ?? 'Lax',
    })),
    origins: [...origins.values()],
  };
}

export interface ImportOutcome {
  readonly cookies: number;
  /** Origins whose localStorage was written. */
  readonly origins: readonly string[];
  /** Origins left alone, each with the policy's reason. */
  readonly refused: readonly { origin: string; reason: string }[];
}

/** Answers the document request locally and refuses everything else, so nothing leaves. */
function answerLocally(request: HTTPRequest): void {
  const done =
    request.isNavigationRequest() && request.frame() === request.frame()?.page().mainFrame()
      ? request.respond({ status: 200, contentType: 'text/html', body: '<!doctype html>' })
      : request.abort('blockedbyclient');
  void done.catch(() => undefined);
}

async function writeLocalStorage(
  browser: Browser,
  origin: string,
  entries: StorageState['origins'][number]['localStorage'],
  timeoutMs: number,
): Promise<void> {
  const page = await browser.newPage();
  try {
    await page.setRequestInterception(true);
    page.on('request', answerLocally);
    await page.goto(`${origin}/`, { timeout: timeoutMs });
    await page.evaluate((items) => {
      for (const { name, value } of items) window.localStorage.setItem(name, value);
    }, entries);
  } finally {
    await page.close({ runBeforeUnload: false }).catch(() => undefined);
  }
}

/** Sets the cookies of `state` and the localStorage of each origin the policy allows. */
export async function importStorageState(
  browser: Browser,
  state: StorageState,
  policy: UrlPolicy,
  timeoutMs: number,
): Promise<ImportOutcome> {
  if (state.cookies.length > 0)
    await withBrowserCdp(browser, (cdp) =>
      cdp.send('Storage.setCookies', {
        cookies: state.cookies.map(({ expires, ...cookie }) => ({
          ...cookie,
          ...(expires > 0 ? { expires } : {}),
        })),
      }),
    );
  const written: string[] = [];
  const refused: { origin: string; reason: string }[] = [];
  for (const { origin, localStorage } of state.origins) {
    const canonical = webOrigin(origin);
    if (canonical === undefined) {
      refused.push({ origin, reason: 'not an http or https origin' });
      continue;
    }
    const decision = await policy.checkUrl(`${canonical}/`, { navigation: true });
    if (!decision.allowed) {
      refused.push({ origin: canonical, reason: decision.reason });
      continue;
    }
    if (localStorage.length > 0)
      await writeLocalStorage(browser, canonical, localStorage, timeoutMs);
    written.push(canonical);
  }
  return { cookies: state.cookies.length, origins: written, refused };
}
