/**
 * @module
 * No image can be built on this machine (no Docker daemon, no base images), so the one Dockerfile
 * is checked statically as the build for each server reads it (`--build-arg SERVER=<id>`:
 * multi-stage, pruned with `turbo prune --docker`, Node 22 slim or alpine, the server's own system
 * stage, non-root user, the registry label, an ENTRYPOINT that is the server's bin), and the
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
import { dockerfileFor, dockerfilePath } from './support/dockerfile.js';
import { npmInstall } from './support/npm.js';
import { profiles } from './support/profiles.js';
import { runSession } from './support/session.js';
import { listServers, repoRoot } from './support/workspace.js';

const run = promisify(execFile);

describe('.dockerignore', () => {
  it('keeps node_modules, build outputs and .git out of the build context', () => {
    const ignore = readFileSync(join(repoRoot, '.dockerignore'), 'utf8').split('\n');
    expect(ignore).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '.git']));
  });
});

describe('the one Dockerfile', () => {
  it('is the only one: no server keeps a Dockerfile of its own', () => {
    expect(existsSync(dockerfilePath)).toBe(true);
    const own = listServers().filter((server) => existsSync(join(server.dir, 'Dockerfile')));
    expect(own.map((server) => server.id)).toEqual([]);
  });
});

for (const server of listServers()) {
  describe(`${server.pkg.name} image (--build-arg SERVER=${server.id})`, () => {
    const dockerfile = dockerfileFor(server.id);
    const system = dockerfile.stage(`os-${server.id}`);

    it(`has a system stage os-${server.id}, and the build argument names the package`, () => {
      expect(system, `FROM \${NODE_IMAGE} AS os-${server.id}`).toBeDefined();
      expect(dockerfile.stage('runtime')?.from).toBe(`os-${server.id}`);
      expect(server.pkg.name).toBe(`@plugboard/server-${server.id}`);
    });

    it('is multi-stage on a Node 22 slim or alpine base', () => {
      expect(dockerfile.stages.length).toBeGreaterThanOrEqual(3);
      const nodeImage = dockerfile.globals.find(
        (step) => step.op === 'ARG' && step.rest.startsWith('NODE_IMAGE='),
      );
      expect(nodeImage?.rest).toMatch(/^NODE_IMAGE=node:22(\.\d+)*-(slim|alpine)/);
      const names = new Set(dockerfile.stages.map((stage) => stage.name));
      for (const stage of dockerfile.stages)
        expect(stage.from === '${NODE_IMAGE}' || names.has(stage.from), stage.from).toBe(true);
    });

    it('prunes the workspace to this server and installs from the pruned lockfile', () => {
      const runs = dockerfile.stages
        .flatMap((stage) => stage.steps)
        .filter((step) => step.op === 'RUN')
        .map((step) => step.rest);
      expect(runs).toContainEqual(
        expect.stringContaining(`turbo prune ${server.pkg.name} --docker`),
      );
      expect(runs).toContainEqual(expect.stringContaining('pnpm install --frozen-lockfile'));
    });

    it('runs as a non-root user with the registry label and the server as ENTRYPOINT', () => {
      const runtime = dockerfile.runtime;
      const users = runtime.filter((step) => step.op === 'USER').map((step) => step.rest);
      expect(users.at(-1)).toMatch(/^(node|[1-9]\d*)$/);
      const labels = runtime
        .filter((step) => step.op === 'LABEL')
        .map((step) => step.rest)
        .join(' ');
      expect(labels).toContain(`io.modelcontextprotocol.server.name="${server.pkg.mcpName ?? ''}"`);
      expect(labels).toContain(`org.opencontainers.image.title="${server.pkg.name}"`);
      expect(labels).toContain('org.opencontainers.image.description=');
      // /app/server is the installed package, so the ENTRYPOINT is the server's bin.
      const runs = runtime.filter((step) => step.op === 'RUN').map((step) => step.rest);
      expect(runs).toContainEqual(
        expect.stringContaining(`ln -s node_modules/${server.pkg.name} /app/server`),
      );
      const entrypoint = runtime.find((step) => step.op === 'ENTRYPOINT');
      expect(JSON.parse(entrypoint?.rest ?? 'null')).toEqual([
        'node',
        `/app/server/${server.binPath}`,
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
        await copy(join(repo, 'LICENSE'), join(built, 'LICENSE'));
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
