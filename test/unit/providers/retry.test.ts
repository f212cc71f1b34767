/** The retry policy: reading waits from headers and messages, backoff bounds, and retry decisions. */
import { describe, expect, it } from 'vitest';
import {
  backoffDelayMs,
  parseRetryAfterMs,
  parseTryAgainMs,
  planRetry,
  sleepUnlessAborted,
  type RetryPolicy,
} from '../../../server/src/providers/retry.ts';
import { ProviderError } from '../../../server/src/providers/types.ts';

const headers = (values: Record<string, string>) => new Headers(values);
const policy: RetryPolicy = { maxAttempts: 3, baseDelayMs: 250, maxDelayMs: 4000, maxRetryAfterMs: 10_000 };

describe('parseTryAgainMs', () => {
  it.each([
    ['Rate limit reached for gpt-4.1-mini. Please try again in 10.384s. Visit https://...', 10_384],
    ['Please try again in 120ms.', 120],
    ['Please try again in 0.2s', 200],
    ['Please try again in 1m30s.', 90_000],
    ['Please try again in 2h1m.', 7_260_000],
    ['please TRY AGAIN IN 3s', 3000],
    ['Please try again in 1.0005s', 1001],
    ['Rate limit reached. Limit 3, Used 3.', undefined],
    ['', undefined],
  ])('%j → %s', (message, expected) => {
    expect(parseTryAgainMs(message)).toBe(expected);
  });

  it('reads nothing from undefined', () => {
    expect(parseTryAgainMs(undefined)).toBeUndefined();
  });
});

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2025-06-01T12:00:00Z');

  it.each([
    [{ 'retry-after-ms': '1500' }, undefined, 1500],
    [{ 'retry-after-ms': '1500', 'retry-after': '9' }, undefined, 1500],
    [{ 'retry-after': '2' }, undefined, 2000],
    [{ 'retry-after': '0.5' }, undefined, 500],
    [{ 'retry-after': 'Sun, 01 Jun 2025 12:00:07 GMT' }, undefined, 7000],
    [{ 'retry-after': 'Sun, 01 Jun 2025 11:59:00 GMT' }, undefined, 0],
    [{ 'retry-after': 'soon' }, 'Please try again in 3s', 3000],
    [{ 'retry-after-ms': 'abc' }, undefined, undefined],
    [{}, 'Please try again in 250ms', 250],
    [{}, 'no hint', undefined],
  ])('headers %j, message %j → %s', (values, message, expected) => {
    expect(parseRetryAfterMs(headers(values), message, now)).toBe(expected);
  });

  it('falls back to the message without headers', () => {
    expect(parseRetryAfterMs(undefined, 'Please try again in 1s')).toBe(1000);
  });
});

describe('backoffDelayMs', () => {
  it.each([
    [1, 0, 125],
    [1, 0.999999, 250],
    [2, 0, 250],
    [2, 0.5, 375],
    [3, 0.999999, 1000],
    [6, 0, 2000],
    [6, 0.999999, 4000],
    [30, 0.999999, 4000],
  ])('attempt %i with random %f → %i ms', (attempt, value, expected) => {
    expect(backoffDelayMs(attempt, policy, () => value)).toBe(expected);
  });

  it('stays within [half, whole] of the capped exponential for any random value', () => {
    for (let attempt = 1; attempt <= 8; attempt++) {
      const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      for (const value of [0, 0.1, 0.37, 0.5, 0.81, 0.999]) {
        const delay = backoffDelayMs(attempt, policy, () => value);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(cap / 2));
        expect(delay).toBeLessThanOrEqual(cap);
      }
    }
  });
});

describe('planRetry', () => {
  const half = () => 0.5;

  it('retries a retryable error with backoff', () => {
    expect(planRetry(new ProviderError('server', '500'), 1, policy, half)).toEqual({ retry: true, delayMs: 188 });
  });

  it('waits exactly the retry-after the server asked for when under the cap', () => {
    const error = new ProviderError('rate_limited', '429', { retryAfterMs: 1200 });
    expect(planRetry(error, 1, policy, half)).toEqual({ retry: true, delayMs: 1200 });
  });

  it('refuses a retry-after above the cap so the router can fall back', () => {
    const error = new ProviderError('rate_limited', '429', { retryAfterMs: 3_600_000 });
    expect(planRetry(error, 1, policy, half)).toEqual({ retry: false, reason: 'retry_after_too_long' });
  });

  it.each(['quota', 'auth', 'bad_request', 'context_length', 'cancelled', 'no_api_key', 'unknown'] as const)(
    'never retries %s',
    (kind) => {
      expect(planRetry(new ProviderError(kind, kind), 1, policy, half)).toEqual({
        retry: false,
        reason: 'not_retryable',
      });
    },
  );

  it.each(['rate_limited', 'server', 'timeout', 'network', 'stream'] as const)(
    'retries %s until attempts run out',
    (kind) => {
      expect(planRetry(new ProviderError(kind, kind), 2, policy, half).retry).toBe(true);
      expect(planRetry(new ProviderError(kind, kind), 3, policy, half)).toEqual({
        retry: false,
        reason: 'attempts_exhausted',
      });
    },
  );
});

describe('sleepUnlessAborted', () => {
  it('ends at once when the signal aborts during the wait', async () => {
    const controller = new AbortController();
    const sleeping = sleepUnlessAborted(60_000, controller.signal);
    controller.abort();
    await expect(sleeping).resolves.toBeUndefined();
  });

  it('does not wait on an already aborted signal', async () => {
    await expect(sleepUnlessAborted(60_000, AbortSignal.abort())).resolves.toBeUndefined();
  });
});
