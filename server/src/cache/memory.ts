/**
 * The in-memory cache tier: an LRU of answers, shared by every document of one server process.
 */
import { LruCache } from './lru.ts';
import type { CacheStore, CachedAnswer } from './types.ts';

export class MemoryCache implements CacheStore {
  readonly name = 'memory';
  private readonly lru: LruCache<CachedAnswer>;

  constructor(maxEntries: number, now?: () => number) {
    this.lru = new LruCache(maxEntries, now);
  }

  get size(): number {
    return this.lru.size;
  }

  /** The same look-up as `get`, answered synchronously (a hit counts as a use, as in any LRU). */
  getNow(key: string): CachedAnswer | undefined {
    return this.lru.get(key);
  }

  async get(key: string): Promise<CachedAnswer | undefined> {
    return this.lru.get(key);
  }

  async set(key: string, value: CachedAnswer, ttlSeconds: number): Promise<void> {
    this.lru.set(key, value, ttlSeconds * 1000);
  }
}
