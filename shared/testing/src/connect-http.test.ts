import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { connectHttp } from './connect-http.js';

const SERVER = fileURLToPath(new URL('../test/fixtures/protocol-http-server.mjs', import.meta.url));
const HTTP = ['--transport', 'http', '--port', '0'];

describe('connectHttp', () => {
  it('starts the server on a free port and calls it with the bearer token the server wants', async () => {
    await using connection = await connectHttp({
      command: process.execPath,
      args: [SERVER, ...HTTP],
      env: { GREETING: 'hello', MCP_AUTH_TOKEN: 'secret-token-0123456789' },
      bearerToken: 'secret-token-0123456789',
    });
    expect(connection.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const result = await connection.client.callTool({ name: 'greet', arguments: {} });
    expect(result.content).toEqual([{ type: 'text', text: 'hello' }]);
  });

  it('fails to connect without the token the server wants, and stops the server', async () => {
    await expect(
      connectHttp({
        command: process.execPath,
        args: [SERVER, ...HTTP],
        env: { MCP_AUTH_TOKEN: 'secret-token-0123456789' },
      }),
    ).rejects.toThrow();
  });

  it('rejects with the server stderr when the server exits before listening', async () => {
    await expect(
      connectHttp({
        command: process.execPath,
        args: ['-e', 'process.stderr.write("bad flag: --nope"); process.exit(2)'],
      }),
    ).rejects.toThrow(/bad flag: --nope/);
  });
});
