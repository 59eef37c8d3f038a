/**
 * @module
 * The browser session: the state object that owns the egress proxy, the browser, its tabs, and
 * the console and network records. The browser starts on the first tool call that needs it (not
 * at start-up), is relaunched if it dies, and is closed with the server. Tool calls run one at a
 * time ({@link BrowserSession.exclusive}), so concurrent calls cannot interleave on a page.
 */
import type { Logger } from '@plugboard/protocol';
import { ToolError } from '@plugboard/protocol';
import type { Browser, Page, Target } from 'puppeteer-core';
import type { BrowserConfig } from '../config.js';
import type { Connect, EgressProxy } from '../policy/egress-proxy.js';
import type { UrlPolicy } from '../policy/url-policy.js';
import { confineDownloads, type ConfinedDownloads } from './downloads.js';
import { noEmulation } from './emulation-state.js';
import type { Launcher } from './launch.js';
import { endProcessGroup } from './process-group.js';
import { profileDirectory } from './profiles.js';
import {
  CONSOLE_CAPACITY,
  createRing,
  createTabRings,
  NETWORK_CAPACITY,
  type ConsoleEntry,
  type NetworkEntry,
  type Ring,
  type TabRings,
} from './logs.js';
import { attachPage, crashSignal, createTab, type Tab, type TabHooks } from './tab.js';
import { cleanLine } from './untrusted.js';

export interface SessionDeps {
  readonly config: BrowserConfig;
  readonly logger: Logger;
  readonly policy: UrlPolicy;
  readonly launcher: Launcher;
  /** The network the egress proxy connects through; tests map addresses to local servers. */
  readonly connect?: Connect;
}

export interface BlockedEgress {
  readonly seq: number;
  readonly target: string;
  readonly reason: string;
}

export interface BrowserSession {
  /** True once a browser is running. */
  readonly launched: boolean;
  /** The named profile the browser runs in (--profiles-dir); undefined for a temporary one. */
  readonly profile: string | undefined;
  readonly console: Ring<ConsoleEntry>;
  /** Requests, the last {@link NETWORK_CAPACITY} of each open tab. */
  readonly network: TabRings<NetworkEntry>;
  /** Connections the egress proxy refused (workers, WebSockets, anything interception missed). */
  readonly egressBlocked: Ring<BlockedEgress>;
  /** The current tab, launching the browser and opening a tab as needed. */
  current(): Promise<Tab>;
  tabs(): readonly Tab[];
  currentId(): string | undefined;
  /** A tab by id; ToolError when there is none. */
  tab(id: string): Tab;
  openTab(): Promise<Tab>;
  select(id: string): Tab;
  closeTab(id: string): Promise<void>;
  /** Replaces a crashed or hung tab's page with a fresh blank one. */
  renew(tab: Tab): Promise<void>;
  /** Kills a browser that stopped answering; the next call launches a fresh one. */
  restart(): Promise<void>;
  /** The running browser, launched as needed. */
  browser(): Promise<Browser>;
  /**
   * Closes the browser and every tab, and runs the next one in the named profile (undefined: a
   * temporary profile). Returns the ids of the tabs that closed.
   */
  useProfile(name: string | undefined): Promise<string[]>;
  /** Runs `work` after every earlier call has finished. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  /** Resolves once popups that are being opened have been adopted (or after 2 s). */
  settled(): Promise<void>;
  /** Events since the last call (dialogs, popups, crashes), for the next result. */
  takeNotes(): string[];
  /** Called (at most every 500 ms) after console messages arrive. */
  onConsole(listener: () => void): void;
  /** The most recently refused egress target at or after `seq`. */
  blockedSince(seq: number): BlockedEgress | undefined;
  nextSeq(): number;
  close(): Promise<void>;
}

