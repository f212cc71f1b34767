import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../server/src/config/schema.ts';
import { ProviderError, type ModelProvider, type ModelRequest } from '../../../server/src/providers/types.ts';
import { planChain, runRouted } from '../../../server/src/router/router.ts';
import { resolveRoute } from '../../../server/src/router/policy.ts';
import { silentLogger } from '../../../server/src/telemetry/logger.ts';

/** A provider whose outcome per model is scripted; records the models it was asked for. */
function scripted(outcomes: Record<string, ProviderError | string>): ModelProvider & { asked: string[] } {
  const asked: string[] = [];
  return {
    name: 'scripted',
    asked,
    async complete(request: ModelRequest) {
      asked.push(request.model);
      const outcome = outcomes[request.model];
      if (outcome instanceof ProviderError) throw outcome;
      return {
        text: outcome ?? '',
        model: request.model,
        usage: { inputTokens: 1, outputTokens: 1, cachedTokens: 0 },
        finishReason: 'stop',
        attempts: 1,
      };
    },
  };
}

const base = { instructions: 'i', input: 'x', promptTokens: 100, signal: new AbortController().signal };

describe('router', () => {
  it('resolves task, then language overrides', () => {
    const config = configSchema.parse({
      router: {
        tasks: { completion: { temperature: 0.2 } },
        languages: { python: { completion: { model: 'gpt-4.1' } } },
      },
    });
    expect(resolveRoute(config, 'completion', 'python')).toMatchObject({ model: 'gpt-4.1', temperature: 0.2 });
    expect(resolveRoute(config, 'completion', 'go')).toMatchObject({ model: 'gpt-4.1-mini', temperature: 0.2 });
  });

  it('escalates past models whose context window the prompt exceeds', () => {
    const config = configSchema.parse({});
    const route = resolveRoute(config, 'inline');
    expect(planChain(config, route, 200_000)).toEqual({ models: ['gpt-4.1-mini'], skipped: ['gpt-4o-mini'] });
    expect(planChain(config, route, 1000).models).toEqual(['gpt-4o-mini', 'gpt-4.1-mini']);
  });

  it('falls back on retryable errors and reports why', async () => {
    const config = configSchema.parse({});
    const provider = scripted({
      'gpt-4.1-mini': new ProviderError('rate_limited', '429', { status: 429 }),
      'gpt-4o-mini': 'ok',
    });
    const result = await runRouted(
      { config, provider: () => provider, logger: silentLogger() },
      { ...base, task: 'completion' },
    );
    expect(result.text).toBe('ok');
    expect(provider.asked).toEqual(['gpt-4.1-mini', 'gpt-4o-mini']);
    expect(result.reason).toMatch(/fallback after gpt-4.1-mini failed \(rate_limited\)/);
  });

  it('does not fall back on errors another model cannot fix', async () => {
    const config = configSchema.parse({});
    for (const kind of ['quota', 'auth', 'no_api_key', 'bad_request', 'cancelled'] as const) {
      const provider = scripted({ 'gpt-4.1-mini': new ProviderError(kind, kind), 'gpt-4o-mini': 'ok' });
      await expect(
        runRouted({ config, provider: () => provider, logger: silentLogger() }, { ...base, task: 'completion' }),
      ).rejects.toMatchObject({ kind });
      expect(provider.asked).toEqual(['gpt-4.1-mini']);
    }
  });

  it('escalates on a context_length error from the model', async () => {
    const config = configSchema.parse({});
    const provider = scripted({
      'gpt-4o-mini': new ProviderError('context_length', 'too long'),
      'gpt-4.1-mini': 'big',
    });
    const result = await runRouted(
      { config, provider: () => provider, logger: silentLogger() },
      { ...base, task: 'inline' },
    );
    expect(result.model).toBe('gpt-4.1-mini');
  });
});
