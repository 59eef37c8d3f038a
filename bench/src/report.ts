/**
 * @module
 * The tables `pnpm bench` prints. Each cell is a median, its spread (half the interquartile range,
 * as a percentage of the median) and, where it means something, a ratio: cold-start rows against
 * the `node -e ''` baseline, every other row of a peer against our server in the same suite.
 */
import type { HttpRecord } from './http-load.js';
import type { CallSample, ColdSample, HeavySample } from './measure.js';
import type { BaselineRecord, SubjectRecord, SuiteRecord, TargetResult } from './runner.js';
import { relativeSpread, summarize, type Summary } from './stats.js';

/** A number with about three significant digits, thousands separated. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(2);
}

function cell(summary: Summary | undefined, ratio?: number): string {
  if (summary === undefined) return '–';
  const spread = summary.n > 1 ? ` ±${Math.round(relativeSpread(summary) * 100)}%` : '';
  const times = ratio === undefined || !Number.isFinite(ratio) ? '' : ` ${ratio.toFixed(2)}×`;
  return `${formatNumber(summary.median)}${spread}${times}`;
}

/** Renders rows as an aligned text table: the first column left-aligned, the rest right-aligned. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((text, i) => (widths[i] = Math.max(widths[i] ?? 0, text.length)));
  const lines = rows.map((row) =>
    row
      .map((text, i) => (i === 0 ? text.padEnd(widths[i] ?? 0) : text.padStart(widths[i] ?? 0)))
      .join('  '),
  );
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [lines[0], rule, ...lines.slice(1)].join('\n');
}

function values<T extends object>(samples: readonly T[], key: keyof T): number[] {
  return samples.map((sample) => {
    const v = sample[key];
    return typeof v === 'number' ? v : Number.NaN;
  });
}

type Column =
  { kind: 'subject'; record: SubjectRecord } | { kind: 'baseline'; record: BaselineRecord };

interface Row {
  label: string;
  /** The samples of a column for this row; undefined leaves the cell empty. */
  of(column: Column): number[] | undefined;
  /** `cold`: ratio to the cold baseline; `ours`: peers relative to our server. */
  ratio: 'cold' | 'ours' | 'none';
  /** A yes/no count, shown only when some sample says yes. */
  flag?: boolean;
}

function coldRow(
  label: string,
  key: keyof ColdSample,
  ratio: Row['ratio'],
  baselineToo = false,
): Row {
  return {
    label,
    ratio,
    of: (column) =>
      column.kind === 'subject'
        ? values(column.record.cold, key)
        : baselineToo
          ? values(column.record.runs, 'wallMs')
          : undefined,
  };
}

function callRow(call: string, label: string, key: keyof CallSample): Row {
  return {
    label: `${call}: ${label}`,
    ratio: 'ours',
    of: (c) => (c.kind === 'subject' ? values(c.record.calls[call] ?? [], key) : undefined),
  };
}

function heavyRow(heavy: string, label: string, key: keyof HeavySample, scale = 1): Row {
  return {
    label: `${heavy}: ${label}`,
    ratio: 'ours',
    of: (c) =>
      c.kind === 'subject'
        ? values(c.record.heavy[heavy] ?? [], key).map((v) => v * scale)
        : undefined,
  };
}

/** `row` as a yes/no count: no ratio, and shown only when some sample says yes. */
function flagRow(row: Row): Row {
  return { ...row, ratio: 'none', flag: true };
}

function unique(names: Iterable<string>): string[] {
  return [...new Set(names)];
}

