/**
 * @module
 * puppeteer_wait_for: wait until text appears or disappears, an element reaches a state, or the
 * network goes quiet. The conditions are fixed checks run by the server, not JavaScript from
 * the caller.
 */
import { text, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool } from '../context.js';
import { withTab, PAGE } from './common.js';

/** How long no request may be open for the network to count as idle, as Puppeteer and Playwright use. */
const NETWORK_IDLE_MS = 500;

export const waitFor = defineTool({
  name: 'puppeteer_wait_for',
  title: 'Wait for the page',
  description:
    'Wait until the page shows some text, stops showing it, has an element in a given state, or its network is idle; give one or more conditions (all must hold). Fails after the timeout.',
  input: z.object({
    text: z
      .string()
      .min(1)
      .max(1000)
      .optional()
      .describe('Wait until the visible page text contains this'),
    textGone: z
      .string()
      .min(1)
      .max(1000)
      .optional()
      .describe('Wait until the visible page text no longer contains this'),
    selector: z
      .string()
      .min(1)
      .max(2000)
      .optional()
      .describe('Wait until an element matches this CSS selector (see state)'),
    state: z
      .enum(['attached', 'visible', 'hidden'])
      .optional()
      .describe('For selector: attached (default), visible, or hidden (gone or invisible)'),
    networkIdle: z
      .boolean()
      .optional()
      .describe('Wait until no request has been in flight for 500 ms'),
    timeoutMs: z
      .number()
      .int()
      .min(100)
      .optional()
      .describe(
        'Give up after this many milliseconds (default and cap: the server timeout, 30 s unless configured)',
      ),
  }),
  auditTarget: ['selector'],
  annotations: PAGE.READ,
  async run(args, ctx) {
    if (
      args.text === undefined &&
      args.textGone === undefined &&
      args.selector === undefined &&
      args.networkIdle !== true
    )
      throw new ToolError('Give at least one condition: text, textGone, selector or networkIdle.');
    if (args.state !== undefined && args.selector === undefined)
      throw new ToolError('state applies to selector; give a selector.');
    const timeout = Math.min(args.timeoutMs ?? ctx.config.timeoutMs, ctx.config.timeoutMs);
    return withTab(ctx, async (tab) => {
      const page = tab.page;
      const met: string[] = [];
      if (args.selector !== undefined) {
        const state = args.state ?? 'attached';
        await page.waitForSelector(args.selector, {
          timeout,
          visible: state === 'visible',
          hidden: state === 'hidden',
        });
        met.push(`${JSON.stringify(args.selector)} is ${state}`);
      }
      if (args.text !== undefined || args.textGone !== undefined) {
        await page.waitForFunction(
          (present: string | null, absent: string | null) => {
            const body = document.body?.innerText ?? '';
            return (
              (present === null || body.includes(present)) &&
              (absent === null || !body.includes(absent))
            );
          },
          { timeout, polling: 100 },
          args.text ?? null,
          args.textGone ?? null,
        );
        if (args.text !== undefined) met.push(`the text ${JSON.stringify(args.text)} is shown`);
        if (args.textGone !== undefined)
          met.push(`the text ${JSON.stringify(args.textGone)} is gone`);
      }
      if (args.networkIdle === true) {
        await tab.inflight.idle(NETWORK_IDLE_MS, timeout, ctx.signal).catch((error: unknown) => {
          if (error instanceof Error && error.name === 'TimeoutError')
            throw new ToolError(
              `The network did not stay quiet for ${NETWORK_IDLE_MS / 1000} s within ${timeout / 1000} s: ${tab.inflight.size} request(s) of this page are still open. Wait without networkIdle, or list them with puppeteer_list_network_requests.`,
            );
          throw error;
        });
        met.push('the network is idle');
      }
      return text(`Done: ${met.join(', ')}.`);
    });
  },
});

export const waitTools = [waitFor];
