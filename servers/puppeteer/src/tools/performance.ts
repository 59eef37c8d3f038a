/**
 * @module
 * The performance toolset (off by default, `--toolsets performance`), after chrome-devtools-mcp's
 * `performance_start_trace` and `performance_stop_trace`: record a Chromium trace of the current
 * page (reloading it, under the URL policy, by default) and return its Core Web Vitals (FCP, LCP,
 * CLS, TBT) and its longest main-thread tasks with what ran in them. Chromium traces one page at
 * a time; the trace itself stays in the server, only the summary is returned.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import type { Tab } from '../browser/tab.js';
import { summarizeTrace, TRACE_CATEGORIES, type TraceEvent } from '../browser/trace.js';
import { cleanLine, provenance } from '../browser/untrusted.js';
import { defineTool, type BrowserContext } from '../context.js';
import { withTab, PAGE, WEB } from './common.js';

/** How long a trace that stops itself keeps recording after the page's load event. */
const SETTLE_MS = 1000;
/** Long tasks and layout shifts listed, the longest or largest first. */
const LISTED = 10;

const traceOutput = z.object({
  tab: z.string(),
  url: z.string().optional().describe('The traced page (untrusted)'),
  fcpMs: z.number().optional().describe('First Contentful Paint, ms after the navigation began'),
  lcpMs: z.number().optional().describe('Largest Contentful Paint, ms after the navigation began'),
  lcpType: z.string().optional().describe('What the LCP element was: image or text'),
  cls: z.number().describe('Cumulative Layout Shift (largest session window)'),
  tbtMs: z.number().describe('Total Blocking Time: long-task time over 50 ms after FCP'),
  longTaskCount: z.number().int(),
  longTasks: z
    .array(
      z.object({
        startMs: z.number(),
        durationMs: z.number(),
        blockingMs: z.number(),
        attribution: z.string().describe('The script, function or event that ran (untrusted)'),
      }),
    )
    .describe(`The ${LISTED} longest main-thread tasks over 50 ms`),
  layoutShiftCount: z.number().int(),
  layoutShifts: z
    .array(z.object({ startMs: z.number(), score: z.number() }))
    .describe(`The ${LISTED} largest layout shifts`),
  durationMs: z.number().describe('How long the trace covers, from the navigation'),
});

type TraceOutput = z.infer<typeof traceOutput>;

function tracingTab(ctx: BrowserContext): Tab | undefined {
  return ctx.session.tabs().find((tab) => tab.tracing);
}