/** The main table of a suite, plus the heavy baselines, notes, skips and failures. */
export function renderSuite(record: SuiteRecord): string {
  const out: string[] = [`\n## ${record.title}`];
  if (record.skipped !== undefined) {
    out.push(`skipped: ${record.skipped}`);
    return out.join('\n');
  }
  const measured = record.subjects.filter((s) => s.skipped === undefined && s.cold.length > 0);
  const coldBaselines = record.baselines.filter((b) => b.kind === 'cold' && b.runs.length > 0);
  const columns: Column[] = [
    ...coldBaselines.map((b): Column => ({ kind: 'baseline', record: b })),
    ...measured.map((s): Column => ({ kind: 'subject', record: s })),
  ];
  const ours = measured.find((s) => s.role === 'ours');
  const coldBase = record.baselines.find((b) => b.id === record.coldBaseline);
  const coldBaseMedian =
    coldBase === undefined ? undefined : summarize(values(coldBase.runs, 'wallMs'))?.median;

  const calls = unique(measured.flatMap((s) => Object.keys(s.calls)));
  const heavies = unique(measured.flatMap((s) => Object.keys(s.heavy)));
  const rows: Row[] = [
    coldRow('cold start → initialize, ms', 'initializeMs', 'cold', true),
    coldRow('cold start → tools/list, ms', 'toolsListMs', 'cold'),
    coldRow('server CPU to tools/list, ms', 'cpuToListMs', 'ours'),
    coldRow('idle RSS, MB', 'idleRssMb', 'ours'),
    {
      label: 'peak RSS after the workload, MB',
      ratio: 'ours',
      of: (c) =>
        c.kind === 'subject'
          ? c.record.peakRssMb
          : values(c.record.runs, 'peakRssMb').filter((v) => v > 0),
    },
    {
      label: 'stdin closed → exit, ms',
      ratio: 'none',
      of: (c) => (c.kind === 'subject' ? c.record.exitMs : undefined),
    },
    ...calls.flatMap((call) => [
      callRow(call, 'sequential p50, µs', 'seqP50Us'),
      callRow(call, 'sequential p99, µs', 'seqP99Us'),
      callRow(call, 'server CPU per call, sequential, µs', 'seqCpuUs'),
      callRow(call, 'server CPU per call, pipelined, µs', 'pipeCpuUs'),
      callRow(call, 'calls/s, pipelined', 'pipeCallsPerSec'),
      callRow(call, 'harness CPU per pipelined call, µs', 'harnessCpuUs'),
    ]),
    ...heavies.flatMap((heavy) => [
      heavyRow(heavy, 'ms', 'ms'),
      heavyRow(heavy, 'server CPU, ms', 'cpuMs'),
      heavyRow(heavy, 'response, KB', 'bytes', 1 / 1024),
      heavyRow(heavy, 'text content, KB', 'textBytes', 1 / 1024),
      heavyRow(heavy, 'peak RSS during the call, MB', 'peakRssMb'),
      heavyRow(heavy, 'RSS growth during the call, MB', 'rssGrowthMb'),
      flagRow(heavyRow(heavy, 'refused (1) or answered (0)', 'refused')),
      flagRow(heavyRow(heavy, 'no answer by the deadline (1)', 'unanswered')),
      heavyRow(heavy, 'round trips to the peer per call', 'turnsPerCall'),
      heavyRow(heavy, 'ping p50 during the call, ms', 'pingP50Ms'),
      heavyRow(heavy, 'ping p99 during the call, ms', 'pingP99Ms'),
      heavyRow(heavy, 'slowest ping during the call, ms', 'pingMaxMs'),
      heavyRow(heavy, 'event-loop delay p99 during the call, ms', 'loopDelayP99Ms'),
      heavyRow(heavy, 'longest event-loop delay during the call, ms', 'loopDelayMaxMs'),
    ]),
  ];

  const header = [
    'metric (median ±IQR/2, ratio)',
    ...columns.map((c) => (c.kind === 'subject' ? c.record.label : c.record.label)),
  ];
  const body = rows
    .filter(
      (row) => row.flag !== true || columns.some((column) => row.of(column)?.includes(1) === true),
    )
    .map((row) => {
      const oursMedian =
        ours === undefined
          ? undefined
          : summarize(row.of({ kind: 'subject', record: ours }) ?? [])?.median;
      const cells = columns.map((column) => {
        const samples = row.of(column);
        if (samples === undefined) return '';
        const summary = summarize(samples);
        if (summary === undefined) return '–';
        let ratio: number | undefined;
        if (row.ratio === 'cold' && column.kind === 'subject' && coldBaseMedian !== undefined)
          ratio = summary.median / coldBaseMedian;
        if (
          row.ratio === 'ours' &&
          column.kind === 'subject' &&
          column.record !== ours &&
          oursMedian !== undefined
        )
          ratio = summary.median / oursMedian;
        return cell(summary, ratio);
      });
      return cells.every((text) => text === '' || text === '–') ? undefined : [row.label, ...cells];
    })
    .filter((row): row is string[] => row !== undefined);
  const infoRow = [
    'tools / tools/list size',
    ...columns.map((c) =>
      c.kind === 'subject' && c.record.info !== undefined
        ? `${c.record.info.tools} / ${(c.record.info.toolsListBytes / 1024).toFixed(1)} KB`
        : '',
    ),
  ];
  out.push(table([header, ...body, infoRow]));

  const truncated = measured.flatMap((s) =>
    Object.entries(s.heavy)
      .filter(([, samples]) => samples.some((sample) => sample.truncated))
      .map(([name]) => `${s.label} ${name}`),
  );
  if (truncated.length > 0)
    out.push(`truncated responses (said "truncated"): ${truncated.join(', ')}`);

  const heavyBaselines = record.baselines.filter((b) => b.kind === 'heavy' && b.runs.length > 0);
  if (heavyBaselines.length > 0) {
    out.push('');
    out.push(
      table([
        ['baseline (spawn → exit)', 'wall ms', 'in-process ms', 'output KB'],
        ...heavyBaselines.map((b) => [
          b.label,
          cell(summarize(values(b.runs, 'wallMs'))),
          cell(summarize(values(b.runs, 'inProcessMs'))),
          cell(summarize(values(b.runs, 'stdoutBytes').map((v) => v / 1024))),
        ]),
      ]),
    );
  }

  const notes: string[] = [];
  for (const s of record.subjects) {
    if (s.skipped !== undefined) notes.push(`skipped ${s.label}: ${s.skipped}`);
    if (s.note !== undefined) notes.push(`note ${s.label}: ${s.note}`);
    if (s.info !== undefined)
      notes.push(
        `${s.label}: ${s.info.name} ${s.info.version}, protocol ${s.info.protocolVersion}`,
      );
    for (const [name, failure] of Object.entries(s.failures))
      notes.push(`failed ${s.label} ${name}: ${failure}`);
    for (const error of unique(s.errors)) notes.push(`error ${s.label}: ${error}`);
    if (s.gaveUp === true) notes.push(`${s.label} was left out after repeated failures`);
    if (s.signalled > 0)
      notes.push(
        `${s.label}: ${s.signalled} instance(s) did not exit after stdin closed and were signalled`,
      );
    if (s.noiseLines > 0)
      notes.push(`${s.label}: wrote ${s.noiseLines} non-JSON-RPC line(s) to stdout`);
  }
  for (const b of record.baselines)
    for (const error of unique(b.errors)) notes.push(`error ${b.label}: ${error}`);
  if (notes.length > 0) out.push('', ...notes.map((note) => `- ${note}`));
  if (record.targets.length > 0) out.push('', renderTargets(record.targets));
  return out.join('\n');
}

