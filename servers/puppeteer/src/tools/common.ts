/**
 * @module
 * What the browser tools share: running one call at a time on the current tab with errors
 * mapped and events reported, finding an element by CSS selector or snapshot reference, and
 * letting a page settle after an action that may navigate.
 */
import { ToolError, type CallToolResult } from '@plugboard/protocol';
import type { ElementHandle, HTTPRequest, Page } from 'puppeteer-core';
import { z } from 'zod';
import { toToolError } from '../browser/errors.js';
import { elementAt } from '../browser/page-tree.js';
import type { Tab } from '../browser/tab.js';
import { cleanLine } from '../browser/untrusted.js';
import type { BrowserContext } from '../context.js';

export const targetFields = {
  selector: z
    .string()
    .min(1)
    .max(2000)
    .optional()
    .describe(
      'CSS selector of the element; puppeteer selectors such as ::-p-text(Sign in) and ::-p-aria(Search) work too',
    ),
  ref: z
    .string()
    .regex(/^e\d+$/, 'refs look like e12')
    .optional()
    .describe(
      'Element reference from the latest puppeteer_snapshot, e.g. "e12" (use instead of selector)',
    ),
};

export interface TargetArgs {
  selector?: string | undefined;
  ref?: string | undefined;
}

export interface ResolvedTarget {
  handle: ElementHandle;
  /** How to name it in results: the selector or the ref. */
  label: string;
}

function addNotes<T extends CallToolResult>(result: T, notes: readonly string[]): T {
  if (notes.length === 0) return result;
  return { ...result, content: [...result.content, { type: 'text', text: notes.join('\n') }] };
}

/**
 * Runs `work` on the current tab after every earlier call has finished. Browser errors become
 * actionable ToolErrors; events the call caused (dialogs, popups, crashes) follow the result.
 */
export async function withTab<T extends CallToolResult>(
  ctx: BrowserContext,
  work: (tab: Tab) => Promise<T>,
): Promise<T> {
  return ctx.session.exclusive(async () => {
    let tab: Tab | undefined;
    try {
      tab = await ctx.session.current();
      tab.lastBlocked = undefined;
      const result = await work(tab);
      await ctx.session.settled();
      return addNotes(result, ctx.session.takeNotes());
    } catch (error) {
      const mapped = toToolError(error, tab, ctx.config.timeoutMs);
      if (mapped === undefined) throw error;
      const notes = ctx.session.takeNotes();
      throw notes.length === 0 ? mapped : new ToolError(`${mapped.message}\n${notes.join('\n')}`);
    }
  });
}

/** The element `args` names, waiting briefly for a selector to match. */
export async function resolveTarget(tab: Tab, args: TargetArgs): Promise<ResolvedTarget> {
  const wait = tab.waitMs;
  if (args.ref !== undefined && args.selector !== undefined)
    throw new ToolError('Give either selector or ref, not both.');
  if (args.ref !== undefined) {
    const node = tab.refs.get(args.ref);
    if (node === undefined) {
      const number = Number(args.ref.slice(1));
      throw new ToolError(
        number < tab.refFloor
          ? `${args.ref} is from an older snapshot; take a new puppeteer_snapshot and use its refs.`
          : `There is no ${args.ref} in the latest snapshot of tab ${tab.id}; take a puppeteer_snapshot first.`,
      );
    }
    const handle = await elementAt(node).catch(() => null);
    if (handle === null)
      throw new ToolError(
        `The element ${args.ref} is no longer on the page; take a new puppeteer_snapshot.`,
      );
    return { handle, label: args.ref };
  }
  if (args.selector === undefined)
    throw new ToolError('Give a selector or a ref (from puppeteer_snapshot).');
  const handle = await tab.page
    .waitForSelector(args.selector, { timeout: wait })
    .catch((error: unknown) => {
      if (error instanceof Error && error.name === 'TimeoutError')
        throw new ToolError(
          `No element matches ${JSON.stringify(args.selector)} (waited ${wait / 1000} s). Take a puppeteer_snapshot to see what the page holds.`,
        );
      throw error;
    });
  if (handle === null) throw new ToolError(`No element matches ${JSON.stringify(args.selector)}.`);
  return { handle, label: JSON.stringify(args.selector) };
}

/**
 * When a navigation failed or was refused, Chromium shows an internal error page that tools
 * cannot work with; this replaces it with a blank page and says what happened.
 */
export async function leaveErrorPage(tab: Tab): Promise<string | undefined> {
  if (!tab.page.url().startsWith('chrome-error://')) return undefined;
  await tab.page.goto('about:blank').catch(() => undefined);
  const blocked = tab.lastBlocked;
  const why =
    blocked === undefined
      ? 'The page could not be loaded'
      : `The navigation was blocked by the URL policy: ${blocked.url}: ${blocked.reason}${blocked.hint === undefined ? '' : ` (${blocked.hint})`}`;
  return `${why}. Tab ${tab.id} now shows a blank page.`;
}

/** One line about where the tab is now, for action results. */
export async function pageLine(tab: Tab): Promise<string> {
  const failed = await leaveErrorPage(tab);
  if (failed !== undefined) return failed;
  const title = await tab.page.title().catch(() => '');
  const url = tab.page.url();
  return `Tab ${tab.id} is at ${cleanLine(url, 300)}${title === '' ? '' : ` (${JSON.stringify(cleanLine(title, 120))})`}.`;
}

/** How long after an action a navigation it caused may take to begin. */
const NAVIGATION_GRACE_MS = 150;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * Runs an action and, if it started a main-frame navigation, waits for the new page to load
 * or the navigation to fail (up to the timeout), so the next call sees where the action led.
 */
export async function settle<T>(
  page: Page,
  timeoutMs: number,
  action: () => Promise<T>,
): Promise<T> {
  let navigating = false;
  let started: () => void = () => undefined;
  const navigationStarted = new Promise<void>((resolve) => {
    started = resolve;
  });
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const isMainNavigation = (request: HTTPRequest): boolean =>
    request.isNavigationRequest() && request.frame() === page.mainFrame();
  const onRequest = (request: HTTPRequest): void => {
    if (!isMainNavigation(request)) return;
    navigating = true;
    started();
  };
  const onFailed = (request: HTTPRequest): void => {
    if (isMainNavigation(request)) finish();
  };
  const onLoad = (): void => {
    if (navigating) finish();
  };
  page.on('request', onRequest);
  page.on('requestfailed', onFailed);
  page.on('load', onLoad);
  try {
    const result = await action();
    // Form submissions and scripted navigations start a moment after the event that caused them.
    await Promise.race([navigationStarted, delay(NAVIGATION_GRACE_MS)]);
    if (navigating) await Promise.race([finished, delay(timeoutMs)]);
    return result;
  } finally {
    page.off('request', onRequest);
    page.off('requestfailed', onFailed);
    page.off('load', onLoad);
  }
}
