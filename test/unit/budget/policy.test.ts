import { describe, expect, it } from 'vitest';
import { capMessage, checkCaps, pickCheaper } from '../../../server/src/budget/policy.ts';
import { configSchema } from '../../../server/src/config/schema.ts';
import { checkPolicy, DEFAULT_ROUTES, modelInfo, resolveRoute } from '../../../server/src/router/policy.ts';
import { estimateCost } from '../../../server/src/router/prices.ts';

const spend = (teamTokens: number, teamCost: number, userTokens = 0, userCost = 0) => ({
  team: { tokens: teamTokens, costUsd: teamCost },
  user: { tokens: userTokens, costUsd: userCost },
});

describe('checkCaps', () => {
  const caps = {
    team: { softTokens: 1000, hardTokens: 2000, softCostUsd: 1, hardCostUsd: 2 },
    perUser: { softTokens: 100, hardTokens: 200 },
  };
  const cases: [string, ReturnType<typeof spend>, object][] = [
    ['nothing spent', spend(0, 0), { level: 'ok' }],
    ['just under every cap', spend(999, 0.99, 99), { level: 'ok' }],
    ['team soft tokens reached', spend(1000, 0), { level: 'soft', scope: 'team', measure: 'tokens', limit: 1000 }],
    ['team soft cost reached', spend(10, 1), { level: 'soft', scope: 'team', measure: 'cost', limit: 1 }],
    ['user soft tokens', spend(10, 0, 150), { level: 'soft', scope: 'user', measure: 'tokens', limit: 100 }],
    [
      'team hard beats user soft',
      spend(2000, 0, 150),
      { level: 'hard', scope: 'team', measure: 'tokens', limit: 2000 },
    ],
    ['user hard beats team soft', spend(1500, 0, 200), { level: 'hard', scope: 'user', measure: 'tokens', limit: 200 }],
    ['team hard cost', spend(0, 2.5), { level: 'hard', scope: 'team', measure: 'cost', limit: 2 }],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => expect(checkCaps(input, caps)).toEqual(expected));
  }

  it('is ok without caps whatever was spent', () => {
    expect(checkCaps(spend(1e9, 1e6, 1e9, 1e6), { team: {}, perUser: {} })).toEqual({ level: 'ok' });
  });
});

describe('pickCheaper', () => {
  const config = configSchema.parse({});
  it('moves the completion route (gpt-4.1-mini) to its soft-cap model in SSOT.md', () => {
    expect(pickCheaper(config, 'completion', ['gpt-4.1-mini', 'gpt-4o-mini'], 1000, 256)).toBe('gpt-4.1-nano');
  });

  it('uses the cheapest model of the chain when the configured one is unknown or does not fit', () => {
    const custom = configSchema.parse({ budget: { cheaperModel: 'not-a-model' } });
    expect(pickCheaper(custom, 'completion', ['gpt-4.1-mini', 'gpt-4o-mini'], 1000, 256)).toBe('gpt-4o-mini');
    // 200k tokens fit gpt-4.1-nano (1M) but not gpt-4o-mini (128k).
    const small = configSchema.parse({ budget: { cheaperModel: 'gpt-4o-mini' } });
    expect(pickCheaper(small, 'refactor', ['gpt-4.1'], 200_000, 256)).toBeUndefined();
  });

  it('keeps refactor, tests, fix, explain and docs inside their SSOT.md chains (never gpt-4.1-nano)', () => {
    const expected = {
      refactor: 'gpt-4.1-mini',
      tests: 'gpt-4.1-mini',
      fix: 'gpt-4.1-mini',
      explain: 'gpt-4o-mini',
      docs: 'gpt-4o-mini',
    } as const;
    for (const [task, model] of Object.entries(expected) as [keyof typeof expected, string][]) {
      const route = resolveRoute(config, task);
      const chain = [route.model, ...route.fallbacks];
      expect(pickCheaper(config, task, chain, 1000, route.maxOutputTokens), task).toBe(model);
      expect(chain, task).toContain(model);
    }
    // A team that names a cheaper model for everything gets it everywhere.
    const named = configSchema.parse({ budget: { cheaperModel: 'gpt-4.1-nano' } });
    expect(pickCheaper(named, 'refactor', ['gpt-4.1', 'gpt-4.1-mini'], 1000, 4096)).toBe('gpt-4.1-nano');
  });

  it('keeps a route that is already the cheapest, and unknown (free, local) models', () => {
    expect(pickCheaper(config, 'completion', ['gpt-4.1-nano', 'gpt-4.1-mini'], 1000, 256)).toBeUndefined();
    expect(pickCheaper(config, 'completion', ['qwen2.5-coder:7b'], 1000, 256)).toBeUndefined();
  });
});

