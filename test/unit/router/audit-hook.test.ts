// The router's audit hook: one record per model call with its outcome (ok, cancelled, early stop,
// error:kind) and the reason the model was chosen; the caller's meta never reaches the provider.
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../server/src/config/schema.ts';
import { ProviderError, type ModelProvider, type ModelRequest } from '../../../server/src/providers/types.ts';
import { EARLY_STOP, runRouted, type CallRecord } from '../../../server/src/router/router.ts';
import { silentLogger } from '../../../server/src/telemetry/logger.ts';

const config = configSchema.parse({});

/** Streams `text` in two deltas, or fails as scripted per model; keeps the requests it saw. */
function provider(
  outcomes: Record<string, ProviderError | string>,
  beforeEnd?: (request: ModelRequest) => void,
): ModelProvider & { seen: ModelRequest[] } {
  const seen: ModelRequest[] = [];
  return {
    name: 'scripted',
    seen,
    async complete(request, onDelta) {
      seen.push(request);
      const outcome = outcomes[request.model];
      if (outcome instanceof ProviderError) throw outcome;
      const text = outcome ?? '';
      onDelta?.(text.slice(0, 4));
      beforeEnd?.(request);
      if (request.signal.aborted) throw new ProviderError('cancelled', 'aborted');
      onDelta?.(text.slice(4));
      return {
        text,
        model: request.model,
        usage: { inputTokens: 120, outputTokens: 7, cachedTokens: 64 },
        finishReason: 'stop',
        attempts: 1,
      };
    },
  };
}

function run(p: ModelProvider, signal = new AbortController().signal) {
  const records: CallRecord[] = [];
  const promise = runRouted(
    { config, provider: () => p, logger: silentLogger(), audit: { record: (call) => records.push(call) } },
    {
      task: 'completion',
      instructions: 'inst',
      input: 'in',
      promptTokens: 100,
      signal,
      meta: { file: '/w/a.ts', redactions: 2 },
    },
  );
  return { records, promise };
}

describe('audit hook', () => {
  it('records a successful call with usage, reason, output and the caller meta', async () => {
    const p = provider({ 'gpt-4.1-mini': 'return x;' });
    const { records, promise } = run(p);
    await promise;
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      task: 'completion',
      model: 'gpt-4.1-mini',
      reason: 'primary',
      instructions: 'inst',
      input: 'in',
      output: 'return x;',
      usage: { inputTokens: 120, outputTokens: 7, cachedTokens: 64 },
      outcome: 'ok',
      meta: { file: '/w/a.ts', redactions: 2 },
    });
    expect(records[0]!.latencyMs).toBeGreaterThanOrEqual(0);
    expect(p.seen[0]).not.toHaveProperty('meta');
  });

  it('records each model of a fallback chain with its own outcome', async () => {
    const { records, promise } = run(
      provider({ 'gpt-4.1-mini': new ProviderError('server', '503', { status: 503 }), 'gpt-4o-mini': 'ok!' }),
    );
    await promise;
    expect(records.map((r) => [r.model, r.outcome, r.reason])).toEqual([
      ['gpt-4.1-mini', 'error:server', 'primary'],
      ['gpt-4o-mini', 'ok', 'fallback after gpt-4.1-mini failed (server)'],
    ]);
  });

  it('records a call the user cancelled as cancelled, with the tokens it was billed for', async () => {
    const controller = new AbortController();
    const { records, promise } = run(
      provider({ 'gpt-4.1-mini': 'abcdefgh' }, () => controller.abort()),
      controller.signal,
    );
    await expect(promise).rejects.toMatchObject({ kind: 'cancelled' });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      outcome: 'cancelled',
      output: 'abcd',
      usage: { inputTokens: 100, outputTokens: 1, cachedTokens: 0 },
    });
  });

  it('records a stream the caller stopped because it had enough as ok', async () => {
    const controller = new AbortController();
    const { records, promise } = run(
      provider({ 'gpt-4.1-mini': 'abcdefgh' }, () => controller.abort(EARLY_STOP)),
      controller.signal,
    );
    // The caller gets what streamed, credited to the model that streamed it.
    await expect(promise).resolves.toMatchObject({ text: 'abcd', model: 'gpt-4.1-mini', stoppedEarly: true });
    expect(records[0]).toMatchObject({ outcome: 'ok', output: 'abcd' });
  });

  it('keeps going when the hook throws', async () => {
    const p = provider({ 'gpt-4.1-mini': 'fine' });
    const result = await runRouted(
      {
        config,
        provider: () => p,
        logger: silentLogger(),
        audit: {
          record: () => {
            throw new Error('disk full');
          },
        },
      },
      { task: 'completion', instructions: 'i', input: 'x', promptTokens: 10, signal: new AbortController().signal },
    );
    expect(result.text).toBe('fine');
  });
});
