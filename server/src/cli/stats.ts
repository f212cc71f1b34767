/**
 * `ghostline stats [--days N] [--json]`: the team's cache hit rate, the tokens and cost the hits
 * saved, and spend against the daily budget, read from the team's Redis.
 */
import type { GhostlineConfig } from '../config/schema.ts';
import { compose } from '../compose.ts';
import type { Caps } from '../budget/policy.ts';
import { readTeamReport, type TeamReport } from '../cache/redis-report.ts';
import { redactRedisUrl } from '../cache/redis-url.ts';
import { silentLogger } from '../telemetry/logger.ts';
import type { DashboardReport } from '../usage/report.ts';
import { localCountersDir, UsageSource } from '../dashboard/source.ts';
import { existsSync } from 'node:fs';
import { print, printError } from './print.ts';

export interface StatsOptions {
  days: number;
  json: boolean;
}

/** The per-day view the dashboard draws, in a few lines: suggestions, latency, tokens and problems. */
export function formatDaily(report: DashboardReport): string {
  const t = report.totals;
  const ms = (n: number | null) => (n === null ? 'n/a' : `${count(n)} ms`);
  return [
    `  suggestions   ${count(t.shown)} shown, ${count(t.accepted)} accepted (${t.acceptanceRate === null ? 'n/a' : `${(100 * t.acceptanceRate).toFixed(1)}%`}); first suggestion p50 ${ms(t.latencyP50Ms)}, p90 ${ms(t.latencyP90Ms)}`,
    `  tokens        ${count(t.tokensIn)} in (${t.cachedShare === null ? 'n/a' : `${(100 * t.cachedShare).toFixed(1)}%`} cached), ${count(t.tokensOut)} out; calls avoided ${count(t.callsAvoided)} (typed-ahead ${count(t.hitsTypedAhead)}, joined ${count(t.hitsJoined)})`,
    `  problems      ${count(t.modelErrors)} model errors, ${count(t.fallbacks)} fallbacks, ${count(t.budgetDowngrades)} budget downgrades, ${count(t.budgetRefusals)} refusals, ${count(t.rateLimitWaits)} rate-limit waits, ${count(t.rateLimited)} rate-limited`,
  ].join('\n');
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');
const usd = (n: number) => `$${n < 1 ? n.toFixed(4) : n.toFixed(2)}`;
const percent = (part: number, whole: number) => (whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : 'n/a');

export function hitRate(report: TeamReport): { hits: number; lookups: number } {
  const hits = report.cache.hitsMemory + report.cache.hitsShared + report.cache.hitsPeer;
  return { hits, lookups: hits + report.cache.modelCalls };
}

/** "45,678 tokens, $0.0312 — soft cap $1.00 (3.1%), hard cap 100,000 tokens (45.7%)". */
function against(spent: { tokens: number; costUsd: number }, caps: Caps): string {
  const parts: string[] = [];
  const cap = (name: string, limit: number | undefined, value: number, format: (n: number) => string) => {
    if (limit !== undefined) parts.push(`${name} ${format(limit)} (${percent(value, limit)})`);
  };
  cap('soft cap', caps.softTokens, spent.tokens, (n) => `${count(n)} tokens`);
  cap('hard cap', caps.hardTokens, spent.tokens, (n) => `${count(n)} tokens`);
  cap('soft cap', caps.softCostUsd, spent.costUsd, usd);
  cap('hard cap', caps.hardCostUsd, spent.costUsd, usd);
  return `${count(spent.tokens)} tokens, ${usd(spent.costUsd)}${parts.length > 0 ? ` — today against ${parts.join(', ')}` : ' (no daily cap)'}`;
}

export function formatReport(report: TeamReport, caps: { team: Caps; perUser: Caps }, source: string): string {
  const { hits, lookups } = hitRate(report);
  const period =
    report.days.length === 1 ? `today (${report.days[0]} UTC)` : `${report.days.at(-1)} to ${report.days[0]} (UTC)`;
  const c = report.cache;
  return [
    `ghostline team "${report.team}" — ${period} — ${source}`,
    `  hit rate      ${percent(hits, lookups)} of ${count(lookups)} look-ups (memory ${count(c.hitsMemory)}, shared ${count(c.hitsShared)}, from a peer's call ${count(c.hitsPeer)}; model calls ${count(c.modelCalls)})`,
    `  saved         ${count(c.tokensSaved)} tokens, ${usd(c.costSavedUsd)}`,
    `  team spend    ${against(report.days.length === 1 ? report.teamSpend : report.teamSpendToday, caps.team)}`,
    ...(report.days.length > 1
      ? [
          `                (${report.days.length} days: ${count(report.teamSpend.tokens)} tokens, ${usd(report.teamSpend.costUsd)})`,
        ]
      : []),
    `  ${report.user} spend`.padEnd(16) +
      against(report.days.length === 1 ? report.userSpend : report.userSpendToday, caps.perUser),
  ].join('\n');
}

export async function runStats(env: NodeJS.ProcessEnv, options: StatsOptions): Promise<number> {
  const problems: string[] = [];
  const composition = compose({
    env,
    workspaceRoot: process.cwd(),
    logger: silentLogger(),
    report: (_s, m) => problems.push(m),
    connectRedis: false,
  });
  const app = composition.services;
  try {
    const config = app.config;
    for (const problem of problems) printError(problem);
    if (!config.cache.redisUrl) {
      const local = localCountersDir(config, env);
      if (existsSync(local)) return await localStats(env, config, options);
      printError(
        `ghostline stats: no team cache configured, and no local usage counters (${local}; kept while safety.audit is on). Set REDIS_URL (or cache.redisUrl in .ghostline.json); see docs/team.md.`,
      );
      return 2;
    }
    const result = await readTeamReport({
      url: config.cache.redisUrl,
      team: config.cache.team,
      user: app.user,
      days: options.days,
      caFile: config.cache.redisCaFile,
    });
    if (!result.ok) {
      printError(
        `ghostline stats: cannot read the team cache at ${redactRedisUrl(config.cache.redisUrl)}: ${result.error}`,
      );
      return 1;
    }
    const caps = { team: config.budget.team, perUser: config.budget.perUser };
    const source = new UsageSource({ config, env, workspaceRoot: process.cwd() });
    const daily = await source.report(options.days).finally(() => source.close());
    if (!daily.ok) {
      printError(
        `ghostline stats: cannot read the team's daily counters at ${redactRedisUrl(config.cache.redisUrl)}: ${daily.error}`,
      );
      return 1;
    }
    if (options.json) {
      const { hits, lookups } = hitRate(result.report);
      print(
        JSON.stringify(
          { ...result.report, hitRate: lookups > 0 ? hits / lookups : null, caps, daily: daily.report },
          null,
          2,
        ),
      );
    } else
      print(
        `${formatReport(result.report, caps, redactRedisUrl(config.cache.redisUrl))}\n${formatDaily(daily.report)}`,
      );
    return 0;
  } finally {
    await composition.close();
  }
}

/** Without a team Redis: this developer's counters from the local usage files (the dashboard's local mode). */
async function localStats(env: NodeJS.ProcessEnv, config: GhostlineConfig, options: StatsOptions): Promise<number> {
  const source = new UsageSource({ config, env, workspaceRoot: process.cwd() });
  const daily = await source.report(options.days).finally(() => source.close());
  if (!daily.ok) {
    printError(`ghostline stats: cannot read the local usage counters: ${daily.error}`);
    return 1;
  }
  const report = daily.report;
  if (options.json) {
    print(
      JSON.stringify({ source: 'local', days: [...report.days].reverse(), caps: report.caps, daily: report }, null, 2),
    );
    return 0;
  }
  const t = report.totals;
  const period =
    report.days.length === 1 ? `today (${report.days[0]} UTC)` : `${report.days[0]} to ${report.days.at(-1)} (UTC)`;
  print(
    [
      `ghostline — this developer (no team Redis) — ${period} — ${source.where}`,
      `  spend         ${count(t.spendTokens)} tokens, ${usd(t.spendUsd)}; saved ${usd(t.savedUsd)} (${count(t.hitsMemory)} memory hits, ${count(t.modelCalls)} model calls)`,
      formatDaily(report),
    ].join('\n'),
  );
  return 0;
}
