/**
 * Every Redis operation goes through RedisGuard: it runs the operation under a deadline far below a
 * model call, answers "unavailable" at once while the connection is down or a circuit is open
 * after repeated timeouts, and tells the user once per outage (and once on recovery).
 */
import type { Logger } from '../telemetry/logger.ts';
import type { RedisClient } from './redis-client.ts';

export type GuardResult<T> =
  | { ok: true; value: T }
  | { ok: false; reason: 'unavailable' | 'timeout' | 'error'; error?: string };

export interface GuardOptions {
  /** The redacted URL, named in messages. */
  label: string;
  timeoutMs: () => number;
  logger: Logger;
  report: (severity: 'error' | 'warning' | 'info', message: string) => void;
  now?: () => number;
}

/** Consecutive timeouts that open the circuit (Redis reachable but too slow to help). */
const TIMEOUTS_TO_OPEN = 3;
const MIN_COOLDOWN_MS = 500;
const MAX_COOLDOWN_MS = 30_000;

export class RedisGuard {
  private readonly client: RedisClient;
  private readonly options: GuardOptions;
  private readonly now: () => number;
  private state: 'starting' | 'up' | 'down' = 'starting';
  private timeouts = 0;
  private cooldownMs = MIN_COOLDOWN_MS;
  private openUntil = 0;
  private lastError = '';
  private oomReported = false;
  private closing = false;
  /**
   * Outages so far. An operation that started before the latest one proves nothing about recovery:
   * its answer can be read after the socket closed (the close is handled before the promise
   * settles), and it must not tell the user the cache is back while it is still down.
   */
  private outages = 0;
  /** Settles with the first connection attempt: true when ready, false when it failed. */
  private readonly firstConnection: Promise<boolean>;
  private settleFirst: (ready: boolean) => void = () => undefined;

  constructor(client: RedisClient, options: GuardOptions) {
    this.client = client;
    this.options = options;
    this.now = options.now ?? Date.now;
    this.firstConnection = new Promise((resolve) => (this.settleFirst = resolve));
    client.on('ready', () => this.up());
    client.on('error', (error: Error) => {
      this.lastError = (error as NodeJS.ErrnoException).code ?? error.message;
    });
    client.on('reconnecting', () => this.down(this.lastError || 'connection lost'));
    client.on('end', () => this.down(this.lastError || 'connection closed'));
  }

  get status(): 'starting' | 'up' | 'down' {
    return this.state;
  }

  /** Runs `operation` within the deadline; any failure is a value, never a throw or a wait. */
  async run<T>(name: string, operation: () => Promise<T>): Promise<GuardResult<T>> {
    if (this.closing || this.now() < this.openUntil) return { ok: false, reason: 'unavailable' };
    const deadline = this.options.timeoutMs();
    const started = this.now();
    const outages = this.outages;
    if (this.client.status !== 'ready') {
      // Only the first connection is waited for (within the deadline); a lost one is not.
      if (this.state !== 'starting' || !(await this.readyWithin(deadline))) return { ok: false, reason: 'unavailable' };
    }
    const remaining = Math.max(1, deadline - (this.now() - started));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), remaining);
    });
    const work = operation().then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error: error as Error }),
    );
    try {
      const result = await Promise.race([work, timeout]);
      if (result === 'timeout' || (!result.ok && /timed? ?out/i.test(result.error.message)))
        return this.timedOut(name, deadline);
      this.timeouts = 0;
      this.cooldownMs = MIN_COOLDOWN_MS;
      if (result.ok) {
        if (outages === this.outages) this.up();
        return { ok: true, value: result.value };
      }
      return this.failed(name, result.error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops using the connection (shutdown): every later run answers "unavailable". */
  close(): void {
    this.closing = true;
  }

  private async readyWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    try {
      return await Promise.race([this.firstConnection, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  private timedOut(name: string, deadline: number): GuardResult<never> {
    this.timeouts++;
    this.options.logger.debug(
      { op: name, deadlineMs: deadline, consecutive: this.timeouts },
      'redis operation past its deadline',
    );
    if (this.timeouts >= TIMEOUTS_TO_OPEN) {
      this.openUntil = this.now() + this.cooldownMs;
      this.cooldownMs = Math.min(this.cooldownMs * 2, MAX_COOLDOWN_MS);
      this.timeouts = 0;
      this.down(`no answer within ${deadline} ms`);
    }
    return { ok: false, reason: 'timeout' };
  }

  private failed(name: string, error: Error): GuardResult<never> {
    const message = error.message;
    if (message.startsWith('OOM')) {
      if (!this.oomReported) {
        this.oomReported = true;
        this.options.report(
          'warning',
          `ghostline: the team cache ${this.options.label} is out of memory and refuses writes; new answers are kept in this editor's memory only.`,
        );
      }
    } else if (/writeable|Connection is closed|isn't ready|ECONNREFUSED|ECONNRESET|EPIPE/i.test(message)) {
      this.down(message);
    }
    this.options.logger.debug({ op: name, err: message }, 'redis operation failed');
    return { ok: false, reason: 'error', error: message };
  }

  private up(): void {
    this.settleFirst(true);
    if (this.closing) return;
    if (this.state === 'down') {
      this.options.logger.info({ redis: this.options.label }, 'team cache reachable again');
      this.options.report(
        'info',
        `ghostline: the team cache ${this.options.label} is reachable again; answers are shared with the team.`,
      );
    } else if (this.state === 'starting') {
      this.options.logger.info({ redis: this.options.label }, 'team cache ready');
    }
    this.state = 'up';
  }

  private down(reason: string): void {
    this.settleFirst(false);
    if (this.closing || this.state === 'down') return;
    this.state = 'down';
    this.outages++;
    this.options.logger.warn({ redis: this.options.label, reason }, 'team cache unavailable');
    this.options.report(
      'warning',
      `ghostline: the team cache ${this.options.label} is unavailable (${reason}); completions continue from this editor's memory and reconnect automatically.`,
    );
  }
}
