/**
 * @module
 * What the pages did: their console messages and network requests, newest last, paged within
 * the output budget. Both come from bounded records, so a page that floods the console cannot
 * exhaust the server; listings say how much was dropped.
 */
import { structured, takeWithinBudget, utf8Length } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool, type BrowserContext } from '../context.js';

const READ = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
} as const;

const pagingFields = {
  tab: z
    .string()
    .regex(/^t\d+$/)
    .optional()
    .describe('Tab id (default: the current tab)'),
  allTabs: z.boolean().optional().describe('List entries from every tab (default false)'),
  offset: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('Skip this many matching entries, oldest first (as given by nextOffset)'),
  limit: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .optional()
    .describe('Most entries to return (default 200)'),
};

function tabFilter(
  ctx: BrowserContext,
  args: { tab?: string | undefined; allTabs?: boolean | undefined },
): (tab: string) => boolean {
  if (args.allTabs === true) return () => true;
  const wanted = args.tab ?? ctx.session.currentId();
  return (tab) => tab === wanted;
}

function page<T>(
  ctx: BrowserContext,
  items: readonly T[],
  offset: number,
  limit: number,
  size: (item: T) => number,
) {
  const window = items.slice(offset, offset + limit);
  const within = takeWithinBudget(window, ctx.config.outputBudget - 1024, size);
  const next = offset + within.items.length;
  return { shown: within.items, truncated: next < items.length, next };
}

const consoleOutput = z.object({
  messages: z.array(
    z.object({
      tab: z.string(),
      level: z.string(),
      text: z.string().describe('Untrusted page content'),
    }),
  ),
  total: z.number().int().describe('Matching messages kept'),
  dropped: z
    .number()
    .int()
    .describe('Messages from all tabs dropped because the record is bounded (oldest first)'),
  truncated: z.boolean(),
  nextOffset: z.number().int().optional().describe('Pass as offset for the next page'),
});

export const listConsoleMessages = defineTool({
  name: 'puppeteer_list_console_messages',
  title: 'List console messages',
  description:
    "List the page's console messages and uncaught errors (oldest first), optionally only errors and warnings; text is untrusted page content. The same log is the console://logs resource.",
  input: z.object({
    ...pagingFields,
    level: z
      .enum(['all', 'error', 'warning'])
      .optional()
      .describe(
        'all (default), error (errors and uncaught exceptions), or warning (warnings and errors)',
      ),
  }),
  output: consoleOutput,
  annotations: READ,
  run(args, ctx) {
    const inTab = tabFilter(ctx, args);
    const levels =
      args.level === 'error'
        ? ['error', 'pageerror']
        : args.level === 'warning'
          ? ['error', 'pageerror', 'warn', 'warning']
          : undefined;
    const ring = ctx.session.console;
    const matching = ring
      .items()
      .filter(
        (entry) => inTab(entry.tab) && (levels === undefined || levels.includes(entry.level)),
      );
    const offset = args.offset ?? 0;
    const { shown, truncated, next } = page(
      ctx,
      matching,
      offset,
      args.limit ?? 200,
      (entry) => utf8Length(entry.text) + 40,
    );
    const messages = shown.map((entry) => ({
      tab: entry.tab,
      level: entry.level,
      text: entry.text,
    }));
    const dropped = Math.max(0, ring.total - ring.items().length);
    const data: z.infer<typeof consoleOutput> = {
      messages,
      total: matching.length,
      dropped,
      truncated,
    };
    if (truncated) data.nextOffset = next;
    const lines = messages.map((entry) => `[${entry.level}] ${entry.text}`);
    const tail = [
      ...(messages.length === 0 ? ['(no console messages)'] : []),
      ...(truncated
        ? [
            `[truncated: ${offset}-${next - 1} of ${matching.length}; call again with offset ${next}]`,
          ]
        : []),
      ...(dropped > 0 ? [`[${dropped} older messages were dropped]`] : []),
    ];
    return structured(data, [...lines, ...tail].join('\n'));
  },
});

const networkOutput = z.object({
  requests: z.array(
    z.object({
      tab: z.string(),
      method: z.string(),
      url: z.string(),
      type: z.string().describe('document, script, xhr, fetch, image, ...'),
      status: z.number().int().optional(),
      failure: z.string().optional().describe('Why it failed, e.g. net::ERR_CONNECTION_REFUSED'),
      blocked: z.string().optional().describe('Why the URL policy refused it'),
    }),
  ),
  total: z.number().int(),
  truncated: z.boolean(),
  nextOffset: z.number().int().optional(),
  egressBlocked: z
    .array(z.object({ target: z.string(), reason: z.string() }))
    .describe(
      'Connections refused below the page (workers, WebSockets, service workers), from any tab',
    ),
});

export const listNetworkRequests = defineTool({
  name: 'puppeteer_list_network_requests',
  title: 'List network requests',
  description:
    "List the current tab's requests (oldest first) with method, URL, type, status, failure and URL-policy refusals; filter by URL substring or show only failed ones. Headers and bodies are not recorded.",
  input: z.object({
    ...pagingFields,
    filter: z
      .string()
      .min(1)
      .max(500)
      .optional()
      .describe('Only requests whose URL contains this text'),
    failedOnly: z.boolean().optional().describe('Only failed, refused or HTTP >= 400 requests'),
  }),
  output: networkOutput,
  annotations: READ,
  run(args, ctx) {
    const inTab = tabFilter(ctx, args);
    const matching = ctx.session.network
      .items()
      .filter((entry) => inTab(entry.tab))
      .filter((entry) => args.filter === undefined || entry.url.includes(args.filter))
      .filter(
        (entry) =>
          args.failedOnly !== true ||
          entry.failure !== undefined ||
          entry.blocked !== undefined ||
          (entry.status !== undefined && entry.status >= 400),
      );
    const offset = args.offset ?? 0;
    const { shown, truncated, next } = page(
      ctx,
      matching,
      offset,
      args.limit ?? 200,
      (entry) => utf8Length(entry.url) + 80,
    );
    const egressBlocked = ctx.session.egressBlocked
      .items()
      .slice(-20)
      .map((entry) => ({ target: entry.target, reason: entry.reason }));
    const data: z.infer<typeof networkOutput> = {
      requests: shown.map(({ seq: _seq, tab, ...entry }) => ({ tab, ...entry })),
      total: matching.length,
      truncated,
      egressBlocked,
    };
    if (truncated) data.nextOffset = next;
    const lines = data.requests.map((entry) => {
      const outcome =
        entry.blocked !== undefined
          ? `BLOCKED (${entry.blocked})`
          : (entry.failure ?? (entry.status === undefined ? 'pending' : String(entry.status)));
      return `${entry.method} ${entry.url} [${entry.type}] ${outcome}`;
    });
    const tail = [
      ...(lines.length === 0 ? ['(no requests)'] : []),
      ...(truncated
        ? [
            `[truncated: ${offset}-${next - 1} of ${matching.length}; call again with offset ${next}]`,
          ]
        : []),
      ...(egressBlocked.length > 0
        ? [
            'Refused below the page:',
            ...egressBlocked.map((entry) => `  ${entry.target}: ${entry.reason}`),
          ]
        : []),
    ];
    return structured(data, [...lines, ...tail].join('\n'));
  },
});

export const inspectTools = [listConsoleMessages, listNetworkRequests];
