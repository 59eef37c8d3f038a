/**
 * @module
 * What the listing tools share: the read-only annotations, the tab and paging arguments, and
 * paging of bounded records within the output budget.
 */
import { annotationPresets } from '@plugboard/kit/tools';
import { takeWithinBudget } from '@plugboard/protocol';
import { z } from 'zod';
import type { BrowserContext } from '../context.js';

/** The hints of tools that only read the browser's pages (which the server's policy bounds). */
export const { READ } = annotationPresets({ openWorld: false });

export const pagingFields = {
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

export function tabFilter(
  ctx: BrowserContext,
  args: { tab?: string | undefined; allTabs?: boolean | undefined },
): (tab: string) => boolean {
  if (args.allTabs === true) return () => true;
  const wanted = args.tab ?? ctx.session.currentId();
  return (tab) => tab === wanted;
}

export function page<T>(
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