/** Pass/fail marks for the targets; the figures are printed, never asserted. */
export function renderTargets(targets: readonly TargetResult[]): string {
  const lines = ['Targets:'];
  for (const target of targets) {
    if (target.pass === undefined || target.value === undefined || target.limit === undefined) {
      lines.push(`  [ -- ] ${target.label}: ${target.note ?? 'not measured'}`);
      continue;
    }
    const unit = target.unit === 'B' ? ' KB' : ` ${target.unit ?? ''}`;
    const scale = target.unit === 'B' ? 1 / 1024 : 1;
    const ratio =
      target.ratio === undefined
        ? ''
        : `: ${target.ratio.value.toFixed(2)}× against ${String(target.ratio.limit)}×`;
    lines.push(
      `  [${target.pass ? 'PASS' : 'MISS'}] ${target.label}: ${formatNumber(target.value * scale)}${unit} (limit ${formatNumber(target.limit * scale)}${unit}${ratio})`,
    );
  }
  return lines.join('\n');
}

/**
 * RSS over an HTTP run. The heap grows to its working size during the first chunks, so memory
 * counts as flat when the second half of the run adds at most max(5 MB, 5%): a leak keeps growing
 * in proportion to the requests served, a working set does not.
 */
export function rssGrowth(chunks: readonly { rssMb: number }[]):
  | {
      first: number;
      middle: number;
      last: number;
      secondHalf: number;
      limit: number;
      flat: boolean;
    }
  | undefined {
  const first = chunks[0]?.rssMb;
  const middle = chunks[Math.floor((chunks.length - 1) / 2)]?.rssMb;
  const last = chunks[chunks.length - 1]?.rssMb;
  if (first === undefined || middle === undefined || last === undefined) return undefined;
  const secondHalf = last - middle;
  const limit = Math.max(5, middle * 0.05);
  return { first, middle, last, secondHalf, limit, flat: secondHalf <= limit };
}

/** Calls/s of ours at least this many times the peer's, measured in the same run (issue 23). */
const HTTP_THROUGHPUT_FACTOR = 2.5;
/** Latency p99 of ours at most this, in µs, with every client's session busy (issue 23). */
const HTTP_P99_LIMIT_US = 150_000;

function mark(pass: boolean): string {
  return pass ? '[PASS]' : '[MISS]';
}

