/**
 * @module
 * What a measured server costs the machine, read from Linux `/proc`: CPU time and resident memory
 * summed over the server's process and its descendants (so a launcher such as `uvx` and the
 * server it starts are counted together).
 *
 * CPU comes from `/proc/<pid>/task/<tid>/schedstat` (nanoseconds on the CPU, every live thread)
 * when the kernel provides it, plus what threads that have already ended used (a document worker
 * thread ends after each document): the process's `utime + stime` in `/proc/<pid>/stat` counts
 * them, its live threads' own do not, and the difference is theirs (clock ticks, 10 ms each, less
 * the rounding of the live threads' own: a lower bound, within two ticks per thread).
 * Without schedstat the process's `utime + stime` is used alone. Either way it is the server's own
 * CPU, unaffected by time spent waiting in the run queue, which is what makes per-call CPU
 * trustworthy on a busy shared machine.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

/** Clock ticks per second for `/proc/<pid>/stat` (USER_HZ; 100 on every mainstream Linux). */
const USER_HZ = 100;

/** One reading of a process tree. */
export interface TreeReading {
  /** CPU time of every thread in the tree, ended ones included, in milliseconds. */
  cpuMs: number;
  cpuSource: 'schedstat' | 'stat';
  /** Sum of VmRSS over the tree, in MiB. */
  rssMb: number;
  /** Sum of VmHWM (each process's peak RSS) over the tree, in MiB. */
  peakRssMb: number;
  pids: number[];
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return undefined;
  }
}

/** Fields of a `stat` file after the parenthesised command name (which may hold spaces). */
function statFieldsAt(path: string): string[] | undefined {
  const text = readText(path);
  if (text === undefined) return undefined;
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

function statFields(pid: number): string[] | undefined {
  return statFieldsAt(`/proc/${pid}/stat`);
}

/** `pid` and every live descendant of it (found through the parent pid of each process). */
export function processTree(pid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [pid];
  }
  const children = new Map<number, number[]>();
  for (const entry of entries) {
    const first = entry.charCodeAt(0);
    if (first < 48 || first > 57) continue;
    const child = Number(entry);
    // fields[1] is ppid (field 4 of stat).
    const parent = Number(statFields(child)?.[1]);
    if (!Number.isInteger(parent)) continue;
    const siblings = children.get(parent);
    if (siblings === undefined) children.set(parent, [child]);
    else siblings.push(child);
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i] ?? -1) ?? []));
  return tree;
}

/** utime + stime of `/proc/<pid>/stat` or of a thread's `/proc/<pid>/task/<tid>/stat`, in ticks. */
function statTicks(path: string): number {
  const fields = statFieldsAt(path);
  // utime and stime are fields 14 and 15 of stat.
  return fields === undefined ? 0 : Number(fields[11]) + Number(fields[12]);
}

function schedstatMs(pid: number): number | undefined {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  const processTicks = statTicks(`/proc/${pid}/stat`);
  let totalNs = 0;
  let liveTicks = 0;
  for (const tid of tasks) {
    const text = readText(`/proc/${pid}/task/${tid}/schedstat`);
    if (text === undefined) continue;
    totalNs += Number(text.split(' ')[0]);
    liveTicks += statTicks(`/proc/${pid}/task/${tid}/stat`);
  }
  // Each thread's utime and stime are rounded down to ticks on their own, the process's once, so
  // the difference holds up to two ticks per live thread of rounding: only what is past that is
  // counted, so that no reading ever gains CPU that no ended thread used.
  const endedTicks = Math.max(0, processTicks - liveTicks - 2 * tasks.length);
  return totalNs / 1e6 + (endedTicks * 1000) / USER_HZ;
}

function statCpuMs(pid: number): number {
  return (statTicks(`/proc/${pid}/stat`) * 1000) / USER_HZ;
}

function statusKb(status: string, key: string): number {
  const at = status.indexOf(`${key}:`);
  if (at < 0) return 0;
  return Number.parseInt(status.slice(at + key.length + 1).trimStart(), 10) || 0;
}

/**
 * Reads CPU and memory of `pid` and its descendants. Pass `pids` to skip the scan of `/proc`
 * when the members are already known (the scan costs a few milliseconds).
 */
export function readTree(pid: number, pids: readonly number[] = processTree(pid)): TreeReading {
  let cpuMs = 0;
  let cpuSource: TreeReading['cpuSource'] = 'schedstat';
  let rssKb = 0;
  let peakKb = 0;
  const alive: number[] = [];
  for (const pid of pids) {
    const status = readText(`/proc/${pid}/status`);
    if (status === undefined) continue;
    alive.push(pid);
    rssKb += statusKb(status, 'VmRSS');
    peakKb += statusKb(status, 'VmHWM');
    const sched = cpuSource === 'schedstat' ? schedstatMs(pid) : undefined;
    if (sched === undefined) {
      cpuSource = 'stat';
      cpuMs += statCpuMs(pid);
    } else {
      cpuMs += sched;
    }
  }
  return { cpuMs, cpuSource, rssMb: rssKb / 1024, peakRssMb: peakKb / 1024, pids: alive };
}

/**
 * Resets each process's peak RSS (VmHWM) to its current RSS (`5` into `/proc/<pid>/clear_refs`,
 * Linux >= 4.0), so that the next reading is the peak of what happens in between.
 */
export function resetPeak(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      writeFileSync(`/proc/${pid}/clear_refs`, '5');
    } catch {
      // Not permitted or gone: the peak then covers the whole life of the process.
    }
  }
}

/** A short description of this machine for the results file and the README. */
export function machineDescription(): {
  cpu: string;
  cores: number;
  memoryGb: number;
  kernel: string;
} {
  const cpuinfo = readText('/proc/cpuinfo') ?? '';
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? 'unknown CPU';
  const cores = (cpuinfo.match(/^processor\s*:/gm) ?? []).length;
  const meminfo = readText('/proc/meminfo') ?? '';
  const memoryGb = statusKb(meminfo, 'MemTotal') / 1024 / 1024;
  const kernel = (readText('/proc/sys/kernel/osrelease') ?? 'unknown').trim();
  return { cpu: model, cores, memoryGb: Math.round(memoryGb), kernel };
}

/** The 1-minute load average, to record how busy the machine was. */
export function loadAverage(): number | undefined {
  const text = readText('/proc/loadavg');
  return text === undefined ? undefined : Number(text.split(' ')[0]);
}
