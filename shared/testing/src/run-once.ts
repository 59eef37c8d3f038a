/**
 * @module
 * Runs a command to completion and collects its exit code and output: for a server's `--help`,
 * its refusals of bad configuration, and one-shot subcommands.
 */
import { spawn } from 'node:child_process';
import { defaultEnvironment } from './raw-stdio.js';

/** What the process left behind. */
export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `command args` in the minimal environment plus `env` (stdin stays open and empty). */
export function runOnce(
  command: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      env: { ...defaultEnvironment(), ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
