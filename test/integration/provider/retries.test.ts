/**
 * The provider's retry policy against real HTTP failures from the fake server: what is retried,
 * how long it waits (recorded, never timed), and what fails at once.
 */
import { describe, expect, it } from 'vitest';
import { inOrder, modelRequest, rejection, useProviderHarness } from './setup.ts';

const harness = useProviderHarness();
const ok = { kind: 'text', text: 'ok' } as const;

describe('rate limits', () => {
  it('honours retry-after (seconds) under the cap, then succeeds', async () => {
    harness.fake.setResponder(inOrder({ kind: 'error', status: 429, headers: { 'retry-after': '0.05' } }, ok));
    const result = await harness.provider().complete(modelRequest());
    expect(result).toMatchObject({ text: 'ok', attempts: 2 });
    expect(harness.sleeps).toEqual([50]);
    expect(harness.fake.requests).toHaveLength(2);
  });

  it('prefers retry-after-ms', async () => {
    harness.fake.setResponder(
      inOrder({ kind: 'error', status: 429, headers: { 'retry-after-ms': '30', 'retry-after': '1' } }, ok),
    );
    await harness.provider().complete(modelRequest());
    expect(harness.sleeps).toEqual([30]);
  });

  it('does not wait for a retry-after beyond the cap and reports rate_limited with the wait', async () => {
    harness.fake.setResponder(() => ({ kind: 'error', status: 429, headers: { 'retry-after': '3600' } }));
    const error = await rejection(harness.provider().complete(modelRequest()));
    expect(error.kind).toBe('rate_limited');
    expect(error.details).toMatchObject({ status: 429, retryAfterMs: 3_600_000, attempts: 1 });
    expect(harness.sleeps).toEqual([]);
    expect(harness.fake.requests).toHaveLength(1);
  });

  it('reads the wait from a 429 message that has no header', async () => {
    harness.fake.setResponder(
      inOrder(
        {
          kind: 'error',
          status: 429,
          message: 'Rate limit reached for gpt-4.1-mini on tokens per min. Please try again in 0.2s.',
        },
        ok,
      ),
    );
    const result = await harness.provider().complete(modelRequest());
    expect(result.attempts).toBe(2);
    expect(harness.sleeps).toEqual([200]);
  });

  it('never retries insufficient_quota', async () => {
    harness.fake.setResponder(() => ({ kind: 'error', status: 429, code: 'insufficient_quota' }));
    const error = await rejection(harness.provider().complete(modelRequest()));
    expect(error.kind).toBe('quota');
    expect(error.retryable).toBe(false);
    expect(harness.fake.requests).toHaveLength(1);
  });
});

describe('server and network failures', () => {
  it('retries a 500 with backoff and succeeds', async () => {
    harness.fake.setResponder(inOrder({ kind: 'error', status: 500 }, ok));
    const result = await harness.provider().complete(modelRequest());
    expect(result).toMatchObject({ text: 'ok', attempts: 2 });
    expect(harness.sleeps).toHaveLength(1);
    expect(harness.sleeps[0]).toBeGreaterThanOrEqual(0);
    expect(harness.sleeps[0]).toBeLessThanOrEqual(5);
  });

  it('gives up after maxAttempts with the last error and the attempt count', async () => {
    harness.fake.setResponder(() => ({ kind: 'error', status: 503 }));
    const error = await rejection(harness.provider().complete(modelRequest()));
    expect(error.kind).toBe('server');
    expect(error.details).toMatchObject({ status: 503, attempts: 3 });
    expect(harness.fake.requests).toHaveLength(3);
    expect(harness.sleeps).toHaveLength(2);
  });

  it.each(['responses', 'chat'] as const)(
    'retries a connection reset mid-stream as a network error (%s)',
    async (api) => {
      harness.fake.setResponder(inOrder({ kind: 'reset', text: 'partial text', afterChunks: 2 }, ok));
      const result = await harness.provider({ api }).complete(modelRequest());
      expect(result).toMatchObject({ text: 'ok', attempts: 2 });
    },
  );

  it('reports network when every attempt is reset', async () => {
    harness.fake.setResponder(() => ({ kind: 'reset', text: 'partial', afterChunks: 1 }));
    const error = await rejection(
      harness
        .provider({ retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1000 } })
        .complete(modelRequest()),
    );
    expect(error.kind).toBe('network');
    expect(harness.fake.requests).toHaveLength(2);
  });

  it('reports network for a server that is not there', async () => {
    const url = harness.fake.url.replace(/:\d+\//, ':1/');
    const error = await rejection(
      harness
        .provider({ baseUrl: url, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 0 } })
        .complete(modelRequest()),
    );
    expect(error.kind).toBe('network');
  });
});

describe('client errors', () => {
  it.each([
    [401, undefined, 'auth'],
    [403, undefined, 'auth'],
    [400, undefined, 'bad_request'],
    [404, 'model_not_found', 'bad_request'],
    [400, 'context_length_exceeded', 'context_length'],
  ] as const)('does not retry %i %s (%s)', async (status, code, kind) => {
    harness.fake.setResponder(() => ({ kind: 'error', status, ...(code ? { code } : {}) }));
    const error = await rejection(harness.provider().complete(modelRequest()));
    expect(error.kind).toBe(kind);
    expect(error.details.status).toBe(status);
    expect(harness.fake.requests).toHaveLength(1);
  });
});
