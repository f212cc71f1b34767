/**
 * Builds ioredis clients for a parsed target (standalone, Sentinel, Cluster) with options that
 * never let a caller hang: no offline queue for commands, a command timeout, no per-request
 * retries, and background reconnection with a capped backoff.
 *
 * ioredis itself loads only when a Redis URL is configured (`loadRedisDriver`): with its
 * dependencies (tls, dns) it is ~7 MB of resident memory a server without a team cache never uses.
 * The build turns its `import()`s into a load of dist/redis.cjs, a chunk beside the bundle that holds
 * both modules (one copy of ioredis: scripts/build.ts, CHUNKS).
 */
import { readFileSync } from 'node:fs';
import type { Cluster, ClusterOptions, Redis, RedisOptions, SentinelConnector } from 'ioredis';
import type { StandaloneConnector } from 'ioredis/built/connectors/index.js';
import type { RedisTarget } from './redis-url.ts';

type ErrorEmitter = Parameters<StandaloneConnector['connect']>[0];
type NetStream = Awaited<ReturnType<StandaloneConnector['connect']>>;

/**
 * ioredis listens to its sockets' errors with `once`. A TLS socket closed during its handshake
 * emits a second error (the server's alert) that nobody hears, and an unheard error event ends the
 * process (redis/ioredis#961). These connectors keep a listener on every socket they open;
 * ioredis still receives the first error and reconnects as usual.
 */
function keepListening(stream: NetStream): NetStream {
  stream.on('error', () => undefined);
  return stream;
}

type Ioredis = Pick<typeof import('ioredis'), 'Redis' | 'Cluster' | 'SentinelConnector'>;

interface Driver {
  ioredis: Ioredis;
  standalone: NonNullable<RedisOptions['Connector']>;
  sentinel: NonNullable<RedisOptions['Connector']>;
}

let driver: Driver | undefined;
let loading: Promise<void> | undefined;

/** Loads ioredis once; `createRedisClient` needs it loaded. */
export function loadRedisDriver(): Promise<void> {
  loading ??= Promise.all([import('ioredis'), import('ioredis/built/connectors/index.js')]).then(
    ([ioredis, connectors]) => {
      class ListeningStandaloneConnector extends connectors.StandaloneConnector {
        // ioredis hands a connector its options untyped.
        constructor(options: unknown) {
          super(options as ConstructorParameters<typeof StandaloneConnector>[0]);
        }

        override async connect(emitter: ErrorEmitter): Promise<NetStream> {
          return keepListening(await super.connect(emitter));
        }
      }
      class ListeningSentinelConnector extends ioredis.SentinelConnector {
        constructor(options: unknown) {
          super(options as ConstructorParameters<typeof SentinelConnector>[0]);
        }

        override async connect(emitter: ErrorEmitter): Promise<NetStream> {
          return keepListening(await super.connect(emitter));
        }
      }
      driver = { ioredis, standalone: ListeningStandaloneConnector, sentinel: ListeningSentinelConnector };
    },
  );
  return loading;
}

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

/** A client for the target; throws when `loadRedisDriver` has not finished. */
export function createRedisClient(target: RedisTarget, options: ClientOptions): RedisClient {
  if (!driver) throw new Error('the Redis driver is not loaded (loadRedisDriver)');
  const { ioredis, standalone, sentinel } = driver;
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
    Connector: standalone,
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
    return new ioredis.Cluster(target.nodes, clusterOptions);
  }
  const common: RedisOptions = {
    ...base,
    db: target.db,
    enableOfflineQueue: queue,
    retryStrategy: (times) => reconnectDelay(times, cap),
  };
  if (target.mode === 'sentinel') {
    return new ioredis.Redis({
      ...common,
      Connector: sentinel,
      sentinels: target.sentinels,
      name: target.masterName,
      role: 'master',
      sentinelUsername: target.sentinelUsername,
      sentinelPassword: target.sentinelPassword,
      enableTLSForSentinelMode: target.tls,
      sentinelRetryStrategy: (times) => reconnectDelay(times, cap),
    });
  }
  return new ioredis.Redis({ ...common, host: target.endpoint.host, port: target.endpoint.port });
}
