/**
 * @module
 * The input toolset: drag one element onto another, fill a whole form in one call, act with the
 * mouse at coordinates, and scroll. Elements are given as everywhere else (CSS selector or ref);
 * coordinates are CSS pixels of the viewport, as a screenshot shows them.
 */
import { structured, text, ToolError } from '@plugboard/protocol';
import type { ElementHandle } from 'puppeteer-core';
import { z } from 'zod';
import { cleanLine } from '../browser/untrusted.js';
import { defineTool } from '../context.js';
import {
  pageLine,
  resolveTarget,
  settle,
  targetFields,
  withTab,
  type ResolvedTarget,
  WEB,
} from './common.js';

const target = z.object(targetFields).strict();

export const drag = defineTool({
  name: 'puppeteer_drag',
  title: 'Drag and drop',
  description:
    'Drag one element onto another with the mouse (HTML drag and drop and pointer-driven lists alike); each is given by CSS selector or ref.',
  input: z.object({
    from: target.describe('The element to pick up: { ref } or { selector }'),
    to: target.describe('The element to drop it on: { ref } or { selector }'),
  }),
  toolset: 'input',
  annotations: WEB.CREATE,
  auditTarget: ['from', 'to'],
  async run(args, ctx) {
    return withTab(ctx, async (tab) => {
      const from = await resolveTarget(tab, args.from);
      const to = await resolveTarget(tab, args.to);
      await settle(tab.page, ctx.config.timeoutMs, () => to.handle.drop(from.handle));
      return text(`Dragged ${from.label} onto ${to.label}. ${await pageLine(tab)}`);
    });
  },
});

/** What kind of control an element is, which decides how a value is put into it. */
type FieldKind = 'check' | 'select' | 'text';

async function kindOf(handle: ElementHandle): Promise<FieldKind> {
  return handle.evaluate((element) => {
    if (element instanceof HTMLSelectElement) return 'select';
    if (element instanceof HTMLInputElement && ['checkbox', 'radio'].includes(element.type))
      return 'check';
    return 'text';
  });
}

const CHECKED = ['true', 'false'];

async function fillOne(
  field: ResolvedTarget,
  kind: FieldKind,
  value: string,
  timeoutMs: number,
): Promise<void> {
  if (kind === 'check') {
    const checked = await field.handle.evaluate((element) => (element as HTMLInputElement).checked);
    if (checked !== (value === 'true')) await field.handle.click();
  } else if (kind === 'select') {
    const chosen = await field.handle.select(value);
    if (!chosen.includes(value))
      throw new ToolError(
        `${field.label} has no option with value ${JSON.stringify(cleanLine(value, 80))}; nothing after it was filled.`,
      );
  } else {
    await field.handle.asLocator().setTimeout(timeoutMs).fill(value);
  }
}

export const fillForm = defineTool({
  name: 'puppeteer_fill_form',
  title: 'Fill several fields',
  description:
    'Fill several fields in one call, in order: text fields and text areas get the value, a <select> the option with that value, a checkbox or radio "true" or "false". Every field is found before any is changed.',
  input: z.object({
    fields: z
      .array(
        z
          .object({
            ...targetFields,
            value: z.string().max(100_000).describe('Text, option value, or "true"/"false"'),
          })
          .strict(),
      )
      .min(1)
      .max(50)
      .describe('The fields and their values'),
  }),
  output: z.object({
    filled: z.array(z.object({ field: z.string(), kind: z.enum(['check', 'select', 'text']) })),
  }),
  toolset: 'input',
  annotations: WEB.SET,
  async run(args, ctx) {
    return withTab(ctx, async (tab) => {
      const found: { field: ResolvedTarget; kind: FieldKind; value: string }[] = [];
      for (const entry of args.fields) {
        const field = await resolveTarget(tab, entry);
        const kind = await kindOf(field.handle);
        if (kind === 'check' && !CHECKED.includes(entry.value))
          throw new ToolError(
            `${field.label} is a checkbox or radio button: give "true" or "false". Nothing was filled.`,
          );
        found.push({ field, kind, value: entry.value });
      }
      for (const { field, kind, value } of found)
        await fillOne(field, kind, value, ctx.config.timeoutMs);
      const filled = found.map(({ field, kind }) => ({ field: field.label, kind }));
      return structured(
        { filled },
        `Filled ${filled.length} field(s): ${filled.map((entry) => entry.field).join(', ')}.`,
      );
    });
  },
});

const coordinate = (axis: string) =>
  z.number().min(0).max(100_000).describe(`${axis} in CSS pixels from the viewport's top left`);

