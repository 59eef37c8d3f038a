/**
 * @module
 * What a Chromium performance trace of one page load says, read from its trace events the way
 * DevTools and Lighthouse read them: the last main-frame navigation of the traced renderer, its
 * First Contentful Paint and Largest Contentful Paint candidates, the layout shifts (Cumulative
 * Layout Shift as the largest session window), and the long tasks of its main thread (over 50 ms)
 * with Total Blocking Time and, for each, the script or event that ran in it. Pure, for tests.
 */

/** One event of Chromium's JSON trace format (times in microseconds). */
export interface TraceEvent {
  readonly name: string;
  readonly cat?: string;
  readonly ph: string;
  readonly ts: number;
  readonly dur?: number;
  readonly pid: number;
  readonly tid: number;
  readonly args?: { data?: Record<string, unknown>; name?: string; frame?: string };
}

/** The categories recorded: those DevTools' performance panel needs for these metrics. */
export const TRACE_CATEGORIES = [
  '-*',
  'blink.user_timing',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'loading',
  'toplevel',
  'v8.execute',
];

export interface LongTask {
  /** Milliseconds after the navigation started. */
  readonly startMs: number;
  readonly durationMs: number;
  /** The part over 50 ms. */
  readonly blockingMs: number;
  /** What ran in it: a script, a function with its source location, an event or a timer. */
  readonly attribution: string;
}

export interface LayoutShift {
  readonly startMs: number;
  readonly score: number;
}

export interface TraceSummary {
  /** The traced page's URL (untrusted). */
  readonly url: string | undefined;
  readonly fcpMs: number | undefined;
  readonly lcpMs: number | undefined;
  /** What the LCP candidate was (`image`, `text`), when the trace says. */
  readonly lcpType: string | undefined;
  readonly cls: number;
  /** Sum of the long tasks' time over 50 ms after First Contentful Paint. */
  readonly tbtMs: number;
  /** The longest first. */
  readonly longTasks: readonly LongTask[];
  readonly layoutShifts: readonly LayoutShift[];
  readonly durationMs: number;
}

const LONG_TASK_US = 50_000;
const SCRIPT_EVENTS = new Set(['EvaluateScript', 'FunctionCall', 'TimerFire', 'EventDispatch']);

const data = (event: TraceEvent): Record<string, unknown> => event.args?.data ?? {};
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;
const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
const ms = (us: number): number => Math.round(us / 100) / 10;

/** The main-frame navigation the trace is about: the last one to an http(s) document. */
function mainNavigation(events: readonly TraceEvent[]): TraceEvent | undefined {
  return events
    .filter(
      (event) =>
        event.name === 'navigationStart' &&
        data(event).isLoadingMainFrame === true &&
        /^https?:/.test(text(data(event).documentLoaderURL) ?? ''),
    )
    .at(-1);
}

/** Where a script event points: `name (url:line:column)`, or the event type. */
function describeScript(event: TraceEvent): string {
  const info = data(event);
  const url = text(info.url);
  const line = num(info.lineNumber);
  const column = num(info.columnNumber);
  const place =
    url === undefined
      ? ''
      : `${url}${line === undefined ? '' : `:${line}${column === undefined ? '' : `:${column}`}`}`;
  switch (event.name) {
    case 'FunctionCall':
      return `function ${text(info.functionName) ?? '(anonymous)'}${place === '' ? '' : ` (${place})`}`;
    case 'EvaluateScript':
      return `script ${place === '' ? '(inline)' : place}`;
    case 'EventDispatch':
      return `${text(info.type) ?? 'an'} event handler`;
    default:
      return 'a timer callback';
  }
}

/**
 * What ran in a task: its outermost script event (a timer, an event, a script) with the function
 * or script it ran, else its longest child.
 */
function attribute(task: TraceEvent, children: readonly TraceEvent[]): string {
  const end = task.ts + (task.dur ?? 0);
  const inside = children
    .filter((child) => child.ts >= task.ts && child.ts < end)
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const scripts = inside.filter((child) => SCRIPT_EVENTS.has(child.name));
  const outer = scripts[0];
  if (outer !== undefined) {
    const code = scripts.find(
      (child) => child.name === 'FunctionCall' || child.name === 'EvaluateScript',
    );
    return code === undefined || code === outer
      ? describeScript(outer)
      : `${describeScript(outer)}: ${describeScript(code)}`;
  }
  const longest = [...inside].sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))[0];
  return longest === undefined ? 'browser work (no script)' : longest.name;
}

