/**
 * @module
 * One browser tab and everything the server keeps about it: element references from its latest
 * snapshot, its dialogs, the last request the URL policy refused. {@link attachPage} wires a page
 * to the policy (request interception), the console and network records, and the dialog rules:
 * a dialog gets the answer armed by puppeteer_handle_dialog, otherwise it is dismissed (and a
 * `beforeunload` accepted, so no page can trap navigation).
 */
import { randomBytes } from 'node:crypto';
import type { Dialog, Frame, HTTPRequest, Page } from 'puppeteer-core';
import type { UrlPolicy } from '../policy/url-policy.js';
import { InflightRequests } from './inflight.js';
import type { ElementRef } from './page-tree.js';
import { CONSOLE_TEXT_MAX, type ConsoleEntry, type NetworkEntry, type Ring } from './logs.js';
import type { SnapshotCuts } from './snapshot.js';
import { consoleSource, errorSource } from './console-source.js';
import { noEmulation, type Emulation } from './emulation-state.js';
import { cleanLine, escapedLine } from './untrusted.js';

export interface DialogAnswer {
  readonly accept: boolean;
  readonly promptText?: string;
}

export interface DialogRecord {
  readonly type: string;
  readonly message: string;
  readonly outcome: 'accepted' | 'dismissed';
  /** True when no answer was armed and the default rule applied. */
  readonly automatic: boolean;
}

export interface BlockedNavigation {
  readonly url: string;
  readonly reason: string;
  readonly hint?: string;
}

/** The lines of a rendered snapshot, kept so `offset` can page through it without re-reading. */
export interface SnapshotPages {
  readonly url: string;
  readonly title: string;
  readonly lines: readonly string[];
  /** What the snapshot shortened or left out. */
  readonly cuts: SnapshotCuts;
}

export interface Tab {
  readonly id: string;
  /** How long element lookups wait for a selector to match. */
  readonly waitMs: number;
  page: Page;
  /** Element references of the latest snapshot. */
  refs: Map<string, ElementRef>;
  /**
   * The window property that holds, in each frame a snapshot read, the elements behind `refs`:
   * random, so a page cannot claim it before the first snapshot.
   */
  readonly refKey: string;
  /** The frames holding the elements behind `refs`, let go when a new snapshot replaces them. */
  refFrames: Frame[];
  /** Refs below this number belong to older snapshots. */
  refFloor: number;
  nextRef: number;
  snapshot: SnapshotPages | undefined;
  dialogAnswer: DialogAnswer | undefined;
  readonly dialogs: DialogRecord[];
  lastBlocked: BlockedNavigation | undefined;
  crashed: boolean;
  /** Settles when the current page crashes, so calls waiting on it can stop at once. */
  whenCrashed: Promise<void>;
  markCrashed: () => void;
  /** Interception and listeners are in place. */
  ready: Promise<void>;
  /** Requests of the current document still in flight, for network-idle waits. */
  readonly inflight: InflightRequests<HTTPRequest>;
  /** What puppeteer_emulate set on the current page. */
  emulation: Emulation;
  /** A performance trace of the current page is being recorded. */
  tracing: boolean;
}

/** What a tab reports to its session. */
export interface TabHooks {
  readonly policy: UrlPolicy;
  readonly console: Ring<ConsoleEntry>;
  readonly network: Ring<NetworkEntry>;
  nextSeq(): number;
  note(text: string): void;
  consoleChanged(): void;
  /** The page is opening a window; its tab will follow shortly. */
  popupOpening(): void;
  timeoutMs: number;
}

const DIALOG_HISTORY = 20;

/** A fresh crash signal for a tab's (new) page. */
export function crashSignal(): Pick<Tab, 'whenCrashed' | 'markCrashed'> {
  let markCrashed: () => void = () => undefined;
  const whenCrashed = new Promise<void>((resolve) => {
    markCrashed = resolve;
  });
  return { whenCrashed, markCrashed };
}

export function createTab(id: string, page: Page, waitMs: number): Tab {
  return {
    ...crashSignal(),
    id,
    waitMs,
    page,
    refs: new Map(),
    refKey: `plugboardRefs${randomBytes(8).toString('hex')}`,
    refFrames: [],
    refFloor: 1,
    nextRef: 1,
    snapshot: undefined,
    dialogAnswer: undefined,
    dialogs: [],
    lastBlocked: undefined,
    crashed: false,
    ready: Promise.resolve(),
    inflight: new InflightRequests(),
    emulation: noEmulation(),
    tracing: false,
  };
}

