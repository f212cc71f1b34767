/**
 * Runs one task's model call through the route SSOT.md gives it: escalates past models whose
 * context window the prompt does not fit, falls back along the chain on 429, 5xx, timeouts and
 * broken streams, and logs every decision with its reason. An optional budget hook sees every
 * call: it may move the call to a cheaper model (soft cap) or refuse it (hard cap, team rate limit).
 * An optional audit hook hears of every model call, whatever its outcome.
 */
import type { GhostlineConfig } from '../config/schema.ts';
import type { Logger } from '../telemetry/logger.ts';
import {
  ProviderError,
  type ModelProvider,
  type ModelRequest,
  type ModelResult,
  type Task,
  type Usage,
} from '../providers/types.ts';
import { modelInfo, resolveRoute, type Route } from './policy.ts';

export interface RoutedRequest extends Omit<ModelRequest, 'model' | 'temperature' | 'maxOutputTokens'> {
  task: Task;
  languageId?: string;
  /** Prompt size in tokens (instructions + input), for context-window escalation. */
  promptTokens: number;
  /** What the audit trail records beyond what the router knows; never sent to the model. */
  meta?: CallMeta;
  /** Start this far down the chain (a hedged call starts at the first fallback); the last model when the chain is shorter. */
  startAt?: number;
}

/** Facts about a call that only its caller knows, for the audit trail. */
export interface CallMeta {
  /** The file the prompt was built from. */
  file?: string;
  /** Secrets the prompt guard replaced by placeholders. */
  redactions?: number;
  /** Other files whose snippets the prompt holds (repository context), paths only. */
  contextFiles?: string[];
}

/** An abort with this reason means the caller already has its answer (the engine stops early). */
export const EARLY_STOP = 'enough';

/** One model call as the audit trail sees it: the redacted prompt, never the user's secrets. */
export interface CallRecord {
  task: Task;
  model: string;
  /** Why this model answered (the same text as RoutedResult.reason). */
  reason: string;
  instructions: string;
  input: string;
  /** The raw answer (or what streamed before the call ended). */
  output: string;
  usage: Usage;
  /** `cache`: answered from a cache without a model call (recorded by the engine, not the router). */
  outcome: 'ok' | 'cancelled' | 'cache' | `error:${string}`;
  latencyMs: number;
  meta?: CallMeta;
}

/** Hears of every model call (safety/audit-trail.ts writes it to the audit file); must not throw. */
export interface AuditHook {
  record(call: CallRecord): void;
}

export interface RoutedResult extends ModelResult {
  route: Route;
  /** Why this model answered: "primary", "escalated: …", "fallback after …". */
  reason: string;
  /**
   * True when the caller stopped the stream itself (abort reason EARLY_STOP): `text` is what
   * streamed, `usage` an estimate, and `model` the model that was streaming — after a fallback or a
   * soft-cap downgrade, not the route's primary.
   */
  stoppedEarly?: boolean;
}

/** Streaming events; `restart` means a failed attempt's deltas are void and a new model starts over. */
export interface StreamListener {
  delta(text: string): void;
  restart?(): void;
}

export type ProviderLookup = (name: string) => ModelProvider;

/** Team budgets and the shared rate limit around each routed call (budget/gate.ts implements it). */
export interface BudgetHook {
  /**
   * Before the call: resolves with a cheaper model to put first at a soft cap (or nothing), or
   * rejects with a ProviderError at a hard cap or when the team's rate limit has no room.
   */
  admit(request: {
    task: Task;
    models: string[];
    promptTokens: number;
    maxOutputTokens: number;
    signal: AbortSignal;
  }): Promise<{ model?: string; reason?: string }>;
  /** After the call: what it cost (also for calls cut short, which were billed for what streamed). */
  charge(spend: { task: Task; model: string; usage: Usage }): void;
}

/** The models to try in order, those too small for the prompt left out, with the reason. */
export function planChain(
  config: GhostlineConfig,
  route: Route,
  promptTokens: number,
): { models: string[]; skipped: string[] } {
  const all = [route.model, ...route.fallbacks.filter((m) => m !== route.model)];
  const fits = (model: string) => promptTokens + route.maxOutputTokens <= modelInfo(config, model).contextWindow;
  const models = all.filter(fits);
  return { models, skipped: all.filter((m) => !fits(m)) };
}

/** Errors after which the next model in the chain may succeed. */
function worthFallback(error: ProviderError): boolean {
  return error.retryable || error.kind === 'context_length';
}

