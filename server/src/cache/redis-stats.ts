/**
 * Team cache statistics in Redis, one hash per UTC day: answers served per tier (memory, shared,
 * peer), model calls, and the tokens and cost the hits saved. Written fire-and-forget by every
 * process; read by `ghostline stats`.
 */
import { HISTORY_DAYS, utcDay, type RedisKeys } from './redis-keys.ts';
import type { RedisClient } from './redis-client.ts';
import type { RedisGuard } from './redis-guard.ts';
import type { AnswerSource } from './types.ts';

const NANO = 1_000_000_000;

export interface CacheTotals {
  hitsMemory: number;
  hitsShared: number;
  hitsPeer: number;
  modelCalls: number;
  tokensSaved: number;
  costSavedUsd: number;
}

export function emptyTotals(): CacheTotals {
  return { hitsMemory: 0, hitsShared: 0, hitsPeer: 0, modelCalls: 0, tokensSaved: 0, costSavedUsd: 0 };
}

/** Adds one day's hash (as HGETALL returns it) to running totals. */
export function addStats(totals: CacheTotals, hash: Record<string, string>): CacheTotals {
  const n = (field: string) => Number(hash[field] ?? 0) || 0;
  return {
    hitsMemory: totals.hitsMemory + n('hits_memory'),
    hitsShared: totals.hitsShared + n('hits_shared'),
    hitsPeer: totals.hitsPeer + n('hits_peer'),
    modelCalls: totals.modelCalls + n('model_calls'),
    tokensSaved: totals.tokensSaved + n('tokens_saved'),
    costSavedUsd: totals.costSavedUsd + n('cost_saved_nano') / NANO,
  };
}

export class RedisStats {
  private readonly client: RedisClient;
  private readonly guard: RedisGuard;
  private readonly keys: RedisKeys;
  private readonly now: () => number;

  constructor(client: RedisClient, guard: RedisGuard, keys: RedisKeys, now: () => number = Date.now) {
    this.client = client;
    this.guard = guard;
    this.keys = keys;
    this.now = now;
  }

  record(source: AnswerSource, tokens: number, costUsd: number): void {
    const key = this.keys.stats(utcDay(this.now()));
    void this.guard.run('stats', () => {
      const pipeline = this.client.pipeline().hincrby(key, source === 'model' ? 'model_calls' : `hits_${source}`, 1);
      if (source !== 'model')
        pipeline
          .hincrby(key, 'tokens_saved', Math.round(tokens))
          .hincrby(key, 'cost_saved_nano', Math.round(costUsd * NANO));
      return pipeline.expire(key, HISTORY_DAYS * 86400).exec();
    });
  }
}