export const mouse = defineTool({
  name: 'puppeteer_mouse',
  title: 'Use the mouse at coordinates',
  description:
    'Click, double-click, move (hover), press or release the mouse at x, y in the viewport, for canvases, maps and elements without a ref; says which element is there.',
  input: z.object({
    action: z
      .enum(['click', 'move', 'down', 'up'])
      .describe('click (clickCount for double), move to hover, down/up to hold the button'),
    x: coordinate('Horizontal position'),
    y: coordinate('Vertical position'),
    button: z.enum(['left', 'right', 'middle']).optional().describe('Mouse button (default left)'),
    clickCount: z.number().int().min(1).max(3).optional().describe('2 for a double click'),
  }),
  toolset: 'input',
  annotations: WEB.CREATE,
  async run(args, ctx) {
    return withTab(ctx, async (tab) => {
      const { page } = tab;
      const button = args.button ?? 'left';
      const at = await page.evaluate(
        (x, y) => {
          const element = document.elementFromPoint(x, y);
          if (element === null) return '';
          const id = element.id === '' ? '' : `#${element.id}`;
          return `<${element.tagName.toLowerCase()}${id}> ${(element.textContent ?? '').trim().slice(0, 80)}`;
        },
        args.x,
        args.y,
      );
      await settle(page, ctx.config.timeoutMs, async () => {
        if (args.action === 'click')
          await page.mouse.click(args.x, args.y, { button, count: args.clickCount ?? 1 });
        else if (args.action === 'move') await page.mouse.move(args.x, args.y);
        else {
          await page.mouse.move(args.x, args.y);
          await (args.action === 'down' ? page.mouse.down({ button }) : page.mouse.up({ button }));
        }
      });
      const where = at === '' ? 'outside the page' : `on ${JSON.stringify(cleanLine(at, 120))}`;
      const done = { click: 'Clicked', move: 'Moved the mouse', down: 'Pressed', up: 'Released' };
      return text(
        `${done[args.action]} at (${args.x}, ${args.y}) ${where}. ${await pageLine(tab)}`,
      );
    });
  },
});

const scrollOutput = z.object({
  x: z.number().describe('The page scroll position after, in CSS pixels'),
  y: z.number(),
  width: z.number().describe('The scrollable size of the page'),
  height: z.number(),
});

export const scroll = defineTool({
  name: 'puppeteer_scroll',
  title: 'Scroll',
  description:
    'Scroll an element into view, scroll by deltaX/deltaY with the mouse wheel (over an element if one is given, so inner scroll areas move), or go to the top or bottom; returns the page scroll position.',
  input: z.object({
    ...targetFields,
    deltaX: z
      .number()
      .min(-100_000)
      .max(100_000)
      .optional()
      .describe('Pixels right (negative: left)'),
    deltaY: z.number().min(-100_000).max(100_000).optional().describe('Pixels down (negative: up)'),
    to: z.enum(['top', 'bottom']).optional().describe('Scroll the page to its top or bottom'),
  }),
  output: scrollOutput,
  toolset: 'input',
  annotations: WEB.CREATE,
  auditTarget: ['selector', 'ref', 'to'],
  async run(args, ctx) {
    const wheel = args.deltaX !== undefined || args.deltaY !== undefined;
    const element = args.selector !== undefined || args.ref !== undefined;
    if (args.to !== undefined && (wheel || element))
      throw new ToolError('Give to alone, or an element and/or deltas, not both.');
    if (args.to === undefined && !wheel && !element)
      throw new ToolError('Give an element to bring into view, deltaX/deltaY, or to.');
    return withTab(ctx, async (tab) => {
      const { page } = tab;
      if (element) {
        const found = await resolveTarget(tab, args);
        if (wheel) await found.handle.hover();
        else await found.handle.scrollIntoView();
      }
      if (wheel) await page.mouse.wheel({ deltaX: args.deltaX ?? 0, deltaY: args.deltaY ?? 0 });
      if (args.to !== undefined)
        await page.evaluate(
          (top) => window.scrollTo(0, top ? 0 : document.documentElement.scrollHeight),
          args.to === 'top',
        );
      // Wheel scrolling is applied on the next frames; read the position after them.
      const position = await page.evaluate(
        () =>
          new Promise<{ x: number; y: number; width: number; height: number }>((resolve) =>
            requestAnimationFrame(() =>
              requestAnimationFrame(() =>
                resolve({
                  x: Math.round(window.scrollX),
                  y: Math.round(window.scrollY),
                  width: document.documentElement.scrollWidth,
                  height: document.documentElement.scrollHeight,
                }),
              ),
            ),
          ),
      );
      return structured(
        position,
        `The page is scrolled to (${position.x}, ${position.y}) of ${position.width}x${position.height}.`,
      );
    });
  },
});

export const inputTools = [drag, fillForm, mouse, scroll];
