/**
 * The dashboard's metrics in Prometheus' text exposition format (version 0.0.4): today's counters
 * (UTC) for the team, as counters that reset at midnight UTC (Prometheus' `rate()` and
 * `increase()` handle the reset), plus gauges for caps, Redis reachability and the last model error.
 */
import type { DashboardReport } from '../usage/report.ts';

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labels(values: Record<string, string>): string {
  const parts = Object.entries(values).map(([name, value]) => `${name}="${escapeLabel(value)}"`);
  return parts.length > 0 ? `{${parts.join(',')}}` : '';
}

function number(value: number): string {
  return Number.isFinite(value) ? String(value) : value > 0 ? '+Inf' : '-Inf';
}

/** Text for `/metrics`, from a report of today only (one day). */
export function prometheusText(today: DashboardReport): string {
  const team = today.health.team;
  const t = today.totals;
  const lines: string[] = [];
  const family = (
    name: string,
    type: 'counter' | 'gauge' | 'histogram',
    help: string,
    samples: [Record<string, string>, number][],
    suffix = '',
  ) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [extra, value] of samples) lines.push(`${name}${suffix}${labels({ team, ...extra })} ${number(value)}`);
  };
  const today_ = 'since 00:00 UTC today (resets daily).';
  family('ghostline_spend_usd_total', 'counter', `Estimated team spend at list prices, ${today_}`, [[{}, t.spendUsd]]);
  family(
    'ghostline_user_spend_usd_total',
    'counter',
    `Estimated spend per user, ${today_}`,
    today.users.map((u) => [{ user: u.name }, u.totalUsd]),
  );
  family('ghostline_tokens_total', 'counter', `Model tokens, ${today_}`, [
    [{ direction: 'in' }, t.tokensIn],
    [{ direction: 'out' }, t.tokensOut],
    [{ direction: 'cached_in' }, t.tokensCached],
  ]);
  family('ghostline_cache_hits_total', 'counter', `Answers served without a model call, by tier, ${today_}`, [
    [{ tier: 'memory' }, t.hitsMemory],
    [{ tier: 'redis' }, t.hitsRedis],
    [{ tier: 'peer' }, t.hitsPeer],
    [{ tier: 'typed_ahead' }, t.hitsTypedAhead],
    [{ tier: 'single_flight' }, t.hitsJoined],
  ]);
  family('ghostline_model_calls_total', 'counter', `Completion model calls made, ${today_}`, [[{}, t.modelCalls]]);
  family('ghostline_saved_usd_total', 'counter', `What cached and peer answers would have cost, ${today_}`, [
    [{}, t.savedUsd],
  ]);
  family('ghostline_suggestions_total', 'counter', `Suggestions shown and accepted, ${today_}`, [
    [{ event: 'shown' }, t.shown],
    [{ event: 'accepted' }, t.accepted],
  ]);
  const breakdown: [Record<string, string>, number][] = [];
  for (const [dimension, rows] of Object.entries(today.acceptance)) {
    for (const row of rows)
      breakdown.push(
        [{ dimension, value: row.name, event: 'shown' }, row.shown],
        [{ dimension, value: row.name, event: 'accepted' }, row.accepted],
      );
  }
  family(
    'ghostline_suggestions_by_total',
    'counter',
    `Suggestions shown and accepted by editor, language, model and task, ${today_}`,
    breakdown,
  );
  family(
    'ghostline_problems_total',
    'counter',
    `Model errors, fallbacks, budget downgrades and refusals, rate-limit waits and refusals, ${today_}`,
    [
      [{ kind: 'model_error' }, t.modelErrors],
      [{ kind: 'fallback' }, t.fallbacks],
      [{ kind: 'budget_downgrade' }, t.budgetDowngrades],
      [{ kind: 'budget_refusal' }, t.budgetRefusals],
      [{ kind: 'rate_limit_wait' }, t.rateLimitWaits],
      [{ kind: 'rate_limited' }, t.rateLimited],
    ],
  );
  const name = 'ghostline_first_suggestion_latency_ms';
  lines.push(
    `# HELP ${name} Latency from request to first suggestion in milliseconds, ${today_}`,
    `# TYPE ${name} histogram`,
  );
  for (const bucket of today.latencyHistogram)
    lines.push(`${name}_bucket${labels({ team, le: bucket.le })} ${bucket.count}`);
  lines.push(
    `${name}_sum${labels({ team })} ${t.latencySumMs}`,
    `${name}_count${labels({ team })} ${today.latencyHistogram.at(-1)?.count ?? 0}`,
  );
  const caps: [Record<string, string>, number][] = [];
  for (const [scope, capSet] of [
    ['team', today.caps.team],
    ['user', today.caps.perUser],
  ] as const) {
    if (capSet.softCostUsd !== undefined) caps.push([{ scope, level: 'soft' }, capSet.softCostUsd]);
    if (capSet.hardCostUsd !== undefined) caps.push([{ scope, level: 'hard' }, capSet.hardCostUsd]);
  }
  family('ghostline_daily_cap_usd', 'gauge', 'Daily spend caps in force (budget.team and budget.perUser).', caps);
  family('ghostline_redis_up', 'gauge', 'Whether the team Redis answered the dashboard (0 in local mode).', [
    [{}, today.health.redisReachable ? 1 : 0],
  ]);
  if (today.health.lastError) {
    family(
      'ghostline_last_model_error_timestamp_seconds',
      'gauge',
      'When the last model error was seen (kind and model as labels).',
      [
        [
          { kind: today.health.lastError.kind, model: today.health.lastError.model },
          Math.round(today.health.lastError.at / 1000),
        ],
      ],
    );
  }
  return `${lines.join('\n')}\n`;
}
