/**
 * Where the dashboard and `ghostline stats --json` read their days from: the team's Redis when one
 * is configured, else this developer's local usage files. Both give the same report shape, built by
 * usage/report.ts, so the page, its JSON endpoints, Prometheus and the shell agree.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { GhostlineConfig } from '../config/schema.ts';
import { TEAM_FILE } from '../config/sources.ts';
import { HISTORY_DAYS, utcDay } from '../cache/redis-keys.ts';
import { TeamUsageReader } from '../cache/redis-usage-read.ts';
import { BUILTIN_MODELS, DEFAULT_ROUTES } from '../router/policy.ts';
import { VERSION } from '../version.ts';
import { defaultAuditFile, resolveAudit } from '../safety/audit-trail.ts';
import { NANO, usersIn } from '../usage/fields.ts';
import { localUsageDir, pruneLocalUsage, readLocalUsage } from '../usage/local-store.ts';
import { buildReport, type DashboardReport, type DayInput, type Health } from '../usage/report.ts';

/** Where one developer's counters are kept: `usage/` beside the audit file in force (or its default place). */
export function localCountersDir(config: GhostlineConfig, env: NodeJS.ProcessEnv): string {
  return localUsageDir(resolveAudit(config.safety.audit, env)?.file ?? defaultAuditFile(env));
}

/** The ranges the dashboard offers. */
export const RANGES = [7, 30, 90] as const;
export const MAX_RANGE_DAYS = 90;

/** UTC days ending today, oldest first. */
export function rangeDays(days: number, now: number): string[] {
  return Array.from({ length: days }, (_, i) => utcDay(now - (days - 1 - i) * 86_400_000));
}

/** A short, stable fingerprint of the model policy in force (built-in tables and the configured routes and models). */
export function policyVersion(config: GhostlineConfig): string {
  const policy = JSON.stringify({
    models: BUILTIN_MODELS,
    routes: DEFAULT_ROUTES,
    configured: { router: config.router, models: config.models },
  });
  return createHash('sha256').update(policy).digest('hex').slice(0, 12);
}

export interface UsageSourceOptions {
  config: GhostlineConfig;
  env: NodeJS.ProcessEnv;
  workspaceRoot?: string;
  /** The local usage folder (default beside the audit trail). */
  localDir?: string;
  now?: () => number;
}

export class UsageSource {
  readonly kind: 'team' | 'local';
  private readonly options: UsageSourceOptions;
  private readonly reader?: TeamUsageReader;
  private readonly openError?: string;
  private readonly now: () => number;

  constructor(options: UsageSourceOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    const cache = options.config.cache;
    this.kind = cache.redisUrl ? 'team' : 'local';
    if (cache.redisUrl) {
      const opened = TeamUsageReader.open({ url: cache.redisUrl, team: cache.team, caFile: cache.redisCaFile });
      if (opened.ok) this.reader = opened.reader;
      else this.openError = opened.error;
    }
  }

  get where(): string {
    return this.reader?.label ?? this.localDir;
  }

  private get localDir(): string {
    return this.options.localDir ?? localCountersDir(this.options.config, this.options.env);
  }

  /** The report of the last `days` UTC days (today included), or why it cannot be read. */
  async report(days: number): Promise<{ ok: true; report: DashboardReport } | { ok: false; error: string }> {
    const now = this.now();
    const config = this.options.config;
    const wanted = rangeDays(Math.min(Math.max(1, Math.round(days)), MAX_RANGE_DAYS), now);
    const teamFile = this.options.workspaceRoot ? path.join(this.options.workspaceRoot, TEAM_FILE) : undefined;
    const health: Health = {
      source: this.kind,
      redisReachable: false,
      where: this.where,
      team: config.cache.team,
      teamFile: teamFile && existsSync(teamFile) ? teamFile : undefined,
      policyVersion: policyVersion(config),
      ghostlineVersion: VERSION,
    };
    const caps = { team: config.budget.team, perUser: config.budget.perUser };
    if (this.kind === 'team') {
      if (!this.reader) return { ok: false, error: this.openError ?? 'no team cache' };
      const read = await this.reader.read(wanted);
      if (!read.ok) return read;
      return {
        ok: true,
        report: buildReport({
          days: read.usage.days,
          caps,
          health: { ...health, redisReachable: true, lastError: read.usage.lastError },
          now,
        }),
      };
    }
    const today = utcDay(now);
    const local = await readLocalUsage(this.localDir, wanted, today);
    await pruneLocalUsage(this.localDir, today, HISTORY_DAYS);
    let lastError: Health['lastError'];
    const input: DayInput[] = wanted.map((day) => {
      const sums = local.get(day) ?? { counts: {}, users: new Set<string>() };
      if (sums.lastError && (!lastError || sums.lastError.at > lastError.at)) lastError = sums.lastError;
      const spend = { tokens: sums.counts.spend_tokens ?? 0, costUsd: (sums.counts.cost_nano ?? 0) / NANO };
      return { day, counts: sums.counts, team: spend, users: usersIn(sums.counts) };
    });
    return { ok: true, report: buildReport({ days: input, caps, health: { ...health, lastError }, now }) };
  }

  close(): void {
    this.reader?.close();
  }
}
