/**
 * A one-shot Redis reachability check for `ghostline doctor`: connect, PING, report, disconnect,
 * all within a deadline.
 */
import { Redis } from 'ioredis';

export async function probeRedis(url: string, timeoutMs = 2000): Promise<{ ok: true; version: string } | { ok: false; error: string }> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  client.on('error', () => undefined);
  const deadline = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref());
  try {
    await Promise.race([client.connect(), deadline]);
    await Promise.race([client.ping(), deadline]);
    const info = await Promise.race([client.info('server'), deadline]);
    return { ok: true, version: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown' };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  } finally {
    client.disconnect();
  }
}
