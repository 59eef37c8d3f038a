import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from './error-code.js';
import { classify, exceedsDepth, isRequestId, MAX_DEPTH } from './message.js';

const nested = (levels: number): unknown => {
  let value: unknown = 0;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
};

describe('classify', () => {
  it('never throws, and an invalid message carries an id only when that id is valid (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.record(
            {
              jsonrpc: fc.oneof(fc.constant('2.0'), fc.jsonValue()),
              id: fc.jsonValue(),
              method: fc.oneof(fc.string(), fc.jsonValue()),
              params: fc.jsonValue(),
              result: fc.jsonValue(),
              error: fc.jsonValue(),
            },
            { requiredKeys: [] },
          ),
        ),
        (value) => {
          const classified = classify(value);
          if (classified.kind === 'invalid') {
            expect(classified.id === null || isRequestId(classified.id)).toBe(true);
            expect(classified.error.code).toBe(ErrorCode.InvalidRequest);
          }
        },
      ),
    );
  });

  it('keeps string and numeric ids apart', () => {
    expect(classify({ jsonrpc: '2.0', id: '1', method: 'ping' })).toMatchObject({
      kind: 'request',
      message: { id: '1' },
    });
    expect(classify({ jsonrpc: '2.0', id: 1, method: 'ping' })).toMatchObject({
      kind: 'request',
      message: { id: 1 },
    });
  });

  it('keeps only the envelope members of a request, dropping anything else the peer sent', () => {
    expect(classify({ jsonrpc: '2.0', id: 1, method: 'ping', extra: { a: 1 } })).toEqual({
      kind: 'request',
      message: { jsonrpc: '2.0', id: 1, method: 'ping' },
    });
  });

  it('refuses messages nested deeper than the limit, wherever the nesting is', () => {
    expect(
      classify({ jsonrpc: '2.0', id: 1, method: 'x', params: { a: nested(MAX_DEPTH) } }),
    ).toMatchObject({
      kind: 'invalid',
      id: 1,
    });
    expect(
      classify({ jsonrpc: '2.0', id: 1, method: 'x', params: { a: nested(MAX_DEPTH - 3) } }).kind,
    ).toBe('request');
  });
});

describe('exceedsDepth', () => {
  it('counts the root as the first level', () => {
    expect(exceedsDepth(nested(3), 3)).toBe(false);
    expect(exceedsDepth(nested(4), 3)).toBe(true);
    expect(exceedsDepth({ a: { b: 1 } }, 2)).toBe(false);
    expect(exceedsDepth({ a: { b: {} } }, 2)).toBe(true);
    expect(exceedsDepth('scalar', 0)).toBe(false);
  });

  it('answers for a million levels without exhausting the stack', () => {
    expect(exceedsDepth(nested(1_000_000), MAX_DEPTH)).toBe(true);
  });
});
