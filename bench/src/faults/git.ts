/**
 * @module
 * `git_fetch` against an `https://` remote that accepts the connection and never answers. The
 * call ends at the server's timeout, or the server is told to stop mid-fetch (SIGTERM, stdin
 * end); afterwards no git process it started may still run. Ours only: the official git server
 * has no fetch tool.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { stop, type ChildRegistry } from '../launch.js';
import type { Outcome } from './outcome.js';
import { commandName, isAlive, replyText, signalAll, startSession, within } from './session.js';

export type GitStop = 'timeout' | 'SIGTERM' | 'stdin end';

/** A TCP server that accepts connections and never says a word. */
async function hangingRemote(): Promise<{ port: number; close: () => void }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

function gitRepo(remoteUrl: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'plugboard-faults-git-'));
  const git = (...args: string[]): void => {
    execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  };
  git('init', '-q', '-b', 'main');
  git(
    '-c',
    'user.name=bench',
    '-c',
    'user.email=bench@example.invalid',
    'commit',
    '-q',
    '--allow-empty',
    '-m',
    'start',
  );
  git('remote', 'add', 'origin', remoteUrl);
  return dir;
}

export async function hangingFetch(
  server: string,
  argv: readonly string[],
  how: GitStop,
  registry: ChildRegistry,
): Promise<Outcome> {
  const fault = `git_fetch from a hanging https remote, ended by ${how}`;
  const remote = await hangingRemote();
  const repo = gitRepo(`https://127.0.0.1:${remote.port}/repo.git`);
  try {
    const session = await startSession(
      { argv: [...argv, '--allow-remote', '--timeout', '3', '--repository', repo] },
      registry,
    );
    const seen = new Set<number>();
    const sample = setInterval(() => {
      for (const pid of session.tree().slice(1)) if (/git/.test(commandName(pid))) seen.add(pid);
    }, 20);
    const pending = session.call('git_fetch', { repo_path: repo }, 30_000);
    let answer = '';
    if (how === 'timeout') {
      answer = replyText(await pending);
    } else {
      await within(5000, () => seen.size >= 2);
      if (how === 'SIGTERM') signalAll([session.launched.pid], 'SIGTERM');
      else session.launched.child.stdin.end();
      await pending.catch(() => undefined);
      await within(5000, session.exited);
    }
    clearInterval(sample);
    const git = [...seen];
    await within(3000, () => git.every((pid) => !isAlive(pid)));
    const left = git.filter(isAlive);
    signalAll(left, 'SIGKILL');
    const exited = session.exited();
    await stop(session.launched, 3000);
    const ended =
      how === 'timeout'
        ? /did not finish|stopped|timed out/i.test(answer)
          ? 'the call ended at the timeout'
          : `the call answered: ${answer.slice(0, 80)}`
        : exited
          ? 'the server exited'
          : 'the server did not exit';
    return {
      fault,
      server,
      ok: left.length === 0 && (how === 'timeout' || exited),
      result: `${ended}; ${left.length} of ${git.length} git processes left running`,
    };
  } finally {
    remote.close();
    rmSync(repo, { recursive: true, force: true });
  }
}
