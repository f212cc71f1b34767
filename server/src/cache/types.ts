/**
 * The contract of an answer cache tier. The memory tier answers synchronously; shared tiers
 * (Redis) are asynchronous and must answer within their own deadline or report a miss.
 */

/** What is cached for a prompt: the post-processed-independent raw model text and its cost. */
export interface CachedAnswer {
  text: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  /** When it was computed (ms since epoch). */
  createdAt: number;
}

export interface CacheStore {
  readonly name: string;
  get(key: string): Promise<CachedAnswer | undefined>;
  set(key: string, value: CachedAnswer, ttlSeconds: number): Promise<void>;
}

/** Where a completion's answer came from, for the team's statistics. */
export type AnswerSource = 'memory' | 'shared' | 'peer' | 'model';

/** The result of a cross-process flight: computed here, or by another ghostline process. */
export interface FlightOutcome {
  answer: CachedAnswer;
  from: 'self' | 'peer';
}

/**
 * What a team tier (Redis) adds beyond a CacheStore: one model call per prompt across processes,
 * and team-wide statistics. Both degrade to local behaviour when the tier is unavailable.
 */
export interface TeamTier {
  /** Runs `compute` here, or waits (bounded) for another process already computing the same key. */
  coordinate(
    key: string,
    signal: AbortSignal,
    compute: (signal: AbortSignal) => Promise<CachedAnswer>,
  ): Promise<FlightOutcome>;
  /** Counts one answer served (fire and forget): the tier it came from and the tokens and cost it saved or spent. */
  record(source: AnswerSource, tokens: number, costUsd: number): void;
}

export interface SpendTotals {
  tokens: number;
  costUsd: number;
}

/** Budget counters and the team rate limiter; shared through Redis, or per process in memory. */
export interface SpendStore {
  /** Spend so far on a UTC day, for the team and one user; undefined when the store cannot answer in time. */
  read(day: string, user: string): Promise<{ team: SpendTotals; user: SpendTotals } | undefined>;
  /** Adds one call's tokens and cost to the team's and the user's counters of the day, atomically. */
  charge(day: string, user: string, tokens: number, costUsd: number): Promise<void>;
  /**
   * Takes one request and `tokens` from the team's per-minute allowance (0 = no limit); undefined
   * when the store cannot answer in time. `carry` adds calls made without the store's confirmation
   * to the window first; when the answer is undefined but the request was sent, `carry.late` hears
   * later what the store made of it (its answer, or undefined if it never counted anything).
   */
  takeRate(
    limits: { requestsPerMinute: number; tokensPerMinute: number },
    tokens: number,
    carry?: RateCarry,
  ): Promise<RateAnswer | undefined>;
}

export interface RateAnswer {
  admitted: boolean;
  retryAfterMs: number;
  /** Some process took calls alone in the last minutes (the store did not answer it): shares apply. */
  outage?: boolean;
}

/** Calls admitted while the shared store could not answer, counted into its window with the next request. */
export interface RateCarry {
  requests: number;
  tokens: number;
  /** False when this call would take the process past its share of the limit (refused after an outage). */
  withinShare?: boolean;
  late?: (answer: RateAnswer | undefined) => void;
}
