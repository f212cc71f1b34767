/**
 * Team budgets and the team rate limiter on Redis: spend counters per UTC day for the team and each
 * user (charged together by one script, in nano-dollars so sums stay exact), and a sliding-window
 * limiter on Redis's clock that every process of the team shares.
 */
import { HISTORY_DAYS, type RedisKeys } from './redis-keys.ts';
import type { RedisClient } from './redis-client.ts';
import type { RedisGuard } from './redis-guard.ts';
import type { ScriptedClient } from './redis-scripts.ts';
import type { RateAnswer, RateCarry, SpendStore, SpendTotals } from './types.ts';

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
      Promise.all([
        this.client.hmget(this.keys.teamSpend(day), 'tokens', 'cost_nano'),
        this.client.hmget(this.keys.userSpend(day, user), 'tokens', 'cost_nano'),
      ]),
    );
    if (!result.ok) return undefined;
    return { team: totalsFrom(result.value[0]), user: totalsFrom(result.value[1]) };
  }

  async charge(day: string, user: string, tokens: number, costUsd: number): Promise<void> {
    const nano = Math.round(costUsd * NANO);
    await this.guard.run('spend-charge', () =>
      this.client.ghostlineCharge(
        this.keys.teamSpend(day),
        this.keys.userSpend(day, user),
        Math.round(tokens),
        nano,
        HISTORY_DAYS * 86400,
      ),
    );
  }

  async takeRate(
    limits: { requestsPerMinute: number; tokensPerMinute: number },
    tokens: number,
    carry?: RateCarry,
  ): Promise<RateAnswer | undefined> {
    let sent: Promise<[number, number, number]> | undefined;
    const result = await this.guard.run('rate', () => {
      sent = this.client.ghostlineRate(
        this.keys.ratePrefix(),
        limits.requestsPerMinute,
        limits.tokensPerMinute,
        Math.round(tokens),
        carry?.requests ?? 0,
        Math.round(carry?.tokens ?? 0),
        carry?.withinShare === false ? 0 : 1,
      );
      return sent;
    });
    if (result.ok) return answerOf(result.value);
    const late = carry?.late;
    if (late) {
      // Past the deadline the script may still run (a slow or frozen Redis); tell the caller what it did.
      if (sent)
        sent.then(
          (value) => late(answerOf(value)),
          () => late(undefined),
        );
      else late(undefined);
    }
    return undefined;
  }
}

function answerOf([admitted, retryAfterMs, marked]: [number, number, number]): RateAnswer {
  return {
    admitted: Number(admitted) === 1,
    retryAfterMs: Number(retryAfterMs),
    ...(Number(marked) === 1 ? { outage: true } : {}),
  };
}
