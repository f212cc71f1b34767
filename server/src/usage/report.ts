/**
 * Turns days of usage counters into what the dashboard draws and `ghostline stats --json` prints:
 * one series per chart (oldest day first), totals over the range, acceptance by editor, language,
 * model and task, and latency quantiles from the histogram. Pure: the same input gives the same
 * numbers on the page, in the JSON endpoints, in Prometheus and in the shell.
 */
import {
  DIMENSIONS,
  histogramQuantile,
  LATENCY_BUCKETS_MS,
  NANO,
  parseDimensionField,
  type Dimension,
} from './fields.ts';
import type { LastError } from './recorder.ts';

/** Daily caps as configured (`budget.team`, `budget.perUser`); the same shape as budget/policy.ts' Caps. */
export interface Caps {
  softTokens?: number;
  hardTokens?: number;
  softCostUsd?: number;
  hardCostUsd?: number;
}

/** Tokens and estimated cost. */
export interface SpendTotals {
  tokens: number;
  costUsd: number;
}

/** One UTC day as read from Redis or the local files. */
export interface DayInput {
  day: string;
  /** The day's counters (usage hash merged with the cache statistics hash). */
  counts: Record<string, number>;
  team: SpendTotals;
  /** Spend per user who spent that day. */
  users: Record<string, SpendTotals>;
}

export interface Health {
  source: 'team' | 'local';
  /** Redis answered the dashboard's last read (always false in local mode). */
  redisReachable: boolean;
  /** The Redis URL with its password hidden, or the local folder. */
  where: string;
  team: string;
  lastError?: LastError;
  /** The team file in force (absent when none), and a short hash of the model policy in force. */
  teamFile?: string;
  policyVersion: string;
  ghostlineVersion: string;
}

export interface Breakdown {
  name: string;
  shown: number;
  accepted: number;
  /** accepted / shown, or null when nothing was shown. */
  rate: number | null;
}

