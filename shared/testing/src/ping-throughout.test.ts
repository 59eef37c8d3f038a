import { describe, expect, it } from 'vitest';
import { pingThroughout } from './ping-throughout.js';

describe('pingThroughout', () => {
  it('pings until the call settles and returns its result', async () => {
    let answered = 0;
    const client = {
      ping: () => {
        answered++;
        return Promise.resolve({});
      },
    };
    const call = new Promise<string>((resolve) => setTimeout(() => resolve('done'), 100));
    const { result, pings } = await pingThroughout(client, call);
    expect(result).toBe('done');
    expect(pings).toBe(answered);
    expect(pings).toBeGreaterThan(1);
  });

  it('fails when a ping is not answered, and passes a rejected call on', async () => {
    const silent = { ping: () => Promise.reject(new Error('Request timed out')) };
    await expect(pingThroughout(silent, new Promise(() => undefined))).rejects.toThrow(
      'Request timed out',
    );
    const client = { ping: () => Promise.resolve({}) };
    await expect(pingThroughout(client, Promise.reject(new Error('refused')))).rejects.toThrow(
      'refused',
    );
  });
});
