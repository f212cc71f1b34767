/**
 * The team tier against a real redis-server, in this process: shared cache (namespaced keys, TTL,
 * size bound), cross-process single-flight (one compute, peers get the answer, takeover after a
 * dead or departed holder, bounded wait), and atomic budget counters and rate limit.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisKeys } from '../../../server/src/cache/redis-keys.ts';
import type { CachedAnswer } from '../../../server/src/cache/types.ts';
import { startRedis, type RedisServer } from '../../helpers/redis.ts';
import { answer, buildTier, sleep, uniqueTeam, waitFor, type TestTier } from './setup.ts';

let redis: RedisServer;
let team: string;
const tiers: TestTier[] = [];

function tier(settings: Parameters<typeof buildTier>[2] = {}): TestTier {
  const built = buildTier(redis.url, team, settings);
  tiers.push(built);
  return built;
}

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});
afterEach(async () => {
  await Promise.all(tiers.splice(0).map((t) => t.tier.close()));
  team = uniqueTeam();
});
team = uniqueTeam();

describe('shared cache', () => {
  it('stores answers under namespaced, versioned keys with the configured TTL, readable by another process', async () => {
    const a = tier();
    const b = tier();
    await a.tier.cache.set('hash-1', answer('const x = 1;'), 30);
    expect(await b.tier.cache.get('hash-1')).toMatchObject({
      text: 'const x = 1;',
      model: 'gpt-4.1-mini',
      inputTokens: 100,
    });
    const keys = await redis.cli('--scan', '--pattern', `ghostline:v1:${team}:answer:*`);
    expect(keys).toBe(`ghostline:v1:${team}:answer:{hash-1}`);
    const ttl = Number(await redis.cli('ttl', keys));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30);
    expect(await b.tier.cache.get('hash-unknown')).toBeUndefined();
    expect(b.metrics.sharedCacheMisses).toBe(1);
  });

  it('keeps answers above the size bound out of Redis', async () => {
    const a = tier({ maxValueBytes: 512 });
    await a.tier.cache.set('big', answer('x'.repeat(2000)), 30);
    expect(await a.tier.cache.get('big')).toBeUndefined();
    expect(a.metrics.sharedCacheSkippedLarge).toBe(1);
  });

  it('treats a value that is not an answer as a miss', async () => {
    const a = tier();
    await redis.cli('set', new RedisKeys(team).answer('junk'), '{"not":"an answer"}');
    expect(await a.tier.cache.get('junk')).toBeUndefined();
  });
});

describe('cross-process single-flight', () => {
  it('runs one computation for concurrent callers in different processes; the others get its answer', async () => {
    const holders = [tier(), tier(), tier()];
    let calls = 0;
    const compute = async (): Promise<CachedAnswer> => {
      calls++;
      await sleep(300);
      return answer('shared result');
    };
    const outcomes = await Promise.all(
      holders.map((t) => t.tier.coordinate('same-prompt', new AbortController().signal, compute)),
    );
    expect(calls).toBe(1);
    expect(outcomes.map((o) => o.answer.text)).toEqual(['shared result', 'shared result', 'shared result']);
    expect(outcomes.filter((o) => o.from === 'self')).toHaveLength(1);
    expect(outcomes.filter((o) => o.from === 'peer')).toHaveLength(2);
    // The holder stored the answer and released its lock.
    const keys = new RedisKeys(team);
    expect(await redis.cli('exists', keys.lock('same-prompt'))).toBe('0');
    expect(await holders[0]!.tier.cache.get('same-prompt')).toMatchObject({ text: 'shared result' });
  });

  it('takes the answer instead of the lock when a peer finished between the cache miss and the lock', async () => {
    const late = tier();
    const writer = tier();
    await writer.tier.cache.set('finished-meanwhile', answer('already computed'), 60);
    let computed = false;
    const outcome = await late.tier.coordinate('finished-meanwhile', new AbortController().signal, async () => {
      computed = true;
      return answer('computed again');
    });
    expect(outcome).toMatchObject({ from: 'peer', answer: { text: 'already computed' } });
    expect(computed).toBe(false);
    expect(await redis.cli('exists', new RedisKeys(team).lock('finished-meanwhile'))).toBe('0');
  });

  it('takes over when the holder died: its lock expires and a waiter computes', async () => {
    const keys = new RedisKeys(team);
    // A holder that crashed right after taking the lock: nobody renews or releases it.
    await redis.cli('set', keys.lock('orphan'), 'dead-process', 'PX', '400');
    const waiter = tier();
    const outcome = await waiter.tier.coordinate('orphan', new AbortController().signal, async () =>
      answer('computed after takeover'),
    );
    expect(outcome).toMatchObject({ from: 'self', answer: { text: 'computed after takeover' } });
  });

  it('hands the work to a waiter at once when the holder gives up (its caller cancelled)', async () => {
    const holder = tier();
    const waiter = tier({ lockMs: 30_000 });
    const cancel = new AbortController();
    let release!: () => void;
    const started = new Promise<void>((resolve) => (release = resolve));
    const holding = holder.tier.coordinate('abandoned', cancel.signal, (signal) => {
      release();
      return new Promise<CachedAnswer>((_, reject) =>
        signal.addEventListener('abort', () => reject(new Error('cancelled'))),
      );
    });
    await started;
    let waiterComputed = false;
    const waiting = waiter.tier.coordinate('abandoned', new AbortController().signal, async () => {
      waiterComputed = true;
      return answer('waiter took over');
    });
    await sleep(100);
    expect(waiterComputed).toBe(false);
    cancel.abort();
    await expect(holding).rejects.toThrow('cancelled');
    // The lock (30 s) has not expired: only the holder's announcement can have freed the waiter.
    expect(await waiting).toMatchObject({ from: 'self', answer: { text: 'waiter took over' } });
  });

  it('stops waiting after flightWaitMs and computes itself while a live holder is still busy', async () => {
    const holder = tier({ lockMs: 300 });
    const waiter = tier({ waitMs: 400 });
    let finishHolder!: () => void;
    const holding = holder.tier.coordinate(
      'slow',
      new AbortController().signal,
      () => new Promise<CachedAnswer>((resolve) => (finishHolder = () => resolve(answer('late')))),
    );
    await waitFor(async () => (await redis.cli('exists', new RedisKeys(team).lock('slow'))) === '1', 'the lock');
    // The holder renews its 300 ms lock, so the waiter outlives several lock lifetimes and still gives up by itself.
    const outcome = await waiter.tier.coordinate('slow', new AbortController().signal, async () =>
      answer('did not wait forever'),
    );
    expect(outcome).toMatchObject({ from: 'self', answer: { text: 'did not wait forever' } });
    finishHolder();
    await holding;
  });

  it('lets a waiting caller cancel', async () => {
    const holder = tier();
    const waiter = tier();
    let finishHolder!: () => void;
    const holding = holder.tier.coordinate(
      'cancel-wait',
      new AbortController().signal,
      () => new Promise<CachedAnswer>((resolve) => (finishHolder = () => resolve(answer('x')))),
    );
    await waitFor(async () => (await redis.cli('exists', new RedisKeys(team).lock('cancel-wait'))) === '1', 'the lock');
    const controller = new AbortController();
    const waiting = waiter.tier.coordinate('cancel-wait', controller.signal, async () => answer('never'));
    await sleep(50);
    controller.abort(new Error('user typed on'));
    await expect(waiting).rejects.toThrow('user typed on');
    finishHolder();
    await holding;
  });
});

describe('budget counters and rate limit', () => {
  it('charges team and user counters atomically under concurrency', async () => {
    const processes = [tier(), tier(), tier()];
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        processes[i % 3]!.tier.spend.charge('2026-11-21', i % 2 ? 'alice' : 'bob', 10, 0.001),
      ),
    );
    const read = await processes[0]!.tier.spend.read('2026-11-21', 'alice');
    expect(read?.team).toEqual({ tokens: 600, costUsd: 0.06 });
    expect(read?.user).toEqual({ tokens: 300, costUsd: 0.03 });
  });

  it('admits requests up to the team limit per minute across processes, then says when to retry', async () => {
    const a = tier();
    const b = tier();
    const limits = { requestsPerMinute: 4, tokensPerMinute: 0 };
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await (i % 2 ? a : b).tier.spend.takeRate(limits, 100));
    expect(results.filter((r) => r?.admitted)).toHaveLength(4);
    const refused = results.filter((r) => r && !r.admitted);
    expect(refused).toHaveLength(2);
    for (const r of refused) expect(r!.retryAfterMs).toBeGreaterThan(0);
  });

  it('limits tokens per minute by prompt plus output allowance', async () => {
    const a = tier();
    const limits = { requestsPerMinute: 0, tokensPerMinute: 1000 };
    expect(await a.tier.spend.takeRate(limits, 600)).toEqual({ admitted: true, retryAfterMs: 0 });
    expect(await a.tier.spend.takeRate(limits, 600)).toMatchObject({ admitted: false });
    expect(await a.tier.spend.takeRate(limits, 300)).toEqual({ admitted: true, retryAfterMs: 0 });
  });
});
