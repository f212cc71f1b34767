/**
 * Shared pieces of the Redis integration tests: a team tier built in this process against a real
 * redis-server, and small waiting helpers (tests wait for states, never assert durations).
 */
import { randomUUID } from 'node:crypto';
import { loadRedisDriver } from '../../../server/src/cache/redis-client.ts';
import { createRedisTier, type RedisTier, type TierSettings } from '../../../server/src/cache/redis-tier.ts';
import type { CachedAnswer } from '../../../server/src/cache/types.ts';
import { silentLogger } from '../../../server/src/telemetry/logger.ts';
import { createMetrics, type Metrics } from '../../../server/src/telemetry/metrics.ts';

// The server loads ioredis once a Redis URL is configured; tests that build clients here load it first.
await loadRedisDriver();

export interface TestTier {
  tier: RedisTier;
  metrics: Metrics;
  messages: { severity: string; message: string }[];
  settings: TierSettings;
}

export const TEST_SETTINGS: TierSettings = {
  timeoutMs: 500,
  maxValueBytes: 4096,
  lockMs: 600,
  waitMs: 5000,
  ttlSeconds: 60,
};

export function uniqueTeam(): string {
  return `test-${randomUUID().slice(0, 8)}`;
}

export function buildTier(url: string, team: string, settings: Partial<TierSettings> = {}, caFile?: string): TestTier {
  const metrics = createMetrics();
  const messages: TestTier['messages'] = [];
  const merged = { ...TEST_SETTINGS, ...settings };
  const built = createRedisTier({
    url,
    team,
    caFile,
    settings: () => merged,
    logger: silentLogger(),
    metrics,
    report: (severity, message) => messages.push({ severity, message }),
  });
  if (!built.ok) throw new Error(built.error);
  return { tier: built.tier, metrics, messages, settings: merged };
}

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function answer(text: string, model = 'gpt-4.1-mini'): CachedAnswer {
  return { text, model, inputTokens: 100, outputTokens: 10, cachedTokens: 0, createdAt: Date.now() };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
