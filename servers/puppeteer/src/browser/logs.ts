/**
 * @module
 * Bounded records of what pages did: console messages and network requests. Pages control how
 * much they log, so both are rings: the oldest entries go once the capacity is reached, and the
 * count of everything ever seen lets listings say how much was dropped.
 */
import type { HTTPRequest } from 'puppeteer-core';

export interface Ring<T> {
  push(item: T): void;
  /** Oldest first. */
  items(): readonly T[];
  /** Everything ever pushed, including what has been dropped. */
  readonly total: number;
  clear(): void;
}

export function createRing<T>(capacity: number): Ring<T> {
  let items: T[] = [];
  let total = 0;
  return {
    push(item) {
      items.push(item);
      total++;
      // Drop in batches so a flood costs amortised O(1) per message.
      if (items.length > capacity * 1.25) items = items.slice(items.length - capacity);
    },
    items: () => (items.length > capacity ? items.slice(items.length - capacity) : items),
    get total() {
      return total;
    },
    clear() {
      items = [];
    },
  };
}

/** A ring per tab: one busy tab cannot push another tab's records out. */
export interface TabRings<
  T extends { readonly tab: string; readonly seq: number },
> extends Ring<T> {
  /** Forgets the records of a tab that closed. */
  drop(tab: string): void;
}

export function createTabRings<T extends { readonly tab: string; readonly seq: number }>(
  capacityPerTab: number,
): TabRings<T> {
  const rings = new Map<string, Ring<T>>();
  let total = 0;
  return {
    push(item) {
      let ring = rings.get(item.tab);
      if (ring === undefined) {
        ring = createRing<T>(capacityPerTab);
        rings.set(item.tab, ring);
      }
      ring.push(item);
      total++;
    },
    items: () =>
      rings.size === 1
        ? [...rings.values()][0]!.items()
        : [...rings.values()].flatMap((ring) => ring.items()).sort((a, b) => a.seq - b.seq),
    get total() {
      return total;
    },
    clear() {
      rings.clear();
    },
    drop(tab) {
      rings.delete(tab);
    },
  };
}

export interface ConsoleEntry {
  /** Increasing number, unique within the server process. */
  readonly seq: number;
  readonly tab: string;
  /** `log`, `info`, `warn`, `error`, `debug`, ... as the page used it; `pageerror` for uncaught errors. */
  readonly level: string;
  /** Cleaned and capped. */
  readonly text: string;
  /** `url:line:column` of the call or the throw, when known. */
  readonly location?: string;
  /** For errors: `at function (url:line:column)` frames, escaped and capped. */
  readonly stack?: string[];
}

export interface NetworkEntry {
  readonly seq: number;
  /** `r<seq>`: what puppeteer_get_network_request takes. */
  readonly id: string;
  readonly tab: string;
  readonly method: string;
  /** Cleaned and capped. */
  readonly url: string;
  /** document, script, xhr, fetch, image, ... */
  readonly type: string;
  status?: number;
  failure?: string;
  /** Why the URL policy refused it, when it did. */
  blocked?: string;
  /** When the page issued it (ms since the epoch). */
  readonly startedAt: number;
  /** From the request to its last byte (or failure). */
  durationMs?: number;
  /** The live request, for its headers, timing and body; never rendered itself. */
  readonly request: HTTPRequest;
}

export const CONSOLE_CAPACITY = 1000;
/** Requests kept per tab. */
export const NETWORK_CAPACITY = 500;
/** Longest console message kept, in characters. */
export const CONSOLE_TEXT_MAX = 2000;
