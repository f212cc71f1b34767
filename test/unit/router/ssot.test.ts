import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { unitPrice } from '../../../server/src/budget/policy.ts';
import {
  BUILTIN_MODELS,
  DEFAULT_ROUTES,
  SOFT_CAP_MODELS,
  TEMPERATURE_RANGES,
} from '../../../server/src/router/policy.ts';
import { TASKS } from '../../../server/src/providers/types.ts';

const ssot = readFileSync(new URL('../../../SSOT.md', import.meta.url), 'utf8');

function tableRows(heading: string): string[][] {
  const section = ssot.split(`## ${heading}`)[1]!.split('\n## ')[0]!;
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| ---'))
    .slice(1)
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}

describe('SSOT.md and router/policy.ts agree', () => {
  it('on the approved models and their prices', () => {
    const rows = tableRows('Approved models');
    expect(rows.map((r) => r[0]).sort()).toEqual(Object.keys(BUILTIN_MODELS).sort());
    for (const [model, window, input, cached, output] of rows) {
      expect(BUILTIN_MODELS[model!]).toEqual({
        contextWindow: Number(window),
        inputPrice: Number(input),
        cachedInputPrice: Number(cached),
        outputPrice: Number(output),
      });
    }
  });

  it('on the routing table', () => {
    const rows = tableRows('Routing table');
    expect(rows.map((r) => r[0]).sort()).toEqual([...TASKS].sort());
    for (const [task, model, temperature, maxOutput, fallbacks] of rows) {
      const route = DEFAULT_ROUTES[task as keyof typeof DEFAULT_ROUTES];
      expect({
        model: route.model,
        temperature: route.temperature,
        maxOutputTokens: route.maxOutputTokens,
        fallbacks: route.fallbacks.join(', '),
      }).toEqual({
        model,
        temperature: Number(temperature),
        maxOutputTokens: Number(maxOutput),
        fallbacks,
      });
    }
  });

  it('on the temperature ranges, and every default lies inside its range', () => {
    for (const [task, range] of tableRows('Temperature ranges')) {
      const [low, high] = range!.split('–').map(Number);
      expect(TEMPERATURE_RANGES[task as keyof typeof TEMPERATURE_RANGES]).toEqual([low, high]);
      const t = DEFAULT_ROUTES[task as keyof typeof DEFAULT_ROUTES].temperature;
      expect(t).toBeGreaterThanOrEqual(low!);
      expect(t).toBeLessThanOrEqual(high!);
    }
  });

  it("on the models past a soft cap, each approved and cheaper than the task's routed model", () => {
    const rows = tableRows('Past a soft cap');
    expect(rows.map((r) => r[0]).sort()).toEqual([...TASKS].sort());
    for (const [task, model] of rows) {
      expect(SOFT_CAP_MODELS[task as keyof typeof SOFT_CAP_MODELS]).toBe(model);
      expect(BUILTIN_MODELS[model!]).toBeDefined();
      expect(unitPrice(BUILTIN_MODELS[model!]!)).toBeLessThan(
        unitPrice(BUILTIN_MODELS[DEFAULT_ROUTES[task as keyof typeof DEFAULT_ROUTES].model]!),
      );
    }
  });
});