const CLOSE_TIMEOUT_MS = 3000;
/** How long element tools wait for a selector to match. */
const ELEMENT_WAIT_MS = 5000;
const CONSOLE_NOTIFY_MS = 500;
const SETTLE_TIMEOUT_MS = 2000;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** Ends the browser's process group, helpers included (see process-group.ts). */
async function stopProcesses(browser: Browser, graceMs?: number): Promise<void> {
  const pid = browser.process()?.pid;
  if (pid !== undefined) await endProcessGroup(pid, graceMs);
}

export function createBrowserSession(deps: SessionDeps): BrowserSession {
  const { config, logger, policy } = deps;
  const consoleRing = createRing<ConsoleEntry>(CONSOLE_CAPACITY);
  const networkRing = createTabRings<NetworkEntry>(NETWORK_CAPACITY);
  const egressBlocked = createRing<BlockedEgress>(100);
  const tabs = new Map<string, Tab>();
  const pages = new Map<Page, Tab>();
  const consoleListeners = new Set<() => void>();
  const pendingTargets = new Set<Promise<void>>();
  let popupsOpening = 0;
  let notes: string[] = [];
  let seq = 0;
  let tabCounter = 0;
  let currentId: string | undefined;
  let browser: Browser | undefined;
  let starting: Promise<Browser> | undefined;
  let proxy: Promise<EgressProxy> | undefined;
  let downloads: ConfinedDownloads | undefined;
  let profile: string | undefined;
  let closing = false;
  let queue: Promise<unknown> = Promise.resolve();
  let consoleTimer: NodeJS.Timeout | undefined;

  const note = (text: string): void => {
    notes.push(text);
    if (notes.length > 20) notes = notes.slice(-20);
  };

  const consoleChanged = (): void => {
    if (consoleTimer !== undefined || consoleListeners.size === 0) return;
    consoleTimer = setTimeout(() => {
      consoleTimer = undefined;
      for (const listener of consoleListeners) listener();
    }, CONSOLE_NOTIFY_MS);
    consoleTimer.unref();
  };

  const hooks: TabHooks = {
    policy,
    console: consoleRing,
    network: networkRing,
    nextSeq: () => ++seq,
    note,
    consoleChanged,
    popupOpening: () => {
      popupsOpening++;
    },
    timeoutMs: config.timeoutMs,
  };

  /** Forgets a tab when its page closes (unless the page was replaced meanwhile). */
  const watchClose = (tab: Tab, page: Page): void => {
    page.once('close', () => {
      if (tab.page !== page) return;
      tabs.delete(tab.id);
      networkRing.drop(tab.id);
      pages.delete(page);
      if (currentId === tab.id) currentId = [...tabs.keys()].at(-1);
    });
  };

  const adopt = (page: Page): Tab => {
    const existing = pages.get(page);
    if (existing !== undefined) return existing;
    const tab = createTab(
      `t${++tabCounter}`,
      page,
      Math.min(ELEMENT_WAIT_MS, Math.floor(config.timeoutMs / 2)),
    );
    tabs.set(tab.id, tab);
    pages.set(page, tab);
    tab.ready = attachPage(tab, hooks).catch((error: unknown) => {
      logger.debug('could not attach to a page', { error: String(error) });
    });
    watchClose(tab, page);
    return tab;
  };

  const onTarget = async (target: Target): Promise<void> => {
    // Pages the server opens itself are adopted by openTab; here only popups arrive.
    const kind: string = target.type();
    if (kind !== 'page' || target.opener() === undefined) return;
    popupsOpening = Math.max(0, popupsOpening - 1);
    const page = await target.page();
    if (page === null || pages.has(page)) return;
    if (tabs.size >= config.maxTabs) {
      note(
        `A popup to ${cleanLine(target.url(), 200)} was closed: the server allows ${config.maxTabs} tabs.`,
      );
      await page.close().catch(() => undefined);
      return;
    }
    const tab = adopt(page);
    note(
      `A new tab ${tab.id} opened (a popup). List tabs with puppeteer_list_tabs; switch with puppeteer_select_tab.`,
    );
  };

  const forget = (): void => {
    browser = undefined;
    starting = undefined;
    for (const id of tabs.keys()) networkRing.drop(id);
    tabs.clear();
    pages.clear();
    currentId = undefined;
  };

  const start = async (): Promise<Browser> => {
    // Imported here, not at start-up: node:http is only needed once a browser runs.
    const { startEgressProxy } = await import('../policy/egress-proxy.js');
    proxy ??= startEgressProxy({
      policy,
      logger,
      ...(deps.connect === undefined ? {} : { connect: deps.connect }),
      onBlocked: (blocked) => {
        // Names that do not resolve are ordinary failures (Chromium's own background requests
        // produce plenty offline); only policy refusals are worth reporting.
        if (blocked.kind !== 'policy') return;
        egressBlocked.push({
          seq: ++seq,
          target: cleanLine(blocked.target, 300),
          reason: blocked.reason,
        });
      },
    });
    const { url } = await proxy;
    const launched =
      profile === undefined || config.profilesDir === undefined
        ? await deps.launcher(url)
        : await deps.launcher(url, await profileDirectory(config.profilesDir, profile));
    if (config.downloadsDir !== undefined) {
      await downloads?.close();
      downloads = await confineDownloads(launched, config.downloadsDir, { logger, note }).catch(
        async (error: unknown) => {
          await stopProcesses(launched, 0);
          throw error;
        },
      );
    }
    launched.on('disconnected', () => {
      if (browser !== launched) return;
      forget();
      if (!closing) {
        logger.warn('the browser exited unexpectedly; it will be relaunched on the next call');
        note('The browser exited unexpectedly and was restarted; earlier tabs are gone.');
      }
    });
    launched.on('targetcreated', (target: Target) => {
      const adopting = onTarget(target).catch(() => undefined);
      pendingTargets.add(adopting);
      void adopting.finally(() => pendingTargets.delete(adopting));
    });
    for (const page of await launched.pages()) adopt(page);
    browser = launched;
    return launched;
  };

  const ensureBrowser = async (): Promise<Browser> => {
    if (closing) throw new ToolError('The server is shutting down.');
    if (browser !== undefined && browser.connected) return browser;
    starting ??= start().catch((error: unknown) => {
      starting = undefined;
      throw error;
    });
    return starting;
  };

  const openTab = async (): Promise<Tab> => {
    const running = await ensureBrowser();
    if (tabs.size >= config.maxTabs)
      throw new ToolError(
        `${config.maxTabs} tabs are open, the most this server allows; close one with puppeteer_close_tab first.`,
      );
    const tab = adopt(await running.newPage());
    await tab.ready;
    currentId = tab.id;
    return tab;
  };

  const renew = async (tab: Tab): Promise<void> => {
    const running = await ensureBrowser();
    const old = tab.page;
    const fresh = await running.newPage();
    // Swap first: the old page's close handler then sees it no longer belongs to the tab.
    tab.page = fresh;
    tab.refs = new Map();
    tab.refFrames = [];
    tab.refFloor = tab.nextRef;
    tab.snapshot = undefined;
    // A new page starts without the old one's emulation.
    tab.emulation = noEmulation();
    tab.tracing = false;
    tab.crashed = false;
    Object.assign(tab, crashSignal());
    pages.delete(old);
    pages.set(fresh, tab);
    watchClose(tab, fresh);
    tab.ready = attachPage(tab, hooks);
    await withTimeout(old.close({ runBeforeUnload: false }), CLOSE_TIMEOUT_MS).catch(
      () => undefined,
    );
    await tab.ready;
  };

  /** Closes a running browser cleanly, so a persistent profile is written out. */
  const shutDown = async (): Promise<void> => {
    const running = browser ?? (await starting?.catch(() => undefined));
    forget();
    if (running === undefined) return;
    await withTimeout(running.close(), CLOSE_TIMEOUT_MS).catch(() => undefined);
    // Browser.close ends the browser; helpers that outlive it (or a browser that did not
    // answer) are ended with the group: SIGTERM, a grace, then SIGKILL.
    await stopProcesses(running);
  };

  const session: BrowserSession = {
    get launched() {
      return browser !== undefined;
    },
    get profile() {
      return profile;
    },
    console: consoleRing,
    network: networkRing,
    egressBlocked,
    async current() {
      await ensureBrowser();
      let tab = currentId === undefined ? undefined : tabs.get(currentId);
      if (tab === undefined) {
        tab = [...tabs.values()].at(-1) ?? (await openTab());
        currentId = tab.id;
      }
      await tab.ready;
      if (tab.crashed) {
        await renew(tab);
        note(`Tab ${tab.id} had crashed and now shows a blank page.`);
      }
      return tab;
    },
    tabs: () => [...tabs.values()],
    currentId: () => currentId,
    tab(id) {
      const tab = tabs.get(id);
      if (tab === undefined)
        throw new ToolError(
          `There is no tab ${id}; open tabs: ${[...tabs.keys()].join(', ') || 'none'}.`,
        );
      return tab;
    },
    openTab,
    select(id) {
      const tab = session.tab(id);
      currentId = id;
      return tab;
    },
    async closeTab(id) {
      const tab = session.tab(id);
      tabs.delete(id);
      networkRing.drop(id);
      pages.delete(tab.page);
      if (currentId === id) currentId = [...tabs.keys()].at(-1);
      await withTimeout(tab.page.close({ runBeforeUnload: false }), CLOSE_TIMEOUT_MS).catch(
        () => undefined,
      );
    },
    renew,
    async restart() {
      const running = browser;
      forget();
      if (running === undefined) return;
      note('The browser was restarted; earlier tabs are gone.');
      // It stopped answering, so no CDP goodbye: the whole group goes, helpers included.
      await stopProcesses(running, 0);
      await withTimeout(running.close(), CLOSE_TIMEOUT_MS).catch(() => undefined);
    },
    browser: ensureBrowser,
    async useProfile(name) {
      if (name !== undefined) {
        if (config.profilesDir === undefined)
          throw new ToolError('Profiles need a directory: the operator passes --profiles-dir.');
        // A bad name or a symlinked profile is refused before anything closes.
        await profileDirectory(config.profilesDir, name);
      }
      const closed = [...tabs.keys()];
      const previous = profile;
      await shutDown();
      profile = name;
      try {
        await openTab();
      } catch (error) {
        // Chromium keeps a profile to one process: another server may be using it.
        profile = previous;
        throw error;
      }
      return closed;
    },
    exclusive<T>(work: () => Promise<T>): Promise<T> {
      const run = queue.then(work, work);
      queue = run.catch(() => undefined);
      return run;
    },
    async settled() {
      const deadline = Date.now() + SETTLE_TIMEOUT_MS;
      while (popupsOpening > 0 && Date.now() < deadline) await delay(20);
      popupsOpening = 0;
      if (pendingTargets.size === 0) return;
      await withTimeout(Promise.all(pendingTargets), Math.max(0, deadline - Date.now())).catch(
        () => undefined,
      );
    },
    takeNotes() {
      const taken = notes;
      notes = [];
      return taken;
    },
    onConsole(listener) {
      consoleListeners.add(listener);
    },
    blockedSince(since) {
      return egressBlocked
        .items()
        .filter((entry) => entry.seq >= since)
        .at(-1);
    },
    nextSeq: () => ++seq,
    async close() {
      closing = true;
      if (consoleTimer !== undefined) clearTimeout(consoleTimer);
      await shutDown();
      await downloads?.close();
      const proxyServer = await proxy?.catch(() => undefined);
      await proxyServer?.close();
    },
  };
  return session;
}