describe('capMessage', () => {
  it('names the cap, the scope and what happens, and stays the same as spend grows (shown once)', () => {
    const hard = capMessage({ level: 'hard', scope: 'team', measure: 'cost', limit: 5 }, 'acme', 'alice');
    expect(hard).toBe(
      'ghostline: the team "acme" reached its hard daily cap of $5.00; model calls are refused until 00:00 UTC (cached answers still work). An admin can raise budget.team.hardCostUsd.',
    );
    const soft = capMessage({ level: 'soft', scope: 'user', measure: 'tokens', limit: 50000 }, 'acme', 'alice', {
      task: 'completion',
      model: 'gpt-4.1-nano',
    });
    expect(soft).toBe(
      'ghostline: the user "alice" passed its soft daily cap of 50,000 tokens; completions use the cheaper gpt-4.1-nano until 00:00 UTC.',
    );
  });
});

describe('the soft-cap message', () => {
  it('names the task that was moved', () => {
    const check = { level: 'soft', scope: 'team', measure: 'cost', limit: 20 } as const;
    expect(capMessage(check, 'acme', 'alice', { task: 'refactor', model: 'gpt-4.1-mini' })).toBe(
      'ghostline: the team "acme" passed its soft daily cap of $20.00; refactors use the cheaper gpt-4.1-mini until 00:00 UTC.',
    );
    expect(capMessage(check, 'acme', 'alice', { task: 'explain', model: 'gpt-4o-mini' })).toContain(
      '; explanations use the cheaper gpt-4o-mini',
    );
    expect(capMessage(check, 'acme', 'alice', { task: 'tests', model: 'gpt-4.1-mini' })).toContain(
      '; generated tests use the cheaper gpt-4.1-mini',
    );
  });
});

describe('models declared under `models`', () => {
  it('keep the built-in prices when only a context window is declared, so cost caps still count them', () => {
    const config = configSchema.parse({
      models: { 'gpt-4.1': { contextWindow: 200_000 }, 'gpt-4.1-mini': { outputPrice: 2 } },
    });
    expect(modelInfo(config, 'gpt-4.1')).toEqual({
      contextWindow: 200_000,
      inputPrice: 2,
      cachedInputPrice: 0.5,
      outputPrice: 8,
    });
    expect(modelInfo(config, 'gpt-4.1-mini')).toEqual({
      contextWindow: 1_047_576,
      inputPrice: 0.4,
      cachedInputPrice: 0.1,
      outputPrice: 2,
    });
    expect(
      estimateCost(modelInfo(config, 'gpt-4.1'), { inputTokens: 1_000_000, outputTokens: 0, cachedTokens: 0 }),
    ).toBeCloseTo(2);
    expect(checkPolicy(config)).toEqual([]);
    // The soft cap still finds gpt-4.1 dearer than its fallback.
    expect(
      pickCheaper(
        config,
        'refactor',
        [DEFAULT_ROUTES.refactor.model, ...DEFAULT_ROUTES.refactor.fallbacks],
        1000,
        4096,
      ),
    ).toBe('gpt-4.1-mini');
  });

  it('need a context window when they are not built in, and are free when declared without prices', () => {
    const local = configSchema.parse({ models: { 'qwen2.5-coder:7b': { contextWindow: 32_000 } } });
    expect(modelInfo(local, 'qwen2.5-coder:7b')).toEqual({
      contextWindow: 32_000,
      inputPrice: 0,
      cachedInputPrice: 0,
      outputPrice: 0,
    });
    const missing = configSchema.parse({ models: { 'qwen2.5-coder:7b': { inputPrice: 0 } } });
    expect(checkPolicy(missing).map((p) => p.path)).toEqual(['models.qwen2.5-coder:7b.contextWindow']);
  });
});
