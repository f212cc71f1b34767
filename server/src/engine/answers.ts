/**
 * Where completion answers come from once a request has its prompt: the memory and shared cache
 * tiers, the model call (coordinated across processes when a team tier is configured, stopped
 * early once long enough), and the accounting of each — tokens, cost, team statistics, audit.
 */
import type { GhostlineConfig } from '../config/schema.ts';
import type { CachedAnswer } from '../cache/types.ts';
import { countTokens } from '../context/tokens.ts';
import { promptCacheKey } from '../context/prompt.ts';
import { modelInfo, resolveRoute } from '../router/policy.ts';
import { EARLY_STOP, runRouted, type CallMeta } from '../router/router.ts';
import { estimateCost } from '../telemetry/metrics.ts';
import type { EngineDeps, SuggestRequest } from './engine.ts';
import type { Prompt } from './guard.ts';

/** What a model call leaves behind: the raw text, shared by every waiter and cached. */
export interface RawAnswer {
  text: string;
  model: string;
}

/** Everything one model call needs, decided before the call (shared by single-flight waiters). */
export interface ModelCallPlan {
  request: SuggestRequest;
  config: GhostlineConfig;
  prompt: Prompt & { meta: CallMeta };
  /** Prompt size for escalation and budgets, from the window counts (not re-encoded). */
  promptTokens: number;
  multiline: boolean;
  key: string;
  live: { text: string; done?: RawAnswer };
}

export class Answers {
  private readonly deps: EngineDeps;

  constructor(deps: EngineDeps) {
    this.deps = deps;
  }

  /** The memory tier alone (synchronous): counted and recorded as a saved call when it answers. */
  fromMemory(key: string): RawAnswer | undefined {
    const memory = this.deps.memory.peek(key);
    if (!memory) return undefined;
    this.deps.metrics.cacheHits++;
    this.recordSaved('memory', memory);
    return memory;
  }

  async lookup(key: string): Promise<RawAnswer | undefined> {
    const memory = this.fromMemory(key);
    if (memory) return memory;
    const shared = await this.deps.shared?.get(key);
    if (shared) {
      this.deps.metrics.sharedCacheHits++;
      this.recordSaved('shared', shared);
      void this.deps.memory.set(key, shared, this.deps.config().cache.ttlSeconds);
      return shared;
    }
    return undefined;
  }

  /** Counts an answer served without a model call, with the tokens and cost it saved, for the team. */
  private recordSaved(source: 'memory' | 'shared' | 'peer', answer: CachedAnswer): void {
    const team = this.deps.team;
    if (!team) return;
    const usage = { inputTokens: answer.inputTokens, outputTokens: answer.outputTokens, cachedTokens: answer.cachedTokens };
    team.record(source, usage.inputTokens + usage.outputTokens, estimateCost(modelInfo(this.deps.config(), answer.model), usage));
  }

  /**
   * The model call, coordinated across ghostline processes when a team tier is configured: one
   * process calls the model; the others receive its final answer (not the stream).
   */
  async callShared(call: ModelCallPlan, signal: AbortSignal): Promise<RawAnswer> {
    const { request, config, prompt, key, live } = call;
    const team = this.deps.team;
    if (!team || !config.cache.enabled) return this.callModel(call, signal);
    const { answer, from } = await team.coordinate(key, signal, (flightSignal) => this.callModel(call, flightSignal));
    if (from === 'self') {
      team.record('model', answer.inputTokens + answer.outputTokens, 0);
      return answer;
    }
    this.deps.metrics.peerAnswers++;
    this.recordSaved('peer', answer);
    this.auditCached(request.task, prompt, prompt.meta, answer, "another editor's answer to the same prompt", performance.now());
    live.text = answer.text;
    live.done = answer;
    void this.deps.memory.set(key, answer, config.cache.ttlSeconds);
    return answer;
  }

  /** One routed model call; stops the stream early once the answer is long enough to be cut anyway. */
  private async callModel(call: ModelCallPlan, signal: AbortSignal): Promise<CachedAnswer> {
    const { request, config, prompt, multiline, key, live, promptTokens } = call;
    const metrics = this.deps.metrics;
    const early = new AbortController();
    const onAbort = () => early.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    const enough = (text: string) => {
      const trimmed = text.replace(/^\s*\n/, '');
      const newlines = trimmed.split('\n').length - 1;
      return multiline ? newlines > config.completion.maxLines : newlines > 0 && trimmed.trim() !== '';
    };
    metrics.modelCalls++;
    try {
      const result = await runRouted(
        { config, provider: this.deps.provider, logger: this.deps.logger, budget: this.deps.budget, audit: this.deps.audit },
        { task: request.task, languageId: request.languageId, promptTokens, instructions: prompt.instructions, input: prompt.input, meta: prompt.meta, promptCacheKey: promptCacheKey(request.path, request.languageId), signal: early.signal },
        {
          delta: (text) => {
            live.text += text;
            if (enough(live.text)) early.abort(EARLY_STOP);
          },
          restart: () => {
            live.text = '';
          },
        },
      );
      const answer = this.store(key, { text: result.text, model: result.model }, result.usage, config);
      this.account(result.model, result.usage, config, request.task, false);
      live.done = answer;
      return answer;
    } catch (error) {
      if (early.signal.reason === EARLY_STOP && !signal.aborted) {
        // We cut the stream ourselves: what arrived is the answer.
        const model = resolveRoute(config, request.task, request.languageId).model;
        const usage = { inputTokens: promptTokens, outputTokens: countTokens(live.text), cachedTokens: 0 };
        const answer = this.store(key, { text: live.text, model }, usage, config);
        this.account(model, usage, config, request.task, true);
        live.done = answer;
        return answer;
      }
      if (signal.aborted) metrics.modelCallsAborted++;
      throw error;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Counts a model call's tokens and estimated cost, and logs them (never the text). */
  private account(model: string, usage: { inputTokens: number; outputTokens: number; cachedTokens: number }, config: GhostlineConfig, task: string, estimated: boolean): void {
    const metrics = this.deps.metrics;
    const costUsd = estimateCost(modelInfo(config, model), usage);
    metrics.inputTokens += usage.inputTokens;
    metrics.outputTokens += usage.outputTokens;
    metrics.cachedTokens += usage.cachedTokens;
    metrics.costUsd += costUsd;
    this.deps.logger.info({ event: 'model-call', task, model, ...usage, costUsd, estimated, totalCostUsd: metrics.costUsd }, 'model call finished');
  }

  /** Caches an answer (when caching is on) and returns it with its usage, as peers and the cache see it. */
  private store(key: string, answer: RawAnswer, usage: { inputTokens: number; outputTokens: number; cachedTokens: number }, config: GhostlineConfig): CachedAnswer {
    const value = { ...answer, ...usage, createdAt: Date.now() };
    if (!config.cache.enabled) return value;
    void this.deps.memory.set(key, value, config.cache.ttlSeconds);
    this.deps.shared?.set(key, value, config.cache.ttlSeconds).catch(() => undefined);
    return value;
  }


  /** An answer served without a model call is still one line of the audit trail (outcome `cache`). */
  auditCached(task: SuggestRequest['task'], prompt: Prompt, meta: CallMeta, answer: RawAnswer, reason: string, started: number): void {
    const usage = { inputTokens: 0, outputTokens: 0, cachedTokens: 0 };
    this.deps.audit?.record({ task, model: answer.model, reason, instructions: prompt.instructions, input: prompt.input, output: answer.text, usage, outcome: 'cache', latencyMs: performance.now() - started, meta });
  }
}
