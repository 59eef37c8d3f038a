/**
 * @module
 * Tabs: list, open, select, close. The number of tabs (popups included) is capped by the
 * operator's --max-tabs; every other tool acts on the current tab.
 */
import { structured, text } from '@plugboard/protocol';
import { z } from 'zod';
import { cleanLine } from '../browser/untrusted.js';
import { defineTool } from '../context.js';
import { withTab, PAGE, WEB } from './common.js';
import { navigateTab, waitUntilField } from './navigation.js';

const tabField = z
  .string()
  .regex(/^t\d+$/, 'tab ids look like t2')
  .describe('Tab id from puppeteer_list_tabs, e.g. "t2"');

const tabsOutput = z.object({
  current: z.string().optional().describe('Id of the current tab'),
  tabs: z
    .array(
      z.object({
        id: z.string(),
        url: z.string(),
        title: z.string().describe('Untrusted page content'),
        current: z.boolean(),
      }),
    )
    .describe('Open tabs, oldest first'),
});

type TabsOutput = z.infer<typeof tabsOutput>;

export const listTabs = defineTool({
  name: 'puppeteer_list_tabs',
  title: 'List tabs',
  description:
    'List the open tabs with their ids, URLs and titles, marking the current one (the tab other tools act on).',
  input: z.object({}),
  output: tabsOutput,
  annotations: PAGE.READ,
  async run(_args, ctx) {
    // Listing tabs never starts the browser: before the first navigation there are none.
    if (!ctx.session.launched)
      return structured({ tabs: [] }, 'No tabs yet: the browser starts with the first navigation.');
    return withTab(ctx, async () => {
      const current = ctx.session.currentId();
      const tabs: TabsOutput['tabs'] = [];
      for (const tab of ctx.session.tabs()) {
        tabs.push({
          id: tab.id,
          url: cleanLine(tab.page.url(), 500),
          title: cleanLine(await tab.page.title().catch(() => ''), 200),
          current: tab.id === current,
        });
      }
      const lines = tabs.map(
        (tab) => `${tab.current ? '*' : ' '} ${tab.id} ${tab.url} ${JSON.stringify(tab.title)}`,
      );
      const data: TabsOutput = current === undefined ? { tabs } : { current, tabs };
      return structured(data, lines.join('\n'));
    });
  },
});

export const openTab = defineTool({
  name: 'puppeteer_open_tab',
  title: 'Open a tab',
  description:
    'Open a new tab, make it current, and optionally load a URL in it (checked by the same URL policy as puppeteer_navigate).',
  input: z.object({
    url: z
      .string()
      .min(1)
      .max(8192)
      .optional()
      .describe('URL to load in the new tab (default: a blank page)'),
    waitUntil: waitUntilField,
  }),
  auditTarget: ['url'],
  annotations: WEB.CREATE,
  async run({ url, waitUntil }, ctx) {
    return withTab(ctx, async () => {
      const tab = await ctx.session.openTab();
      if (url === undefined)
        return text(`Opened tab ${tab.id} (blank); it is now the current tab.`);
      const result = await navigateTab(ctx, tab, url, waitUntil);
      return {
        ...result,
        content: [
          { type: 'text', text: `Opened tab ${tab.id}; it is now the current tab.` },
          ...result.content,
        ],
      };
    });
  },
});

export const selectTab = defineTool({
  name: 'puppeteer_select_tab',
  title: 'Switch tab',
  description: 'Make another open tab the current one; the other tools then act on it.',
  input: z.object({ tab: tabField }),
  auditTarget: ['tab'],
  annotations: PAGE.SET,
  async run({ tab: id }, ctx) {
    return withTab(ctx, async () => {
      const tab = ctx.session.select(id);
      await tab.page.bringToFront().catch(() => undefined);
      return text(`Tab ${tab.id} is now current: ${cleanLine(tab.page.url(), 500)}`);
    });
  },
});

export const closeTab = defineTool({
  name: 'puppeteer_close_tab',
  title: 'Close a tab',
  description:
    'Close a tab (default: the current one); the most recently opened remaining tab becomes current.',
  input: z.object({ tab: tabField.optional() }),
  auditTarget: ['tab'],
  annotations: PAGE.UPDATE,
  async run({ tab: id }, ctx) {
    return withTab(ctx, async (current) => {
      const closing = id ?? current.id;
      await ctx.session.closeTab(closing);
      const now = ctx.session.currentId();
      return text(
        `Closed tab ${closing}. ${now === undefined ? 'No tabs are open; the next call opens a blank one.' : `Current tab: ${now}.`}`,
      );
    });
  },
});

export const tabTools = [listTabs, openTab, selectTab, closeTab];
