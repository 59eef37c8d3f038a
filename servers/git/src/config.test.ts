import { mkdtemp, realpath, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError, type FlagValue } from '@plugboard/kit/cli';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.js';
import { ChildProcesses } from '@plugboard/kit/process';

async function parse(flags: Record<string, FlagValue>, positionals: string[] = []) {
  return parseConfig(
    new Map(Object.entries(flags)),
    positionals,
    { PATH: '/bin' },
    '/',
    new ChildProcesses(),
  );
}

describe('parseConfig', () => {
  it('canonicalises repositories and keeps every power off by default', async () => {
    const dir = await realpath(await mkdtemp(join(tmpdir(), 'git-config-')));
    try {
      await symlink(dir, `${dir}-link`);
      const { config, runner } = await parse({ repository: [`${dir}-link`, dir] });
      expect(config).toEqual({
        repositories: [dir],
        allowRemote: false,
        allowDestructive: false,
        allowLocalRemotes: false,
        outputBudget: 65536,
      });
      expect(runner.timeoutMs).toBe(120_000);
    } finally {
      await rm(`${dir}-link`, { force: true });
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a repository that does not exist, stray arguments and tiny budgets', async () => {
    await expect(parse({ repository: ['/no/such/dir'] })).rejects.toThrow(UsageError);
    await expect(parse({}, ['/repo'])).rejects.toThrow(/--repository/);
    await expect(parse({ 'output-budget': 10 })).rejects.toThrow(/at least/);
  });
});
