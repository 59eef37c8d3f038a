/**
 * @module
 * What the browser tools share: running one call at a time on the current tab with errors
 * mapped and events reported, finding an element by CSS selector or snapshot reference, and
 * letting a page settle after an action that may navigate.
 */
import { ToolError, type CallToolResult } from '@plugboard/protocol';
import { annotationPresets } from '@plugboard/kit/tools';
import type { ElementHandle, HTTPRequest, Page } from 'puppeteer-core';
import { z } from 'zod';
import { toToolError } from '../browser/errors.js';
import { elementAt } from '../browser/page-tree.js';
import type { Tab } from '../browser/tab.js';
import { cleanLine } from '../browser/untrusted.js';
import type { BrowserContext } from '../context.js';

/** The hints of tools whose effect stays in the browser and on this machine (a tab, a file). */
export const PAGE = annotationPresets({ openWorld: false });
/** The hints of tools that act on a live page or load from the web. */
export const WEB = annotationPresets({ openWorld: true });

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
    const state: { tab?: Tab } = {};
    try {
      const result = await bounded(ctx, state, async () => {
        const tab = await ctx.session.current();
        state.tab = tab;
        tab.lastBlocked = undefined;
        const done = await unlessCrashed(ctx, tab, work(tab));
        await ctx.session.settled();
        return done;
      });
      return addNotes(result, ctx.session.takeNotes());
    } catch (error) {
      throw failure(ctx, error, state.tab);
    }
  });
}

/** An error of a call as the model sees it: actionable, with the events the call caused. */
function failure(ctx: BrowserContext, error: unknown, tab: Tab | undefined): unknown {
  const mapped = toToolError(error, tab, ctx.config.timeoutMs);
  if (mapped === undefined) return error;
  const notes = ctx.session.takeNotes();
  return notes.length === 0 ? mapped : new ToolError(`${mapped.message}\n${notes.join('\n')}`);
}

/**
 * Runs `work` on the session rather than one tab (profiles, storage state), after every earlier
 * call has finished, with errors mapped and events reported as {@link withTab} does.
 */
export async function withSession<T extends CallToolResult>(
  ctx: BrowserContext,
  work: () => Promise<T>,
): Promise<T> {
  return ctx.session.exclusive(async () => {
    try {
      return addNotes(await work(), ctx.session.takeNotes());
    } catch (error) {
      throw failure(ctx, error, undefined);
    }
  });
}

/** How long a page may take to answer a trivial evaluation before it counts as hung. */
const PROBE_MS = 2000;
/** How long replacing a page may take before the whole browser is restarted instead. */
const RENEW_MS = 10_000;

function timer<T>(ms: number, value: T): { promise: Promise<T>; cancel(): void } {
  let handle: NodeJS.Timeout | undefined;
  const promise = new Promise<T>((resolve) => {
    handle = setTimeout(() => resolve(value), ms);
  });
  return { promise, cancel: () => clearTimeout(handle) };
}

/** True when the page still runs scripts. */
export async function responsive(page: Page): Promise<boolean> {
  const late = timer(PROBE_MS, false);
  const alive = await Promise.race([page.evaluate(() => true).catch(() => false), late.promise]);
  late.cancel();
  return alive;
}

/** Replaces a dead page; if even that fails, restarts the browser. */
async function recover(ctx: BrowserContext, tab: Tab | undefined): Promise<string> {
  if (tab !== undefined) {
    const late = timer(RENEW_MS, 'late' as const);
    const renewed = await Promise.race([
      ctx.session.renew(tab).then(
        () => 'renewed' as const,
        () => 'failed' as const,
      ),
      late.promise,
    ]);
    late.cancel();
    if (renewed === 'renewed') return `tab ${tab.id} now shows a blank page`;
  }
  await ctx.session.restart();
  return 'the browser was restarted (earlier tabs are gone)';
}

/** Ends the call at once when the tab's page crashes under it. */
async function unlessCrashed<T>(ctx: BrowserContext, tab: Tab, work: Promise<T>): Promise<T> {
  const crashed = Symbol('crashed');
  const outcome = await Promise.race([work, tab.whenCrashed.then((): typeof crashed => crashed)]);
  if (outcome !== crashed) return outcome;
  work.catch(() => undefined);
  throw new ToolError(`The page crashed while the call ran; ${await recover(ctx, tab)}.`);
}

/**
 * Bounds every call, whatever it waits on: each browser operation has its own timeout, but a
 * frozen renderer or browser can leave a protocol call unanswered. Past the deadline a page that
 * no longer answers is replaced (or the browser restarted), so the next call starts clean.
 */
async function bounded<T>(
  ctx: BrowserContext,
  state: { tab?: Tab },
  run: () => Promise<T>,
): Promise<T> {
  const limit = 2 * ctx.config.timeoutMs + 5000;
  const expired = Symbol('expired');
  const deadline = timer(limit, expired);
  const work = run();
  const outcome = await Promise.race([work, deadline.promise]).finally(() => deadline.cancel());
  if (outcome !== expired) return outcome;
  work.catch(() => undefined);
  const tab = state.tab;
  if (tab !== undefined && (await responsive(tab.page)))
    throw new ToolError(`The call did not finish within ${Math.round(limit / 1000)} s.`);
  throw new ToolError(`The browser stopped responding; ${await recover(ctx, tab)}.`);
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

/** How long Chromium may take to commit the error page of a failed navigation. */
const ERROR_PAGE_MS = 500;

/**
 * After a failed navigation: Chromium commits an internal error page a moment later, possibly
 * over whatever comes next. Waits for that commit (briefly), then loads a blank page over it, so
 * the next call finds an ordinary, empty tab.
 */
export async function blankAfterFailure(tab: Tab): Promise<void> {
  const page = tab.page;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (!page.url().startsWith('chrome-error://')) {
      await page
        .waitForFrame(
          (frame) => frame === page.mainFrame() && frame.url().startsWith('chrome-error://'),
          {
            timeout: attempt === 0 ? ERROR_PAGE_MS : ERROR_PAGE_MS / 5,
          },
        )
        .catch(() => undefined);
    }
    await page.goto('about:blank').catch(() => undefined);
    if (!page.url().startsWith('chrome-error://')) return;
  }
}

/**
 * When a navigation failed or was refused, Chromium shows an internal error page that tools
 * cannot work with; this replaces it with a blank page and says what happened.
 */
export async function leaveErrorPage(tab: Tab): Promise<string | undefined> {
  if (!tab.page.url().startsWith('chrome-error://')) return undefined;
  await blankAfterFailure(tab);
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
