/**
 * @module
 * What the browser looks like from outside, read from /proc (Linux): the processes below a pid
 * with their command lines, and whether any of them listens on a TCP port.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface ProcessInfo {
  readonly pid: number;
  readonly args: string[];
}

/** The fields of /proc/<pid>/stat after the command name: state, ppid, pgrp, ... */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses; fields resume after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function parentOf(pid: number): number | undefined {
  const fields = statFields(pid);
  return fields === undefined ? undefined : Number(fields[1]);
}

/** The process group of `pid`. */
export function groupOf(pid: number): number | undefined {
  const fields = statFields(pid);
  return fields === undefined ? undefined : Number(fields[2]);
}

/** Every live (not zombie) process whose process group is `pgid`. */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (fields !== undefined && fields[0] !== 'Z' && Number(fields[2]) === pgid)
      members.push(Number(entry));
  }
  return members;
}

function argsOf(pid: number): string[] {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .filter((arg) => arg !== '');
    // Processes forked from Chromium's zygote rewrite their command line as one string.
    return args.length === 1 && args[0]!.includes(' --') ? args[0]!.split(' ') : args;
  } catch {
    return [];
  }
}

/** Every live process below `root`, at any depth. */
export function descendants(root: number): ProcessInfo[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = parentOf(Number(entry));
    if (parent !== undefined) parents.set(Number(entry), parent);
  }
  const found: ProcessInfo[] = [];
  const below = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (below.has(parent) && !below.has(pid)) {
        below.add(pid);
        grew = true;
        found.push({ pid, args: argsOf(pid) });
      }
    }
  }
  return found;
}

/** The Chromium browser process (not a renderer or helper) below `root`. */
export function browserProcess(root: number): ProcessInfo | undefined {
  return descendants(root).find(
    (info) =>
      info.args.some((arg) => arg.startsWith('--remote-debugging-pipe')) &&
      !info.args.some((arg) => arg.startsWith('--type=')),
  );
}

export function isAlive(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) Z /.test(state);
  } catch {
    return false;
  }
}

/** TCP sockets in LISTEN state owned by any of `pids`. */
export function listeningSockets(pids: readonly number[]): number {
  const listening = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] === '0A' && fields[9] !== undefined) listening.add(fields[9]);
    }
  }
  let count = 0;
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (match !== null && listening.has(match[1]!)) count++;
      } catch {
        // The descriptor closed while we looked.
      }
    }
  }
  return count;
}
