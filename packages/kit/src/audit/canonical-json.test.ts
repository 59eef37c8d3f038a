import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { argumentsHash, canonicalJson } from './canonical-json.js';

describe('canonicalJson and argumentsHash', () => {
  it('sorts keys at every depth and leaves out undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: null, y: 'é' }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"y":"é","z":null}]},"b":1}',
    );
    expect(canonicalJson([undefined, 'x'])).toBe('[null,"x"]');
  });

  it('gives the same hash whatever order the arguments came in, another for other values', () => {
    const hash = argumentsHash({ path: 'a', body: 'b' });
    expect(hash).toBe(createHash('sha256').update('{"body":"b","path":"a"}').digest('hex'));
    expect(argumentsHash({ body: 'b', path: 'a' })).toBe(hash);
    expect(argumentsHash({ body: 'c', path: 'a' })).not.toBe(hash);
  });
});
