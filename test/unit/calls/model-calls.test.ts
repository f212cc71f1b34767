// The model-call service: the guard is required (NO_GUARD is an explicit choice), only guarded
// prompts are sent, and one accounting path charges tokens and cost to the model that answered.
import { describe, expect, it } from 'vitest';
import { NO_GUARD, type PromptGuard } from '../../../server/src/calls/guard.ts';
import { ModelCalls } from '../../../server/src/calls/model-calls.ts';
import { configSchema } from '../../../server/src/config/schema.ts';
import { ProviderError, type ModelProvider, type ModelRequest } from '../../../server/src/providers/types.ts';
import { costOf } from '../../../server/src/router/prices.ts';
import type { BudgetHook, CallRecord } from '../../../server/src/router/router.ts';
import { silentLogger } from '../../../server/src/telemetry/logger.ts';
import { createMetrics } from '../../../server/src/telemetry/metrics.ts';

const config = configSchema.parse({});
const USAGE = { inputTokens: 1000, outputTokens: 100, cachedTokens: 0 };

/** Answers per model: a text, or a failure; keeps the requests it saw. */
function provider(outcomes: Record<string, string | ProviderError>): ModelProvider & { seen: ModelRequest[] } {
  const seen: ModelRequest[] = [];
  return {
    name: 'scripted',
    seen,
    async complete(request, onDelta) {
      seen.push(request);
      const outcome = outcomes[request.model] ?? 'ok';
      if (outcome instanceof ProviderError) throw outcome;
      onDelta?.(outcome);
      return { text: outcome, model: request.model, usage: USAGE, finishReason: 'stop', attempts: 1 };
    },
  };
}

const NO_BUDGET: BudgetHook = { admit: async () => ({}), charge: () => undefined };

function service(p: ModelProvider, guard: PromptGuard, budget: BudgetHook = NO_BUDGET) {
  const metrics = createMetrics();
  const records: CallRecord[] = [];
  const calls = new ModelCalls({
    config: () => config,
    provider: () => p,
    logger: silentLogger(),
    metrics,
    guard,
    budget,
    audit: { record: (call) => records.push(call) },
  });
  return { calls, metrics, records };
}

const request = (calls: ModelCalls, input: string) => {
  const guarded = calls.guard({ instructions: 'Complete the code.', input }, { file: '/w/a.ts' });
  return {
    guarded,
    result: calls.call({
      task: 'completion',
      languageId: 'typescript',
      prompt: guarded.prompt,
      promptTokens: 100,
      promptCacheKey: 'k',
      signal: new AbortController().signal,
    }),
  };
};

describe('ModelCalls', () => {
  it('sends the prompt as the guard made it, and reads the answer back through it', async () => {
    const redacting: PromptGuard = {
      refuse: () => undefined,
      prepare: (prompt) => ({
        prompt: { ...prompt, input: prompt.input.replace('hunter2', '«secret:1»') },
        restore: (text) => text.replace('«secret:1»', 'hunter2'),
        redactions: 1,
      }),
      scrub: (text) => text.replace('sk-made-up', ''),
    };
    const p = provider({ 'gpt-4.1-mini': 'use «secret:1» sk-made-up' });
    const { calls, records } = service(p, redacting);
    const { guarded, result } = request(calls, 'password = "hunter2"');
    const answer = await result;
    expect(p.seen[0]!.input).toBe('password = "«secret:1»"');
    expect(records[0]!.meta).toEqual({ file: '/w/a.ts', redactions: 1 });
    expect(guarded.finish(answer.text)).toBe('use hunter2 ');
  });

  it('passes everything through only when NO_GUARD is chosen explicitly', async () => {
    const p = provider({});
    const { calls } = service(p, NO_GUARD);
    await request(calls, 'password = "hunter2"').result;
    expect(p.seen[0]!.input).toBe('password = "hunter2"');
  });

  it('accounts tokens and cost once, under the model that answered after a fallback', async () => {
    const p = provider({ 'gpt-4.1-mini': new ProviderError('server', 'boom', { status: 500 }) });
    const { calls, metrics } = service(p, NO_GUARD);
    const answer = await request(calls, 'x').result;
    expect(answer.model).not.toBe('gpt-4.1-mini');
    expect(metrics).toMatchObject({ modelCalls: 1, modelErrors: 0, inputTokens: 1000, outputTokens: 100 });
    expect(metrics.costUsd).toBeCloseTo(costOf(config, answer.model, USAGE), 12);
  });

  it('accounts under the cheaper model a soft cap moved the call to', async () => {
    const p = provider({});
    const { calls, metrics } = service(p, NO_GUARD, {
      admit: async () => ({ model: 'gpt-4.1-nano', reason: 'soft cap' }),
      charge: () => undefined,
    });
    const answer = await request(calls, 'x').result;
    expect(answer.model).toBe('gpt-4.1-nano');
    expect(metrics.costUsd).toBeCloseTo(costOf(config, 'gpt-4.1-nano', USAGE), 12);
    expect(metrics.costUsd).not.toBeCloseTo(costOf(config, 'gpt-4.1-mini', USAGE), 12);
  });

  it('counts a failed call as a model error, with no tokens or cost', async () => {
    const failing = service(
      provider({ 'gpt-4.1-mini': new ProviderError('auth', 'no'), 'gpt-4o-mini': new ProviderError('auth', 'no') }),
      NO_GUARD,
    );
    await expect(request(failing.calls, 'x').result).rejects.toBeInstanceOf(ProviderError);
    expect(failing.metrics).toMatchObject({
      modelCalls: 1,
      modelErrors: 1,
      modelCallsAborted: 0,
      inputTokens: 0,
      costUsd: 0,
    });
  });
});
