/**
 * The usage counters behind `ghostline dashboard`: a small interface the server calls at the moments
 * that matter (a suggestion shown or accepted, a model call charged or failed, a rate-limit wait),
 * and an implementation that adds them up in memory per UTC day and hands the sums to a sink (the
 * team's Redis, or a local file) every few seconds and at shutdown. Cheap on the keystroke path:
 * one map update per event. Counts and sums only — never text or file names.
 */
import type { Metrics } from '../telemetry/metrics.ts';
import { cleanValue, dimensionField, latencyField, NANO, userFields, type Counter } from './fields.ts';

/** What the server tells the counters. Every method is fire-and-forget and never throws. */
export interface UsageEvents {
  /** The editor (LSP `clientInfo.name`) every later suggestion of this process is counted for. */
  setEditor(name: unknown): void;
  /** A suggestion reached the editor, `latencyMs` after its request arrived. */
  shown(event: { task: string; language: string; model: string; latencyMs: number }): void;
  /** The editor ran a suggestion's accept command. */
  accepted(event: { task?: string; language?: string; model?: string }): void;
  /** A model call was charged to the budget (every routed call, completions and code actions). */
  charged(event: {
    model: string;
    inputTokens: number;
    outputTokens: number;
    cachedTokens: number;
    costUsd: number;
  }): void;
  /** An answer was served without a model call (counted here only when no team Redis keeps the statistics). */
  saved(event: { source: 'memory' | 'shared' | 'peer'; tokens: number; costUsd: number }): void;
  /** A model attempt ended (the router's audit record): fallbacks and the last model error. */
  attempt(event: { outcome: string; reason: string; model: string }): void;
  /** A call waited for room under the team's rate limit. */
  rateLimitWait(): void;
}

/** The last model error seen, for the dashboard's health line (kind and model only, no message). */
export interface LastError {
  at: number;
  kind: string;
  model: string;
}

/** Where sums go: one batch per UTC day with activity. */
export interface UsageSink {
  /** True when this sink keeps hits per tier and model calls itself (the team's Redis statistics). */
  readonly keepsCacheStats: boolean;
  write(
    batch: { day: string; user: string; counts: Record<string, number> }[],
    lastError: LastError | undefined,
  ): Promise<void>;
}

export interface UsageCountersOptions {
  /** The sink in force (rebuilt with the Redis tier); undefined drops the counts (counting is off). */
  sink: () => UsageSink | undefined;
  /** Whose spend the counts are (`budget.user`). */
  user: () => string;
  /** The process counters, for the plain counts the server already keeps (read as differences at each flush). */
  metrics: Metrics;
  flushMs?: number;
  now?: () => number;
}

/** Process counters copied (as differences) into the daily counts. */
const FROM_METRICS: [keyof Metrics, Counter][] = [
  ['requests', 'requests'],
  ['typedAheadHits', 'hits_typed_ahead'],
  ['singleFlightJoins', 'hits_joined'],
  ['modelErrors', 'model_errors'],
  ['budgetDowngrades', 'budget_downgrades'],
  ['budgetRefusals', 'budget_refusals'],
  ['teamRateLimited', 'rate_limited'],
];
/** Kept by the team's Redis statistics hash; copied only for a local sink. */
const LOCAL_FROM_METRICS: [keyof Metrics, Counter][] = [
  ['cacheHits', 'hits_memory'],
  ['modelCalls', 'model_calls'],
];

export class UsageCounters implements UsageEvents {
  private readonly options: UsageCountersOptions;
  private readonly now: () => number;
  private readonly pending = new Map<string, Map<string, number>>();
  private readonly seen = new Map<keyof Metrics, number>();
  private editor = 'unknown';
  private lastError?: LastError;
  private errorChanged = false;
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();

  constructor(options: UsageCountersOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    for (const [name] of [...FROM_METRICS, ...LOCAL_FROM_METRICS]) this.seen.set(name, options.metrics[name] as number);
    this.timer = setInterval(() => void this.flush(), options.flushMs ?? 5000);
    this.timer.unref();
  }

