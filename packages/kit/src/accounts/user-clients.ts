/**
 * @module
 * {@link UserClients}: the upstream clients a hosted server keeps for its signed-in users, one
 * per user and access token, so that a user's calls share a client (and what it caches: a
 * directory, granted scopes) while no user ever reaches another's. The key is a SHA-256 of the
 * subject and the token: the token itself is never a key, so it cannot be found by walking the
 * map, and a refreshed or reconnected token gets a fresh client. The cache is bounded: past
 * `max` entries the least recently used is dropped (its user simply gets a new client). The
 * hash comes from the global Web Crypto, so that a server that never serves a signed-in user
 * never loads `node:crypto` at start-up.
 */

/** Users whose clients are kept by default. */
export const DEFAULT_MAX_USER_CLIENTS = 64;

const encoder = new TextEncoder();

async function keyOf(subject: string, accessToken: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    'SHA-256',
    encoder.encode(`${subject}\0${accessToken}`),
  );
  return Buffer.from(digest).toString('hex');
}

export class UserClients<T> {
  readonly #make: (accessToken: string) => T;
  readonly #max: number;
  readonly #clients = new Map<string, T>();

  /** `make` builds the client for one access token; it is called once per user and token. */
  constructor(make: (accessToken: string) => T, max = DEFAULT_MAX_USER_CLIENTS) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError('max must be a positive integer');
    this.#make = make;
    this.#max = max;
  }

  /** The client of `subject` acting with `accessToken`, made on first use. */
  async get(subject: string, accessToken: string): Promise<T> {
    const key = await keyOf(subject, accessToken);
    const found = this.#clients.get(key);
    if (found !== undefined) {
      // Most recently used last: Map keeps insertion order.
      this.#clients.delete(key);
      this.#clients.set(key, found);
      return found;
    }
    const made = this.#make(accessToken);
    this.#clients.set(key, made);
    if (this.#clients.size > this.#max) {
      const oldest = this.#clients.keys().next();
      if (oldest.done !== true) this.#clients.delete(oldest.value);
    }
    return made;
  }

  /** Drops the client of `subject` and `accessToken` (one that failed to build), if kept. */
  async forget(subject: string, accessToken: string): Promise<void> {
    this.#clients.delete(await keyOf(subject, accessToken));
  }

  /** How many clients are kept. */
  get size(): number {
    return this.#clients.size;
  }

  /** The keys, for tests that check no token is one. */
  keys(): string[] {
    return [...this.#clients.keys()];
  }
}
