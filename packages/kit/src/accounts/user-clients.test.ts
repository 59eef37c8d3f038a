import { describe, expect, it } from 'vitest';
import { UserClients } from './user-clients.js';

describe('UserClients', () => {
  it('gives each user and token one client, and another user another client', async () => {
    let made = 0;
    const clients = new UserClients((token) => ({ token, n: ++made }));
    const alice = await clients.get('alice', 'tok-a');
    expect(await clients.get('alice', 'tok-a')).toBe(alice);
    const bob = await clients.get('bob', 'tok-a');
    expect(bob).not.toBe(alice);
    expect(await clients.get('alice', 'tok-a2')).not.toBe(alice);
    expect(made).toBe(3);
  });

  it('keys clients by a hash, never by the token or the subject', async () => {
    const clients = new UserClients(() => ({}));
    await clients.get('alice@example.com', 'xoxp-secret-token');
    const [key] = clients.keys();
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(key).not.toContain('xoxp');
    expect(key).not.toContain('alice');
  });

  it('keeps at most max clients, dropping the least recently used', async () => {
    const clients = new UserClients((token) => ({ token }), 2);
    const a = await clients.get('a', 't');
    await clients.get('b', 't');
    expect(await clients.get('a', 't')).toBe(a);
    await clients.get('c', 't');
    expect(clients.size).toBe(2);
    expect(await clients.get('a', 't')).toBe(a);
    expect(await clients.get('b', 't')).not.toBe(undefined);
    expect(clients.size).toBe(2);
  });

  it('forgets a client on request, so the next get makes a new one', async () => {
    let made = 0;
    const clients = new UserClients(() => ({ n: ++made }));
    const first = await clients.get('alice', 't');
    await clients.forget('alice', 't');
    expect(clients.size).toBe(0);
    expect(await clients.get('alice', 't')).not.toBe(first);
    expect(made).toBe(2);
  });

  it('refuses a bound that is not a positive integer', () => {
    expect(() => new UserClients(() => ({}), 0)).toThrow(RangeError);
  });
});
