/**
 * @module
 * The `--help` text of a built server, exactly as a user sees it: the entry file run with the
 * Node running the tests, in an environment of nothing but PATH.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Runs `node <main> <args>` (default `--help`) and returns its stdout. */
export function helpText(main: string | URL, args: readonly string[] = ['--help']): string {
  const file = typeof main === 'string' ? main : fileURLToPath(main);
  return execFileSync(process.execPath, [file, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
  });
}
