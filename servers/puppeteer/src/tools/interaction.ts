/**
 * @module
 * Acting on the page: the reference tools puppeteer_click, puppeteer_fill, puppeteer_select and
 * puppeteer_hover (CSS selector as before, or a ref from puppeteer_snapshot), plus key presses
 * and typing. Actions that lead to a new page wait for it, and each result says where the tab
 * is afterwards.
 */
import { text, ToolError } from '@plugboard/protocol';
import type { KeyInput } from 'puppeteer-core';
import { z } from 'zod';
import { cleanLine } from '../browser/untrusted.js';
import { defineTool } from '../context.js';
import { pageLine, resolveTarget, settle, targetFields, withTab, WEB } from './common.js';

const MODIFIERS = ['Alt', 'Control', 'Meta', 'Shift'] as const;

export const click = defineTool({
  name: 'puppeteer_click',
  title: 'Click an element',
  description:
    'Click an element given by CSS selector or by ref from puppeteer_snapshot; waits for any page it opens to load and says where the tab is afterwards.',
  input: z.object({
    ...targetFields,
    button: z.enum(['left', 'right', 'middle']).optional().describe('Mouse button (default left)'),
    clickCount: z
      .number()
      .int()
      .min(1)
      .max(3)
      .optional()
      .describe('2 for a double click (default 1)'),
    modifiers: z
      .array(z.enum(MODIFIERS))
      .max(4)
      .optional()
      .describe('Keys held during the click, e.g. ["Control"]'),
  }),
  annotations: WEB.CREATE,
  auditTarget: ['selector', 'ref'],
  async run(args, ctx) {
    return withTab(ctx, async (tab) => {
      const target = await resolveTarget(tab, args);
      const held = args.modifiers ?? [];
      await settle(tab.page, ctx.config.timeoutMs, async () => {
        for (const key of held) await tab.page.keyboard.down(key);
        try {
          await target.handle.click({ button: args.button ?? 'left', count: args.clickCount ?? 1 });
        } finally {
          for (const key of held.toReversed()) await tab.page.keyboard.up(key);
        }
      });
      return text(`Clicked ${target.label}. ${await pageLine(tab)}`);
    });
  },
});

export const fill = defineTool({
  name: 'puppeteer_fill',
  title: 'Fill a field',
  description:
    'Replace the value of a text field, text area or editable element (by CSS selector or ref) with the given text, firing the input events a user would.',
  input: z.object({
    ...targetFields,
    value: z.string().max(100_000).describe('Text to put in the field (replaces what is there)'),
  }),
  annotations: WEB.SET,
  auditTarget: ['selector', 'ref'],
  async run(args, ctx) {
    return withTab(ctx, async (tab) => {
      const target = await resolveTarget(tab, args);
      await target.handle.asLocator().setTimeout(ctx.config.timeoutMs).fill(args.value);
      return text(`Filled ${target.label} (${args.value.length} characters).`);
    });
  },
});

export const select = defineTool({
  name: 'puppeteer_select',
  title: 'Choose a select option',
  description:
    'Choose the option with the given value in a <select> element (by CSS selector or ref); fails, listing the available values, when no option has it.',
  input: z.object({
    ...targetFields,
    value: z.string().max(10_000).describe('The value attribute of the option to choose'),
  }),
  annotations: WEB.SET,
  auditTarget: ['selector', 'ref'],
  async run(args, ctx) {
    return withTab(ctx, async (tab) => {
      const target = await resolveTarget(tab, args);
      const isSelect = await target.handle.evaluate(
        (element) => element instanceof HTMLSelectElement,
      );
      if (!isSelect)
        throw new ToolError(
          `${target.label} is not a <select> element; use puppeteer_click or puppeteer_fill.`,
        );
      const chosen = await target.handle.select(args.value);
      if (!chosen.includes(args.value)) {
        const values = await target.handle.evaluate((element) =>
          Array.from((element as HTMLSelectElement).options, (option) => option.value).slice(0, 50),
        );
        throw new ToolError(
          `${target.label} has no option with value ${JSON.stringify(args.value)}; its values are ${values.map((value) => JSON.stringify(cleanLine(value, 80))).join(', ')}.`,
        );
      }
      return text(`Selected ${JSON.stringify(args.value)} in ${target.label}.`);
    });
  },
});

