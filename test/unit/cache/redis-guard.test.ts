import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { RedisGuard } from '../../../server/src/cache/redis-guard.ts';
import type { RedisClient } from '../../../server/src/cache/redis-client.ts';
import { silentLogger } from '../../../server/src/telemetry/logger.ts';

/** The parts of an ioredis client the guard reads: its status and its connection events. */
class FakeClient extends EventEmitter {
  status = 'ready';
}

function guarded() {
  const client = new FakeClient();
  const reports: string[] = [];
  const guard = new RedisGuard(client as unknown as RedisClient, {
    label: 'redis://127.0.0.1:6379',
    timeoutMs: () => 1000,
    logger: silentLogger(),
    report: (_severity, message) => reports.push(message),
  });
  client.emit('ready');
  return { client, guard, reports };
}

function lose(client: FakeClient): void {
  client.status = 'reconnecting';
  client.emit('error', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
  client.emit('reconnecting');
}

describe('RedisGuard', () => {
  it('does not call the cache reachable again when an answer read before the outage settles after it', async () => {
    const { client, guard, reports } = guarded();
    let answer!: (value: string) => void;
    const pending = guard.run('get', () => new Promise<string>((resolve) => (answer = resolve)));
    lose(client);
    answer('cached');
    expect(await pending).toEqual({ ok: true, value: 'cached' });
    expect(guard.status).toBe('down');
    expect(reports.filter((m) => /reachable again/.test(m))).toHaveLength(0);
    expect(reports.filter((m) => /unavailable \(ECONNRESET\)/.test(m))).toHaveLength(1);

    client.status = 'ready';
    client.emit('ready');
    expect(guard.status).toBe('up');
    expect(reports.filter((m) => /reachable again/.test(m))).toHaveLength(1);
  });

  it('calls it reachable again when an operation started after the outage succeeds', async () => {
    const { client, guard, reports } = guarded();
    lose(client);
    expect(await guard.run('get', async () => 'x')).toEqual({ ok: false, reason: 'unavailable' });
    client.status = 'ready';
    expect(await guard.run('get', async () => 'x')).toEqual({ ok: true, value: 'x' });
    expect(guard.status).toBe('up');
    expect(reports.filter((m) => /reachable again/.test(m))).toHaveLength(1);
  });
});
