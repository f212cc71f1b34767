/**
 * The layout of every key ghostline writes to Redis, in one place. Keys start with
 * `ghostline:v1:<team>`; `v1` versions this layout, while the prompt-template version, model and
 * parameters are inside the answer hash (cache/key.ts). Hash tags (`{...}`) put keys that one
 * script touches together in the same Cluster slot.
 */

/** Bump when the layout or the stored value format changes; old keys then simply expire. */
export const KEY_LAYOUT_VERSION = 'v1';

/** Days of spend, statistics and usage counters kept, for `ghostline stats --days` and the dashboard's 90-day view. */
export const HISTORY_DAYS = 92;

/** The UTC day (`YYYY-MM-DD`) budgets and statistics are counted in. */
export function utcDay(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 10);
}

export class RedisKeys {
  readonly team: string;
  private readonly prefix: string;
  private readonly tagged: string;

  constructor(team: string) {
    this.team = team;
    // Percent-encoding keeps ':' and braces in a team name from breaking the layout or the hash tag.
    const segment = encodeURIComponent(team);
    this.prefix = `ghostline:${KEY_LAYOUT_VERSION}:${segment}`;
    this.tagged = `ghostline:${KEY_LAYOUT_VERSION}:{${segment}}`;
  }

  /** A cached answer; tagged by its hash so it shares a slot with its lock (one script reads both). */
  answer(hash: string): string {
    return `${this.prefix}:answer:{${hash}}`;
  }

  /** The single-flight lock of one prompt. */
  lock(hash: string): string {
    return `${this.prefix}:lock:{${hash}}`;
  }

  /** Where holders announce finished (or abandoned) flights; one channel per team. */
  flightChannel(): string {
    return `${this.prefix}:flights`;
  }

  /** Team spend of a day; tagged by team so the charge script updates team and user together. */
  teamSpend(day: string): string {
    return `${this.tagged}:spend:${day}:team`;
  }

  userSpend(day: string, user: string): string {
    return `${this.tagged}:spend:${day}:user:${encodeURIComponent(user)}`;
  }

  /** One minute window of the shared rate limiter (window = minutes since the epoch). */
  rate(window: number): string {
    return `${this.ratePrefix()}${window}`;
  }

  /** The rate limiter script appends the window index itself (it reads Redis's clock). */
  ratePrefix(): string {
    return `${this.tagged}:rate:`;
  }

  /** Cache statistics of a day (hits per tier, model calls, tokens and cost saved). */
  stats(day: string): string {
    return `${this.tagged}:stats:${day}`;
  }

  /** Usage counters of a day for the dashboard (suggestions, tokens, latency histogram, errors). */
  usage(day: string): string {
    return `${this.tagged}:usage:${day}`;
  }

  /** The team's health facts: the last model error (time, kind, model). */
  health(): string {
    return `${this.tagged}:health`;
  }
}
