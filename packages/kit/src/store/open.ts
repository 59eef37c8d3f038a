/**
 * @module
 * {@link openStore}: the store the operator named with `--store`. The Redis client is imported
 * only when a Redis URL is given, so the default costs nothing at start-up.
 */
import { createMemoryStore, type Logger, type Store } from '@plugboard/protocol';

export async function openStore(url: URL | undefined, logger: Logger): Promise<Store> {
  if (url === undefined) return createMemoryStore();
  const { createRedisStore } = await import('./redis.js');
  return createRedisStore(url, logger);
}