  private add(field: string, by = 1): void {
    if (!Number.isFinite(by) || by === 0) return;
    const day = new Date(this.now()).toISOString().slice(0, 10);
    let counts = this.pending.get(day);
    if (!counts) this.pending.set(day, (counts = new Map()));
    counts.set(field, (counts.get(field) ?? 0) + by);
  }

  setEditor(name: unknown): void {
    this.editor = cleanValue(name);
  }

  shown(event: { task: string; language: string; model: string; latencyMs: number }): void {
    this.add('shown');
    this.dimensions('shown', event);
    const ms = Math.max(0, Math.round(event.latencyMs));
    this.add(latencyField(ms));
    this.add('latency_count');
    this.add('latency_sum_ms', ms);
  }

  accepted(event: { task?: string; language?: string; model?: string }): void {
    this.add('accepted');
    this.dimensions('accepted', event);
  }

  private dimensions(name: 'shown' | 'accepted', event: { task?: string; language?: string; model?: string }): void {
    this.add(dimensionField(name, 'editor', this.editor));
    this.add(dimensionField(name, 'language', cleanValue(event.language)));
    this.add(dimensionField(name, 'model', cleanValue(event.model)));
    this.add(dimensionField(name, 'task', cleanValue(event.task)));
  }

  charged(event: {
    model: string;
    inputTokens: number;
    outputTokens: number;
    cachedTokens: number;
    costUsd: number;
  }): void {
    this.add('tokens_in', Math.round(event.inputTokens));
    this.add('tokens_out', Math.round(event.outputTokens));
    this.add('tokens_cached', Math.round(event.cachedTokens));
    this.add('spend_tokens', Math.round(event.inputTokens + event.outputTokens));
    this.add('cost_nano', Math.round(event.costUsd * NANO));
    // Per user in the same hash: the dashboard reads every user's day in the one round trip.
    const fields = userFields(this.options.user());
    this.add(fields.tokens, Math.round(event.inputTokens + event.outputTokens));
    this.add(fields.costNano, Math.round(event.costUsd * NANO));
  }

  saved(event: { source: 'memory' | 'shared' | 'peer'; tokens: number; costUsd: number }): void {
    // Only the saved amounts: the hit itself is copied from the process counters at the flush.
    if (event.source !== 'memory') this.add(`hits_${event.source}`);
    this.add('tokens_saved', Math.round(event.tokens));
    this.add('cost_saved_nano', Math.round(event.costUsd * NANO));
  }

  attempt(event: { outcome: string; reason: string; model: string }): void {
    if (event.reason.startsWith('fallback after')) this.add('fallbacks');
    if (event.outcome.startsWith('error:')) {
      this.lastError = {
        at: this.now(),
        kind: cleanValue(event.outcome.slice('error:'.length)),
        model: cleanValue(event.model),
      };
      this.errorChanged = true;
    }
  }

  rateLimitWait(): void {
    this.add('rate_limit_waits');
  }

  /** Hands what was counted since the last flush to the sink; concurrent flushes queue. */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.flushNow()).catch(() => undefined);
    return this.writing;
  }

  private async flushNow(): Promise<void> {
    const sink = this.options.sink();
    const copied = sink?.keepsCacheStats === false ? [...FROM_METRICS, ...LOCAL_FROM_METRICS] : FROM_METRICS;
    for (const [name, field] of [...FROM_METRICS, ...LOCAL_FROM_METRICS]) {
      const value = this.options.metrics[name] as number;
      const delta = value - (this.seen.get(name) ?? 0);
      this.seen.set(name, value);
      if (copied.some(([copiedName]) => copiedName === name)) this.add(field, delta);
    }
    if (!sink) {
      this.pending.clear();
      return;
    }
    const lastError = this.errorChanged ? this.lastError : undefined;
    if (this.pending.size === 0 && !lastError) return;
    const user = this.options.user();
    const batch = [...this.pending].map(([day, counts]) => ({ day, user, counts: Object.fromEntries(counts) }));
    this.pending.clear();
    this.errorChanged = false;
    await sink.write(batch, lastError);
  }

  /** Stops the timer and writes what is left. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
