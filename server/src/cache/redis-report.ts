/**
 * Reads the team's statistics and spend for `ghostline stats` over its own short-lived connection,
 * with a deadline suited to a person at a shell rather than to a keystroke.
 */
import { createRedisClient, loadRedisDriver } from './redis-client.ts';
import { RedisKeys, utcDay } from './redis-keys.ts';
import { totalsFrom } from './redis-spend.ts';
import { addStats, emptyTotals, type CacheTotals } from './redis-stats.ts';
import { parseRedisUrl, redactRedisUrl } from './redis-url.ts';
import type { SpendTotals } from './types.ts';

export interface TeamReport {
  team: string;
  user: string;
  /** UTC days covered, newest first. */
  days: string[];
  cache: CacheTotals;
  teamSpend: SpendTotals;
  userSpend: SpendTotals;
  /** Today only, for comparison with the daily caps. */
  teamSpendToday: SpendTotals;
  userSpendToday: SpendTotals;
}

export interface ReportOptions {
  url: string;
  team: string;
  user: string;
  days: number;
  caFile?: string;
  timeoutMs?: number;
  now?: number;
}

function add(a: SpendTotals, b: SpendTotals): SpendTotals {
  return { tokens: a.tokens + b.tokens, costUsd: a.costUsd + b.costUsd };
}

export async function readTeamReport(
  options: ReportOptions,
): Promise<{ ok: true; report: TeamReport } | { ok: false; error: string }> {
  const parsed = parseRedisUrl(options.url);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const timeoutMs = options.timeoutMs ?? 3000;
  await loadRedisDriver();
  const client = createRedisClient(parsed.target, {
    role: 'commands',
    commandTimeoutMs: timeoutMs,
    caFile: options.caFile,
    connectTimeoutMs: timeoutMs,
  });
  let lastError = '';
  client.on('error', (error: Error) => {
    lastError = (error as NodeJS.ErrnoException).code ?? error.message;
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `no answer from ${redactRedisUrl(options.url)} within ${timeoutMs} ms${lastError ? ` (${lastError})` : ''}`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    const ready =
      client.status === 'ready'
        ? Promise.resolve()
        : new Promise<void>((resolve) => client.once('ready', () => resolve()));
    await Promise.race([ready, deadline]);
    const keys = new RedisKeys(options.team);
    const now = options.now ?? Date.now();
    const days = Array.from({ length: Math.max(1, options.days) }, (_, i) => utcDay(now - i * 86_400_000));
    const read = Promise.all(
      days.map((day) =>
        Promise.all([
          client.hgetall(keys.stats(day)),
          client.hgetall(keys.teamSpend(day)),
          client.hgetall(keys.userSpend(day, options.user)),
        ]),
      ),
    );
    const rows = await Promise.race([read, deadline]);
    const zero = { tokens: 0, costUsd: 0 };
    const report: TeamReport = {
      team: options.team,
      user: options.user,
      days,
      cache: emptyTotals(),
      teamSpend: zero,
      userSpend: zero,
      teamSpendToday: zero,
      userSpendToday: zero,
    };
    rows.forEach(([stats, team, user], index) => {
      report.cache = addStats(report.cache, stats);
      report.teamSpend = add(report.teamSpend, totalsFrom(team));
      report.userSpend = add(report.userSpend, totalsFrom(user));
      if (index === 0) {
        report.teamSpendToday = totalsFrom(team);
        report.userSpendToday = totalsFrom(user);
      }
    });
    return { ok: true, report };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}
