/**
 * The team tier when Redis misbehaves: unreachable at start, killed and restarted, hung (SIGSTOP),
 * out of memory. Every operation still returns (a miss, a local computation), one status message
 * per outage, and the tier recovers by itself.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, startRedis, type RedisServer } from '../../helpers/redis.ts';
import { answer, buildTier, uniqueTeam, waitFor, type TestTier } from './setup.ts';

let redis: RedisServer | undefined;
let built: TestTier | undefined;

afterEach(async () => {
  await built?.tier.close();
  built = undefined;
  redis?.thaw();
  await redis?.stop();
  redis = undefined;
});

const unavailable = (t: TestTier) => t.messages.filter((m) => /unavailable/.test(m.message));
const recovered = (t: TestTier) => t.messages.filter((m) => /reachable again/.test(m.message));

describe('degradation', () => {
  it('works without Redis when nothing listens at start, and says so once', async () => {
    const port = await freePort();
    built = buildTier(`redis://127.0.0.1:${port}`, uniqueTeam(), { timeoutMs: 100 });
    for (let i = 0; i < 5; i++) expect(await built.tier.cache.get('k')).toBeUndefined();
    const outcome = await built.tier.coordinate('k', new AbortController().signal, async () => answer('local'));
    expect(outcome).toEqual({ from: 'self', answer: expect.objectContaining({ text: 'local' }) });
    expect(await built.tier.spend.read('2026-11-21', 'u')).toBeUndefined();
    await waitFor(() => built!.tier.status === 'down', 'the tier to notice');
    expect(unavailable(built)).toHaveLength(1);
    expect(unavailable(built)[0]!.message).toContain(`127.0.0.1:${port}`);
  });

  it('keeps answering while Redis is killed, then reconnects and shares again after a restart', async () => {
    redis = await startRedis({ own: true });
    built = buildTier(redis.url, uniqueTeam(), { timeoutMs: 200 });
    await built.tier.cache.set('before', answer('stored before the crash'), 60);
    expect(await built.tier.cache.get('before')).toMatchObject({ text: 'stored before the crash' });

    await redis.kill();
    await waitFor(() => built!.tier.status === 'down', 'the tier to notice the crash');
    for (let i = 0; i < 10; i++) expect(await built.tier.cache.get('before')).toBeUndefined();
    expect(
      (await built.tier.coordinate('during', new AbortController().signal, async () => answer('computed locally')))
        .from,
    ).toBe('self');
    expect(unavailable(built)).toHaveLength(1);

    await redis.restart();
    await waitFor(() => built!.tier.status === 'up', 'the tier to reconnect');
    await built.tier.cache.set('after', answer('stored after the restart'), 60);
    expect(await built.tier.cache.get('after')).toMatchObject({ text: 'stored after the restart' });
    expect(recovered(built)).toHaveLength(1);
    expect(unavailable(built)).toHaveLength(1);
  });

  it('never waits on a hung Redis beyond the deadline, opens a circuit, and recovers when it answers again', async () => {
    redis = await startRedis({ own: true });
    built = buildTier(redis.url, uniqueTeam(), { timeoutMs: 100 });
    await built.tier.cache.set('k', answer('v'), 60);
    redis.freeze();
    // Redis answers nothing while frozen: each of these returns only because of the deadline or the open circuit.
    for (let i = 0; i < 6; i++) expect(await built.tier.cache.get('k')).toBeUndefined();
    expect(
      (await built.tier.coordinate('frozen', new AbortController().signal, async () => answer('local'))).from,
    ).toBe('self');
    expect(built.tier.status).toBe('down');
    expect(built.metrics.sharedCacheErrors).toBe(6);
    expect(unavailable(built)).toHaveLength(1);
    redis.thaw();
    await waitFor(async () => (await built!.tier.cache.get('k'))?.text === 'v', 'answers after thawing');
    expect(built.tier.status).toBe('up');
    expect(recovered(built)).toHaveLength(1);
  });

  it('keeps reading and computing when Redis is out of memory, and says so once', async () => {
    redis = await startRedis({
      own: true,
      args: ['--maxmemory', '3mb', '--maxmemory-policy', 'noeviction', '--enable-debug-command', 'yes'],
    });
    built = buildTier(redis.url, uniqueTeam(), { timeoutMs: 500 });
    await built.tier.cache.set('early', answer('stored while there was room'), 60);
    await redis.cli('debug', 'populate', '60000', 'filler', '100');
    await built.tier.cache.set('late', answer('no room'), 60);
    await built.tier.cache.set('late2', answer('no room'), 60);
    expect(await built.tier.cache.get('late')).toBeUndefined();
    expect(await built.tier.cache.get('early')).toMatchObject({ text: 'stored while there was room' });
    const outcome = await built.tier.coordinate('oom', new AbortController().signal, async () =>
      answer('computed here'),
    );
    expect(outcome).toMatchObject({ from: 'self', answer: { text: 'computed here' } });
    const oom = built.messages.filter((m) => /out of memory/.test(m.message));
    expect(oom).toHaveLength(1);
    expect(built.tier.status).toBe('up');
  });
});
