import { describe, expect, it } from 'vitest';
import { maskHeader, renderHeaders } from './headers.js';

describe('maskHeader', () => {
  it('masks credentials and keeps what helps debugging', () => {
    expect(maskHeader('Authorization', 'Bearer abc.def')).toBe('Bearer <masked>');
    expect(maskHeader('authorization', 'opaque')).toBe('<masked>');
    expect(maskHeader('Proxy-Authorization', 'Basic dXNlcjpwdw==')).toBe('Basic <masked>');
    expect(maskHeader('x-api-key', 'k-123')).toBe('<masked>');
    expect(maskHeader('Cookie', 'a=1; b=two=2')).toBe('a=<masked>; b=<masked>');
    expect(maskHeader('set-cookie', 'sid=s3cr3t; Path=/; HttpOnly\nother=x; Secure')).toBe(
      'sid=<masked>; Path=/; HttpOnly\nother=<masked>; Secure',
    );
    expect(maskHeader('content-type', 'text/html')).toBe('text/html');
  });
});

describe('renderHeaders', () => {
  it('masks unless the operator shows secrets, cleans values and bounds the count', () => {
    const raw: Record<string, string> = { Authorization: 'Bearer t0k3n', 'X-Evil': 'a\nb\u202ec' };
    for (let i = 0; i < 120; i++) raw[`x-h${i}`] = String(i);
    const masked = renderHeaders(raw, false);
    expect(masked.headers.authorization).toBe('Bearer <masked>');
    expect(masked.headers['x-evil']).toBe('a | bc');
    expect(Object.keys(masked.headers)).toHaveLength(100);
    expect(masked.omitted).toBe(22);
    expect(renderHeaders(raw, true).headers.authorization).toBe('Bearer t0k3n');
  });
});
