/**
 * The model-call service: the one way completion and code actions reach a model. It guards every
 * prompt (the guard is required; only a `GuardedPrompt` can be sent), runs the call through the
 * router (routing, fallbacks, budgets, the audit trail), and does the one accounting of tokens,
 * cost and the log line — under the model that actually served the answer.
 */
import type { GhostlineConfig } from '../config/schema.ts';
import type { Task, Usage } from '../providers/types.ts';
import { costOf } from '../router/prices.ts';
import {
  runRouted,
  type AuditHook,
  type BudgetHook,
  type CallMeta,
  type ProviderLookup,
  type RoutedResult,
  type StreamListener,
} from '../router/router.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import type { Guarded, GuardedPrompt, Prompt, PromptGuard } from './guard.ts';

export interface ModelCallsDeps {
  config: () => GhostlineConfig;
  provider: ProviderLookup;
  logger: Logger;
  metrics: Metrics;
  /** Required: pass NO_GUARD (calls/guard.ts) explicitly where no redaction is wanted. */
  guard: PromptGuard;
  /** Team budgets and the shared rate limit, applied by the router to every call. */
  budget: BudgetHook;
  /** Hears of every model call, whatever its outcome. */
  audit: AuditHook;
}

export interface ModelCallRequest {
  task: Task;
  languageId: string;
  prompt: GuardedPrompt;
  /** Prompt size in tokens, for escalation and budgets. */
  promptTokens: number;
  promptCacheKey: string;
  prediction?: string;
  jsonSchema?: { name: string; schema: Record<string, unknown> };
  signal: AbortSignal;
  /** Start this far down the route's chain (hedged calls). */
  startAt?: number;
}

export class ModelCalls {
  private readonly deps: ModelCallsDeps;

  constructor(deps: ModelCallsDeps) {
    this.deps = deps;
  }

  /** A reason to send nothing for this file (excluded by policy), or undefined. */
  refuse(path: string): string | undefined {
    return this.deps.guard.refuse(path);
  }

  /** Redacts a prompt: the only way to get a prompt the service will send. */
  guard(prompt: Prompt, meta: Omit<CallMeta, 'redactions'> = {}): Guarded {
    const guard = this.deps.guard;
    const prepared = guard.prepare(prompt);
    const restore = prepared.restore;
    return {
      prompt: { ...prepared.prompt, meta: { ...meta, redactions: prepared.redactions } } as GuardedPrompt,
      // Scrub the raw answer first, then restore: the user's own secrets put back are never removed.
      finish: (raw) => restore(guard.scrub(raw)),
      restore,
    };
  }

  /**
   * One routed model call, accounted once under the model that answered (after fallbacks, soft-cap
   * downgrades, or an early stop). Rejects with ProviderError as the router does.
   */
  async call(request: ModelCallRequest, listener?: StreamListener): Promise<RoutedResult> {
    const { config: configOf, provider, logger, metrics, budget, audit } = this.deps;
    const config = configOf();
    const { prompt } = request;
    metrics.modelCalls++;
    try {
      const result = await runRouted(
        { config, provider, logger, budget, audit },
        {
          task: request.task,
          languageId: request.languageId,
          promptTokens: request.promptTokens,
          instructions: prompt.instructions,
          input: prompt.input,
          meta: prompt.meta,
          promptCacheKey: request.promptCacheKey,
          ...(request.prediction !== undefined ? { prediction: request.prediction } : {}),
          ...(request.jsonSchema ? { jsonSchema: request.jsonSchema } : {}),
          ...(request.startAt !== undefined ? { startAt: request.startAt } : {}),
          signal: request.signal,
        },
        listener,
      );
      this.account(config, request.task, result);
      return result;
    } catch (error) {
      if (request.signal.aborted) metrics.modelCallsAborted++;
      else metrics.modelErrors++;
      throw error;
    }
  }

  /** The cost of an answer at its model's prices (for team savings of cached answers). */
  costOf(model: string, usage: Usage): number {
    return costOf(this.deps.config(), model, usage);
  }

  /** The one accounting path: tokens and estimated cost into the metrics, and one log line (never the text). */
  private account(config: GhostlineConfig, task: Task, result: RoutedResult): void {
    const { metrics, logger } = this.deps;
    const { usage, model } = result;
    const costUsd = costOf(config, model, usage);
    metrics.inputTokens += usage.inputTokens;
    metrics.outputTokens += usage.outputTokens;
    metrics.cachedTokens += usage.cachedTokens;
    metrics.costUsd += costUsd;
    logger.info(
      {
        event: 'model-call',
        task,
        model,
        reason: result.reason,
        ...usage,
        costUsd,
        estimated: result.stoppedEarly === true,
        finish: result.finishReason,
        totalCostUsd: metrics.costUsd,
      },
      'model call finished',
    );
  }
}
