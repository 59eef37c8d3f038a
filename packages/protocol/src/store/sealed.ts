/**
 * @module
 * {@link sealStore}: a {@link Store} whose values are encrypted and authenticated (AES-256-GCM,
 * Web Crypto) before they reach the backing store, so Redis holds nothing it could read or
 * change unnoticed. The key ring is the operator's `MCP_REQUEST_STATE_KEY`, the same on every
 * instance: each secret gives its own AES key (HKDF-SHA-256), the first seals, every one opens,
 * so a key can be rotated in. The full key is bound in as associated data: a value copied to
 * another key (another session's, another stream's) does not open there.
 */
import { fromBase64Url, toBase64Url } from '../kit/base64url.js';
import type { AppendOptions, Store, Unsubscribe } from './store.js';

type Secret = Uint8Array | string;
type AesKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const INFO = encoder.encode('plugboard store v1');

async function aesKey(secret: Secret): Promise<AesKey> {
  const material = await crypto.subtle.importKey(
    'raw',
    typeof secret === 'string' ? encoder.encode(secret) : new Uint8Array(secret),
    'HKDF',
    false,
    ['deriveKey'],
  );
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info: INFO },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** The ring's keys, imported on first use; what seals and opens for every scope of one store. */
class Ring {
  readonly #secrets: readonly Secret[];
  #keys: Promise<AesKey[]> | undefined;

  constructor(secrets: readonly Secret[]) {
    if (secrets.length === 0) throw new TypeError('sealStore needs at least one key');
    this.#secrets = secrets;
  }

  #all(): Promise<AesKey[]> {
    this.#keys ??= Promise.all(this.#secrets.map(aesKey));
    return this.#keys;
  }

  async seal(where: string, value: string): Promise<string> {
    const [key] = await this.#all();
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: encoder.encode(where) },
      key!,
      encoder.encode(value),
    );
    return `${toBase64Url(iv)}.${toBase64Url(new Uint8Array(sealed))}`;
  }

  /** The value, or undefined when no key of the ring opens it here (tampered, moved, old key). */
  async open(where: string, text: string): Promise<string | undefined> {
    const [ivText, bodyText, extra] = text.split('.');
    const iv = ivText === undefined ? undefined : fromBase64Url(ivText);
    const body = bodyText === undefined ? undefined : fromBase64Url(bodyText);
    if (iv === undefined || body === undefined || extra !== undefined || iv.length !== 12)
      return undefined;
    for (const key of await this.#all()) {
      try {
        const plain = await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv, additionalData: encoder.encode(where) },
          key,
          body,
        );
        return decoder.decode(plain);
      } catch {
        // Not this key: try the next one.
      }
    }
    return undefined;
  }
}

class SealedStore implements Store {
  readonly #inner: Store;
  readonly #ring: Ring;
  readonly #prefix: string;

  constructor(inner: Store, ring: Ring, prefix: string) {
    this.#inner = inner;
    this.#ring = ring;
    this.#prefix = prefix;
  }

  get kind(): string {
    return this.#inner.kind;
  }

  get shared(): boolean {
    return this.#inner.shared;
  }

  scope(name: string): Store {
    return new SealedStore(this.#inner.scope(name), this.#ring, `${this.#prefix}${name}:`);
  }

  async get(key: string): Promise<string | undefined> {
    const text = await this.#inner.get(key);
    return text === undefined ? undefined : this.#open(key, text);
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.#inner.set(key, await this.#ring.seal(this.#prefix + key, value), ttlMs);
  }

  async add(key: string, value: string, ttlMs: number): Promise<boolean> {
    return this.#inner.add(key, await this.#ring.seal(this.#prefix + key, value), ttlMs);
  }

  delete(key: string): Promise<void> {
    return this.#inner.delete(key);
  }

  async append(key: string, value: string, options: AppendOptions): Promise<void> {
    await this.#inner.append(key, await this.#ring.seal(this.#prefix + key, value), options);
  }

  async items(key: string): Promise<string[]> {
    const opened = await Promise.all(
      (await this.#inner.items(key)).map((text) => this.#open(key, text)),
    );
    return opened.filter((item) => item !== undefined);
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.#inner.publish(channel, await this.#ring.seal(this.#prefix + channel, message));
  }

  subscribe(channel: string, listener: (message: string) => void): Promise<Unsubscribe> {
    // Opening is asynchronous; the chain keeps messages in the order they were published.
    let previous: Promise<void> = Promise.resolve();
    return this.#inner.subscribe(channel, (text) => {
      const opened = this.#ring.open(this.#prefix + channel, text);
      previous = previous.then(async () => {
        const message = await opened;
        if (message !== undefined) listener(message);
      });
    });
  }

  close(): Promise<void> {
    return this.#inner.close();
  }

  /** A value that does not open is treated as absent: nothing forged or stale is ever served. */
  async #open(key: string, text: string): Promise<string | undefined> {
    return this.#ring.open(this.#prefix + key, text);
  }
}

/**
 * `store` with every value sealed under the first of `secrets` and opened with any of them. A
 * value no key opens (written with a retired key, altered, or moved between keys) reads as
 * absent, never as an error.
 */
export function sealStore(store: Store, secrets: readonly Secret[]): Store {
  return new SealedStore(store, new Ring(secrets), '');
}
