/**
 * @module
 * Runs one suite: every available server and every baseline command, interleaved. Each round
 * visits all of them once, starting one further along each time (A B C, B C A, C A B, ...), so
 * whatever else the machine is doing hits every subject alike. The first rounds are cold-start
 * only; the last ones also run the call workloads. One unrecorded warm-up visit primes the page
 * cache first. The raw samples are kept; `mediansOf` reduces them for the targets and tables.
 */
import { runCommand, type ChildRegistry, type CommandRun } from './launch.js';
import {
  measureInstance,
  repsFor,
  type CallSample,
  type ColdSample,
  type HeavySample,
  type ServerInfo,
  type Workload,
} from './measure.js';
import { resolveSources, type ResolveContext } from './sources.js';
import { median } from './stats.js';
import type { Baseline, Medians, ServerSubject, Suite, SuiteEnv, Target } from './suite.js';

export interface SubjectRecord {
  id: string;
  label: string;
  role: 'ours' | 'peer';
  command?: string[];
  note?: string;
  skipped?: string;
  /** Instances that failed, with why. After three in a row the subject is left out. */
  errors: string[];
  gaveUp?: boolean;
  info?: ServerInfo;
  cold: ColdSample[];
  exitMs: number[];
  /** Instances that did not exit within the grace period after stdin closed. */
  signalled: number;
  peakRssMb: number[];
  calls: Record<string, CallSample[]>;
  heavy: Record<string, HeavySample[]>;
  /** Calls that failed (unknown tool, error result), by name. */
  failures: Record<string, string>;
  noiseLines: number;
}

export interface BaselineRecord {
  id: string;
  label: string;
  kind: Baseline['kind'];
  command: string[];
  runs: Omit<CommandRun, 'stderrTail'>[];
  errors: string[];
}

export interface TargetResult {
  label: string;
  value?: number;
  limit?: number;
  unit?: string;
  /** The value and the limit as factors of the reference, for a target relative to one. */
  ratio?: { value: number; limit: number };
  pass?: boolean;
  /** Why the figure is not comparable, when it is not. */
  note?: string;
}

export interface SuiteRecord {
  id: string;
  title: string;
  skipped?: string;
  rounds: { cold: number; full: number };
  subjects: SubjectRecord[];
  baselines: BaselineRecord[];
  coldBaseline: string;
  targets: TargetResult[];
}

/** How many rounds, and the workload of each full round. */
export interface RunPlan {
  coldRounds: number;
  fullRounds: number;
  work: Workload;
}

/** Consecutive failed instances after which a subject is left out of the rest of the suite. */
const GIVE_UP_AFTER = 3;

function emptySubject(subject: ServerSubject): SubjectRecord {
  return {
    id: subject.id,
    label: subject.label,
    role: subject.role,
    errors: [],
    cold: [],
    exitMs: [],
    signalled: 0,
    peakRssMb: [],
    calls: {},
    heavy: {},
    failures: {},
    noiseLines: 0,
  };
}

/** Resolves a suite's servers without running anything: which can run, and why the others cannot. */
export function planSubjects(suite: Suite, ctx: ResolveContext): SubjectRecord[] {
  return suite.subjects.map((subject) => {
    const record = emptySubject(subject);
    const resolution = resolveSources(subject.sources, ctx);
    if ('skip' in resolution) {
      record.skipped = resolution.skip;
    } else {
      record.command = resolution.argv;
      if (resolution.note !== undefined) record.note = resolution.note;
    }
    return record;
  });
}

type Item =
  | { kind: 'server'; subject: ServerSubject; record: SubjectRecord }
  | { kind: 'baseline'; baseline: Baseline; record: BaselineRecord };

