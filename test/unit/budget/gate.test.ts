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
      return {
        text: 'ok',
        model: request.model,
        usage: { inputTokens: 1000, outputTokens: 100, cachedTokens: 0 },
        finishReason: 'stop',
        attempts: 1,
      };
    },
  };
}

function setup(budget: object) {
  const config = configSchema.parse({ budget: { user: 'alice', ...budget }, cache: { team: 'acme' } });
  const store = new MemorySpendStore();
  const metrics = createMetrics();
  const messages: string[] = [];
  const gate = new BudgetGate({
    config: () => config,
    store: () => store,
    user: () => 'alice',
    logger: silentLogger(),
    metrics,
    report: (_s, m) => messages.push(m),
  });
  const model = provider();
  const run = (signal = new AbortController().signal, p: ModelProvider = model) =>
    runRouted(
      { config, provider: () => p, logger: silentLogger(), budget: gate },
      { task: 'completion', instructions: 'i', input: 'x', promptTokens: 1000, signal },
    );
  return { config, store, metrics, messages, gate, model, run };
}

const today = () => utcDay(Date.now());

describe('budget gate', () => {
  it('charges each call to the team and the user at list prices', async () => {
    const { store, run } = setup({});
    await run();
    // gpt-4.1-mini: 1000 input at $0.40/M + 100 output at $1.60/M.
    expect(await store.read(today(), 'alice')).toEqual({
      team: { tokens: 1100, costUsd: 0.00056 },
      user: { tokens: 1100, costUsd: 0.00056 },
    });
  });

  it('moves to the cheaper model once the soft cap is reached, and says so once', async () => {
    const { model, metrics, messages, run } = setup({ team: { softTokens: 2000 } });
    await run();
    await run();
    expect(model.asked).toEqual(['gpt-4.1-mini', 'gpt-4.1-mini']);
    const result = await run();
    expect(model.asked.at(-1)).toBe('gpt-4.1-nano');
    expect(result.reason).toBe('budget: team soft cap on tokens reached, using gpt-4.1-nano');
    expect(metrics.budgetDowngrades).toBe(1);
    expect(messages).toEqual([
      'ghostline: the team "acme" passed its soft daily cap of 2,000 tokens; completions use the cheaper gpt-4.1-nano until 00:00 UTC.',
    ]);
  });

  it('refuses at the hard cap before calling any model, with a clear message', async () => {
    const { store, model, metrics, messages, run } = setup({ perUser: { hardCostUsd: 0.01 } });
    await store.charge(today(), 'alice', 10, 0.01);
    const refusal = run();
    await expect(refusal).rejects.toBeInstanceOf(ProviderError);
    await expect(refusal).rejects.toMatchObject({ kind: 'quota', details: { code: BUDGET_HARD_CAP } });
    expect(model.asked).toEqual([]);
    expect(metrics.budgetRefusals).toBe(1);
    expect(messages[0]).toMatch(
      /user "alice" reached its hard daily cap of \$0\.01; model calls are refused until 00:00 UTC/,
    );
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

describe('the team rate limit when the shared store does not answer in time', () => {
  /** One shared store (the team's Redis) that can stop answering; `late` answers are held until it is back. */
  function flakyStore(now: () => number) {
    const shared = new MemorySpendStore(now);
    const held: (() => void)[] = [];
    const store = {
      answering: true,
      sent: 0,
      read: shared.read.bind(shared),
      charge: shared.charge.bind(shared),
      async takeRate(
        limits: { requestsPerMinute: number; tokensPerMinute: number },
        tokens: number,
        carry?: Parameters<MemorySpendStore['takeRate']>[2],
      ) {
        store.sent++;
        if (store.answering) return shared.takeRate(limits, tokens, carry);
        // The request reached a hung Redis: it runs when Redis wakes up, after the caller gave up.
        held.push(() => void shared.takeRate(limits, tokens, carry).then((answer) => carry?.late?.(answer)));
        return undefined;
      },
      wake() {
        store.answering = true;
        for (const run of held.splice(0)) run();
      },
    };
    return store;
  }

  function processes(count: number, budget: object) {
    let clock = 600_000;
    const now = () => clock;
    const store = flakyStore(now);
    const config = configSchema.parse({
      budget: { user: 'alice', rateLimitWaitMs: 0, ...budget },
      cache: { team: 'acme' },
    });
    const gates = Array.from({ length: count }, () => {
      const metrics = createMetrics();
      const gate = new BudgetGate({
        config: () => config,
        store: () => store,
        user: () => 'alice',
        logger: silentLogger(),
        metrics,
        report: () => undefined,
        now,
      });
      return { gate, metrics };
    });
    const admit = async (index: number) => {
      try {
        await gates[index]!.gate.admit({
          task: 'completion',
          models: ['gpt-4.1-mini'],
          promptTokens: 100,
          maxOutputTokens: 100,
          signal: new AbortController().signal,
        });
        return true;
      } catch (error) {
        expect((error as ProviderError).details.code).toBe(TEAM_RATE_LIMIT);
        return false;
      }
    };
    return { store, gates, admit, tick: (ms: number) => (clock += ms) };
  }

  it('lets each process take only its share while the store is silent, so the team stays under its limit', async () => {
    const { store, admit, gates } = processes(2, { requestsPerMinute: 4, rateLimitProcesses: 2 });
    store.answering = false;
    const admitted = await Promise.all(Array.from({ length: 12 }, (_, i) => admit(i % 2)));
    expect(admitted.filter(Boolean)).toHaveLength(4);
    expect(gates.map((g) => g.metrics.rateAdmittedAlone)).toEqual([2, 2]);
  });

  it('counts the calls taken alone into the shared window once the store answers again', async () => {
    const { store, admit, gates } = processes(2, { requestsPerMinute: 4, rateLimitProcesses: 2 });
    store.answering = false;
    expect(await admit(0)).toBe(true);
    expect(await admit(1)).toBe(true);
    store.wake();
    await new Promise((resolve) => setImmediate(resolve));
    // Two calls are in the window now (the held requests ran and counted them), so two more fit, not four.
    // (Had a new request left before those late answers came back, it would carry the two calls again:
    // counted twice, never missed.)
    const after = await Promise.all(Array.from({ length: 6 }, (_, i) => admit(i % 2)));
    expect(after.filter(Boolean)).toHaveLength(2);
    expect(gates.every((g) => g.gate.ledger.waiting === 0)).toBe(true);
  });

  it('carries calls taken alone to the store when their own request never reached it', async () => {
    const { store, admit, gates } = processes(1, { requestsPerMinute: 4, rateLimitProcesses: 1 });
    const silent = store.takeRate;
    // Down, not hung: nothing reaches the store, and nothing comes back late.
    store.takeRate = async (limits, tokens, carry) => {
      if (store.answering) return silent(limits, tokens, carry);
      carry?.late?.(undefined);
      return undefined;
    };
    store.answering = false;
    expect([await admit(0), await admit(0), await admit(0)]).toEqual([true, true, true]);
    expect(gates[0]!.gate.ledger.waiting).toBe(3);
    store.answering = true;
    // The three calls are carried with the next request: 3 + this one fill the limit of 4.
    expect([await admit(0), await admit(0)]).toEqual([true, false]);
    expect(gates[0]!.gate.ledger.waiting).toBe(0);
  });

  it('keeps each process to its share after an outage, even where Redis would have room', async () => {
    const { store, admit, tick } = processes(2, { requestsPerMinute: 4, rateLimitProcesses: 2 });
    expect(await admit(0)).toBe(true);
    store.answering = false;
    // Process 0 has one more call of its share; process 1 takes its two alone.
    expect([await admit(0), await admit(0), await admit(1), await admit(1), await admit(1)]).toEqual([
      true,
      false,
      true,
      true,
      false,
    ]);
    store.wake();
    await new Promise((resolve) => setImmediate(resolve));
    expect([await admit(0), await admit(1)]).toEqual([false, false]);
    // Two minutes on, the calls have slid out of every window and the limit is whole again.
    tick(120_000);
    expect(await Promise.all([admit(0), admit(0), admit(0), admit(0), admit(0)])).toEqual([
      true,
      true,
      true,
      true,
      false,
    ]);
  });

  it('takes nothing alone when the limit is smaller than the number of processes', async () => {
    const { store, admit } = processes(1, { requestsPerMinute: 3, rateLimitProcesses: 4 });
    store.answering = false;
    expect(await admit(0)).toBe(false);
  });
});
