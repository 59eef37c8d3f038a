/**
 * @module
 * The Redis {@link Store}, on the official client (`@redis/client`). Values are strings under
 * `PX` expiry, lists are `RPUSH` + `LTRIM` + `PEXPIRE` in one transaction, pub/sub runs on a
 * second connection opened at the first subscription. The client reconnects by itself; while
 * Redis is unreachable every call fails at once with a {@link StoreError} naming the store
 * (never its password), and nothing waits in an offline queue.
 */
import { createClient } from '@redis/client';
import {
  checkEntry,
  DEFAULT_STORE_LIMITS,
  StoreError,
  type AppendOptions,
  type Logger,
  type Store,
  type StoreLimits,
  type Unsubscribe,
} from '@plugboard/protocol';
import { describeStoreUrl } from './url.js';

/** Longest wait for a connection (also each reconnection attempt), ms. */
const CONNECT_TIMEOUT_MS = 2000;
/** Longest pause between reconnection attempts, ms. */
const MAX_RECONNECT_DELAY_MS = 2000;

function newClient(url: string) {
  return createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, MAX_RECONNECT_DELAY_MS),
    },
  });
}

type Client = ReturnType<typeof newClient>;

/** The connections one Redis store's scopes share. */
class Connections {
  readonly name: string;
  readonly limits: StoreLimits;
  readonly commands: Client;
  readonly #url: string;
  readonly #logger: Logger;
  #subscriber: Promise<Client> | undefined;
  #down = false;

  constructor(url: URL, limits: StoreLimits, logger: Logger) {
    this.#url = url.href;
    this.name = describeStoreUrl(url);
    this.limits = limits;
    this.#logger = logger;
    this.commands = this.#open();
  }

  #open(): Client {
    const client = newClient(this.#url);
    // One line when the store goes away and one when it is back, not one per attempt.
    client.on('error', (error: unknown) => {
      if (this.#down) return;
      this.#down = true;
      this.#logger.warn('the shared store is unreachable; retrying', {
        store: this.name,
        error: error instanceof Error ? error.message : String(error),
      });
    });
    client.on('ready', () => {
      if (!this.#down) return;
      this.#down = false;
      this.#logger.info('the shared store is reachable again', { store: this.name });
    });
    client.connect().catch(() => {
      // Reported through 'error'; the client keeps trying.
    });
    return client;
  }

  subscriber(): Promise<Client> {
    this.#subscriber ??= Promise.resolve(this.#open());
    return this.#subscriber;
  }

  /** Runs one command, turning any failure into a StoreError that names the store. */
  async run<T>(what: string, command: (client: Client) => Promise<T>): Promise<T> {
    try {
      await connected(this.commands);
      return await command(this.commands);
    } catch (error) {
      throw unavailable(this.name, what, error);
    }
  }

  async close(): Promise<void> {
    const clients = [this.commands];
    if (this.#subscriber !== undefined) clients.push(await this.#subscriber);
    for (const client of clients) client.destroy();
  }
}

/**
 * Resolves once `client` is connected, waiting at most one connection timeout: a call made
 * while (re)connecting waits that long, and one made while Redis is away fails within it.
 */
function connected(client: Client): Promise<void> {
  if (client.isReady) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', ready);
      reject(new Error(`not reachable within ${CONNECT_TIMEOUT_MS} ms`));
    }, CONNECT_TIMEOUT_MS);
    const ready = (): void => {
      clearTimeout(timer);
      resolve();
    };
    client.once('ready', ready);
  });
}

function unavailable(name: string, what: string, error: unknown): StoreError {
  const reason = error instanceof Error ? error.message : String(error);
  return new StoreError(`The shared store ${name} could not ${what}: ${reason}`);
}

class RedisStore implements Store {
  readonly kind = 'redis';
  readonly shared = true;
  readonly #connections: Connections;
  readonly #prefix: string;

  constructor(connections: Connections, prefix: string) {
    this.#connections = connections;
    this.#prefix = prefix;
  }

  scope(name: string): Store {
    return new RedisStore(this.#connections, `${this.#prefix}${name}:`);
  }

  async get(key: string): Promise<string | undefined> {
    const value = await this.#connections.run('read', (client) => client.get(this.#prefix + key));
    return typeof value === 'string' ? value : undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    const ttl = checkEntry(this.#connections.limits, key, value, ttlMs);
    await this.#connections.run('write', (client) =>
      client.set(this.#prefix + key, value, { expiration: { type: 'PX', value: ttl } }),
    );
  }

  async add(key: string, value: string, ttlMs: number): Promise<boolean> {
    const ttl = checkEntry(this.#connections.limits, key, value, ttlMs);
    const answer = await this.#connections.run('write', (client) =>
      client.set(this.#prefix + key, value, {
        expiration: { type: 'PX', value: ttl },
        condition: 'NX',
      }),
    );
    return answer === 'OK';
  }

  async delete(key: string): Promise<void> {
    await this.#connections.run('delete', (client) => client.del(this.#prefix + key));
  }

  async append(key: string, value: string, options: AppendOptions): Promise<void> {
    const ttl = checkEntry(this.#connections.limits, key, value, options.ttlMs);
    const full = this.#prefix + key;
    await this.#connections.run('append', (client) =>
      client
        .multi()
        .rPush(full, value)
        .lTrim(full, -Math.max(1, options.maxLength), -1)
        .pExpire(full, ttl)
        .exec(),
    );
  }

  items(key: string): Promise<string[]> {
    return this.#connections.run('read', (client) => client.lRange(this.#prefix + key, 0, -1));
  }

  async publish(channel: string, message: string): Promise<void> {
    checkEntry(this.#connections.limits, channel, message, 1);
    await this.#connections.run('publish', (client) =>
      client.publish(this.#prefix + channel, message),
    );
  }

  async subscribe(channel: string, listener: (message: string) => void): Promise<Unsubscribe> {
    const full = this.#prefix + channel;
    const subscriber = await this.#connections.subscriber();
    const own = (message: string): void => listener(message);
    try {
      await connected(subscriber);
      await subscriber.subscribe(full, own);
    } catch (error) {
      throw unavailable(this.#connections.name, 'subscribe', error);
    }
    return async () => {
      try {
        await subscriber.unsubscribe(full, own);
      } catch {
        // Gone with the connection: nothing is left to undo.
      }
    };
  }

  close(): Promise<void> {
    return this.#connections.close();
  }
}

/** A Redis store at `url` (`redis://` or `rediss://`); it connects in the background. */
export function createRedisStore(
  url: URL,
  logger: Logger,
  limits: Partial<StoreLimits> = {},
): Store {
  return new RedisStore(new Connections(url, { ...DEFAULT_STORE_LIMITS, ...limits }, logger), '');
}
