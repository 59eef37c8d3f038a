/**
 * @module
 * Cookies, localStorage and sessionStorage of the current page's origin: one tool reads all three
 * (within the budget), one sets or deletes one entry. Nothing reaches another origin's state:
 * cookies are read and set for the page's URL, storage in the page itself.
 */
import { structured, takeWithinBudget, text, ToolError, utf8Length } from '@plugboard/protocol';
import { z } from 'zod';
import {
  currentOrigin,
  deleteCookie,
  readCookies,
  readStore,
  setCookie,
  writeStore,
  type CookieView,
  type StorageEntry,
} from '../browser/storage.js';
import { provenance } from '../browser/untrusted.js';
import { defineTool } from '../context.js';
import { withTab, PAGE } from './common.js';

const STORES = ['cookies', 'localStorage', 'sessionStorage'] as const;

const entry = z.object({ key: z.string(), value: z.string() });
const cookie = z.object({
  name: z.string(),
  value: z.string(),
  domain: z.string(),
  path: z.string(),
  expires: z.number().int().optional(),
  httpOnly: z.boolean(),
  secure: z.boolean(),
  sameSite: z.string().optional(),
});

const storageOutput = z.object({
  origin: z.string(),
  cookies: z.array(cookie),
  localStorage: z.array(entry),
  sessionStorage: z.array(entry),
  truncated: z.boolean().describe('Entries were left out; narrow with stores or key'),
});

type StorageOutput = z.infer<typeof storageOutput>;

export const getStorage = defineTool({
  name: 'puppeteer_get_storage',
  title: 'Read cookies and storage',
  description:
    "Read the current page origin's cookies, localStorage and sessionStorage (untrusted page data; HttpOnly cookie values masked).",
  input: z.object({
    stores: z.array(z.enum(STORES)).min(1).optional().describe('Which to read (default all three)'),
    key: z.string().min(1).max(500).optional().describe('Only names containing this text'),
  }),
  output: storageOutput,
  auditTarget: ['key'],
  annotations: PAGE.READ,
  async run({ stores, key }, ctx) {
    return withTab(ctx, async (tab) => {
      const origin = currentOrigin(tab.page).origin;
      const wanted = new Set(stores ?? STORES);
      const named = <T>(items: T[], name: (item: T) => string): T[] =>
        key === undefined ? items : items.filter((item) => name(item).includes(key));
      const cookies = wanted.has('cookies')
        ? named(await readCookies(tab.page, ctx.config.showSecretHeaders), (c) => c.name)
        : [];
      const local = wanted.has('localStorage')
        ? named(await readStore(tab.page, 'localStorage'), (e) => e.key)
        : [];
      const session = wanted.has('sessionStorage')
        ? named(await readStore(tab.page, 'sessionStorage'), (e) => e.key)
        : [];
      // One budget for all three, in order.
      let room = ctx.config.outputBudget - 2048;
      let truncated = false;
      const fit = <T>(items: T[], size: (item: T) => number): T[] => {
        const within = takeWithinBudget(items, Math.max(0, room), size);
        const kept = room <= 0 ? [] : within.items;
        truncated ||= kept.length < items.length;
        room -= kept.reduce((sum, item) => sum + size(item), 0);
        return kept;
      };
      const cookieSize = (c: CookieView) => utf8Length(c.name + c.value + c.domain + c.path) + 80;
      const entrySize = (e: StorageEntry) => utf8Length(e.key + e.value) + 20;
      const data: StorageOutput = {
        origin,
        cookies: fit(cookies, cookieSize),
        localStorage: fit(local, entrySize),
        sessionStorage: fit(session, entrySize),
        truncated,
      };
      const flags = (
        c: Pick<CookieView, 'httpOnly' | 'secure'> & { sameSite?: string | undefined },
      ) =>
        [c.httpOnly ? 'HttpOnly' : '', c.secure ? 'Secure' : '', c.sameSite ?? '']
          .filter((part) => part !== '')
          .join(' ');
      const section = (title: (typeof STORES)[number], lines: string[]) =>
        wanted.has(title) ? [`${title}:`, ...(lines.length === 0 ? ['  (none)'] : lines)] : [];
      const entries = (list: readonly StorageEntry[]) =>
        list.map((e) => `  ${JSON.stringify(e.key)}: ${JSON.stringify(e.value)}`);
      const lines = [
        provenance(origin),
        ...section(
          'cookies',
          data.cookies.map(
            (c) => `  ${c.name}=${JSON.stringify(c.value)} (${c.domain}${c.path}) ${flags(c)}`,
          ),
        ),
        ...section('localStorage', entries(data.localStorage)),
        ...section('sessionStorage', entries(data.sessionStorage)),
        ...(truncated ? ['[truncated: narrow with stores or key to see the rest]'] : []),
      ];
      return structured(data, lines.join('\n'));
    });
  },
});

export const setStorage = defineTool({
  name: 'puppeteer_set_storage',
  title: 'Set or delete a cookie or storage entry',
  description:
    "Set or delete one cookie (for the page's own host), localStorage or sessionStorage entry of the current page's origin.",
  input: z.object({
    store: z.enum(STORES).describe('Where the entry lives'),
    name: z.string().min(1).max(500).describe('Cookie name or key'),
    value: z.string().max(100_000).optional().describe('The new value'),
    delete: z.boolean().optional().describe('Remove the entry instead'),
    httpOnly: z.boolean().optional().describe('Cookie attribute'),
    secure: z.boolean().optional().describe('Cookie attribute'),
    sameSite: z.enum(['Strict', 'Lax', 'None']).optional().describe('Cookie attribute'),
  }),
  auditTarget: ['store', 'name'],
  annotations: PAGE.REPLACE,
  async run(args, ctx) {
    return withTab(ctx, async (tab) => {
      const origin = currentOrigin(tab.page).origin;
      const remove = args.delete === true;
      if (!remove && args.value === undefined)
        throw new ToolError(
          `Nothing changed: give a value to set ${JSON.stringify(args.name)}, or delete: true to remove it.`,
        );
      if (args.store === 'cookies') {
        if (remove) await deleteCookie(tab.page, args.name);
        else await setCookie(tab.page, { ...args, value: args.value! });
      } else {
        await writeStore(tab.page, args.store, args.name, remove ? undefined : args.value);
      }
      const what = args.store === 'cookies' ? 'cookie' : `${args.store} entry`;
      return text(
        `${remove ? 'Deleted' : 'Set'} the ${what} ${JSON.stringify(args.name)} of ${origin}.`,
      );
    });
  },
});

export const storageTools = [getStorage, setStorage];