export async function runRouted(
  deps: { config: GhostlineConfig; provider: ProviderLookup; logger: Logger; budget?: BudgetHook; audit?: AuditHook },
  request: RoutedRequest,
  listener?: StreamListener,
): Promise<RoutedResult> {
  const { config, logger } = deps;
  const route = resolveRoute(config, request.task, request.languageId);
  const planned = planChain(config, route, request.promptTokens);
  const skipped = planned.skipped;
  let models = planned.models;
  const log = logger.child({ task: request.task, primary: route.model });
  if (models.length === 0) {
    throw new ProviderError(
      'context_length',
      `the prompt (${request.promptTokens} tokens) fits no model in the ${request.task} chain (${skipped.join(', ')})`,
    );
  }
  let reason =
    skipped.length > 0
      ? `escalated: prompt of ${request.promptTokens} tokens exceeds ${skipped.join(', ')}`
      : 'primary';
  if (request.startAt !== undefined && request.startAt > 0) {
    models = models.slice(Math.min(request.startAt, models.length - 1));
    reason = `hedge: ${models[0]} started while the first call was silent`;
  }
  if (deps.budget) {
    const decision = await deps.budget.admit({
      task: request.task,
      models,
      promptTokens: request.promptTokens,
      maxOutputTokens: route.maxOutputTokens,
      signal: request.signal,
    });
    if (decision.model) {
      models = [decision.model, ...models.filter((m) => m !== decision.model)];
      reason = decision.reason ?? `budget soft cap: ${decision.model}`;
    }
  }
  let lastError: ProviderError | undefined;
  for (const [index, model] of models.entries()) {
    if (index > 0) listener?.restart?.();
    log.debug({ model, reason, promptTokens: request.promptTokens }, 'route decision');
    let streamedChars = 0;
    let streamed = '';
    const started = performance.now();
    const audit = (outcome: CallRecord['outcome'], usage: Usage, output: string) => {
      try {
        deps.audit?.record({
          task: request.task,
          model,
          reason,
          instructions: request.instructions,
          input: request.input,
          output,
          usage,
          outcome,
          latencyMs: performance.now() - started,
          meta: request.meta,
        });
      } catch (error) {
        log.warn({ err: error }, 'audit hook failed');
      }
    };
    try {
      const {
        task: _task,
        languageId: _languageId,
        promptTokens: _promptTokens,
        meta: _meta,
        startAt: _startAt,
        ...rest
      } = request;
      const result = await deps
        .provider(route.provider)
        .complete(
          { ...rest, model, temperature: route.temperature, maxOutputTokens: route.maxOutputTokens },
          (text) => {
            streamedChars += text.length;
            streamed += text;
            listener?.delta(text);
          },
        );
      deps.budget?.charge({ task: request.task, model, usage: result.usage });
      audit('ok', result.usage, result.text);
      return { ...result, route: { ...route, model }, reason };
    } catch (error) {
      const failure = error instanceof ProviderError ? error : new ProviderError('unknown', String(error));
      // A call cut short was billed for its prompt and what streamed (about 4 characters a token).
      const estimated = {
        inputTokens: streamedChars > 0 || request.signal.aborted ? request.promptTokens : 0,
        outputTokens: Math.ceil(streamedChars / 4),
        cachedTokens: 0,
      };
      if (request.signal.aborted) deps.budget?.charge({ task: request.task, model, usage: estimated });
      const stoppedEarly = request.signal.aborted && request.signal.reason === EARLY_STOP;
      audit(
        request.signal.aborted ? (stoppedEarly ? 'ok' : 'cancelled') : `error:${failure.kind}`,
        estimated,
        streamed,
      );
      // The caller had enough: what streamed is the answer, from the model that streamed it.
      if (stoppedEarly)
        return {
          text: streamed,
          model,
          usage: estimated,
          finishReason: 'stop',
          attempts: 1,
          route: { ...route, model },
          reason,
          stoppedEarly: true,
        };
      if (!worthFallback(failure) || request.signal.aborted) throw failure;
      lastError = failure;
      const next = models[index + 1];
      log.info(
        { model, next, kind: failure.kind, status: failure.details.status },
        next ? 'falling back to the next model' : 'fallback chain exhausted',
      );
      reason = `fallback after ${model} failed (${failure.kind})`;
    }
  }
  throw lastError!;
}
