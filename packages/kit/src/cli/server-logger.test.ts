import { describe, expect, it } from 'vitest';
import { environmentSecrets, serverLogger } from './server-logger.js';

// Shaped like the real thing, so that each masking rule is what catches it.
const GITHUB = 'ghp_R8xw2Lq9ZtV4mN7pK3sJ6hF1dC5bA0yE2uQx';
const SLACK = 'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx';
const BEARER = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvY3RvIn0.c2lnbmF0dXJl';
const PASSWORD = 'hunter2-Correct-Horse';
const API_KEY = 'k3y-from-the-environment-91f0';

function capture(secrets: readonly string[] = []) {
  const lines: string[] = [];
  const logger = serverLogger({
    level: 'debug',
    name: 'mcp-server-x',
    secrets,
    write: (line) => lines.push(line),
  });
  return { logger, text: () => lines.join(''), lines };
}

describe('the server logger', () => {
  it('masks tokens, Bearer credentials, URL passwords and configured secrets, in messages and fields', () => {
    const { logger, text, lines } = capture(
      environmentSecrets(['X_API_KEY'], { X_API_KEY: API_KEY }),
    );
    logger.info(`calling with ${GITHUB} and Authorization: Bearer ${BEARER}`);
    logger.warn('upstream refused', {
      url: `postgresql://app:${PASSWORD}@db.internal:5432/app`,
      header: `bearer ${BEARER}`,
      nested: { args: [`the key is ${API_KEY}`, SLACK] },
    });
    logger.debug(`the model typed ${API_KEY}`);
    const out = text();
    for (const secret of [GITHUB, SLACK, BEARER, PASSWORD, API_KEY])
      expect(out).not.toContain(secret);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^mcp-server-x INFO calling with \[redacted\] and Authorization: Bearer \[redacted\]\n$/,
    );
    expect(out).toContain('db.internal');
    expect(out).toContain('the key is [redacted]');
  });

  it('writes one line per record, and only at or above its level', () => {
    const lines: string[] = [];
    const logger = serverLogger({ level: 'warn', name: 'x', write: (line) => lines.push(line) });
    logger.info('not written');
    logger.error('two\nlines', { detail: 'a\r\nb' });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.trimEnd()).not.toMatch(/[\r\n]/);
    expect(logger.enabled('info')).toBe(false);
  });

  it('takes the values of the secret variables that are set, and MCP_AUTH_TOKEN', () => {
    expect(
      environmentSecrets(['A_TOKEN', 'B_TOKEN', 'C_TOKEN'], {
        A_TOKEN: ' a-secret ',
        B_TOKEN: '',
        MCP_AUTH_TOKEN: 'http-secret',
      }),
    ).toEqual(['http-secret', 'a-secret']);
  });
});
