/**
 * The dashboard's usage counters in the team's Redis: one hash of counts per UTC day (HINCRBY from
 * every process, kept HISTORY_DAYS days; per-user spend included), and a small health
 * hash (the last model error: time, kind and model). Written fire-and-forget within the Redis
 * deadline, like the cache statistics.
 */
import { HISTORY_DAYS, type RedisKeys } from './redis-keys.ts';
import type { RedisClient } from './redis-client.ts';
import type { RedisGuard } from './redis-guard.ts';
import type { LastError, UsageSink } from '../usage/recorder.ts';

export class RedisUsageSink implements UsageSink {
  readonly keepsCacheStats = true;
  private readonly client: RedisClient;
  private readonly guard: RedisGuard;
  private readonly keys: RedisKeys;

  constructor(client: RedisClient, guard: RedisGuard, keys: RedisKeys) {
    this.client = client;
    this.guard = guard;
    this.keys = keys;
  }

  async write(
    batch: { day: string; user: string; counts: Record<string, number> }[],
    lastError: LastError | undefined,
  ): Promise<void> {
    const ttl = HISTORY_DAYS * 86400;
    await this.guard.run('usage', () => {
      const pipeline = this.client.pipeline();
      for (const { day, counts } of batch) {
        const key = this.keys.usage(day);
        for (const [field, value] of Object.entries(counts)) pipeline.hincrby(key, field, Math.round(value));
        pipeline.expire(key, ttl);
      }
      if (lastError)
        pipeline
          .hset(
            this.keys.health(),
            'last_error_at',
            String(lastError.at),
            'last_error_kind',
            lastError.kind,
            'last_error_model',
            lastError.model,
          )
          .expire(this.keys.health(), ttl);
      return pipeline.exec();
    });
  }
}
