/**
 * @module
 * Moving the current tab: puppeteer_navigate (the reference tool, with its launch-option
 * arguments accepted and refused), back, forward and reload. Every destination passes the URL
 * policy before anything loads; redirects and subresources are checked as they happen.
 */
import { structured, ToolError, type CallToolResult } from '@plugboard/protocol';
import type { HTTPResponse } from 'puppeteer-core';
import { z } from 'zod';
import { BLOCKED_HEADER } from '../policy/egress-proxy.js';
import type { Tab } from '../browser/tab.js';
import { cleanLine } from '../browser/untrusted.js';
import { defineTool, type BrowserContext } from '../context.js';
import { blankAfterFailure, leaveErrorPage, withTab } from './common.js';
import { toToolError } from '../browser/errors.js';

const WAIT_UNTIL = ['load', 'domcontentloaded', 'networkidle0', 'networkidle2'] as const;

export const waitUntilField = z
  .enum(WAIT_UNTIL)
  .optional()
  .describe(
    'When the navigation counts as done: load (default), domcontentloaded, networkidle0 or networkidle2',
  );

const navigationOutput = z.object({
  tab: z.string().describe('Id of the tab that navigated'),
  url: z.string().describe('Where the tab is now, after redirects'),
  status: z.number().int().optional().describe('HTTP status of the final response'),
  title: z.string().describe('Page title (untrusted page content)'),
});

type NavigationOutput = z.infer<typeof navigationOutput>;

const ANNOTATIONS = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: true,
} as const;

/** The refusal for the reference server's launch-option arguments. */
export const LAUNCH_OPTIONS_REFUSED =
  'launchOptions and allowDangerous are not accepted from tool calls: this server takes browser launch options only from its operator (PUPPETEER_LAUNCH_OPTIONS and ALLOW_DANGEROUS in its configuration), so a page or a prompt can never change how the browser runs. Call puppeteer_navigate again with just the url.';

/** Reports where the tab ended up, refusing results the egress proxy blocked. */
async function arrival(
  ctx: BrowserContext,
  tab: Tab,
  response: HTTPResponse | null,
  since: number,
): Promise<CallToolResult & { structuredContent: NavigationOutput }> {
  const url = tab.page.url();
  if (response?.headers()[BLOCKED_HEADER] !== undefined || url.startsWith('chrome-error://')) {
    const egress = ctx.session.blockedSince(since);
    if (tab.lastBlocked === undefined && egress === undefined) {
      throw new ToolError((await leaveErrorPage(tab)) ?? 'The page could not be loaded.');
    }
    const blocked = tab.lastBlocked;
    const reason = blocked === undefined ? egress!.reason : `${blocked.url}: ${blocked.reason}`;
    const hint = blocked?.hint === undefined ? '' : ` (${blocked.hint})`;
    await blankAfterFailure(tab);
    throw new ToolError(
      `Blocked by the URL policy: ${reason}${hint}. Tab ${tab.id} now shows a blank page.`,
    );
  }
  const title = cleanLine(await tab.page.title().catch(() => ''), 300);
  const shownUrl = cleanLine(url, 2000);
  const data: NavigationOutput = { tab: tab.id, url: shownUrl, title };
  const status = response?.status();
  if (status !== undefined) data.status = status;
  const statusText = status === undefined ? '' : ` (HTTP ${status})`;
  return structured(data, `Tab ${tab.id} is at ${shownUrl}${statusText}: ${JSON.stringify(title)}`);
}

/** Checks `url` against the policy and loads it in `tab`. Shared with puppeteer_open_tab. */
export async function navigateTab(
  ctx: BrowserContext,
  tab: Tab,
  url: string,
  waitUntil: (typeof WAIT_UNTIL)[number] = 'load',
): Promise<CallToolResult & { structuredContent: NavigationOutput }> {
  const decision = await ctx.policy.checkUrl(url.trim(), { navigation: true });
  if (!decision.allowed) {
    const hint = decision.hint === undefined ? '' : ` (${decision.hint})`;
    throw new ToolError(
      decision.kind === 'dns'
        ? `Cannot open ${cleanLine(url, 300)}: ${decision.reason}.`
        : `Blocked by the URL policy: ${decision.reason}${hint}.`,
    );
  }
  const since = ctx.session.nextSeq();
  let response: HTTPResponse | null;
  try {
    response = await tab.page.goto(url.trim(), {
      waitUntil,
      timeout: ctx.config.timeoutMs,
      signal: ctx.signal,
    });
  } catch (error) {
    const mapped = toToolError(error, tab, ctx.config.timeoutMs);
    if (mapped === undefined) throw error;
    await blankAfterFailure(tab);
    throw new ToolError(`${mapped.message} Tab ${tab.id} now shows a blank page.`);
  }
  return arrival(ctx, tab, response, since);
}

export const navigate = defineTool({
  name: 'puppeteer_navigate',
  title: 'Open a URL',
  description:
    "Load an http(s) URL in the current tab and wait for it; returns the final URL (after redirects), HTTP status and title. The operator's URL policy refuses private-network, cloud-metadata, file: and browser-internal addresses.",
  input: z.object({
    url: z.string().min(1).max(8192).describe('Absolute http(s) URL to open'),
    launchOptions: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        'Kept for reference-server compatibility and always refused: launch options come only from the operator',
      ),
    allowDangerous: z
      .boolean()
      .optional()
      .describe(
        'Kept for reference-server compatibility and always refused: only the operator allows dangerous launch options',
      ),
    waitUntil: waitUntilField,
  }),
  output: navigationOutput,
  taskSupport: 'optional',
  annotations: ANNOTATIONS,
  auditTarget: ['url'],
  async run({ url, launchOptions, allowDangerous, waitUntil }, ctx) {
    if (launchOptions !== undefined || allowDangerous !== undefined)
      throw new ToolError(LAUNCH_OPTIONS_REFUSED);
    return withTab(ctx, (tab) => navigateTab(ctx, tab, url, waitUntil));
  },
});

function historyTool(
  name: string,
  title: string,
  description: string,
  move: (tab: Tab, ctx: BrowserContext) => Promise<HTTPResponse | null>,
) {
  return defineTool({
    name,
    title,
    description,
    input: z.object({}),
    output: navigationOutput,
    annotations: ANNOTATIONS,
    async run(_args, ctx) {
      return withTab(ctx, async (tab) => {
        const since = ctx.session.nextSeq();
        const response = await move(tab, ctx);
        return arrival(ctx, tab, response, since);
      });
    },
  });
}

export const goBack = historyTool(
  'puppeteer_go_back',
  'Go back',
  "Go back one page in the current tab's history; returns where the tab is now. Does nothing when there is no earlier page.",
  (tab, ctx) => tab.page.goBack({ timeout: ctx.config.timeoutMs }),
);

export const goForward = historyTool(
  'puppeteer_go_forward',
  'Go forward',
  "Go forward one page in the current tab's history; returns where the tab is now. Does nothing when there is no later page.",
  (tab, ctx) => tab.page.goForward({ timeout: ctx.config.timeoutMs }),
);

export const reload = historyTool(
  'puppeteer_reload',
  'Reload',
  'Reload the current page and wait for it to load; returns its URL, status and title.',
  (tab, ctx) => tab.page.reload({ timeout: ctx.config.timeoutMs }),
);
