import { describe, expect, it } from 'vitest';
import { MemorySpendStore, rateWait } from '../../../server/src/budget/memory-store.ts';

const limits = (requestsPerMinute: number, tokensPerMinute = 0) => ({ requestsPerMinute, tokensPerMinute });
const counts = (requests: number, tokens = 0) => ({ requests, tokens });

describe('rateWait (sliding window; the Redis script applies the same rule)', () => {
  const cases: [
    string,
    number,
    ReturnType<typeof counts>,
    ReturnType<typeof counts>,
    ReturnType<typeof limits>,
    number,
    number,
  ][] = [
    ['empty windows admit', 30_000, counts(0), counts(0), limits(10), 0, 0],
    ['no limits admit anything', 0, counts(1e6), counts(1e6), limits(0, 0), 1e6, 0],
    ['the current window full waits for its end', 45_000, counts(0), counts(10), limits(10), 0, 15_001],
    // Half the previous minute still overlaps: 10 * 0.5 + 4 + 1 = 10 fits.
    ['the previous window counts by its overlap', 30_000, counts(10), counts(4), limits(10), 0, 0],
    // 10 * 0.5 + 5 + 1 = 11 > 10; one previous request must slide out: (0.5 - 0.4) of a minute = 6 s.
    ['waits until enough of the previous window slides out', 30_000, counts(10), counts(5), limits(10), 0, 6_001],
    ['tokens limit applies to prompt plus allowance', 0, counts(0, 0), counts(1, 900), limits(0, 1000), 200, 60_001],
  ];
  for (const [name, now, previous, current, limit, tokens, expected] of cases) {
    it(name, () => expect(rateWait(now, previous, current, limit, tokens)).toBe(expected));
  }
});

describe('MemorySpendStore', () => {
  it('counts spend per day for the team and each user', async () => {
    const store = new MemorySpendStore();
    await store.charge('2026-11-21', 'alice', 100, 0.5);
    await store.charge('2026-11-21', 'bob', 50, 0.25);
    await store.charge('2026-11-22', 'alice', 7, 0.01);
    expect(await store.read('2026-11-21', 'alice')).toEqual({
      team: { tokens: 150, costUsd: 0.75 },
      user: { tokens: 100, costUsd: 0.5 },
    });
    expect(await store.read('2026-11-22', 'bob')).toEqual({
      team: { tokens: 7, costUsd: 0.01 },
      user: { tokens: 0, costUsd: 0 },
    });
  });

  it('admits requests up to the limit and then names the wait', async () => {
    let now = 120_000;
    const store = new MemorySpendStore(() => now);
    for (let i = 0; i < 3; i++)
      expect(await store.takeRate(limits(3), 10)).toEqual({ admitted: true, retryAfterMs: 0 });
    expect(await store.takeRate(limits(3), 10)).toEqual({ admitted: false, retryAfterMs: 60_001 });
    now += 60_000 + 59_000;
    expect((await store.takeRate(limits(3), 10)).admitted).toBe(true);
  });
});