function answerDialog(tab: Tab, dialog: Dialog, hooks: TabHooks): void {
  const armed = tab.dialogAnswer;
  tab.dialogAnswer = undefined;
  const type = dialog.type();
  const accept = armed?.accept ?? type === 'beforeunload';
  const record: DialogRecord = {
    type,
    message: cleanLine(dialog.message(), 500),
    outcome: accept ? 'accepted' : 'dismissed',
    automatic: armed === undefined,
  };
  tab.dialogs.push(record);
  if (tab.dialogs.length > DIALOG_HISTORY) tab.dialogs.shift();
  hooks.note(
    `Tab ${tab.id} showed ${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type} dialog ${JSON.stringify(record.message)}; it was ${record.outcome}${
      record.automatic
        ? ' automatically (arm an answer with puppeteer_handle_dialog before the action)'
        : ''
    }.`,
  );
  const done = accept ? dialog.accept(armed?.promptText) : dialog.dismiss();
  done.catch(() => undefined);
}

async function intercept(
  tab: Tab,
  request: HTTPRequest,
  hooks: TabHooks,
  entries: WeakMap<HTTPRequest, NetworkEntry>,
): Promise<void> {
  const url = request.url();
  const navigation = request.isNavigationRequest();
  if (url.startsWith('data:') && !navigation) {
    // Inline data is not network traffic; nothing to record or refuse.
    await request.continue();
    return;
  }
  const seq = hooks.nextSeq();
  const entry: NetworkEntry = {
    seq,
    id: `r${seq}`,
    tab: tab.id,
    method: request.method(),
    url: cleanLine(url, 500),
    type: request.resourceType(),
    startedAt: Date.now(),
    request,
  };
  hooks.network.push(entry);
  entries.set(request, entry);
  const decision = await hooks.policy.checkUrl(url, { navigation, cached: true });
  if (request.isInterceptResolutionHandled()) return;
  if (decision.allowed) {
    await request.continue();
    return;
  }
  entry.blocked = decision.reason;
  if (navigation && request.frame() === tab.page.mainFrame()) {
    tab.lastBlocked =
      decision.hint === undefined
        ? { url: entry.url, reason: decision.reason }
        : { url: entry.url, reason: decision.reason, hint: decision.hint };
  }
  await request.abort(decision.kind === 'dns' ? 'namenotresolved' : 'blockedbyclient');
}

/**
 * Puts `tab.page` under the URL policy and starts recording. Resolves once interception is on;
 * before that, the egress proxy still enforces the policy on every connection.
 */
export async function attachPage(tab: Tab, hooks: TabHooks): Promise<void> {
  const page = tab.page;
  const entries = new WeakMap<HTTPRequest, NetworkEntry>();
  page.setDefaultTimeout(hooks.timeoutMs);
  page.setDefaultNavigationTimeout(hooks.timeoutMs);
  tab.inflight.navigated();
  page.on('request', (request) => {
    // A new document for the tab: what the old one still has open is not its business.
    if (request.isNavigationRequest() && request.frame() === page.mainFrame())
      tab.inflight.navigated();
    tab.inflight.started(request);
    intercept(tab, request, hooks, entries).catch(() => undefined);
  });
  page.on('response', (response) => {
    // As puppeteer counts it: a request with its response is no longer waited for.
    tab.inflight.ended(response.request());
    const entry = entries.get(response.request());
    if (entry !== undefined) entry.status = response.status();
  });
  page.on('requestfinished', (request) => {
    tab.inflight.ended(request);
    const entry = entries.get(request);
    if (entry !== undefined) entry.durationMs = Date.now() - entry.startedAt;
  });
  page.on('requestfailed', (request) => {
    tab.inflight.ended(request);
    const entry = entries.get(request);
    if (entry === undefined) return;
    entry.durationMs = Date.now() - entry.startedAt;
    if (entry.blocked === undefined) entry.failure = request.failure()?.errorText ?? 'failed';
  });
  page.on('console', (message) => {
    hooks.console.push({
      seq: hooks.nextSeq(),
      tab: tab.id,
      level: message.type(),
      text: escapedLine(message.text(), CONSOLE_TEXT_MAX),
      ...consoleSource(message),
    });
    hooks.consoleChanged();
  });
  page.on('pageerror', (error) => {
    const message = error instanceof Error ? error.message : String(error);
    hooks.console.push({
      seq: hooks.nextSeq(),
      tab: tab.id,
      level: 'pageerror',
      text: escapedLine(`Uncaught ${message}`, CONSOLE_TEXT_MAX),
      ...errorSource(error),
    });
    hooks.consoleChanged();
  });
  page.on('dialog', (dialog) => answerDialog(tab, dialog, hooks));
  page.on('error', () => {
    if (tab.page !== page) return;
    tab.crashed = true;
    tab.markCrashed();
    hooks.note(`The page in tab ${tab.id} crashed.`);
  });
  // Page.windowOpen arrives while the action that opened the window still runs, well before the
  // new target is ready, so results can wait for the popup and report it.
  const cdp = await page.createCDPSession();
  cdp.on('Page.windowOpen', () => hooks.popupOpening());
  await cdp.send('Page.enable');
  await page.setRequestInterception(true);
}