export interface DashboardReport {
  generatedAt: string;
  rangeDays: number;
  /** UTC days, oldest first (the x axis of every chart). */
  days: string[];
  caps: { team: Caps; perUser: Caps };
  series: {
    spendUsd: number[];
    spendTokens: number[];
    tokensIn: number[];
    tokensOut: number[];
    tokensCached: number[];
    /** Cached input tokens / input tokens per day (null when no input). */
    cachedShare: (number | null)[];
    hitsMemory: number[];
    hitsRedis: number[];
    hitsPeer: number[];
    hitsTypedAhead: number[];
    hitsJoined: number[];
    modelCalls: number[];
    callsAvoided: number[];
    tokensSaved: number[];
    savedUsd: number[];
    shown: number[];
    accepted: number[];
    acceptanceRate: (number | null)[];
    latencyP50Ms: (number | null)[];
    latencyP90Ms: (number | null)[];
    modelErrors: number[];
    fallbacks: number[];
    budgetDowngrades: number[];
    budgetRefusals: number[];
    rateLimitWaits: number[];
    rateLimited: number[];
  };
  /** Spend per user per day, users by total spend (largest first). */
  users: { name: string; spendUsd: number[]; spendTokens: number[]; totalUsd: number; totalTokens: number }[];
  totals: {
    spendUsd: number;
    spendTokens: number;
    tokensIn: number;
    tokensOut: number;
    tokensCached: number;
    cachedShare: number | null;
    hitsMemory: number;
    hitsRedis: number;
    hitsPeer: number;
    hitsTypedAhead: number;
    hitsJoined: number;
    modelCalls: number;
    callsAvoided: number;
    tokensSaved: number;
    savedUsd: number;
    shown: number;
    accepted: number;
    acceptanceRate: number | null;
    latencyP50Ms: number | null;
    latencyP90Ms: number | null;
    /** Sum of all latencies (ms), for the Prometheus histogram's `_sum`. */
    latencySumMs: number;
    modelErrors: number;
    fallbacks: number;
    budgetDowngrades: number;
    budgetRefusals: number;
    rateLimitWaits: number;
    rateLimited: number;
  };
  /** The latency histogram over the whole range: suggestions at or under each bound (ms), cumulative; `+Inf` last. */
  latencyHistogram: { le: string; count: number }[];
  /** Spend of the newest day (today), against the daily caps. */
  today: { day: string; team: SpendTotals };
  acceptance: Record<Dimension, Breakdown[]>;
  health: Health;
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
const ratio = (part: number, whole: number) => (whole > 0 ? round6(part / whole) : null);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function latencyBuckets(counts: Record<string, number>, into?: Map<string, number>): Map<string, number> {
  const buckets = into ?? new Map<string, number>();
  for (const [field, value] of Object.entries(counts)) {
    if (field.startsWith('latency|le|')) {
      const bound = field.slice('latency|le|'.length);
      buckets.set(bound, (buckets.get(bound) ?? 0) + value);
    }
  }
  return buckets;
}

function cumulative(buckets: Map<string, number>): { le: string; count: number }[] {
  let running = 0;
  return [...LATENCY_BUCKETS_MS.map(String), 'inf'].map((bound) => {
    running += buckets.get(bound) ?? 0;
    return { le: bound === 'inf' ? '+Inf' : bound, count: running };
  });
}

/** Builds the report from days given oldest first. */
export function buildReport(input: {
  days: DayInput[];
  caps: { team: Caps; perUser: Caps };
  health: Health;
  now?: number;
}): DashboardReport {
  const days = input.days;
  const n = (field: string) => days.map((d) => d.counts[field] ?? 0);
  const hitsMemory = n('hits_memory');
  const hitsRedis = n('hits_shared');
  const hitsPeer = n('hits_peer');
  const hitsTypedAhead = n('hits_typed_ahead');
  const hitsJoined = n('hits_joined');
  const callsAvoided = days.map(
    (_, i) => hitsMemory[i]! + hitsRedis[i]! + hitsPeer[i]! + hitsTypedAhead[i]! + hitsJoined[i]!,
  );
  const tokensIn = n('tokens_in');
  const tokensCached = n('tokens_cached');
  const shown = n('shown');
  const accepted = n('accepted');
  const quantiles = days.map((d) => latencyBuckets(d.counts));
  const allLatency = new Map<string, number>();
  for (const d of days) latencyBuckets(d.counts, allLatency);
  const series: DashboardReport['series'] = {
    spendUsd: days.map((d) => round6(d.team.costUsd)),
    spendTokens: days.map((d) => d.team.tokens),
    tokensIn,
    tokensOut: n('tokens_out'),
    tokensCached,
    cachedShare: days.map((_, i) => ratio(tokensCached[i]!, tokensIn[i]!)),
    hitsMemory,
    hitsRedis,
    hitsPeer,
    hitsTypedAhead,
    hitsJoined,
    modelCalls: n('model_calls'),
    callsAvoided,
    tokensSaved: n('tokens_saved'),
    savedUsd: n('cost_saved_nano').map((v) => round6(v / NANO)),
    shown,
    accepted,
    acceptanceRate: days.map((_, i) => ratio(accepted[i]!, shown[i]!)),
    latencyP50Ms: quantiles.map((q) => histogramQuantile(0.5, q) ?? null),
    latencyP90Ms: quantiles.map((q) => histogramQuantile(0.9, q) ?? null),
    modelErrors: n('model_errors'),
    fallbacks: n('fallbacks'),
    budgetDowngrades: n('budget_downgrades'),
    budgetRefusals: n('budget_refusals'),
    rateLimitWaits: n('rate_limit_waits'),
    rateLimited: n('rate_limited'),
  };
  const totalOf = (values: number[]) => sum(values);
  const totals: DashboardReport['totals'] = {
    spendUsd: round6(sum(days.map((d) => d.team.costUsd))),
    spendTokens: totalOf(series.spendTokens),
    tokensIn: totalOf(tokensIn),
    tokensOut: totalOf(series.tokensOut),
    tokensCached: totalOf(tokensCached),
    cachedShare: ratio(totalOf(tokensCached), totalOf(tokensIn)),
    hitsMemory: totalOf(hitsMemory),
    hitsRedis: totalOf(hitsRedis),
    hitsPeer: totalOf(hitsPeer),
    hitsTypedAhead: totalOf(hitsTypedAhead),
    hitsJoined: totalOf(hitsJoined),
    modelCalls: totalOf(series.modelCalls),
    callsAvoided: totalOf(callsAvoided),
    tokensSaved: totalOf(series.tokensSaved),
    savedUsd: round6(sum(n('cost_saved_nano')) / NANO),
    shown: totalOf(shown),
    accepted: totalOf(accepted),
    acceptanceRate: ratio(totalOf(accepted), totalOf(shown)),
    latencyP50Ms: histogramQuantile(0.5, allLatency) ?? null,
    latencyP90Ms: histogramQuantile(0.9, allLatency) ?? null,
    latencySumMs: sum(n('latency_sum_ms')),
    modelErrors: totalOf(series.modelErrors),
    fallbacks: totalOf(series.fallbacks),
    budgetDowngrades: totalOf(series.budgetDowngrades),
    budgetRefusals: totalOf(series.budgetRefusals),
    rateLimitWaits: totalOf(series.rateLimitWaits),
    rateLimited: totalOf(series.rateLimited),
  };
  const names = new Set(days.flatMap((d) => Object.keys(d.users)));
  const users = [...names]
    .map((name) => {
      const spendUsd = days.map((d) => round6(d.users[name]?.costUsd ?? 0));
      const spendTokens = days.map((d) => d.users[name]?.tokens ?? 0);
      return {
        name,
        spendUsd,
        spendTokens,
        totalUsd: round6(sum(days.map((d) => d.users[name]?.costUsd ?? 0))),
        totalTokens: sum(spendTokens),
      };
    })
    .sort((a, b) => b.totalUsd - a.totalUsd || b.totalTokens - a.totalTokens || a.name.localeCompare(b.name));
  const acceptance = Object.fromEntries(DIMENSIONS.map((d) => [d, [] as Breakdown[]])) as Record<
    Dimension,
    Breakdown[]
  >;
  const byName = new Map<string, Breakdown>();
  for (const d of days) {
    for (const [field, value] of Object.entries(d.counts)) {
      const parsed = parseDimensionField(field);
      if (!parsed) continue;
      const id = `${parsed.dimension}|${parsed.value}`;
      let row = byName.get(id);
      if (!row) {
        row = { name: parsed.value, shown: 0, accepted: 0, rate: null };
        byName.set(id, row);
        acceptance[parsed.dimension].push(row);
      }
      row[parsed.event] += value;
    }
  }
  for (const rows of Object.values(acceptance)) {
    for (const row of rows) row.rate = ratio(row.accepted, row.shown);
    rows.sort((a, b) => b.shown - a.shown || a.name.localeCompare(b.name));
  }
  const newest = days.at(-1);
  return {
    generatedAt: new Date(input.now ?? Date.now()).toISOString(),
    rangeDays: days.length,
    days: days.map((d) => d.day),
    caps: input.caps,
    series,
    users,
    totals,
    today: {
      day: newest?.day ?? '',
      team: { tokens: newest?.team.tokens ?? 0, costUsd: round6(newest?.team.costUsd ?? 0) },
    },
    latencyHistogram: cumulative(allLatency),
    acceptance,
    health: input.health,
  };
}
