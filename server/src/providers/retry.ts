/**
 * The provider's retry policy as pure functions: how long the server asked us to wait (headers or
 * the "try again in" sentence of a 429), jittered exponential backoff, and the decision to retry.
 * The SDK's own retries are off because it honours any retry-after uncapped.
 */
import type { ProviderError } from './types.ts';

export interface RetryPolicy {
  /** Attempts per call, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest server-requested wait we sit through; a longer one fails at once so the router can fall back. */
  maxRetryAfterMs: number;
}

/** Anything with a case-insensitive header lookup (fetch Headers, or a test's stand-in). */
export interface HeaderLookup {
  get(name: string): string | null;
}

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/**
 * Reads "Please try again in 10.384s", "in 120ms" or "in 1m30s" from an error message.
 * Returns milliseconds rounded up, or undefined when the message names no wait.
 */
export function parseTryAgainMs(message: string | undefined): number | undefined {
  const match = /try again in ((?:\d+(?:\.\d+)?(?:ms|h|m|s))+)/i.exec(message ?? '');
  if (!match?.[1]) return undefined;
  let total = 0;
  for (const part of match[1].matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/gi)) {
    total += Number(part[1]) * (UNIT_MS[part[2]!.toLowerCase()] ?? 0);
  }
  return Math.ceil(total);
}

/**
 * The wait a response asks for: `retry-after-ms`, then `retry-after` (seconds or an HTTP date),
 * then the message sentence. Undefined when none says anything usable.
 */
export function parseRetryAfterMs(
  headers: HeaderLookup | undefined,
  message?: string,
  now: number = Date.now(),
): number | undefined {
  const milliseconds = headers?.get('retry-after-ms');
  if (milliseconds != null && milliseconds.trim() !== '') {
    const value = Number(milliseconds);
    if (Number.isFinite(value) && value >= 0) return Math.ceil(value);
  }
  const retryAfter = headers?.get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.ceil(Number(retryAfter) * 1000);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  return parseTryAgainMs(message);
}

/**
 * Backoff before attempt `attempt + 1` (attempt counts from 1): base doubled per attempt, capped
 * at maxDelayMs, then "equal jitter" — uniformly between half and all of it, so concurrent
 * clients spread out while the wait still grows.
 */
export function backoffDelayMs(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number,
): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

export type RetryDecision =
  | { retry: true; delayMs: number }
  | { retry: false; reason: 'not_retryable' | 'attempts_exhausted' | 'retry_after_too_long' };

/** Whether to try again after `error` on attempt `attempt`, and after how long. */
export function planRetry(
  error: ProviderError,
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
): RetryDecision {
  if (!error.retryable) return { retry: false, reason: 'not_retryable' };
  const retryAfterMs = error.details.retryAfterMs;
  // A wait beyond the cap is not worth sitting through even on the last attempt's behalf: report it.
  if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs)
    return { retry: false, reason: 'retry_after_too_long' };
  if (attempt >= policy.maxAttempts) return { retry: false, reason: 'attempts_exhausted' };
  if (retryAfterMs !== undefined) return { retry: true, delayMs: retryAfterMs };
  return { retry: true, delayMs: backoffDelayMs(attempt, policy, random) };
}

/** Waits ms, or less when the signal aborts (it resolves then too; the caller checks signal.aborted). */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