/** CLS: the largest sum of shifts in a window of gaps under 1 s, at most 5 s long. */
function cumulativeShift(shifts: readonly { ts: number; score: number }[]): number {
  let best = 0;
  let window = 0;
  let windowStart = -Infinity;
  let last = -Infinity;
  for (const shift of shifts) {
    if (shift.ts - last > 1_000_000 || shift.ts - windowStart > 5_000_000) {
      window = 0;
      windowStart = shift.ts;
    }
    window += shift.score;
    last = shift.ts;
    best = Math.max(best, window);
  }
  return Math.round(best * 10_000) / 10_000;
}

export function summarizeTrace(events: readonly TraceEvent[]): TraceSummary {
  const navigation = mainNavigation(events);
  const pid = navigation?.pid;
  const tid = navigation?.tid;
  // Traces hold hundreds of thousands of events: folded, never spread into arguments.
  const origin =
    navigation?.ts ??
    events.reduce((min, event) => (event.ts > 0 ? Math.min(min, event.ts) : min), Infinity);
  const navigationId = navigation === undefined ? undefined : text(data(navigation).navigationId);
  const ofNavigation = (event: TraceEvent): boolean =>
    event.pid === pid &&
    event.ts >= origin &&
    (navigationId === undefined || text(data(event).navigationId) === navigationId);

  const fcp = events.find((event) => event.name === 'firstContentfulPaint' && ofNavigation(event));
  const lcp = events
    .filter((event) => event.name === 'largestContentfulPaint::Candidate' && ofNavigation(event))
    .at(-1);

  const shifts = events
    .filter(
      (event) =>
        event.name === 'LayoutShift' &&
        event.pid === pid &&
        event.ts >= origin &&
        data(event).had_recent_input !== true,
    )
    .map((event) => ({
      ts: event.ts,
      score: num(data(event).weighted_score_delta) ?? num(data(event).score) ?? 0,
    }))
    .sort((a, b) => a.ts - b.ts);

  const mainThread = events.filter(
    (event) => event.pid === pid && event.tid === tid && event.ph === 'X' && event.ts >= origin,
  );
  const tasks = mainThread.filter(
    (event) => event.name === 'RunTask' && (event.dur ?? 0) > LONG_TASK_US,
  );
  const children = mainThread.filter((event) => event.name !== 'RunTask');
  const longTasks = tasks
    .map((task) => ({
      startMs: ms(task.ts - origin),
      durationMs: ms(task.dur ?? 0),
      blockingMs: ms((task.dur ?? 0) - LONG_TASK_US),
      attribution: attribute(task, children),
      afterFcp: fcp === undefined || task.ts >= fcp.ts,
    }))
    .sort((a, b) => b.durationMs - a.durationMs);
  const end = events.reduce((max, event) => Math.max(max, event.ts + (event.dur ?? 0)), -Infinity);
  return {
    url: navigation === undefined ? undefined : text(data(navigation).documentLoaderURL),
    fcpMs: fcp === undefined ? undefined : ms(fcp.ts - origin),
    lcpMs: lcp === undefined ? undefined : ms(lcp.ts - origin),
    lcpType: lcp === undefined ? undefined : text(data(lcp).type),
    cls: cumulativeShift(shifts),
    tbtMs: ms(
      longTasks
        .filter((task) => task.afterFcp)
        .reduce((sum, task) => sum + task.blockingMs * 1000, 0),
    ),
    longTasks: longTasks.map(({ afterFcp: _, ...task }) => task),
    layoutShifts: shifts.map((shift) => ({
      startMs: ms(shift.ts - origin),
      score: Math.round(shift.score * 10_000) / 10_000,
    })),
    durationMs: Number.isFinite(end) && Number.isFinite(origin) ? ms(end - origin) : 0,
  };
}