export const hover = defineTool({
  name: 'puppeteer_hover',
  title: 'Hover over an element',
  description:
    'Move the mouse over an element (by CSS selector or ref), e.g. to open a menu or show a tooltip.',
  input: z.object(targetFields),
  annotations: WEB.SET,
  auditTarget: ['selector', 'ref'],
  async run(args, ctx) {
    return withTab(ctx, async (tab) => {
      const target = await resolveTarget(tab, args);
      await target.handle.hover();
      return text(`Hovered over ${target.label}.`);
    });
  },
});

/** Splits `Control+Shift+A` into held modifiers and the key pressed. */
function parseChord(chord: string): { modifiers: KeyInput[]; key: KeyInput } {
  const parts = chord === '+' ? ['+'] : chord.split('+').filter((part) => part !== '');
  const key = parts.pop();
  if (key === undefined) throw new ToolError(`"${chord}" names no key.`);
  return { modifiers: parts as KeyInput[], key: key as KeyInput };
}

export const pressKey = defineTool({
  name: 'puppeteer_press_key',
  title: 'Press a key',
  description:
    'Press a key or chord (Enter, Tab, Escape, ArrowDown, Control+A, Shift+Tab), optionally after focusing an element by selector or ref; waits for any page it opens.',
  input: z.object({
    key: z
      .string()
      .min(1)
      .max(60)
      .describe('Key name as in KeyboardEvent.key, or a chord joined with + such as Control+A'),
    ...targetFields,
  }),
  annotations: WEB.CREATE,
  auditTarget: ['selector', 'ref', 'key'],
  async run(args, ctx) {
    return withTab(ctx, async (tab) => {
      const { modifiers, key } = parseChord(args.key);
      if (args.selector !== undefined || args.ref !== undefined)
        await (await resolveTarget(tab, args)).handle.focus();
      await settle(tab.page, ctx.config.timeoutMs, async () => {
        for (const modifier of modifiers) await tab.page.keyboard.down(modifier);
        try {
          await tab.page.keyboard.press(key);
        } finally {
          for (const modifier of modifiers.toReversed()) await tab.page.keyboard.up(modifier);
        }
      });
      return text(`Pressed ${args.key}. ${await pageLine(tab)}`);
    });
  },
});

export const type = defineTool({
  name: 'puppeteer_type',
  title: 'Type text',
  description:
    'Type text key by key into the focused element, or into an element given by selector or ref (appending to what is there); submit presses Enter afterwards.',
  input: z.object({
    text: z.string().max(100_000).describe('Text to type'),
    ...targetFields,
    submit: z.boolean().optional().describe('Press Enter after typing (default false)'),
    delayMs: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .optional()
      .describe('Pause between keys in milliseconds, for pages that react to each key (default 0)'),
  }),
  annotations: WEB.CREATE,
  auditTarget: ['selector', 'ref'],
  async run(args, ctx) {
    return withTab(ctx, async (tab) => {
      let label = 'the focused element';
      if (args.selector !== undefined || args.ref !== undefined) {
        const target = await resolveTarget(tab, args);
        await target.handle.focus();
        label = target.label;
      }
      await settle(tab.page, ctx.config.timeoutMs, async () => {
        await tab.page.keyboard.type(args.text, { delay: args.delayMs ?? 0 });
        if (args.submit === true) await tab.page.keyboard.press('Enter');
      });
      return text(
        `Typed ${args.text.length} characters into ${label}${args.submit === true ? ' and pressed Enter' : ''}. ${await pageLine(tab)}`,
      );
    });
  },
});
