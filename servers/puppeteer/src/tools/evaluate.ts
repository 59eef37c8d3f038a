/**
 * @module
 * puppeteer_evaluate, the reference tool: arbitrary JavaScript in the page, returning its JSON
 * result and the console output it caused. Off unless the operator starts the server with
 * --allow-evaluate. Even then the script runs as the page (its fetches obey the URL policy), in
 * a throwaway profile, under the timeout; a page it hangs is replaced.
 */
import { structured, ToolError, truncateText } from '@plugboard/protocol';
import { z } from 'zod';
import { toToolError } from '../browser/errors.js';
import { cleanText } from '../browser/untrusted.js';
import { defineTool } from '../context.js';
import { responsive, withTab, WEB } from './common.js';

export const EVALUATE_DISABLED =
  'puppeteer_evaluate is disabled on this server: running arbitrary JavaScript is off unless the operator starts it with --allow-evaluate (PUPPETEER_ALLOW_EVALUATE=1). Use puppeteer_snapshot to read the page and the click, fill and type tools to act on it.';

const evaluateOutput = z.object({
  json: z
    .string()
    .describe('The result as JSON ("undefined" when the script returned nothing serialisable)'),
  console: z
    .array(z.string())
    .describe('Console messages the page logged while the script ran, as [level] text'),
  truncated: z.boolean().describe('True when json was cut to fit the output budget'),
});

function timeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new ToolError(`The script did not finish within ${ms / 1000} s.`)),
        ms,
      );
    }),
  ]);
}

export const evaluate = defineTool({
  name: 'puppeteer_evaluate',
  title: 'Run JavaScript in the page',
  description:
    'Run a JavaScript expression in the current page and return its JSON result and console output. Only available when the operator enabled it with --allow-evaluate; otherwise prefer puppeteer_snapshot and the action tools.',
  input: z.object({
    script: z
      .string()
      .min(1)
      .max(100_000)
      .describe('JavaScript expression to evaluate in the page; a promise is awaited'),
  }),
  output: evaluateOutput,
  requires: ['allowEvaluate'],
  approval: {
    class: 'script',
    summary: ({ script }) => `Run this JavaScript in the current page of the browser:\n\n${script}`,
  },
  annotations: WEB.UPDATE,
  async run({ script }, ctx) {
    if (!ctx.config.allowEvaluate) throw new ToolError(EVALUATE_DISABLED);
    return withTab(ctx, async (tab) => {
      const since = ctx.session.nextSeq();
      let value: unknown;
      try {
        value = await timeout(tab.page.evaluate(script), ctx.config.timeoutMs);
      } catch (error) {
        if (error instanceof ToolError) {
          // A page that does not answer a trivial probe is hung (an endless loop): replace it.
          if (!(await responsive(tab.page))) {
            await ctx.session.renew(tab);
            throw new ToolError(
              `${error.message} The page stopped responding, so tab ${tab.id} now shows a blank page.`,
            );
          }
          throw error;
        }
        // What the browser reports (a navigation, a crash) is converted with every other call's
        // errors; anything else came from the script itself, whatever it threw.
        if (toToolError(error, tab) !== undefined) throw error;
        const message = error instanceof Error ? error.message : String(error);
        throw new ToolError(
          `Script execution failed: ${cleanText(message.split('\n')[0] ?? message, 500)}`,
        );
      }
      const logs = ctx.session.console
        .items()
        .filter((entry) => entry.seq > since && entry.tab === tab.id)
        .map((entry) => `[${entry.level}] ${entry.text}`);
      // Page data: invisible and bidirectional characters go, as everywhere else.
      const json = cleanText(JSON.stringify(value) ?? 'undefined', Number.MAX_SAFE_INTEGER);
      const cut = truncateText(json, Math.max(1024, ctx.config.outputBudget - 4096));
      const consoleText = truncateText(logs.join('\n'), 4096);
      const rendering = `Execution result:\n${cut.text}${cut.truncated ? `\n[truncated: ${cut.totalBytes} bytes of JSON; return a smaller value]` : ''}\n\nConsole output:\n${consoleText.text}`;
      return structured(
        {
          json: cut.text,
          console: consoleText.text === '' ? [] : consoleText.text.split('\n'),
          truncated: cut.truncated,
        },
        rendering,
      );
    });
  },
});
