/**
 * The shared answer tier on Redis, behind the memory LRU: a look-up answers within its deadline or
 * counts as a miss; values above the size bound stay in memory only.
 */
import type { Metrics } from '../telemetry/metrics.ts';
import type { RedisClient } from './redis-client.ts';
import type { RedisGuard } from './redis-guard.ts';
import type { RedisKeys } from './redis-keys.ts';
import type { CacheStore, CachedAnswer } from './types.ts';

/** Reads a stored answer back, rejecting anything that is not one (a foreign or older format). */
export function decodeAnswer(text: string | null | undefined): CachedAnswer | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<CachedAnswer>;
    if (typeof value.text !== 'string' || typeof value.model !== 'string') return undefined;
    return {
      text: value.text,
      model: value.model,
      inputTokens: Number(value.inputTokens) || 0,
      outputTokens: Number(value.outputTokens) || 0,
      cachedTokens: Number(value.cachedTokens) || 0,
      createdAt: Number(value.createdAt) || 0,
    };
  } catch {
    return undefined;
  }
}

export interface RedisCacheOptions {
  client: RedisClient;
  guard: RedisGuard;
  keys: RedisKeys;
  metrics: Metrics;
  maxValueBytes: () => number;
}

export class RedisCache implements CacheStore {
  readonly name = 'redis';
  private readonly options: RedisCacheOptions;

  constructor(options: RedisCacheOptions) {
    this.options = options;
  }

  async get(key: string): Promise<CachedAnswer | undefined> {
    const { client, guard, keys, metrics } = this.options;
    const started = performance.now();
    const result = await guard.run('get', () => client.get(keys.answer(key)));
    metrics.sharedLookupMs += performance.now() - started;
    if (!result.ok) {
      metrics.sharedCacheErrors++;
      return undefined;
    }
    const answer = decodeAnswer(result.value);
    if (!answer) metrics.sharedCacheMisses++;
    return answer;
  }

  async set(key: string, value: CachedAnswer, ttlSeconds: number): Promise<void> {
    const encoded = this.encode(value);
    if (encoded === undefined) return;
    const { client, guard, keys } = this.options;
    await guard.run('set', () => client.set(keys.answer(key), encoded, 'EX', ttlSeconds));
  }

  /** The stored form, or undefined when it exceeds the size bound. */
  encode(value: CachedAnswer): string | undefined {
    const encoded = JSON.stringify(value);
    if (Buffer.byteLength(encoded) > this.options.maxValueBytes()) {
      this.options.metrics.sharedCacheSkippedLarge++;
      return undefined;
    }
    return encoded;
  }
}
