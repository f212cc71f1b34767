/**
 * Broken streams and deadlines: stalls become timeouts (and the connection is closed), streams
 * without a terminal event or with bad data become stream errors, in-stream error events keep
 * their code, and a provider without a key never touches the network.
 */
import { describe, expect, it } from 'vitest';
import { modelRequest, rejection, useProviderHarness } from './setup.ts';

const harness = useProviderHarness();
const once = { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1000 };
const short = { firstTokenMs: 300, idleMs: 300, totalMs: 10_000 };

describe('deadlines', () => {
  it.each(['responses', 'chat'] as const)(
    'turns a stream that goes silent after a delta into an idle timeout (%s)',
    async (api) => {
      harness.fake.setResponder(() => ({ kind: 'stall', text: 'abcdefgh', afterChunks: 1 }));
      const deltas: string[] = [];
      const error = await rejection(
        harness.provider({ api, timeouts: short, retry: once }).complete(modelRequest(), (delta) => deltas.push(delta)),
      );
      expect(error.kind).toBe('timeout');
      expect(error.details.code).toBe('idle');
      expect(deltas).toEqual(['abcd']);
      const [request] = harness.fake.requests;
      await request?.done;
      expect(request?.clientClosed).toBe(true);
    },
  );

  it('turns a stream with no text into a first-token timeout', async () => {
    harness.fake.setResponder(() => ({ kind: 'stall' }));
    const error = await rejection(harness.provider({ timeouts: short, retry: once }).complete(modelRequest()));
    expect(error).toMatchObject({ kind: 'timeout', details: { code: 'first_token' } });
  });

  it('turns a server that never sends headers into a first-token timeout and hangs up', async () => {
    harness.fake.setResponder(() => ({ kind: 'stall-before-headers' }));
    const error = await rejection(harness.provider({ timeouts: short, retry: once }).complete(modelRequest()));
    expect(error).toMatchObject({ kind: 'timeout', details: { code: 'first_token' } });
    const [request] = harness.fake.requests;
    await request?.done;
    expect(request?.clientClosed).toBe(true);
  });

  it('retries a timed-out attempt', async () => {
    let calls = 0;
    harness.fake.setResponder(() =>
      calls++ === 0 ? { kind: 'stall-before-headers' } : { kind: 'text', text: 'late but fine' },
    );
    const result = await harness.provider({ timeouts: short }).complete(modelRequest());
    expect(result).toMatchObject({ text: 'late but fine', attempts: 2 });
  });

  it('stops at the total deadline without another attempt', async () => {
    harness.fake.setResponder(() => ({ kind: 'stall-before-headers' }));
    const error = await rejection(
      harness.provider({ timeouts: { firstTokenMs: 5000, idleMs: 5000, totalMs: 500 } }).complete(modelRequest()),
    );
    expect(error).toMatchObject({ kind: 'timeout', details: { code: 'total', attempts: 1 } });
    expect(harness.fake.requests).toHaveLength(1);
  });
});

describe('broken streams', () => {
  it.each(['responses', 'chat'] as const)('rejects a stream that ends without its terminal event (%s)', async (api) => {
    harness.fake.setResponder(() => ({ kind: 'no-terminal', text: 'cut short' }));
    const error = await rejection(harness.provider({ api, retry: once }).complete(modelRequest()));
    expect(error.kind).toBe('stream');
    expect(error.message).toMatch(api === 'responses' ? /response\.completed/ : /finish_reason/);
  });

  it.each(['responses', 'chat'] as const)('rejects malformed SSE data as a stream error (%s)', async (api) => {
    harness.fake.setResponder(() => ({ kind: 'malformed' }));
    const error = await rejection(harness.provider({ api, retry: once }).complete(modelRequest()));
    expect(error.kind).toBe('stream');
  });

  it('retries stream errors up to maxAttempts', async () => {
    harness.fake.setResponder(() => ({ kind: 'malformed' }));
    const error = await rejection(harness.provider().complete(modelRequest()));
    expect(error).toMatchObject({ kind: 'stream', details: { attempts: 3 } });
    expect(harness.fake.requests).toHaveLength(3);
  });

  it('maps context_length_exceeded in an error event on HTTP 200 to context_length, not retried', async () => {
    harness.fake.setResponder(() => ({
      kind: 'stream-error',
      code: 'context_length_exceeded',
      message: 'Your input exceeds the context window of this model.',
    }));
    const error = await rejection(harness.provider().complete(modelRequest()));
    expect(error).toMatchObject({ kind: 'context_length', details: { code: 'context_length_exceeded' } });
    expect(harness.fake.requests).toHaveLength(1);
  });

  it.each(['responses', 'chat'] as const)(
    'surfaces other in-stream errors as stream with their code (%s)',
    async (api) => {
      harness.fake.setResponder(() => ({ kind: 'stream-error', code: 'server_error', message: 'overloaded' }));
      const error = await rejection(harness.provider({ api, retry: once }).complete(modelRequest()));
      expect(error).toMatchObject({ kind: 'stream', message: 'overloaded', details: { code: 'server_error' } });
    },
  );

  it('surfaces response.failed with its code and message', async () => {
    harness.fake.setResponder(() => ({
      kind: 'failed',
      code: 'server_error',
      message: 'The model failed to generate a response.',
    }));
    const error = await rejection(harness.provider({ retry: once }).complete(modelRequest()));
    expect(error).toMatchObject({
      kind: 'stream',
      message: 'The model failed to generate a response.',
      details: { code: 'server_error' },
    });
  });
});

describe('no API key', () => {
  it('rejects with no_api_key for OpenAI itself and makes no request', async () => {
    const provider = harness.provider({ baseUrl: undefined, apiKey: undefined });
    const error = await rejection(provider.complete(modelRequest()));
    expect(error.kind).toBe('no_api_key');
    expect(error.retryable).toBe(false);
    expect(harness.fake.requests).toHaveLength(0);
  });
});
