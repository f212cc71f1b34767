/**
 * What a model call costs at list prices, with the model policy that holds the prices
 * (router/policy.ts, SSOT.md): every cost figure — metrics, budgets, audit lines, team savings —
 * comes from here.
 */
import type { GhostlineConfig, ModelInfo } from '../config/schema.ts';
import type { Usage } from '../providers/types.ts';
import { modelInfo } from './policy.ts';

/** Estimated cost in USD of one call at list prices; cached input tokens are billed at the cached rate. */
export function estimateCost(info: ModelInfo, usage: Usage): number {
  const uncached = Math.max(0, usage.inputTokens - usage.cachedTokens);
  return (
    (uncached * info.inputPrice + usage.cachedTokens * info.cachedInputPrice + usage.outputTokens * info.outputPrice) /
    1_000_000
  );
}

/** The cost of a call to `model` under the configured (or built-in) prices. */
export function costOf(config: GhostlineConfig, model: string, usage: Usage): number {
  return estimateCost(modelInfo(config, model), usage);
}
