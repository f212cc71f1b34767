/**
 * Reads days of the team's counters for the dashboard and `ghostline stats`: the cache statistics,
 * usage counters (per-user spend included), team spend and the health hash — in one pipelined round
 * trip whatever the range (all keys share the team's Cluster slot).
 */
import { createRedisClient, type RedisClient } from './redis-client.ts';
import { RedisKeys } from './redis-keys.ts';
import { totalsFrom } from './redis-spend.ts';
import { usersIn } from '../usage/fields.ts';
import { parseRedisUrl, redactRedisUrl } from './redis-url.ts';
import type { DayInput } from '../usage/report.ts';
import type { LastError } from '../usage/recorder.ts';

export interface TeamUsage {
  days: DayInput[];
  lastError?: LastError;
}

function numbers(hash: Record<string, string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [field, value] of Object.entries(hash)) {
    const n = Number(value);
    if (Number.isFinite(n)) out[field] = n;
  }
  return out;
}

type Reply = [Error | null, unknown][] | null;

function values(reply: Reply): unknown[] {
  return (reply ?? []).map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}

export class TeamUsageReader {
  readonly label: string;
  private readonly client: RedisClient;
  private readonly keys: RedisKeys;
  private readonly timeoutMs: number;
  private lastProblem = '';

  private constructor(client: RedisClient, label: string, team: string, timeoutMs: number) {
    this.client = client;
    this.label = label;
    this.keys = new RedisKeys(team);
    this.timeoutMs = timeoutMs;
    client.on('error', (error: Error) => {
      this.lastProblem = (error as NodeJS.ErrnoException).code ?? error.message;
    });
  }

  static open(options: {
    url: string;
    team: string;
    caFile?: string;
    timeoutMs?: number;
  }): { ok: true; reader: TeamUsageReader } | { ok: false; error: string } {
    const parsed = parseRedisUrl(options.url);
    if (!parsed.ok) return { ok: false, error: parsed.error };
    const timeoutMs = options.timeoutMs ?? 3000;
    try {
      const client = createRedisClient(parsed.target, {
        role: 'commands',
        commandTimeoutMs: timeoutMs,
        caFile: options.caFile,
        connectTimeoutMs: timeoutMs,
      });
      return { ok: true, reader: new TeamUsageReader(client, redactRedisUrl(options.url), options.team, timeoutMs) };
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    }
  }

  /** The counters of `days` (oldest first), or a reason when Redis does not answer in time. */
  async read(days: string[]): Promise<{ ok: true; usage: TeamUsage } | { ok: false; error: string }> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `no answer from ${this.label} within ${this.timeoutMs} ms${this.lastProblem ? ` (${this.lastProblem})` : ''}`,
            ),
          ),
        this.timeoutMs,
      );
    });
    try {
      const ready =
        this.client.status === 'ready'
          ? Promise.resolve()
          : new Promise<void>((resolve) => this.client.once('ready', () => resolve()));
      await Promise.race([ready, deadline]);
      const first = this.client.pipeline();
      for (const day of days)
        first.hgetall(this.keys.stats(day)).hgetall(this.keys.usage(day)).hgetall(this.keys.teamSpend(day));
      first.hgetall(this.keys.health());
      const replies = values(await Promise.race([first.exec(), deadline]));
      const result: DayInput[] = days.map((day, i) => {
        const [stats, usage, team] = replies.slice(i * 3, i * 3 + 3) as [
          Record<string, string>,
          Record<string, string>,
          Record<string, string>,
        ];
        const counts = { ...numbers(stats), ...numbers(usage) };
        return { day, counts, team: totalsFrom(team), users: usersIn(counts) };
      });
      const health = (replies.at(-1) ?? {}) as Record<string, string>;
      const at = Number(health.last_error_at);
      const lastError =
        Number.isFinite(at) && at > 0
          ? { at, kind: health.last_error_kind ?? 'unknown', model: health.last_error_model ?? 'unknown' }
          : undefined;
      return { ok: true, usage: { days: result, lastError } };
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.client.disconnect();
  }
}
