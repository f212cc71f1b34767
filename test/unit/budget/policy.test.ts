import { describe, expect, it } from 'vitest';
import { capMessage, checkCaps, pickCheaper } from '../../../server/src/budget/policy.ts';
import { configSchema } from '../../../server/src/config/schema.ts';

const spend = (teamTokens: number, teamCost: number, userTokens = 0, userCost = 0) => ({
  team: { tokens: teamTokens, costUsd: teamCost },
  user: { tokens: userTokens, costUsd: userCost },
});

describe('checkCaps', () => {
  const caps = { team: { softTokens: 1000, hardTokens: 2000, softCostUsd: 1, hardCostUsd: 2 }, perUser: { softTokens: 100, hardTokens: 200 } };
  const cases: [string, ReturnType<typeof spend>, object][] = [
    ['nothing spent', spend(0, 0), { level: 'ok' }],
    ['just under every cap', spend(999, 0.99, 99), { level: 'ok' }],
    ['team soft tokens reached', spend(1000, 0), { level: 'soft', scope: 'team', measure: 'tokens', limit: 1000 }],
    ['team soft cost reached', spend(10, 1), { level: 'soft', scope: 'team', measure: 'cost', limit: 1 }],
    ['user soft tokens', spend(10, 0, 150), { level: 'soft', scope: 'user', measure: 'tokens', limit: 100 }],
    ['team hard beats user soft', spend(2000, 0, 150), { level: 'hard', scope: 'team', measure: 'tokens', limit: 2000 }],
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
  it('moves the completion route (gpt-4.1-mini) to the configured cheaper model', () => {
    expect(pickCheaper(config, ['gpt-4.1-mini', 'gpt-4o-mini'], 1000, 256)).toBe('gpt-4.1-nano');
  });

  it('uses the cheapest model of the chain when the configured one is unknown or does not fit', () => {
    const custom = configSchema.parse({ budget: { cheaperModel: 'not-a-model' } });
    expect(pickCheaper(custom, ['gpt-4.1-mini', 'gpt-4o-mini'], 1000, 256)).toBe('gpt-4o-mini');
    // 200k tokens fit gpt-4.1-nano (1M) but not gpt-4o-mini (128k).
    const small = configSchema.parse({ budget: { cheaperModel: 'gpt-4o-mini' } });
    expect(pickCheaper(small, ['gpt-4.1'], 200_000, 256)).toBeUndefined();
  });

  it('keeps a route that is already the cheapest, and unknown (free, local) models', () => {
    expect(pickCheaper(config, ['gpt-4.1-nano', 'gpt-4.1-mini'], 1000, 256)).toBeUndefined();
    expect(pickCheaper(config, ['qwen2.5-coder:7b'], 1000, 256)).toBeUndefined();
  });
});

describe('capMessage', () => {
  it('names the cap, the scope and what happens, and stays the same as spend grows (shown once)', () => {
    const hard = capMessage({ level: 'hard', scope: 'team', measure: 'cost', limit: 5 }, 'acme', 'alice');
    expect(hard).toBe(
      'ghostline: the team "acme" reached its hard daily cap of $5.00; model calls are refused until 00:00 UTC (cached answers still work). An admin can raise budget.team.hardCostUsd.',
    );
    const soft = capMessage({ level: 'soft', scope: 'user', measure: 'tokens', limit: 50000 }, 'acme', 'alice', 'gpt-4.1-nano');
    expect(soft).toBe('ghostline: the user "alice" passed its soft daily cap of 50,000 tokens; completions use the cheaper gpt-4.1-nano until 00:00 UTC.');
  });
});
