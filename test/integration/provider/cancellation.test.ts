/**
 * Cancellation from the caller's signal: the call rejects with 'cancelled' and the fake server
 * sees the HTTP connection close, whether the abort lands mid-stream, before the headers, or
 * during a retry wait.
 */
import { describe, expect, it } from 'vitest';
import { sleepUnlessAborted } from '../../../server/src/providers/retry.ts';
import { inOrder, modelRequest, rejection, useProviderHarness } from './setup.ts';

const harness = useProviderHarness();

describe.each(['responses', 'chat'] as const)('%s API', (api) => {
  it('cancels mid-stream and closes the connection', async () => {
    harness.fake.setResponder(() => ({ kind: 'stall', text: 'first second third', afterChunks: 2 }));
    const controller = new AbortController();
    const deltas: string[] = [];
    const pending = harness.provider({ api }).complete(modelRequest({ signal: controller.signal }), (delta) => {
      deltas.push(delta);
      if (deltas.length === 2) controller.abort();
    });
    const error = await rejection(pending);
    expect(error.kind).toBe('cancelled');
    expect(error.details.attempts).toBe(1);
    expect(deltas).toEqual(['firs', 't se']);
    const [request] = harness.fake.requests;
    await request?.done;
    expect(request?.clientClosed).toBe(true);
    expect(harness.fake.requests).toHaveLength(1);
  });
});

describe('cancellation at other moments', () => {
  it('cancels while waiting for headers and closes the connection', async () => {
    harness.fake.setResponder(() => ({ kind: 'stall-before-headers' }));
    const controller = new AbortController();
    const pending = harness.provider().complete(modelRequest({ signal: controller.signal }));
    const [request] = await harness.fake.waitForRequests(1);
    controller.abort();
    const error = await rejection(pending);
    expect(error.kind).toBe('cancelled');
    await request?.done;
    expect(request?.clientClosed).toBe(true);
  });

  it('ends a retry wait at once when cancelled', async () => {
    harness.fake.setResponder(
      inOrder({ kind: 'error', status: 429, headers: { 'retry-after': '60' } }, { kind: 'text', text: 'never' }),
    );
    const controller = new AbortController();
    const provider = harness.provider({
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 120_000 },
      sleep: (ms, signal) => {
        harness.sleeps.push(ms);
        // Cancel once the provider is committed to the one-minute wait; the real sleep must end
        // at once (if it did not, the test would run into vitest's timeout).
        setTimeout(() => controller.abort(), 10);
        return sleepUnlessAborted(ms, signal);
      },
    });
    const error = await rejection(provider.complete(modelRequest({ signal: controller.signal })));
    expect(error.kind).toBe('cancelled');
    expect(harness.sleeps).toEqual([60_000]);
    expect(harness.fake.requests).toHaveLength(1);
  });

  it('makes no request for a signal that is already aborted', async () => {
    const error = await rejection(harness.provider().complete(modelRequest({ signal: AbortSignal.abort() })));
    expect(error.kind).toBe('cancelled');
    expect(harness.fake.requests).toHaveLength(0);
  });
});
