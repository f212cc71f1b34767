/**
 * A one-shot Redis reachability check for `ghostline doctor`: connect (standalone, Sentinel or
 * Cluster, as the URL says), PING, report the server version, disconnect, all within a deadline.
 */
import { createRedisClient, loadRedisDriver } from './redis-client.ts';
import { parseRedisUrl } from './redis-url.ts';

export async function probeRedis(
  url: string,
  timeoutMs = 2000,
  caFile?: string,
): Promise<{ ok: true; version: string } | { ok: false; error: string }> {
  const parsed = parseRedisUrl(url);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  await loadRedisDriver();
  let client: ReturnType<typeof createRedisClient>;
  try {
    client = createRedisClient(parsed.target, {
      role: 'commands',
      commandTimeoutMs: timeoutMs,
      connectTimeoutMs: timeoutMs,
      caFile,
    });
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  let lastError = '';
  client.on('error', (error: Error) => {
    lastError = (error as NodeJS.ErrnoException).code ?? error.message;
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${timeoutMs} ms${lastError ? ` (${lastError})` : ''}`)),
      timeoutMs,
    );
  });
  try {
    const ready =
      client.status === 'ready'
        ? Promise.resolve()
        : new Promise<void>((resolve) => client.once('ready', () => resolve()));
    await Promise.race([ready, deadline]);
    await Promise.race([client.ping(), deadline]);
    const info = parsed.target.mode === 'cluster' ? '' : await Promise.race([client.info('server'), deadline]);
    return {
      ok: true,
      version: /redis_version:(\S+)/.exec(info)?.[1] ?? (parsed.target.mode === 'cluster' ? 'cluster' : 'unknown'),
    };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}
