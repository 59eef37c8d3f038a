/**
 * @module
 * The operator's profiles directory (--profiles-dir) and everything a tool may name inside it:
 * a profile is a subdirectory holding one Chromium user data directory, a storage state is a
 * `.json` file beside them. Names are plain words, never paths: no separators, no `..`, nothing
 * absolute, and neither a profile nor a state file may be a symlink, so nothing a model sends
 * can read or write outside the directory.
 */
import { constants, type Stats } from 'node:fs';
import { lstat, mkdir, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ToolError } from '@plugboard/protocol';

/** Profile names: letters, digits, `_` and `-` (no dots, so a profile is never a state file). */
const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** State files: a plain file name ending in `.json`. */
const STATE_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}\.json$/;
/** The largest storage state file read back. */
export const STATE_FILE_MAX = 8 * 1024 * 1024;

function describe(name: string): string {
  return JSON.stringify(name.slice(0, 100));
}

/** Says why `name` is not a plain name inside the directory, when it is not. */
function refusal(name: string, what: string, rule: string): ToolError {
  const why =
    name.includes('/') || name.includes('\\') || name.startsWith('.')
      ? 'names are looked up inside the profiles directory only: no paths, no "..", nothing absolute'
      : rule;
  return new ToolError(`${what} ${describe(name)} is refused: ${why}.`);
}

export function checkProfileName(name: string): string {
  if (!PROFILE_NAME.test(name))
    throw refusal(name, 'The profile name', 'use letters, digits, "_" and "-" (at most 64)');
  return name;
}

export function checkStateFile(name: string): string {
  if (!STATE_FILE.test(name) || name.includes('..'))
    throw refusal(
      name,
      'The storage state file',
      'use a file name such as "signed-in.json" (letters, digits, ".", "_", "-", ending in .json)',
    );
  return name;
}

/** Throws when `dir/name` is a symbolic link; returns its stat, or undefined when it is absent. */
async function refuseLink(dir: string, name: string, what: string): Promise<Stats | undefined> {
  const stat = await lstat(join(dir, name)).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  });
  if (stat?.isSymbolicLink() === true)
    throw new ToolError(
      `${what} ${describe(name)} is a symbolic link; the server only uses real entries of the profiles directory.`,
    );
  return stat;
}

/**
 * The user data directory of profile `name` in the canonical directory `dir`, created (owner
 * only) the first time it is used.
 */
export async function profileDirectory(dir: string, name: string): Promise<string> {
  const path = join(dir, checkProfileName(name));
  const stat =
    (await refuseLink(dir, name, 'The profile')) ??
    (await mkdir(path, { mode: 0o700 }).then(() => lstat(path)));
  if (stat?.isDirectory() !== true)
    throw new ToolError(`The profile ${describe(name)} is not a directory.`);
  return path;
}

/** The profiles in `dir` (its real subdirectories with profile names), sorted. */
export async function listProfiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory() && PROFILE_NAME.test(entry.name))
    .map((entry) => entry.name)
    .sort();
}

/** O_NOFOLLOW where the platform has it: opening a symlink then fails instead of following it. */
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

function fileError(error: unknown, name: string): never {
  const code = (error as NodeJS.ErrnoException).code;
  if (error instanceof ToolError) throw error;
  if (code === 'ENOENT')
    throw new ToolError(
      `There is no storage state file ${describe(name)} in the profiles directory; export one with puppeteer_export_storage_state first.`,
    );
  if (code === 'ELOOP' || code === 'EMLINK')
    throw new ToolError(
      `The storage state file ${describe(name)} is a symbolic link; the server only uses real files of the profiles directory.`,
    );
  if (code === 'EISDIR')
    throw new ToolError(`${describe(name)} is a directory, not a storage state file.`);
  throw error;
}

/** Writes a storage state file inside `dir`, replacing a regular file of that name. */
export async function writeStateFile(dir: string, name: string, content: string): Promise<string> {
  const path = join(dir, checkStateFile(name));
  try {
    // Checked before opening as well, for platforms without O_NOFOLLOW.
    await refuseLink(dir, name, 'The storage state file');
    const handle = await open(
      path,
      constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | NO_FOLLOW,
      0o600,
    );
    try {
      await handle.writeFile(content, 'utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    fileError(error, name);
  }
  return path;
}

/** Reads a storage state file from inside `dir`, at most {@link STATE_FILE_MAX} bytes. */
export async function readStateFile(dir: string, name: string): Promise<string> {
  const path = join(dir, checkStateFile(name));
  try {
    await refuseLink(dir, name, 'The storage state file');
    const handle = await open(path, constants.O_RDONLY | NO_FOLLOW);
    try {
      const { size } = await handle.stat();
      if (size > STATE_FILE_MAX)
        throw new ToolError(
          `The storage state file ${describe(name)} has ${size} bytes; the server reads at most ${STATE_FILE_MAX}.`,
        );
      return await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    fileError(error, name);
  }
}