/** The HTTP targets: throughput against the peer, p99, and memory flat over the run. */
function httpTargets(record: HttpRecord, ours: HttpRecord['subjects'][number]): string[] {
  const lines = ['Targets:'];
  const median = (s: HttpRecord['subjects'][number], key: 'callsPerSec' | 'p99Us'): number =>
    summarize(values(s.chunks, key))?.median ?? Number.NaN;
  const peer = record.subjects.find((s) => s.role === 'peer' && s.chunks.length > 0);
  const calls = median(ours, 'callsPerSec');
  if (peer === undefined) {
    lines.push(`  [ -- ] calls/s >= ${String(HTTP_THROUGHPUT_FACTOR)}x the peer: no peer measured`);
  } else {
    const ratio = calls / median(peer, 'callsPerSec');
    lines.push(
      `  ${mark(ratio >= HTTP_THROUGHPUT_FACTOR)} ${ours.label} calls/s >= ${String(HTTP_THROUGHPUT_FACTOR)}x ${peer.label}: ${formatNumber(calls)} against ${formatNumber(median(peer, 'callsPerSec'))} (${ratio.toFixed(2)}×)`,
    );
  }
  const p99 = median(ours, 'p99Us');
  lines.push(
    `  ${mark(p99 <= HTTP_P99_LIMIT_US)} ${ours.label} latency p99 <= ${formatNumber(HTTP_P99_LIMIT_US / 1000)} ms: ${formatNumber(p99 / 1000)} ms`,
  );
  const g = rssGrowth(ours.chunks);
  if (g !== undefined)
    lines.push(
      `  ${mark(g.flat)} ${ours.label} memory stays flat over ${record.requests.toLocaleString('en-US')} requests: ${formatNumber(g.secondHalf)} MB growth over the second half (limit ${formatNumber(g.limit)} MB)`,
    );
  return lines;
}

/** The HTTP suite: throughput, latency and CPU per chunk (medians over chunks), and RSS over the run. */
export function renderHttp(record: HttpRecord): string {
  const out = [
    `\n## HTTP: ${record.clients} concurrent clients (one session each) calling a cheap tool, ${record.requests.toLocaleString('en-US')} requests per server in chunks of ${record.chunkSize.toLocaleString('en-US')}, alternating`,
  ];
  const measured = record.subjects.filter((s) => s.skipped === undefined && s.chunks.length > 0);
  const ours = measured.find((s) => s.role === 'ours');
  if (measured.length > 0) {
    const metric = (
      label: string,
      key: keyof HttpRecord['subjects'][number]['chunks'][number],
      ratio: boolean,
    ): string[] => {
      const oursMedian =
        ours === undefined ? undefined : summarize(values(ours.chunks, key))?.median;
      return [
        label,
        ...measured.map((s) => {
          const summary = summarize(values(s.chunks, key));
          return cell(
            summary,
            ratio && s !== ours && summary !== undefined && oursMedian !== undefined
              ? summary.median / oursMedian
              : undefined,
          );
        }),
      ];
    };
    const rows: string[][] = [
      ['metric (median over chunks ±IQR/2, ratio)', ...measured.map((s) => s.label)],
      metric('calls/s', 'callsPerSec', true),
      metric('latency p50, µs', 'p50Us', true),
      metric('latency p99, µs', 'p99Us', true),
      metric('server CPU per call, µs', 'serverCpuUsPerCall', true),
      metric('harness CPU per call, µs', 'harnessCpuUsPerCall', false),
      [
        'RSS after warm-up, MB',
        ...measured.map((s) => (s.warmRssMb === undefined ? '–' : formatNumber(s.warmRssMb))),
      ],
      [
        'RSS first → middle → last chunk, MB',
        ...measured.map((s) => {
          const g = rssGrowth(s.chunks);
          return g === undefined
            ? '–'
            : `${formatNumber(g.first)} → ${formatNumber(g.middle)} → ${formatNumber(g.last)}`;
        }),
      ],
      [
        'peak RSS (VmHWM), MB',
        ...measured.map((s) => (s.peakRssMb === undefined ? '–' : formatNumber(s.peakRssMb))),
      ],
      ['failed requests', ...measured.map((s) => String(s.failures))],
    ];
    out.push(table(rows));
    for (const s of measured) {
      out.push(
        `- ${s.label} RSS after each chunk, MB: ${s.chunks.map((c) => c.rssMb.toFixed(0)).join(' ')}`,
      );
      if (s.firstFailure !== undefined) out.push(`- ${s.label} first failure: ${s.firstFailure}`);
      if (s.note !== undefined) out.push(`- note ${s.label}: ${s.note}`);
    }
  }
  for (const s of record.subjects)
    if (s.skipped !== undefined) out.push(`- skipped ${s.label}: ${s.skipped}`);
  if (ours !== undefined) out.push('', ...httpTargets(record, ours));
  return out.join('\n');
}
