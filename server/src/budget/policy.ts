/**
 * Budget rules as pure functions: which daily cap a team or user has crossed, and which cheaper
 * model takes over at a soft cap. gate.ts applies them around each model call.
 */
import type { GhostlineConfig, ModelInfo } from '../config/schema.ts';
import type { SpendTotals } from '../cache/types.ts';
import type { Task } from '../providers/types.ts';
import { isApprovedModel, modelInfo, SOFT_CAP_MODELS } from '../router/policy.ts';

export interface Caps {
  softTokens?: number;
  hardTokens?: number;
  softCostUsd?: number;
  hardCostUsd?: number;
}

export interface CapCheck {
  level: 'ok' | 'soft' | 'hard';
  /** The cap that decided the level (absent when ok). */
  scope?: 'team' | 'user';
  measure?: 'tokens' | 'cost';
  limit?: number;
}

export function hasCaps(caps: Caps): boolean {
  return (
    caps.softTokens !== undefined ||
    caps.hardTokens !== undefined ||
    caps.softCostUsd !== undefined ||
    caps.hardCostUsd !== undefined
  );
}

/** The most severe cap crossed: hard before soft, the team before the user. A cap is crossed once spend reaches it. */
export function checkCaps(
  spend: { team: SpendTotals; user: SpendTotals },
  caps: { team: Caps; perUser: Caps },
): CapCheck {
  const scopes = [
    ['team', spend.team, caps.team],
    ['user', spend.user, caps.perUser],
  ] as const;
  for (const level of ['hard', 'soft'] as const) {
    for (const [scope, totals, limits] of scopes) {
      const tokens = level === 'hard' ? limits.hardTokens : limits.softTokens;
      const cost = level === 'hard' ? limits.hardCostUsd : limits.softCostUsd;
      if (tokens !== undefined && totals.tokens >= tokens) return { level, scope, measure: 'tokens', limit: tokens };
      if (cost !== undefined && totals.costUsd >= cost) return { level, scope, measure: 'cost', limit: cost };
    }
  }
  return { level: 'ok' };
}

/** A model's price for one typical call shape; input and output weigh the same per token. */
export function unitPrice(info: ModelInfo): number {
  return info.inputPrice + info.outputPrice;
}

/**
 * The model to use past a soft cap: the cheapest of the task's soft-cap model (SSOT.md, or
 * `budget.cheaperModel` when a team set one) and the route's chain that is approved and fits the
 * prompt, when it is cheaper than the route's first model. Undefined when nothing cheaper exists
 * (the route keeps its model).
 */
export function pickCheaper(
  config: GhostlineConfig,
  task: Task,
  chain: string[],
  promptTokens: number,
  maxOutputTokens: number,
): string | undefined {
  const primary = chain[0];
  if (!primary) return undefined;
  const candidates = [config.budget.cheaperModel ?? SOFT_CAP_MODELS[task], ...chain].filter(
    (model, index, all) =>
      all.indexOf(model) === index &&
      isApprovedModel(config, model) &&
      promptTokens + maxOutputTokens <= modelInfo(config, model).contextWindow,
  );
  let best: string | undefined;
  for (const model of candidates) {
    if (best === undefined || unitPrice(modelInfo(config, model)) < unitPrice(modelInfo(config, best))) best = model;
  }
  if (best === undefined || unitPrice(modelInfo(config, best)) >= unitPrice(modelInfo(config, primary)))
    return undefined;
  return best;
}

function amount(measure: 'tokens' | 'cost', value: number): string {
  return measure === 'cost' ? `$${value.toFixed(2)}` : `${value.toLocaleString('en-US')} tokens`;
}

/** What users call each task's results, in the soft-cap message. */
const TASK_NOUNS: Record<Task, string> = {
  completion: 'completions',
  inline: 'inline suggestions',
  refactor: 'refactors',
  tests: 'generated tests',
  explain: 'explanations',
  fix: 'fixes',
  docs: 'doc comments',
};

/** The sentence users read when a cap is crossed; stable per cap (and, at a soft cap, per task) so it is shown once. */
export function capMessage(
  check: CapCheck,
  team: string,
  user: string,
  downgrade?: { task: Task; model: string },
): string {
  const who = check.scope === 'team' ? `team "${team}"` : `user "${user}"`;
  const cap = `${check.level} daily cap of ${amount(check.measure ?? 'tokens', check.limit ?? 0)}`;
  const setting = `budget.${check.scope === 'team' ? 'team' : 'perUser'}.${check.level}${check.measure === 'cost' ? 'CostUsd' : 'Tokens'}`;
  if (check.level === 'hard') {
    return `ghostline: the ${who} reached its ${cap}; model calls are refused until 00:00 UTC (cached answers still work). An admin can raise ${setting}.`;
  }
  const what = downgrade ? TASK_NOUNS[downgrade.task] : 'model calls';
  return `ghostline: the ${who} passed its ${cap}; ${what} use the cheaper ${downgrade?.model ?? 'model'} until 00:00 UTC.`;
}
