/**
 * The team tier: one Redis connection (plus one for the flight announcements) shared by the answer
 * cache, the cross-process single-flight, the team statistics and the budget counters. Built by
 * app.ts when `cache.redisUrl` (or REDIS_URL) is set; everything in it degrades to local behaviour
 * while Redis is unavailable.
 */
import type { Logger } from '../telemetry/logger.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import { RedisCache } from './redis-cache.ts';
import { createRedisClient, type RedisClient } from './redis-client.ts';
import { RedisFlights, type FlightSettings } from './redis-flight.ts';
import { RedisGuard } from './redis-guard.ts';
import { RedisKeys } from './redis-keys.ts';
import { withScripts } from './redis-scripts.ts';
import { RedisSpendStore } from './redis-spend.ts';
import { RedisStats } from './redis-stats.ts';
import { RedisUsageSink } from './redis-usage.ts';
import { parseRedisUrl, redactRedisUrl } from './redis-url.ts';
import type { AnswerSource, CachedAnswer, FlightOutcome, TeamTier } from './types.ts';

export interface TierSettings extends FlightSettings {
  /** Deadline of each Redis operation. */
  timeoutMs: number;
  maxValueBytes: number;
}

export interface RedisTierOptions {
  url: string;
  team: string;
  caFile?: string;
  settings: () => TierSettings;
  logger: Logger;
  metrics: Metrics;
  report: (severity: 'error' | 'warning' | 'info', message: string) => void;
}

export class RedisTier implements TeamTier {
  readonly label: string;
  readonly cache: RedisCache;
  readonly spend: RedisSpendStore;
  /** The dashboard's daily usage counters (usage/recorder.ts writes through it). */
  readonly usage: RedisUsageSink;
  private readonly client: RedisClient;
  private readonly subscriber: RedisClient;
  private readonly guard: RedisGuard;
  private readonly flights: RedisFlights;
  private readonly stats: RedisStats;

  constructor(options: RedisTierOptions & { client: RedisClient; subscriber: RedisClient }) {
    this.label = redactRedisUrl(options.url);
    const keys = new RedisKeys(options.team);
    const client = withScripts(options.client);
    this.client = client;
    this.subscriber = options.subscriber;
    this.subscriber.on('error', () => undefined);
    this.guard = new RedisGuard(client, {
      label: this.label,
      timeoutMs: () => options.settings().timeoutMs,
      logger: options.logger,
      report: options.report,
    });
    this.cache = new RedisCache({
      client,
      guard: this.guard,
      keys,
      metrics: options.metrics,
      maxValueBytes: () => options.settings().maxValueBytes,
    });
    this.flights = new RedisFlights({
      client,
      subscriber: this.subscriber,
      guard: this.guard,
      keys,
      cache: this.cache,
      settings: options.settings,
      logger: options.logger,
    });
    this.stats = new RedisStats(client, this.guard, keys);
    this.spend = new RedisSpendStore(client, this.guard, keys);
    this.usage = new RedisUsageSink(client, this.guard, keys);
  }

  get status(): 'starting' | 'up' | 'down' {
    return this.guard.status;
  }

  coordinate(
    key: string,
    signal: AbortSignal,
    compute: (signal: AbortSignal) => Promise<CachedAnswer>,
  ): Promise<FlightOutcome> {
    return this.flights.coordinate(key, signal, compute);
  }

  record(source: AnswerSource, tokens: number, costUsd: number): void {
    this.stats.record(source, tokens, costUsd);
  }

  /** Lets queued writes finish (briefly), then drops both connections. */
  async close(): Promise<void> {
    this.guard.close();
    const quit = Promise.allSettled([this.client.quit(), this.subscriber.quit()]);
    await Promise.race([quit, new Promise((resolve) => setTimeout(resolve, 200).unref())]);
    this.client.disconnect();
    this.subscriber.disconnect();
  }
}

/** Builds the tier from a URL; a URL that cannot be parsed is reported as a value. */
export function createRedisTier(
  options: RedisTierOptions,
): { ok: true; tier: RedisTier } | { ok: false; error: string } {
  const parsed = parseRedisUrl(options.url);
  if (!parsed.ok) return { ok: false, error: `cache.redisUrl ${redactRedisUrl(options.url)}: ${parsed.error}` };
  const timeoutMs = options.settings().timeoutMs;
  try {
    const client = createRedisClient(parsed.target, {
      role: 'commands',
      commandTimeoutMs: timeoutMs,
      caFile: options.caFile,
    });
    const subscriber = createRedisClient(parsed.target, {
      role: 'subscriber',
      commandTimeoutMs: timeoutMs,
      caFile: options.caFile,
    });
    return { ok: true, tier: new RedisTier({ ...options, client, subscriber }) };
  } catch (error) {
    return { ok: false, error: `cache.redisUrl ${redactRedisUrl(options.url)}: ${(error as Error).message}` };
  }
}
