import { describe, expect, it } from 'vitest';
import { TokenEndpointError } from './errors.js';
import { readGrant } from './token-endpoint.js';

describe('reading a token answer', () => {
  it('reads the RFC 6749 fields, the expiry from now', () => {
    expect(
      readGrant(
        {
          access_token: 'a',
          refresh_token: 'r',
          expires_in: 3600,
          scope: 'repo',
          token_type: 'bearer',
        },
        1000,
      ),
    ).toEqual({ accessToken: 'a', refreshToken: 'r', expiresAt: 1000 + 3_600_000, scope: 'repo' });
    expect(readGrant({ access_token: 'a' })).toEqual({ accessToken: 'a' });
  });

  it('turns an error answer (GitHub sends them with status 200) into a refusal', () => {
    const read = () =>
      readGrant({ error: 'bad_verification_code', error_description: 'The code is incorrect' });
    expect(read).toThrow(TokenEndpointError);
    expect(read).toThrow(/bad_verification_code \(The code is incorrect\)/);
    expect(() => read()).toThrow(expect.objectContaining({ refused: true }) as Error);
  });

  it('refuses an answer with no access token', () => {
    expect(() => readGrant({ token_type: 'bearer' })).toThrow(/no access_token/);
  });
});