function recordInstance(
  record: SubjectRecord,
  result: Awaited<ReturnType<typeof measureInstance>>,
): void {
  record.info = result.info;
  record.cold.push(result.cold);
  record.exitMs.push(result.exitMs);
  if (result.signalled) record.signalled++;
  record.noiseLines = Math.max(record.noiseLines, result.noiseLines);
  if (result.peakRssMb !== undefined) record.peakRssMb.push(result.peakRssMb);
  for (const [name, sample] of result.calls) {
    if ('failure' in sample) record.failures[name] = sample.failure;
    else (record.calls[name] ??= []).push(sample);
  }
  for (const [name, samples] of result.heavy) {
    if ('failure' in samples) record.failures[name] = samples.failure;
    else (record.heavy[name] ??= []).push(...samples);
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs a suite whose servers were resolved by {@link planSubjects}. */
export async function runSuite(
  suite: Suite,
  subjects: SubjectRecord[],
  env: SuiteEnv,
  plan: RunPlan,
  registry: ChildRegistry,
  log: (line: string) => void,
): Promise<SuiteRecord> {
  const baselines: BaselineRecord[] = suite.baselines.map((baseline) => ({
    id: baseline.id,
    label: baseline.label,
    kind: baseline.kind,
    command: [...baseline.command(env).argv],
    runs: [],
    errors: [],
  }));
  const items: Item[] = [];
  suite.subjects.forEach((subject, index) => {
    const record = subjects[index];
    if (record !== undefined && record.command !== undefined)
      items.push({ kind: 'server', subject, record });
  });
  suite.baselines.forEach((baseline, index) => {
    const record = baselines[index];
    if (record !== undefined) items.push({ kind: 'baseline', baseline, record });
  });

  const failuresInARow = new Map<string, number>();
  const visit = async (
    item: Item,
    full: boolean,
    recorded: boolean,
  ): Promise<string | undefined> => {
    if (item.kind === 'baseline') {
      if (item.baseline.kind === 'heavy' && !full) return undefined;
      const reps = item.baseline.kind === 'cold' ? 1 : repsFor(item.baseline.reps, plan.work);
      let last: CommandRun | undefined;
      for (let i = 0; i < reps; i++) {
        last = await runCommand(item.baseline.command(env), registry);
        if (last.code !== 0 && !(item.baseline.id === 'grep' && last.code === 1)) {
          item.record.errors.push(
            `exit code ${String(last.code)}: ${last.stderrTail.slice(0, 300)}`,
          );
          return `${item.record.id} failed`;
        }
        if (recorded) {
          const { stderrTail: _, ...run } = last;
          item.record.runs.push(run);
        }
      }
      return last === undefined ? undefined : `${item.record.id} ${last.wallMs.toFixed(0)} ms`;
    }
    const { record, subject } = item;
    if (record.gaveUp === true || record.command === undefined) return undefined;
    const [program, ...rest] = record.command;
    const envVars = subject.envVars?.(env);
    try {
      const result = await measureInstance(
        {
          argv: [program ?? '', ...rest, ...subject.args(env)],
          ...(envVars === undefined ? {} : { env: envVars }),
        },
        {
          full: full && recorded,
          calls: subject.calls(env),
          heavy: subject.heavy?.(env) ?? [],
          work: plan.work,
        },
        registry,
      );
      if (recorded) recordInstance(record, result);
      failuresInARow.set(record.id, 0);
      return `${record.id} ${result.cold.toolsListMs.toFixed(0)} ms`;
    } catch (error) {
      record.errors.push(message(error));
      const inARow = (failuresInARow.get(record.id) ?? 0) + 1;
      failuresInARow.set(record.id, inARow);
      if (inARow >= GIVE_UP_AFTER) {
        record.gaveUp = true;
        log(`  ${record.id}: left out after ${GIVE_UP_AFTER} failures in a row: ${message(error)}`);
      }
      return `${record.id} failed`;
    }
  };

  const total = plan.coldRounds + plan.fullRounds;
  log(`  warm-up visit (not recorded)`);
  for (const item of items) await visit(item, false, false);
  for (let round = 0; round < total; round++) {
    const full = round >= plan.coldRounds;
    const shift = round % Math.max(1, items.length);
    const order = [...items.slice(shift), ...items.slice(0, shift)];
    const notes: string[] = [];
    for (const item of order) {
      const note = await visit(item, full, true);
      if (note !== undefined) notes.push(note);
    }
    log(`  round ${round + 1}/${total} ${full ? 'full' : 'cold'}: ${notes.join(', ')}`);
  }

  const record: SuiteRecord = {
    id: suite.id,
    title: suite.title,
    rounds: { cold: total, full: plan.fullRounds },
    subjects,
    baselines,
    coldBaseline: suite.coldBaseline,
    targets: [],
  };
  record.targets = evaluateTargets(suite.targets, mediansOf(record));
  return record;
}

function pick(values: readonly object[], key: string): number[] {
  return values.map((value) => {
    const v: unknown = (value as Record<string, unknown>)[key];
    return typeof v === 'number' ? v : Number.NaN;
  });
}

/** Median views over a suite's raw samples. */
export function mediansOf(record: SuiteRecord): Medians {
  return {
    server(subjectId, metric) {
      const subject = record.subjects.find((s) => s.id === subjectId);
      if (subject === undefined) return undefined;
      const [group, name, key] = metric.split('.');
      if (group === 'call' && name !== undefined && key !== undefined)
        return median(pick(subject.calls[name] ?? [], key));
      if (group === 'heavy' && name !== undefined && key !== undefined)
        return median(pick(subject.heavy[name] ?? [], key));
      if (metric === 'peakRssMb') return median(subject.peakRssMb);
      if (metric === 'exitMs') return median(subject.exitMs);
      if (metric === 'toolsListBytes') return subject.info?.toolsListBytes;
      return median(pick(subject.cold, metric));
    },
    baseline(id, metric) {
      const baseline = record.baselines.find((b) => b.id === id);
      return baseline === undefined ? undefined : median(pick(baseline.runs, metric));
    },
    truncated(subjectId, heavy) {
      const samples = record.subjects.find((s) => s.id === subjectId)?.heavy[heavy];
      return samples === undefined || samples.length === 0
        ? undefined
        : samples.some((sample) => sample.truncated);
    },
  };
}

/** Marks each target pass or fail (or unmeasured). */
export function evaluateTargets(targets: readonly Target[], medians: Medians): TargetResult[] {
  return targets.map((target) => {
    const checked = target.check(medians);
    if (checked === undefined) return { label: target.label };
    if ('note' in checked) return { label: target.label, note: checked.note };
    return { label: target.label, ...checked, pass: checked.value <= checked.limit };
  });
}
