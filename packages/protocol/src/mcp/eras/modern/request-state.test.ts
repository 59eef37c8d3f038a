import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../jsonrpc/error-code.js';
import { canonicalJson, DEFAULT_STATE_TTL_MS, RequestStateSealer } from './request-state.js';

const answers = new Map([['user_name', { action: 'accept', content: { name: 'Ada' } }]]);
const NOW = 1_800_000_000_000;

async function sealed(sealer = new RequestStateSealer('k'), params: unknown = { name: 'greet' }) {
  const digest = await sealer.digest(params);
  return { sealer, digest, state: await sealer.seal('tools/call', digest, answers, NOW) };
}

/** Flips one character of the state at `index`, keeping it in the base64url alphabet. */
function flip(state: string, index: number): string {
  const char = state[index] === 'A' ? 'B' : 'A';
  return `${state.slice(0, index)}${char}${state.slice(index + 1)}`;
}

describe('RequestStateSealer', () => {
  it('opens its own state and returns the answers it carries', async () => {
    const { sealer, digest, state } = await sealed();
    expect(await sealer.open(state, 'tools/call', digest, NOW + 1)).toEqual(answers);
  });

  it('is opened by another instance that shares the key, as behind a load balancer', async () => {
    const { digest, state } = await sealed(new RequestStateSealer('shared key'));
    const other = new RequestStateSealer('shared key');
    expect(await other.open(state, 'tools/call', digest, NOW)).toEqual(answers);
  });

  it.each([
    ['a flipped byte in the body', (state: string) => flip(state, 5)],
    ['a flipped byte in the signature', (state: string) => flip(state, state.length - 3)],
    [
      'the body of another state',
      (state: string) => `${flip(state, 0).split('.')[0]}.${state.split('.')[1]}`,
    ],
  ])('refuses %s with -32602', async (_case, tamper) => {
    const { sealer, digest, state } = await sealed();
    await expect(sealer.open(tamper(state), 'tools/call', digest, NOW)).rejects.toMatchObject({
      code: ErrorCode.InvalidParams,
      message: expect.stringMatching(/signature does not match|malformed/),
    });
  });

  it('seals with the first key of a ring and opens with any, so keys can be rotated', async () => {
    const { digest, state } = await sealed(new RequestStateSealer(['old']));
    const rotated = new RequestStateSealer(['new', 'old']);
    expect(await rotated.open(state, 'tools/call', digest, NOW)).toEqual(answers);
    const fresh = await rotated.seal('tools/call', digest, answers, NOW);
    expect(await new RequestStateSealer('new').open(fresh, 'tools/call', digest, NOW)).toEqual(
      answers,
    );
    await expect(
      new RequestStateSealer('old').open(fresh, 'tools/call', digest, NOW),
    ).rejects.toThrow(/signature does not match/);
  });

  it('refuses state sealed with another key, such as the one of a restarted process', async () => {
    const { digest, state } = await sealed(new RequestStateSealer(undefined));
    await expect(
      new RequestStateSealer(undefined).open(state, 'tools/call', digest, NOW),
    ).rejects.toThrow(/signature does not match/);
  });

  it('refuses state presented with another method or other parameters', async () => {
    const { sealer, digest, state } = await sealed();
    await expect(sealer.open(state, 'prompts/get', digest, NOW)).rejects.toThrow(
      /different request/,
    );
    const otherDigest = await sealer.digest({ name: 'delete_everything' });
    await expect(sealer.open(state, 'tools/call', otherDigest, NOW)).rejects.toThrow(
      /different request/,
    );
  });

  it('refuses state after it expires, and accepts it until then', async () => {
    const { sealer, digest, state } = await sealed();
    await expect(
      sealer.open(state, 'tools/call', digest, NOW + DEFAULT_STATE_TTL_MS),
    ).resolves.toEqual(answers);
    await expect(
      sealer.open(state, 'tools/call', digest, NOW + DEFAULT_STATE_TTL_MS + 1),
    ).rejects.toThrow(/has expired/);
  });

  it.each([
    ['a number', 42],
    ['an object', { state: 'x' }],
    ['no signature', 'abc'],
    ['an extra part', 'a.b.c'],
    ['characters outside base64url', 'ab+/.cd=='],
    ['a megabyte of text', 'a'.repeat(1_000_001)],
    ['an empty string', ''],
  ])('refuses %s as state', async (_case, state) => {
    const { sealer, digest } = await sealed();
    await expect(sealer.open(state, 'tools/call', digest, NOW)).rejects.toMatchObject({
      code: ErrorCode.InvalidParams,
    });
  });

  it('digests parameters independently of key order', async () => {
    const sealer = new RequestStateSealer('k');
    expect(await sealer.digest({ a: 1, b: { c: [1, { d: 2, e: 3 }] } })).toBe(
      await sealer.digest({ b: { c: [1, { e: 3, d: 2 }] }, a: 1 }),
    );
    expect(await sealer.digest({ a: 1 })).not.toBe(await sealer.digest({ a: '1' }));
    expect(canonicalJson({ b: 1, a: [true, null, 'x'] })).toBe('{"a":[true,null,"x"],"b":1}');
  });
});
