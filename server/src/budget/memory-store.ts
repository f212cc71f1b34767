/**
 * Budget counters and the rate limiter kept in this process, used when no Redis is configured:
 * per-user caps still hold for one editor, and the same sliding-window rule as the Redis script.
 */
import type { RateCarry, SpendStore, SpendTotals } from '../cache/types.ts';

const WINDOW_MS = 60_000;

interface WindowCounts {
  requests: number;
  tokens: number;
}

/**
 * Sliding-window counter: the previous minute counts in proportion to its overlap with the last 60 s.
 * Returns 0 when the request fits, else the milliseconds until it would (the Redis script is the same rule in Lua).
 */
export function rateWait(
  now: number,
  previous: WindowCounts,
  current: WindowCounts,
  limits: { requestsPerMinute: number; tokensPerMinute: number },
  tokens: number,
): number {
  const elapsed = now % WINDOW_MS;
  const weight = (WINDOW_MS - elapsed) / WINDOW_MS;
  const need = (prev: number, cur: number, add: number, limit: number): number => {
    if (limit <= 0 || prev * weight + cur + add <= limit) return 0;
    if (cur + add > limit || prev <= 0) return WINDOW_MS - elapsed + 1;
    return Math.ceil(WINDOW_MS - elapsed - ((limit - cur - add) / prev) * WINDOW_MS) + 1;
  };
  return Math.max(
    need(previous.requests, current.requests, 1, limits.requestsPerMinute),
    need(previous.tokens, current.tokens, tokens, limits.tokensPerMinute),
  );
}

export class MemorySpendStore implements SpendStore {
  private readonly spend = new Map<string, SpendTotals>();
  private readonly windows = new Map<number, WindowCounts>();
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  async read(day: string, user: string): Promise<{ team: SpendTotals; user: SpendTotals }> {
    const zero = { tokens: 0, costUsd: 0 };
    return {
      team: { ...(this.spend.get(`${day}\0`) ?? zero) },
      user: { ...(this.spend.get(`${day}\0${user}`) ?? zero) },
    };
  }

  async charge(day: string, user: string, tokens: number, costUsd: number): Promise<void> {
    for (const key of [`${day}\0`, `${day}\0${user}`]) {
      const totals = this.spend.get(key) ?? { tokens: 0, costUsd: 0 };
      this.spend.set(key, { tokens: totals.tokens + tokens, costUsd: totals.costUsd + costUsd });
    }
  }

  async takeRate(
    limits: { requestsPerMinute: number; tokensPerMinute: number },
    tokens: number,
    carry?: RateCarry,
  ): Promise<{ admitted: boolean; retryAfterMs: number }> {
    const now = this.now();
    const window = Math.floor(now / WINDOW_MS);
    for (const old of this.windows.keys()) if (old < window - 1) this.windows.delete(old);
    const before = this.windows.get(window) ?? { requests: 0, tokens: 0 };
    const current = {
      requests: before.requests + (carry?.requests ?? 0),
      tokens: before.tokens + (carry?.tokens ?? 0),
    };
    this.windows.set(window, current);
    const wait = rateWait(now, this.windows.get(window - 1) ?? { requests: 0, tokens: 0 }, current, limits, tokens);
    if (wait > 0) return { admitted: false, retryAfterMs: wait };
    this.windows.set(window, { requests: current.requests + 1, tokens: current.tokens + tokens });
    return { admitted: true, retryAfterMs: 0 };
  }
}
