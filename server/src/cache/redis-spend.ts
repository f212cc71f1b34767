/**
 * Team budgets and the team rate limiter on Redis: spend counters per UTC day for the team and each
 * user (charged together by one script, in nano-dollars so sums stay exact), and a sliding-window
 * limiter on Redis's clock that every process of the team shares.
 */
import { HISTORY_DAYS, type RedisKeys } from './redis-keys.ts';
import type { RedisClient } from './redis-client.ts';
import type { RedisGuard } from './redis-guard.ts';
import type { ScriptedClient } from './redis-scripts.ts';
import type { SpendStore, SpendTotals } from './types.ts';

const NANO = 1_000_000_000;

export function totalsFrom(hash: Record<string, string> | (string | null)[]): SpendTotals {
  const [tokens, nano] = Array.isArray(hash) ? hash : [hash.tokens, hash.cost_nano];
  return { tokens: Number(tokens ?? 0) || 0, costUsd: (Number(nano ?? 0) || 0) / NANO };
}

export class RedisSpendStore implements SpendStore {
  private readonly client: RedisClient & ScriptedClient;
  private readonly guard: RedisGuard;
  private readonly keys: RedisKeys;

  constructor(client: RedisClient & ScriptedClient, guard: RedisGuard, keys: RedisKeys) {
    this.client = client;
    this.guard = guard;
    this.keys = keys;
  }

  async read(day: string, user: string): Promise<{ team: SpendTotals; user: SpendTotals } | undefined> {
    const result = await this.guard.run('spend-read', () =>
      Promise.all([this.client.hmget(this.keys.teamSpend(day), 'tokens', 'cost_nano'), this.client.hmget(this.keys.userSpend(day, user), 'tokens', 'cost_nano')]),
    );
    if (!result.ok) return undefined;
    return { team: totalsFrom(result.value[0]), user: totalsFrom(result.value[1]) };
  }

  async charge(day: string, user: string, tokens: number, costUsd: number): Promise<void> {
    const nano = Math.round(costUsd * NANO);
    await this.guard.run('spend-charge', () =>
      this.client.ghostlineCharge(this.keys.teamSpend(day), this.keys.userSpend(day, user), Math.round(tokens), nano, HISTORY_DAYS * 86400),
    );
  }

  async takeRate(limits: { requestsPerMinute: number; tokensPerMinute: number }, tokens: number): Promise<{ admitted: boolean; retryAfterMs: number } | undefined> {
    const result = await this.guard.run('rate', () => this.client.ghostlineRate(this.keys.ratePrefix(), limits.requestsPerMinute, limits.tokensPerMinute, Math.round(tokens)));
    if (!result.ok) return undefined;
    const [admitted, retryAfterMs] = result.value;
    return { admitted: Number(admitted) === 1, retryAfterMs: Number(retryAfterMs) };
  }
}
