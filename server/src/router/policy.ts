/**
 * The model policy of SSOT.md in code: built-in model facts, the default routing table, approved
 * models and temperature ranges. SSOT.md is the document people read; test/unit/router/ssot.test.ts
 * fails when the two disagree.
 */
import type { GhostlineConfig, ModelInfo } from '../config/schema.ts';
import type { Task } from '../providers/types.ts';
import { TASKS } from '../providers/types.ts';

export interface Route {
  model: string;
  temperature: number;
  maxOutputTokens: number;
  fallbacks: string[];
  provider: string;
}

/** Context windows and list prices (USD per 1M tokens) of the approved OpenAI models. */
export const BUILTIN_MODELS: Record<string, ModelInfo> = {
  'gpt-4.1': { contextWindow: 1_047_576, inputPrice: 2.0, cachedInputPrice: 0.5, outputPrice: 8.0 },
  'gpt-4.1-mini': { contextWindow: 1_047_576, inputPrice: 0.4, cachedInputPrice: 0.1, outputPrice: 1.6 },
  'gpt-4.1-nano': { contextWindow: 1_047_576, inputPrice: 0.1, cachedInputPrice: 0.025, outputPrice: 0.4 },
  'gpt-4o-mini': { contextWindow: 128_000, inputPrice: 0.15, cachedInputPrice: 0.075, outputPrice: 0.6 },
};

/** Assumed for models nobody declared (e.g. a local server's model): small window, no price. */
export const UNKNOWN_MODEL: ModelInfo = { contextWindow: 32_768, inputPrice: 0, cachedInputPrice: 0, outputPrice: 0 };

/** The routing table of SSOT.md ("Routing table"). */
export const DEFAULT_ROUTES: Record<Task, Route> = {
  completion: {
    model: 'gpt-4.1-mini',
    temperature: 0.1,
    maxOutputTokens: 256,
    fallbacks: ['gpt-4o-mini'],
    provider: 'openai',
  },
  inline: {
    model: 'gpt-4o-mini',
    temperature: 0.1,
    maxOutputTokens: 256,
    fallbacks: ['gpt-4.1-mini'],
    provider: 'openai',
  },
  refactor: {
    model: 'gpt-4.1',
    temperature: 0.2,
    maxOutputTokens: 4096,
    fallbacks: ['gpt-4.1-mini'],
    provider: 'openai',
  },
  tests: { model: 'gpt-4.1', temperature: 0.2, maxOutputTokens: 4096, fallbacks: ['gpt-4.1-mini'], provider: 'openai' },
  explain: {
    model: 'gpt-4.1-mini',
    temperature: 0.3,
    maxOutputTokens: 1024,
    fallbacks: ['gpt-4o-mini'],
    provider: 'openai',
  },
  fix: { model: 'gpt-4.1', temperature: 0.1, maxOutputTokens: 2048, fallbacks: ['gpt-4.1-mini'], provider: 'openai' },
  docs: {
    model: 'gpt-4.1-mini',
    temperature: 0.2,
    maxOutputTokens: 1024,
    fallbacks: ['gpt-4o-mini'],
    provider: 'openai',
  },
};

/** The model each task moves to past a budget soft cap (SSOT.md "Past a soft cap"). */
export const SOFT_CAP_MODELS: Record<Task, string> = {
  completion: 'gpt-4.1-nano',
  inline: 'gpt-4.1-nano',
  refactor: 'gpt-4.1-mini',
  tests: 'gpt-4.1-mini',
  explain: 'gpt-4o-mini',
  fix: 'gpt-4.1-mini',
  docs: 'gpt-4o-mini',
};

/** Approved temperature ranges per task (SSOT.md "Temperature ranges"). */
export const TEMPERATURE_RANGES: Record<Task, [number, number]> = {
  completion: [0, 0.3],
  inline: [0, 0.3],
  refactor: [0, 0.4],
  tests: [0, 0.5],
  explain: [0, 0.7],
  fix: [0, 0.3],
  docs: [0, 0.5],
};

/** Retired Codex models and what replaces them. */
const RETIRED = /^code-(davinci|cushman)-/;

/** A model's facts: what is declared under `models` over the built-in entry (a context window alone keeps the built-in prices). */
export function modelInfo(config: GhostlineConfig, model: string): ModelInfo {
  const base = BUILTIN_MODELS[model] ?? UNKNOWN_MODEL;
  const declared = config.models[model];
  return declared ? { ...base, ...stripUndefined(declared) } : base;
}

export function isApprovedModel(config: GhostlineConfig, model: string): boolean {
  return model in BUILTIN_MODELS || model in config.models;
}

/** The route for a task in a language: defaults, then task overrides, then language overrides. */
export function resolveRoute(config: GhostlineConfig, task: Task, languageId?: string): Route {
  const byLanguage = languageId ? config.router.languages[languageId]?.[task] : undefined;
  const merged = {
    ...DEFAULT_ROUTES[task],
    ...stripUndefined(config.router.tasks[task]),
    ...stripUndefined(byLanguage),
  };
  return { ...merged, fallbacks: [...merged.fallbacks] };
}

function stripUndefined<T extends object>(value: T | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Checks a configuration against SSOT.md; each problem names the key, the value and what is allowed. */
export function checkPolicy(config: GhostlineConfig): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const approved = [...Object.keys(BUILTIN_MODELS), ...Object.keys(config.models)].join(', ');
  const checkModel = (path: string, model: string, task: Task) => {
    if (RETIRED.test(model)) {
      problems.push({
        path,
        message: `${path} = "${model}": this Codex model is retired by OpenAI; use "${DEFAULT_ROUTES[task].model}" instead`,
      });
    } else if (!isApprovedModel(config, model)) {
      problems.push({
        path,
        message: `${path} = "${model}": not an approved model (SSOT.md); approved: ${approved}, or declare it under "models"`,
      });
    }
  };
  for (const [model, declared] of Object.entries(config.models)) {
    if (declared.contextWindow === undefined && !(model in BUILTIN_MODELS)) {
      problems.push({
        path: `models.${model}.contextWindow`,
        message: `models.${model}: a model that is not built in needs its contextWindow (and its prices, or it is counted as free)`,
      });
    }
  }
  const scopes: [string, GhostlineConfig['router']['tasks']][] = [['router.tasks', config.router.tasks]];
  for (const [language, tasks] of Object.entries(config.router.languages))
    scopes.push([`router.languages.${language}`, tasks]);
  for (const [prefix, tasks] of scopes) {
    for (const task of TASKS) {
      const override = tasks[task];
      if (!override) continue;
      if (override.model) checkModel(`${prefix}.${task}.model`, override.model, task);
      override.fallbacks?.forEach((model, i) => {
        checkModel(`${prefix}.${task}.fallbacks.${i}`, model, task);
      });
      const [low, high] = TEMPERATURE_RANGES[task];
      if (override.temperature !== undefined && (override.temperature < low || override.temperature > high)) {
        problems.push({
          path: `${prefix}.${task}.temperature`,
          message: `${prefix}.${task}.temperature = ${override.temperature}: outside the approved range ${low}–${high} for ${task} (SSOT.md)`,
        });
      }
      if (override.provider && override.provider !== 'openai' && !(override.provider in config.providers)) {
        problems.push({
          path: `${prefix}.${task}.provider`,
          message: `${prefix}.${task}.provider = "${override.provider}": no such provider; define it under "providers"`,
        });
      }
    }
  }
  return problems;
}