async function stopTrace(tab: Tab): Promise<TraceOutput> {
  const buffer = await tab.page.tracing.stop().finally(() => {
    tab.tracing = false;
  });
  if (buffer === undefined) throw new ToolError('Chromium returned no trace.');
  const parsed = JSON.parse(new TextDecoder().decode(buffer)) as
    { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
  const summary = summarizeTrace(events);
  const largest = [...summary.layoutShifts].sort((a, b) => b.score - a.score);
  return {
    tab: tab.id,
    ...(summary.url === undefined ? {} : { url: cleanLine(summary.url, 300) }),
    ...(summary.fcpMs === undefined ? {} : { fcpMs: summary.fcpMs }),
    ...(summary.lcpMs === undefined ? {} : { lcpMs: summary.lcpMs }),
    ...(summary.lcpType === undefined ? {} : { lcpType: cleanLine(summary.lcpType, 40) }),
    cls: summary.cls,
    tbtMs: summary.tbtMs,
    longTaskCount: summary.longTasks.length,
    longTasks: summary.longTasks
      .slice(0, LISTED)
      .map((task) => ({ ...task, attribution: cleanLine(task.attribution, 300) })),
    layoutShiftCount: summary.layoutShifts.length,
    layoutShifts: largest.slice(0, LISTED),
    durationMs: summary.durationMs,
  };
}

function render(data: TraceOutput): string {
  const metric = (name: string, value: number | undefined, unit = ' ms') =>
    `${name} ${value === undefined ? 'not measured' : `${value}${unit}`}`;
  return [
    ...(data.url === undefined ? [] : [provenance(data.url)]),
    `Trace of tab ${data.tab} (${data.durationMs} ms): ${[
      metric('FCP', data.fcpMs),
      metric('LCP', data.lcpMs) + (data.lcpType === undefined ? '' : ` (${data.lcpType})`),
      metric('CLS', data.cls, ''),
      metric('TBT', data.tbtMs),
    ].join(', ')}. INP needs interactions and is not measured in a load trace.`,
    data.longTaskCount === 0
      ? 'No long tasks (over 50 ms) on the main thread.'
      : `${data.longTaskCount} long tasks, the longest:`,
    ...data.longTasks.map(
      (task) =>
        `  ${task.durationMs} ms at ${task.startMs} ms (blocking ${task.blockingMs} ms): ${task.attribution}`,
    ),
    ...(data.layoutShiftCount === 0
      ? []
      : [
          `${data.layoutShiftCount} layout shifts, the largest: ${data.layoutShifts
            .map((shift) => `${shift.score} at ${shift.startMs} ms`)
            .join(', ')}`,
        ]),
  ].join('\n');
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

export const startTrace = defineTool({
  name: 'puppeteer_performance_start_trace',
  title: 'Record a performance trace',
  description:
    'Record a performance trace of the current page, reloading it by default, and return Core Web Vitals (FCP, LCP, CLS, TBT) and the longest main-thread tasks with the script that ran. With autoStop false, tracing goes on until puppeteer_performance_stop_trace.',
  input: z.object({
    reload: z.boolean().optional().describe('Reload the page once tracing runs (default true)'),
    autoStop: z
      .boolean()
      .optional()
      .describe('Stop shortly after the page has loaded and return the results (default true)'),
  }),
  output: traceOutput.partial().extend({ tracing: z.boolean() }),
  toolset: 'performance',
  annotations: WEB.CREATE,
  async run({ reload = true, autoStop = true }, ctx) {
    return withTab(ctx, async (tab) => {
      const busy = tracingTab(ctx);
      if (busy !== undefined)
        throw new ToolError(
          `Tab ${busy.id} is being traced already; stop it with puppeteer_performance_stop_trace first.`,
        );
      if (!/^https?:/.test(tab.page.url()))
        throw new ToolError('Open the page to trace first (puppeteer_navigate).');
      await tab.page.tracing.start({ categories: TRACE_CATEGORIES });
      tab.tracing = true;
      try {
        if (reload) await tab.page.reload({ waitUntil: 'load', timeout: ctx.config.timeoutMs });
      } catch (error) {
        await tab.page.tracing.stop().catch(() => undefined);
        tab.tracing = false;
        throw error;
      }
      if (!autoStop)
        return structured(
          { tab: tab.id, tracing: true },
          `Tracing tab ${tab.id}; act on the page, then call puppeteer_performance_stop_trace.`,
        );
      await delay(SETTLE_MS);
      const data = await stopTrace(tab);
      return structured({ ...data, tracing: false }, render(data));
    });
  },
});

export const stopTraceTool = defineTool({
  name: 'puppeteer_performance_stop_trace',
  title: 'Stop the performance trace',
  description:
    'Stop the trace started with puppeteer_performance_start_trace (autoStop false) and return its Core Web Vitals and longest main-thread tasks.',
  input: z.object({}),
  output: traceOutput,
  toolset: 'performance',
  annotations: PAGE.CREATE,
  async run(_args, ctx) {
    return withTab(ctx, async () => {
      const tab = tracingTab(ctx);
      if (tab === undefined)
        throw new ToolError(
          'No trace is being recorded; start one with puppeteer_performance_start_trace.',
        );
      const data = await stopTrace(tab);
      return structured(data, render(data));
    });
  },
});

export const performanceTools = [startTrace, stopTraceTool];
