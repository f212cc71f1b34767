/**
 * The dashboard's charts as data: for each chart its title, unit, series (one value per UTC day)
 * and the figures shown beside it, all derived from one report. The page draws these; each is
 * also served alone as JSON (`/api/chart/<name>`), so a script sees exactly what a person sees.
 */
import type { DashboardReport } from '../usage/report.ts';

export type Unit = 'usd' | 'count' | 'tokens' | 'percent' | 'ms';

export interface Figure {
  label: string;
  /** The raw number (USD, count, ratio 0..1 for percent, ms), null when there is nothing to show. */
  value: number | null;
  unit: Unit;
  /** The report field it equals, e.g. `totals.spendUsd`, so tests and scripts can match it. */
  field: string;
}

export interface Chart {
  name: string;
  title: string;
  /** One sentence saying what the chart counts. */
  note: string;
  unit: Unit;
  days: string[];
  series: { label: string; values: (number | null)[]; dashed?: boolean }[];
  figures: Figure[];
}

/** Per-user lines drawn at most; every user still has a row in the table beside the chart. */
const USER_LINES = 6;

const constant = (days: string[], value: number | undefined) =>
  value === undefined ? undefined : days.map(() => value);

export function buildCharts(report: DashboardReport): Chart[] {
  const { days, series: s, totals: t, caps } = report;
  const capLines = (soft: number | undefined, hard: number | undefined) =>
    [
      { label: 'soft cap', values: constant(days, soft), dashed: true },
      { label: 'hard cap', values: constant(days, hard), dashed: true },
    ].filter((line): line is { label: string; values: number[]; dashed: boolean } => line.values !== undefined);
  const charts: Chart[] = [
    {
      name: 'spend',
      title: report.health.source === 'team' ? 'Team spend per day' : 'Spend per day',
      note: 'Estimated at list prices; dashed lines are the daily caps.',
      unit: 'usd',
      days,
      series: [{ label: 'spend', values: s.spendUsd }, ...capLines(caps.team.softCostUsd, caps.team.hardCostUsd)],
      figures: [
        { label: `spend, ${days.length} days`, value: t.spendUsd, unit: 'usd', field: 'totals.spendUsd' },
        { label: 'today', value: report.today.team.costUsd, unit: 'usd', field: 'today.team.costUsd' },
        { label: 'tokens billed', value: t.spendTokens, unit: 'tokens', field: 'totals.spendTokens' },
      ],
    },
    {
      name: 'users',
      title: 'Spend per user per day',
      note: `The ${Math.min(USER_LINES, report.users.length)} largest spenders drawn; dashed lines are the per-user caps.`,
      unit: 'usd',
      days,
      series: [
        ...report.users.slice(0, USER_LINES).map((user) => ({ label: user.name, values: user.spendUsd })),
        ...capLines(caps.perUser.softCostUsd, caps.perUser.hardCostUsd),
      ],
      figures: [{ label: 'users who spent', value: report.users.length, unit: 'count', field: 'users.length' }],
    },
    {
      name: 'tokens',
      title: 'Tokens per day',
      note: 'Prompt tokens sent, of them served from the model’s prompt cache, and tokens received.',
      unit: 'tokens',
      days,
      series: [
        { label: 'in', values: s.tokensIn },
        { label: 'out', values: s.tokensOut },
        { label: 'cached in', values: s.tokensCached },
      ],
      figures: [
        { label: 'tokens in', value: t.tokensIn, unit: 'tokens', field: 'totals.tokensIn' },
        { label: 'tokens out', value: t.tokensOut, unit: 'tokens', field: 'totals.tokensOut' },
        { label: 'cached share of input', value: t.cachedShare, unit: 'percent', field: 'totals.cachedShare' },
      ],
    },
    {
      name: 'cache',
      title: 'Answers without a model call, by tier',
      note: 'Memory, the team’s Redis, another editor’s call, typed-ahead reuse and single-flight joins.',
      unit: 'count',
      days,
      series: [
        { label: 'memory', values: s.hitsMemory },
        { label: 'Redis', values: s.hitsRedis },
        { label: 'peer call', values: s.hitsPeer },
        { label: 'typed-ahead', values: s.hitsTypedAhead },
        { label: 'joined', values: s.hitsJoined },
      ],
      figures: [
        { label: 'model calls avoided', value: t.callsAvoided, unit: 'count', field: 'totals.callsAvoided' },
        { label: 'model calls made', value: t.modelCalls, unit: 'count', field: 'totals.modelCalls' },
        { label: 'Redis hits', value: t.hitsRedis, unit: 'count', field: 'totals.hitsRedis' },
      ],
    },
    {
      name: 'savings',
      title: 'Dollars saved per day',
      note: 'What cached and peer answers would have cost at list prices.',
      unit: 'usd',
      days,
      series: [{ label: 'saved', values: s.savedUsd }],
      figures: [
        { label: 'saved', value: t.savedUsd, unit: 'usd', field: 'totals.savedUsd' },
        { label: 'tokens saved', value: t.tokensSaved, unit: 'tokens', field: 'totals.tokensSaved' },
      ],
    },
    {
      name: 'suggestions',
      title: 'Suggestions shown and accepted',
      note: 'Shown: a suggestion reached the editor. Accepted: the editor ran its accept command.',
      unit: 'count',
      days,
      series: [
        { label: 'shown', values: s.shown },
        { label: 'accepted', values: s.accepted },
      ],
      figures: [
        { label: 'shown', value: t.shown, unit: 'count', field: 'totals.shown' },
        { label: 'accepted', value: t.accepted, unit: 'count', field: 'totals.accepted' },
        { label: 'acceptance rate', value: t.acceptanceRate, unit: 'percent', field: 'totals.acceptanceRate' },
      ],
    },
    {
      name: 'latency',
      title: 'Latency to first suggestion',
      note: 'From the request reaching ghostline to its suggestion, per day, from a histogram of buckets.',
      unit: 'ms',
      days,
      series: [
        { label: 'p50', values: s.latencyP50Ms },
        { label: 'p90', values: s.latencyP90Ms },
      ],
      figures: [
        { label: 'p50', value: t.latencyP50Ms, unit: 'ms', field: 'totals.latencyP50Ms' },
        { label: 'p90', value: t.latencyP90Ms, unit: 'ms', field: 'totals.latencyP90Ms' },
      ],
    },
    {
      name: 'problems',
      title: 'Errors, fallbacks, budget and rate limits',
      note: 'Model errors users saw, fallbacks to the next model, soft-cap downgrades, hard-cap refusals, rate-limit waits and refusals.',
      unit: 'count',
      days,
      series: [
        { label: 'model errors', values: s.modelErrors },
        { label: 'fallbacks', values: s.fallbacks },
        { label: 'downgrades', values: s.budgetDowngrades },
        { label: 'refusals', values: s.budgetRefusals },
        { label: 'rate-limit waits', values: s.rateLimitWaits },
        { label: 'rate-limited', values: s.rateLimited },
      ],
      figures: [
        { label: 'model errors', value: t.modelErrors, unit: 'count', field: 'totals.modelErrors' },
        { label: 'fallbacks', value: t.fallbacks, unit: 'count', field: 'totals.fallbacks' },
        { label: 'budget downgrades', value: t.budgetDowngrades, unit: 'count', field: 'totals.budgetDowngrades' },
        { label: 'budget refusals', value: t.budgetRefusals, unit: 'count', field: 'totals.budgetRefusals' },
        { label: 'rate-limit waits', value: t.rateLimitWaits, unit: 'count', field: 'totals.rateLimitWaits' },
        { label: 'rate-limited', value: t.rateLimited, unit: 'count', field: 'totals.rateLimited' },
      ],
    },
  ];
  return charts;
}
