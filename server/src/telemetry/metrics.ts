/**
 * Counters for one server process: what the benchmark, `ghostline.stats` and the logs report.
 * Plain numbers, cheap to bump on the keystroke path.
 */

export interface Metrics {
  requests: number;
  answered: number;
  empty: number;
  cancelled: number;
  superseded: number;
  stale: number;
  modelCalls: number;
  modelCallsAborted: number;
  modelErrors: number;
  cacheHits: number;
  sharedCacheHits: number;
  /** Shared-tier (Redis) look-ups that found nothing, failed or ran past their deadline, and their total time. */
  sharedCacheMisses: number;
  sharedCacheErrors: number;
  sharedLookupMs: number;
  /** Answers too large to store in the shared tier. */
  sharedCacheSkippedLarge: number;
  /** Answers another ghostline process computed while this one waited (cross-process single-flight). */
  peerAnswers: number;
  /** Calls moved to a cheaper model at a soft cap, refused at a hard cap, or refused by the team rate limit. */
  budgetDowngrades: number;
  budgetRefusals: number;
  teamRateLimited: number;
  /** Calls let through within this process's share of the team limit while Redis did not answer in time. */
  rateAdmittedAlone: number;
  typedAheadHits: number;
  singleFlightJoins: number;
  /** Completion calls that started a second, hedged call because the first was silent. */
  hedgedCalls: number;
  /** Completions answered empty because the model did not answer within `completion.budgetMs`. */
  budgetExpired: number;
  shown: number;
  accepted: number;
  inputTokens: number;
  cachedTokens: number;
  outputTokens: number;
  costUsd: number;
}

export function createMetrics(): Metrics {
  return {
    requests: 0,
    answered: 0,
    empty: 0,
    cancelled: 0,
    superseded: 0,
    stale: 0,
    modelCalls: 0,
    modelCallsAborted: 0,
    modelErrors: 0,
    cacheHits: 0,
    sharedCacheHits: 0,
    sharedCacheMisses: 0,
    sharedCacheErrors: 0,
    sharedLookupMs: 0,
    sharedCacheSkippedLarge: 0,
    peerAnswers: 0,
    budgetDowngrades: 0,
    budgetRefusals: 0,
    teamRateLimited: 0,
    rateAdmittedAlone: 0,
    typedAheadHits: 0,
    singleFlightJoins: 0,
    hedgedCalls: 0,
    budgetExpired: 0,
    shown: 0,
    accepted: 0,
    inputTokens: 0,
    cachedTokens: 0,
    outputTokens: 0,
    costUsd: 0,
  };
}
