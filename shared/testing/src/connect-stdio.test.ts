import { realpath } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tmpDir, waitFor } from '@plugboard/peers';
import { connectStdio } from './connect-stdio.js';

const SERVER = fileURLToPath(new URL('../test/fixtures/sdk-server.mjs', import.meta.url));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.each(['v1', 'v2'] as const)('connectStdio with the %s client', (sdk) => {
  it('connects, passes env and cwd, captures stderr and reaps the server on close', async () => {
    await using dir = await tmpDir();
    const connection = await connectStdio({
      sdk,
      command: process.execPath,
      args: [SERVER],
      env: { GREETING: 'hello' },
      cwd: dir.path,
    });
    const result = await connection.client.callTool({ name: 'whoami', arguments: {} });
    const [block] = result.content as { type: string; text: string }[];
    expect(JSON.parse(block!.text)).toEqual({ greeting: 'hello', cwd: await realpath(dir.path) });
    await waitFor(() => connection.stderr().includes('sdk-fixture started'));
    const results = connection.received.map((message) => message.result);
    expect(results[0]).toMatchObject({ serverInfo: { name: 'sdk-fixture' } });
    expect(results.at(-1)).toEqual(result);
    const pid = connection.pid!;
    expect(alive(pid)).toBe(true);
    await connection.close();
    await waitFor(() => !alive(pid), 5_000);
  });
});

describe('connectStdio failures', () => {
  it('rejects with the server stderr when the server dies before the handshake', async () => {
    await expect(
      connectStdio({
        command: process.execPath,
        args: ['-e', 'process.stderr.write("missing config: FOO"); process.exit(2)'],
      }),
    ).rejects.toThrow(/missing config: FOO/);
  });
});
