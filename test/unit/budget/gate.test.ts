/**
 * The budget gate around runRouted, with the in-memory counters: soft cap → cheaper model, hard cap
 * → a clear refusal before any model call, the team rate limit, and charging (also for calls cut short).
 */
import { describe, expect, it } from 'vitest';
import { BUDGET_HARD_CAP, BudgetGate, TEAM_RATE_LIMIT } from '../../../server/src/budget/gate.ts';
import { MemorySpendStore } from '../../../server/src/budget/memory-store.ts';
import { utcDay } from '../../../server/src/cache/redis-keys.ts';
import { configSchema } from '../../../server/src/config/schema.ts';
import { ProviderError, type ModelProvider, type ModelRequest } from '../../../server/src/providers/types.ts';
import { runRouted } from '../../../server/src/router/router.ts';
import { silentLogger } from '../../../server/src/telemetry/logger.ts';
import { createMetrics } from '../../../server/src/telemetry/metrics.ts';

/** A provider answering "ok" (or streaming then failing when `cut`), recording the models asked. */
function provider(options: { cut?: boolean } = {}): ModelProvider & { asked: string[] } {
  const asked: string[] = [];
  return {
    name: 'scripted',
    asked,
    async complete(request: ModelRequest, onDelta) {
      asked.push(request.model);
      if (options.cut) {
        onDelta?.('12345678');
        throw new ProviderError('cancelled', 'aborted');
      }
      return { text: 'ok', model: request.model, usage: { inputTokens: 1000, outputTokens: 100, cachedTokens: 0 }, finishReason: 'stop', attempts: 1 };
    },
  };
}

function setup(budget: object) {
  const config = configSchema.parse({ budget: { user: 'alice', ...budget }, cache: { team: 'acme' } });
  const store = new MemorySpendStore();
  const metrics = createMetrics();
  const messages: string[] = [];
  const gate = new BudgetGate({ config: () => config, store: () => store, user: () => 'alice', logger: silentLogger(), metrics, report: (_s, m) => messages.push(m) });
  const model = provider();
  const run = (signal = new AbortController().signal, p: ModelProvider = model) =>
    runRouted({ config, provider: () => p, logger: silentLogger(), budget: gate }, { task: 'completion', instructions: 'i', input: 'x', promptTokens: 1000, signal });
  return { config, store, metrics, messages, gate, model, run };
}

const today = () => utcDay(Date.now());

describe('budget gate', () => {
  it('charges each call to the team and the user at list prices', async () => {
    const { store, run } = setup({});
    await run();
    // gpt-4.1-mini: 1000 input at $0.40/M + 100 output at $1.60/M.
    expect(await store.read(today(), 'alice')).toEqual({ team: { tokens: 1100, costUsd: 0.00056 }, user: { tokens: 1100, costUsd: 0.00056 } });
  });

  it('moves to the cheaper model once the soft cap is reached, and says so once', async () => {
    const { store, model, metrics, messages, run } = setup({ team: { softTokens: 2000 } });
    await run();
    await run();
    expect(model.asked).toEqual(['gpt-4.1-mini', 'gpt-4.1-mini']);
    const result = await run();
    expect(model.asked.at(-1)).toBe('gpt-4.1-nano');
    expect(result.reason).toBe('budget: team soft cap on tokens reached, using gpt-4.1-nano');
    expect(metrics.budgetDowngrades).toBe(1);
    expect(messages).toEqual(['ghostline: the team "acme" passed its soft daily cap of 2,000 tokens; completions use the cheaper gpt-4.1-nano until 00:00 UTC.']);
  });

  it('refuses at the hard cap before calling any model, with a clear message', async () => {
    const { store, model, metrics, messages, run } = setup({ perUser: { hardCostUsd: 0.01 } });
    await store.charge(today(), 'alice', 10, 0.01);
    const refusal = run();
    await expect(refusal).rejects.toBeInstanceOf(ProviderError);
    await expect(refusal).rejects.toMatchObject({ kind: 'quota', details: { code: BUDGET_HARD_CAP } });
    expect(model.asked).toEqual([]);
    expect(metrics.budgetRefusals).toBe(1);
    expect(messages[0]).toMatch(/user "alice" reached its hard daily cap of \$0\.01; model calls are refused until 00:00 UTC/);
  });

  it('keeps the team under its requests per minute, refusing with a retry hint', async () => {
    const { model, metrics, messages, run } = setup({ requestsPerMinute: 2, rateLimitWaitMs: 0 });
    await run();
    await run();
    await expect(run()).rejects.toMatchObject({ kind: 'rate_limited', details: { code: TEAM_RATE_LIMIT } });
    expect(model.asked).toHaveLength(2);
    expect(metrics.teamRateLimited).toBe(1);
    expect(messages[0]).toMatch(/shared limit of 2 requests per minute/);
  });

  it('charges a call cut short for its prompt and what streamed', async () => {
    const { store, run } = setup({});
    const controller = new AbortController();
    controller.abort();
    await expect(run(controller.signal, provider({ cut: true }))).rejects.toMatchObject({ kind: 'cancelled' });
    expect((await store.read(today(), 'alice'))?.user.tokens).toBe(1000 + 2);
  });
});
