/**
 * Builds ioredis clients for a parsed target (standalone, Sentinel, Cluster) with options that
 * never let a caller hang: no offline queue for commands, a command timeout, no per-request
 * retries, and background reconnection with a capped backoff.
 */
import { readFileSync } from 'node:fs';
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { RedisTarget } from './redis-url.ts';

export type RedisClient = Redis | Cluster;

export interface ClientOptions {
  /** Each command is rejected by ioredis after this long (callers add their own deadline too). */
  commandTimeoutMs: number;
  /** The subscriber connection queues its (un)subscribe commands while reconnecting; command clients never queue. */
  role: 'commands' | 'subscriber';
  /** PEM CA for `rediss://` with a private CA. */
  caFile?: string;
  connectTimeoutMs?: number;
  /** Longest pause between reconnection attempts. */
  maxReconnectDelayMs?: number;
}

/** Reconnect quickly at first, then every `cap` ms; never give up (the tier reports the outage once). */
export function reconnectDelay(times: number, cap: number): number {
  return Math.min(50 * 2 ** Math.min(times, 10), cap);
}

function tlsOptions(target: RedisTarget, caFile?: string): RedisOptions['tls'] | undefined {
  if (!target.tls) return undefined;
  return caFile ? { ca: readFileSync(caFile) } : {};
}

export function createRedisClient(target: RedisTarget, options: ClientOptions): RedisClient {
  const cap = options.maxReconnectDelayMs ?? 2000;
  const queue = options.role === 'subscriber';
  const base: RedisOptions = {
    username: target.username,
    password: target.password,
    tls: tlsOptions(target, options.caFile),
    connectTimeout: options.connectTimeoutMs ?? 2000,
    commandTimeout: queue ? undefined : options.commandTimeoutMs,
    maxRetriesPerRequest: queue ? null : 0,
    autoResendUnfulfilledCommands: queue,
    connectionName: `ghostline-${options.role}`,
  };
  if (target.mode === 'cluster') {
    const clusterOptions: ClusterOptions = {
      enableOfflineQueue: queue,
      clusterRetryStrategy: (times) => reconnectDelay(times, cap),
      slotsRefreshTimeout: Math.max(options.commandTimeoutMs, 1000),
      retryDelayOnClusterDown: 100,
      retryDelayOnFailover: 100,
      redisOptions: { ...base },
    };
    return new Cluster(target.nodes, clusterOptions);
  }
  const common: RedisOptions = {
    ...base,
    db: target.db,
    enableOfflineQueue: queue,
    retryStrategy: (times) => reconnectDelay(times, cap),
  };
  if (target.mode === 'sentinel') {
    return new Redis({
      ...common,
      sentinels: target.sentinels,
      name: target.masterName,
      role: 'master',
      sentinelUsername: target.sentinelUsername,
      sentinelPassword: target.sentinelPassword,
      enableTLSForSentinelMode: target.tls,
      sentinelRetryStrategy: (times) => reconnectDelay(times, cap),
    });
  }
  return new Redis({ ...common, host: target.endpoint.host, port: target.endpoint.port });
}
