import { describe, expect, it } from 'vitest';
import { buildCharts } from '../../../server/src/dashboard/charts.ts';
import { prometheusText } from '../../../server/src/dashboard/prometheus.ts';
import { buildReport, type DayInput, type Health } from '../../../server/src/usage/report.ts';

const health: Health = {
  source: 'team',
  redisReachable: true,
  where: 'redis://127.0.0.1:6379',
  team: 'payments',
  policyVersion: 'abc123',
  ghostlineVersion: '0.1.0',
};
const caps = { team: { softCostUsd: 1, hardCostUsd: 2 }, perUser: {} };

const days: DayInput[] = [
  {
    day: '2026-12-05',
    counts: {
      shown: 10,
      accepted: 4,
      'shown|editor|Neovim': 10,
      'accepted|editor|Neovim': 4,
      'shown|language|python': 10,
      'accepted|language|python': 4,
      tokens_in: 1000,
      tokens_out: 100,
      tokens_cached: 250,
      hits_memory: 3,
      hits_shared: 2,
      hits_peer: 1,
      hits_typed_ahead: 5,
      hits_joined: 1,
      model_calls: 4,
      tokens_saved: 600,
      cost_saved_nano: 500_000_000,
      'latency|le|100': 8,
      'latency|le|1000': 2,
      latency_sum_ms: 1500,
      latency_count: 10,
      model_errors: 1,
      fallbacks: 2,
    },
    team: { tokens: 1100, costUsd: 0.25 },
    users: { alice: { tokens: 1000, costUsd: 0.2 }, bob: { tokens: 100, costUsd: 0.05 } },
  },
  {
    day: '2026-12-06',
    counts: {
      shown: 10,
      accepted: 6,
      'shown|editor|Emacs': 10,
      'accepted|editor|Emacs': 6,
      tokens_in: 1000,
      tokens_out: 100,
      'latency|le|50': 10,
      budget_refusals: 3,
    },
    team: { tokens: 1100, costUsd: 0.5 },
    users: { bob: { tokens: 1100, costUsd: 0.5 } },
  },
];

describe('the dashboard report', () => {
  const report = buildReport({ days, caps, health, now: Date.parse('2026-12-06T12:00:00Z') });

  it('sums the range and keeps one value per day, oldest first', () => {
    expect(report.days).toEqual(['2026-12-05', '2026-12-06']);
    expect(report.series.spendUsd).toEqual([0.25, 0.5]);
    expect(report.series.acceptanceRate).toEqual([0.4, 0.6]);
    expect(report.series.cachedShare).toEqual([0.25, 0]);
    expect(report.series.callsAvoided).toEqual([12, 0]);
    expect(report.totals).toMatchObject({
      spendUsd: 0.75,
      shown: 20,
      accepted: 10,
      acceptanceRate: 0.5,
      callsAvoided: 12,
      savedUsd: 0.5,
      modelErrors: 1,
      fallbacks: 2,
      budgetRefusals: 3,
    });
    expect(report.today).toEqual({ day: '2026-12-06', team: { tokens: 1100, costUsd: 0.5 } });
  });

  it('computes latency quantiles per day and over the range from the buckets', () => {
    expect(report.series.latencyP50Ms).toEqual([91, 38]);
    // Over both days: 10 at ≤50, 8 at ≤100, 2 at ≤1000.
    expect(report.totals.latencyP50Ms).toBe(50);
    expect(report.totals.latencyP90Ms).toBe(100);
    expect(report.latencyHistogram.at(-1)).toEqual({ le: '+Inf', count: 20 });
  });

  it('breaks acceptance down by dimension and lists users by spend', () => {
    expect(report.acceptance.editor).toEqual([
      { name: 'Emacs', shown: 10, accepted: 6, rate: 0.6 },
      { name: 'Neovim', shown: 10, accepted: 4, rate: 0.4 },
    ]);
    expect(report.acceptance.language).toEqual([{ name: 'python', shown: 10, accepted: 4, rate: 0.4 }]);
    expect(report.users.map((u) => [u.name, u.totalUsd])).toEqual([
      ['bob', 0.55],
      ['alice', 0.2],
    ]);
  });

  it('gives every chart figure the value of the report field it names', () => {
    for (const chart of buildCharts(report)) {
      expect(chart.days).toEqual(report.days);
      for (const figure of chart.figures) {
        const value = figure.field.split('.').reduce<unknown>((o, key) => (o as Record<string, unknown>)[key], report);
        expect(figure.value, `${chart.name}: ${figure.field}`).toBe(value);
      }
    }
    const spend = buildCharts(report).find((c) => c.name === 'spend')!;
    expect(spend.series.map((s) => s.label)).toEqual(['spend', 'soft cap', 'hard cap']);
  });

  it('exports the same numbers as Prometheus text', () => {
    const text = prometheusText(report);
    expect(text).toContain('# TYPE ghostline_spend_usd_total counter');
    expect(text).toContain('ghostline_spend_usd_total{team="payments"} 0.75');
    expect(text).toContain('ghostline_suggestions_total{team="payments",event="accepted"} 10');
    expect(text).toContain(
      'ghostline_suggestions_by_total{team="payments",dimension="editor",value="Emacs",event="shown"} 10',
    );
    expect(text).toContain('ghostline_first_suggestion_latency_ms_bucket{team="payments",le="+Inf"} 20');
    expect(text).toContain('ghostline_first_suggestion_latency_ms_sum{team="payments"} 1500');
    expect(text).toContain('ghostline_daily_cap_usd{team="payments",scope="team",level="hard"} 2');
    expect(text).toContain('ghostline_redis_up{team="payments"} 1');
    // Every sample line is `name{labels} number`.
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#')))
      expect(line).toMatch(/^[a-z_]+\{[^}]*\} (-?[\d.e+-]+|\+Inf)$/);
  });
});
