/**
 * @module
 * No image can be built on this machine (no Docker daemon, no base images), so every server's
 * Dockerfile is checked statically (multi-stage, pruned with `turbo prune --docker`, Node 22 slim
 * or alpine, non-root user, the registry label, an ENTRYPOINT that is the server's bin), and the
 * same prune, install, build, pack, install and run steps are performed outside Docker for one
 * server, ending in a real MCP session.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp as copy, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { npmInstall } from './support/npm.js';
import { profiles } from './support/profiles.js';
import { runSession } from './support/session.js';
import { listServers, repoRoot } from './support/workspace.js';

const run = promisify(execFile);

/** One parsed instruction (continuation lines joined, comments dropped). */
interface Instruction {
  readonly op: string;
  readonly rest: string;
}

function instructions(dockerfile: string): readonly Instruction[] {
  return dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [op = '', ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), rest: rest.join(' ') };
    });
}

describe('.dockerignore', () => {
  it('keeps node_modules, build outputs and .git out of the build context', () => {
    const ignore = readFileSync(join(repoRoot, '.dockerignore'), 'utf8').split('\n');
    expect(ignore).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '.git']));
  });
});

for (const server of listServers()) {
  const path = join(server.dir, 'Dockerfile');
  describe(`${server.pkg.name} Dockerfile`, () => {
    if (!existsSync(path)) {
      it.fails(`exists at servers/${server.id}/Dockerfile`, () => undefined);
      return;
    }
    const parsed = instructions(readFileSync(path, 'utf8'));
    const from = parsed.filter((step) => step.op === 'FROM');
    const nodeImage = parsed.find(
      (step) => step.op === 'ARG' && step.rest.startsWith('NODE_IMAGE='),
    );
    const stagesAfter = (stage: string): readonly Instruction[] =>
      parsed.slice(
        parsed.findIndex((step) => step.op === 'FROM' && step.rest.endsWith(`AS ${stage}`)),
      );

    it('is multi-stage on a Node 22 slim or alpine base', () => {
      expect(from.length).toBeGreaterThanOrEqual(3);
      expect(nodeImage?.rest).toMatch(/^NODE_IMAGE=node:22(\.\d+)*-(slim|alpine)/);
      for (const stage of from) expect(stage.rest).toMatch(/^\$\{NODE_IMAGE\}|^base /);
    });

    it('prunes the workspace to this server and installs from the pruned lockfile', () => {
      const runs = parsed.filter((step) => step.op === 'RUN').map((step) => step.rest);
      expect(runs).toContainEqual(
        expect.stringContaining(`turbo prune ${server.pkg.name} --docker`),
      );
      expect(runs).toContainEqual(expect.stringContaining('pnpm install --frozen-lockfile'));
    });

    it('runs as a non-root user with the registry label and the server as ENTRYPOINT', () => {
      const runtime = stagesAfter('runtime');
      const users = runtime.filter((step) => step.op === 'USER').map((step) => step.rest);
      expect(users.at(-1)).toMatch(/^(node|[1-9]\d*)$/);
      const labels = runtime
        .filter((step) => step.op === 'LABEL')
        .map((step) => step.rest)
        .join(' ');
      expect(labels).toContain(`io.modelcontextprotocol.server.name="${server.pkg.mcpName ?? ''}"`);
      const entrypoint = runtime.find((step) => step.op === 'ENTRYPOINT');
      expect(JSON.parse(entrypoint?.rest ?? 'null')).toEqual([
        'node',
        `/app/node_modules/${server.pkg.name}/${server.binPath}`,
      ]);
      expect(runtime.some((step) => step.op === 'CMD' && /http/.test(step.rest))).toBe(false);
    });
  });
}

describe('the Dockerfile steps outside Docker', () => {
  const server = listServers().find((candidate) => candidate.id === 'git');
  const profile = profiles.git;
  it.skipIf(server === undefined || profile === undefined)(
    'prune, frozen install, build, pack and npm install give a git server that serves a session',
    { timeout: 600_000 },
    async () => {
      if (server === undefined || profile === undefined) return;
      const work = await mkdtemp(join(tmpdir(), 'plugboard-docker-steps-'));
      try {
        await copy(repoRoot, join(work, 'repo'), {
          recursive: true,
          filter: (source) => !/\/(node_modules|dist|build|\.git|\.turbo|out)$/.test(source),
        });
        const repo = join(work, 'repo');
        await run(
          join(repoRoot, 'node_modules/.bin/turbo'),
          ['prune', server.pkg.name, '--docker'],
          {
            cwd: repo,
            env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
          },
        );
        const built = join(work, 'built');
        await copy(join(repo, 'out/json'), built, { recursive: true });
        await run(
          'pnpm',
          ['install', '--frozen-lockfile', '--ignore-scripts', '--prefer-offline'],
          {
            cwd: built,
          },
        );
        await copy(join(repo, 'out/full'), built, { recursive: true });
        expect(existsSync(join(built, 'shared/distribution'))).toBe(false);
        await run('pnpm', ['exec', 'turbo', 'run', 'build', `--filter=${server.pkg.name}`], {
          cwd: built,
          env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
        });
        expect(existsSync(join(built, 'servers', server.id, server.binPath))).toBe(true);
        const pack = join(work, 'pack');
        await run('pnpm', ['--filter', server.pkg.name, 'pack', '--pack-destination', pack], {
          cwd: built,
        });
        await run('pnpm', ['--filter', '@plugboard/protocol', 'pack', '--pack-destination', pack], {
          cwd: built,
        });
        const tarballs = (await readdir(pack)).map((file) => join(pack, file));
        const app = join(work, 'app');
        await npmInstall(app, tarballs);
        const entrypoint = join(app, 'node_modules', server.pkg.name, server.binPath);
        const prepared = await profile();
        try {
          const session = await runSession({
            command: process.execPath,
            args: [entrypoint, ...prepared.args],
            env: prepared.env,
            call: prepared.call,
          });
          expect(session.callIsError, session.callText).toBe(false);
          expect(session.callText).toContain(prepared.expectText);
        } finally {
          await prepared.cleanup();
        }
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    },
  );
});
