/**
 * This process's side of the team rate limit: the calls it made in the last minutes, and those it
 * let through on its own while Redis could not answer. Without Redis's confirmation a process takes
 * at most its share of the limit (the limit divided by `budget.rateLimitProcesses`), counting every
 * call it made this minute; the calls it took alone are counted into the shared window as soon as
 * Redis answers again, so the team's count catches up with what was really sent.
 */
import { rateWait } from './memory-store.ts';

const WINDOW_MS = 60_000;
/** Calls older than this no longer weigh on any sliding window: they are not carried to Redis. */
const CARRY_MAX_AGE_MS = 2 * WINDOW_MS;

export interface RateLimits {
  requestsPerMinute: number;
  tokensPerMinute: number;
}

/** One call let through without Redis's confirmation, not yet counted in the shared window. */
export interface Unconfirmed {
  tokens: number;
  at: number;
}

/** A process's share of a limit; 0 means "none at all" for a limit that is set (rateWait reads 0 as no limit). */
export function shareOf(limit: number, processes: number): number {
  return limit > 0 ? Math.floor(limit / Math.max(1, processes)) : 0;
}

export class LocalRateLedger {
  private readonly windows = new Map<number, { requests: number; tokens: number }>();
  private unconfirmed: Unconfirmed[] = [];
  private strictUntil = 0;

  /** Counts a call the shared limiter admitted (it weighs on this process's share too). */
  confirmed(now: number, tokens: number): void {
    this.count(now, tokens);
  }

  /**
   * Whether one more call fits this process's share of the limit over the sliding minute, counting
   * every call it made (confirmed or alone); else how long until it would.
   */
  fitsShare(
    now: number,
    limits: RateLimits,
    processes: number,
    tokens: number,
  ): { fits: boolean; retryAfterMs: number } {
    const share = {
      requestsPerMinute: shareOf(limits.requestsPerMinute, processes),
      tokensPerMinute: shareOf(limits.tokensPerMinute, processes),
    };
    // A limit too small to share (fewer requests than processes) leaves nothing to take alone.
    const none =
      (limits.requestsPerMinute > 0 && share.requestsPerMinute === 0) ||
      (limits.tokensPerMinute > 0 && share.tokensPerMinute === 0);
    if (none) return { fits: false, retryAfterMs: WINDOW_MS - (now % WINDOW_MS) + 1 };
    const window = Math.floor(now / WINDOW_MS);
    const wait = rateWait(
      now,
      this.windows.get(window - 1) ?? { requests: 0, tokens: 0 },
      this.windows.get(window) ?? { requests: 0, tokens: 0 },
      share,
      tokens,
    );
    return { fits: wait === 0, retryAfterMs: wait };
  }

  /** Admits a call without Redis when it fits this process's share; it then waits to be carried to Redis. */
  admitAlone(
    now: number,
    limits: RateLimits,
    processes: number,
    tokens: number,
  ): { admitted: true; call: Unconfirmed } | { admitted: false; retryAfterMs: number } {
    this.noteOutage(now);
    const share = this.fitsShare(now, limits, processes, tokens);
    if (!share.fits) return { admitted: false, retryAfterMs: share.retryAfterMs };
    this.count(now, tokens);
    const call = { tokens, at: now };
    this.unconfirmed.push(call);
    return { admitted: true, call };
  }

  /**
   * Some process (this one or, as Redis said, another) took calls alone: until those calls have slid
   * out of the window (the end of the next minute), nobody knows how many the others took, so this
   * process keeps to its share even when Redis has room.
   */
  noteOutage(now: number): void {
    this.strictUntil = Math.max(this.strictUntil, (Math.floor(now / WINDOW_MS) + 2) * WINDOW_MS);
  }

  /** True while shares apply to calls Redis confirms too (see noteOutage). */
  strict(now: number): boolean {
    return now < this.strictUntil;
  }

  /** Takes the calls to carry into the shared window with the next request to Redis (older ones are dropped). */
  drain(now: number): Unconfirmed[] {
    const carried = this.unconfirmed.filter((call) => now - call.at < CARRY_MAX_AGE_MS);
    this.unconfirmed = [];
    return carried;
  }

  /** Puts back calls whose carrying request Redis never answered. */
  restore(calls: Unconfirmed[]): void {
    this.unconfirmed.push(...calls);
  }

  /** Redis admitted a call after all (its answer came late): it is counted there already. */
  settle(call: Unconfirmed): void {
    const index = this.unconfirmed.indexOf(call);
    if (index !== -1) this.unconfirmed.splice(index, 1);
  }

  /** Calls waiting to be carried to Redis (for tests and stats). */
  get waiting(): number {
    return this.unconfirmed.length;
  }

  private count(now: number, tokens: number): void {
    const window = Math.floor(now / WINDOW_MS);
    for (const old of this.windows.keys()) if (old < window - 1) this.windows.delete(old);
    const current = this.windows.get(window) ?? { requests: 0, tokens: 0 };
    this.windows.set(window, { requests: current.requests + 1, tokens: current.tokens + tokens });
  }
}
