/**
 * The usage counters of one developer without Redis: counted by UsageCounters, written by the local
 * sink to day files in a temporary folder, read back as the dashboard's report.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../server/src/config/schema.ts';
import { createMetrics } from '../../../server/src/telemetry/metrics.ts';
import { LocalUsageSink, pruneLocalUsage, readLocalUsage } from '../../../server/src/usage/local-store.ts';
import { UsageCounters } from '../../../server/src/usage/recorder.ts';
import { UsageSource } from '../../../server/src/dashboard/source.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ghostline-usage-'));
  dirs.push(dir);
  return dir;
}

describe('local usage counters', () => {
  it('adds up what two processes counted into the report of the day, and nothing else', async () => {
    const dir = folder();
    let now = Date.parse('2026-12-06T10:00:00Z');
    const counters = [0, 1].map(() => {
      const metrics = createMetrics();
      return {
        metrics,
        usage: new UsageCounters({
          sink: () => new LocalUsageSink(dir),
          user: () => 'alice',
          metrics,
          now: () => now,
          flushMs: 60_000,
        }),
      };
    });
    for (const [index, { metrics, usage }] of counters.entries()) {
      usage.setEditor(index === 0 ? 'Neovim' : 'Helix');
      metrics.requests += 3;
      metrics.cacheHits += 1;
      metrics.modelCalls += 1;
      metrics.typedAheadHits += 2;
      usage.shown({ task: 'completion', language: 'python', model: 'gpt-4.1-mini', latencyMs: 120 });
      usage.shown({ task: 'completion', language: 'python', model: 'gpt-4.1-mini', latencyMs: 40 });
      usage.accepted({ task: 'completion', language: 'python', model: 'gpt-4.1-mini' });
      usage.charged({
        model: 'gpt-4.1-mini',
        inputTokens: 1000,
        outputTokens: 20,
        cachedTokens: 500,
        costUsd: 0.000432,
      });
      usage.saved({ source: 'memory', tokens: 1020, costUsd: 0.000432 });
      usage.attempt({ outcome: 'error:rate_limited', reason: 'primary', model: 'gpt-4.1-mini' });
      usage.attempt({
        outcome: 'ok',
        reason: 'fallback after gpt-4.1-mini failed (rate_limited)',
        model: 'gpt-4o-mini',
      });
      usage.rateLimitWait();
      await usage.close();
    }
    const files = readdirSync(dir);
    expect(files).toEqual(['2026-12-06.jsonl']);
    // Counts and names only: no text of any suggestion or prompt.
    expect(readFileSync(join(dir, files[0]!), 'utf8')).not.toMatch(/def |function |const /);

    now = Date.parse('2026-12-06T11:00:00Z');
    const source = new UsageSource({ config: defaultConfig(), env: {}, localDir: dir, now: () => now });
    const result = await source.report(7);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { report } = result;
    expect(report.days.at(-1)).toBe('2026-12-06');
    expect(report.totals).toMatchObject({
      shown: 4,
      accepted: 2,
      acceptanceRate: 0.5,
      tokensIn: 2000,
      tokensOut: 40,
      tokensCached: 1000,
      cachedShare: 0.5,
      hitsMemory: 2,
      hitsTypedAhead: 4,
      modelCalls: 2,
      callsAvoided: 6,
      tokensSaved: 2040,
      savedUsd: 0.000864,
      spendTokens: 2040,
      spendUsd: 0.000864,
      fallbacks: 2,
      rateLimitWaits: 2,
    });
    expect(report.series.shown).toEqual([0, 0, 0, 0, 0, 0, 4]);
    expect(report.acceptance.editor.map((r) => r.name).sort()).toEqual(['Helix', 'Neovim']);
    expect(report.users).toEqual([expect.objectContaining({ name: 'alice', totalTokens: 2040 })]);
    expect(report.health).toMatchObject({
      source: 'local',
      redisReachable: false,
      lastError: { kind: 'rate_limited', model: 'gpt-4.1-mini' },
    });
  });

  it('compacts a past day into one line, skips a torn line, and prunes old days', async () => {
    const dir = folder();
    writeFileSync(
      join(dir, '2026-12-01.jsonl'),
      '{"counts":{"shown":2}}\n{"counts":{"shown":3},"users":{"bob":5}}\n{"counts":{"sho',
    );
    writeFileSync(join(dir, '2026-08-01.jsonl'), '{"counts":{"shown":1}}\n');
    const read = await readLocalUsage(dir, ['2026-12-01'], '2026-12-06');
    expect(read.get('2026-12-01')?.counts).toEqual({ shown: 5 });
    expect(readFileSync(join(dir, '2026-12-01.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
    expect((await readLocalUsage(dir, ['2026-12-01'], '2026-12-06')).get('2026-12-01')?.counts).toEqual({ shown: 5 });
    await pruneLocalUsage(dir, '2026-12-06', 92);
    expect(readdirSync(dir)).toEqual(['2026-12-01.jsonl']);
  });
});
