/**
 * Connection conventions against real servers: ACL user and password with a db index, TLS with a
 * private CA (rediss://), Sentinel (redis+sentinel://) and Cluster (redis+cluster://), each with
 * the answer cache, the single-flight and the budget scripts working through it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RedisKeys } from '../../../server/src/cache/redis-keys.ts';
import { createRedisClient } from '../../../server/src/cache/redis-client.ts';
import { probeRedis } from '../../../server/src/cache/redis-probe.ts';
import { parseRedisUrl } from '../../../server/src/cache/redis-url.ts';
import { startRedis, startRedisCluster, startSentinel, type RedisServer } from '../../helpers/redis.ts';
import { answer, buildTier, uniqueTeam, waitFor, type TestTier } from './setup.ts';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function track(tier: TestTier): TestTier {
  cleanup.push(() => tier.tier.close());
  return tier;
}

async function own(options: Parameters<typeof startRedis>[0]): Promise<RedisServer> {
  const server = await startRedis({ own: true, ...options });
  cleanup.push(() => server.stop());
  return server;
}

/** Stores, reads back, coordinates and charges through a tier: the operations ghostline relies on. */
async function exercise(tier: TestTier): Promise<void> {
  await tier.tier.cache.set('conn', answer('through this connection'), 60);
  expect(await tier.tier.cache.get('conn')).toMatchObject({ text: 'through this connection' });
  expect(
    await tier.tier.coordinate('flight', new AbortController().signal, async () => answer('computed')),
  ).toMatchObject({ from: 'self' });
  await waitFor(
    async () => (await tier.tier.cache.get('flight'))?.text === 'computed',
    'the flight answer to be stored',
  );
  await tier.tier.spend.charge('2026-11-21', 'alice', 42, 0.5);
  expect(await tier.tier.spend.read('2026-11-21', 'alice')).toEqual({
    team: { tokens: 42, costUsd: 0.5 },
    user: { tokens: 42, costUsd: 0.5 },
  });
  expect(await tier.tier.spend.takeRate({ requestsPerMinute: 1, tokensPerMinute: 0 }, 1)).toEqual({
    admitted: true,
    retryAfterMs: 0,
  });
  expect((await tier.tier.spend.takeRate({ requestsPerMinute: 1, tokensPerMinute: 0 }, 1))?.admitted).toBe(false);
  expect(tier.messages).toEqual([]);
}

describe('connections', () => {
  it('authenticates as an ACL user with a password and uses the db index of the URL', async () => {
    const redis = await own({
      args: ['--user', 'default', 'off', '--user', 'ghostline', 'on', '>s3cret', '~*', '&*', '+@all'],
      auth: { username: 'ghostline', password: 's3cret' },
    });
    const team = uniqueTeam();
    const tier = track(buildTier(`${redis.url}/3`, team));
    await exercise(tier);
    expect(await redis.cli('-n', '3', 'exists', new RedisKeys(team).answer('conn'))).toBe('1');
    expect(await redis.cli('-n', '0', 'exists', new RedisKeys(team).answer('conn'))).toBe('0');
    expect(await probeRedis(`${redis.url}/3`)).toEqual({ ok: true, version: expect.stringMatching(/^\d+\./) });

    const wrong = track(buildTier(redis.url.replace('s3cret', 'wrong'), team, { timeoutMs: 200 }));
    expect(await wrong.tier.cache.get('conn')).toBeUndefined();
    await waitFor(() => wrong.messages.length > 0, 'a message about the refused login');
    expect(wrong.messages[0]!.message).toMatch(/unavailable/);
    expect(wrong.messages[0]!.message).not.toContain('wrong');
  });

  it('speaks TLS to rediss:// with a private CA, and refuses a certificate it cannot verify', async () => {
    const redis = await own({ tls: true });
    const team = uniqueTeam();
    expect(redis.url.startsWith('rediss://')).toBe(true);
    await exercise(track(buildTier(redis.url, team, {}, redis.caFile)));
    expect((await probeRedis(redis.url, 2000, redis.caFile)).ok).toBe(true);
    expect((await probeRedis(redis.url, 1000)).ok).toBe(false);

    const unverified = track(buildTier(redis.url, team, { timeoutMs: 200 }));
    expect(await unverified.tier.cache.get('conn')).toBeUndefined();
    await waitFor(() => unverified.tier.status === 'down', 'the unverified connection to be given up');
  });

  it('survives TLS connections closed during their handshake (a second socket error nobody heard used to end the process)', async () => {
    const redis = await own({ tls: true });
    const parsed = parseRedisUrl(redis.url);
    if (!parsed.ok) throw new Error(parsed.error);
    const uncaught: Error[] = [];
    const onUncaught = (error: Error) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      for (let round = 0; round < 150; round++) {
        const client = createRedisClient(parsed.target, {
          role: 'commands',
          commandTimeoutMs: 500,
          caFile: round % 2 ? redis.caFile : undefined,
        });
        client.on('error', () => undefined);
        await new Promise((r) => setTimeout(r, round % 7));
        client.disconnect();
      }
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(uncaught.map((e) => e.message)).toEqual([]);
  });

  it('finds the master through Sentinel', async () => {
    const master = await own({});
    const sentinel = await startSentinel(master);
    cleanup.push(() => sentinel.stop());
    const team = uniqueTeam();
    await exercise(track(buildTier(sentinel.url, team)));
    expect(await master.cli('exists', new RedisKeys(team).answer('conn'))).toBe('1');
  });

  it('works across a 3-node Redis Cluster from any seed node', async () => {
    const cluster = await startRedisCluster();
    cleanup.push(() => cluster.stop());
    const team = uniqueTeam();
    const tier = track(buildTier(cluster.url, team));
    await exercise(tier);
    expect(await probeRedis(cluster.url)).toEqual({ ok: true, version: 'cluster' });
    // A second process on another seed node shares the flight and the cache.
    const other = track(buildTier(`redis+cluster://127.0.0.1:${cluster.ports[2]}`, team));
    expect(await other.tier.cache.get('flight')).toMatchObject({ text: 'computed' });
    let calls = 0;
    const compute = async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 200));
      return answer('once');
    };
    const both = await Promise.all([
      tier.tier.coordinate('k2', new AbortController().signal, compute),
      other.tier.coordinate('k2', new AbortController().signal, compute),
    ]);
    expect(calls).toBe(1);
    expect(both.map((o) => o.from).sort()).toEqual(['peer', 'self']);
  });
});
