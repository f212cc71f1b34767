/**
 * The completion pipeline shared by `textDocument/completion` and `textDocument/inlineCompletion`:
 * typed-ahead reuse, debounce and latest-wins, context windows, cache, single-flight, the routed
 * model call with early stop, and post-processing. Returns outcomes as values; never throws for
 * expected situations (cancelled, superseded, no key, model down).
 */
import type { GhostlineConfig } from '../config/schema.ts';
import { cacheKey } from '../cache/key.ts';
import type { MemoryCache } from '../cache/memory.ts';
import { SingleFlight } from '../cache/single-flight.ts';
import type { CacheStore, CachedAnswer, TeamTier } from '../cache/types.ts';
import { countTokens } from '../context/tokens.ts';
import { completionPrompt, promptCacheKey, PROMPT_TEMPLATE_VERSION } from '../context/prompt.ts';
import { buildWindows } from '../context/window.ts';
import { ProviderError } from '../providers/types.ts';
import { modelInfo, resolveRoute } from '../router/policy.ts';
import { EARLY_STOP, runRouted, type AuditHook, type BudgetHook, type CallMeta, type ProviderLookup } from '../router/router.ts';
import type { Logger } from '../telemetry/logger.ts';
import { estimateCost, type Metrics } from '../telemetry/metrics.ts';
import { decideMultiline, postprocess } from './postprocess.ts';
import { Scheduler, SUPERSEDED } from './scheduler.ts';
import { lineSuffixAt, TypedAhead } from './typed-ahead.ts';
import type { Prompt, PromptGuard } from './guard.ts';

/** A request within this many debounce periods of the previous one means the user is typing. */
const TYPING_WINDOW = 2;

/** Tokens of the prompt's tags, path and mode line, on top of instructions and windows (an allowance, for routing). */
const PROMPT_FRAME_TOKENS = 48;

/** Characters each side of the cursor that post-processing compares a suggestion with. */
const POSTPROCESS_CONTEXT = 4000;

function isMultiline(request: SuggestRequest, config: GhostlineConfig): boolean {
  const lineStart = request.text.lastIndexOf('\n', request.offset - 1) + 1;
  return decideMultiline(request.text.slice(lineStart, request.offset), lineSuffixAt(request.text, request.offset), config.completion.multiline);
}

export interface SuggestRequest {
  uri: string;
  /** File system path (or the URI) named in the prompt. */
  path: string;
  languageId: string;
  version: number;
  /** Document text (UTF-16 string) and the cursor offset in it. */
  text: string;
  offset: number;
  task: 'completion' | 'inline';
  /** Automatic triggers are debounced; invoked ones run at once. */
  automatic: boolean;
  /** The LSP request's cancellation as a signal. */
  signal: AbortSignal;
}

export type SuggestOutcome =
  | { kind: 'ok'; text: string; source: 'model' | 'cache' | 'typed-ahead'; model: string; latencyMs: number }
  | { kind: 'empty'; reason: string }
  | { kind: 'cancelled' }
  | { kind: 'superseded' }
  | { kind: 'stale' };

/** The prompt of a request, prepared before the cache or the model is asked. */
interface PreparedPrompt {
  prompt: Prompt & { meta: CallMeta };
  restore: (text: string) => string;
  key: string;
  promptTokens: number;
}

/** Everything one model call needs, decided before the call (shared by single-flight waiters). */
interface ModelCallPlan {
  request: SuggestRequest;
  config: GhostlineConfig;
  prompt: Prompt & { meta: CallMeta };
  /** Prompt size for escalation and budgets, from the window counts (not re-encoded). */
  promptTokens: number;
  multiline: boolean;
  key: string;
  live: { text: string; done?: RawAnswer };
}

/** What a model call leaves behind: the raw text, shared by every waiter and cached. */
interface RawAnswer {
  text: string;
  model: string;
}

export interface EngineDeps {
  config: () => GhostlineConfig;
  provider: ProviderLookup;
  logger: Logger;
  metrics: Metrics;
  memory: MemoryCache;
  /** A shared tier behind memory (Redis), optional. */
  shared?: CacheStore;
  /** Cross-process single-flight and team statistics (Redis), optional. */
  team?: TeamTier;
  /** Team budgets and the shared rate limit, applied by the router to every model call. */
  budget?: BudgetHook;
  guard?: PromptGuard;
  /** Hears of every model call (through the router) and of every answer served from a cache. */
  audit?: AuditHook;
  /** The current version of a document, to drop answers for text that moved on (undefined: untracked). */
  currentVersion: (uri: string) => number | undefined;
  /** Called once per problem the user should hear about (no key, quota); the caller de-duplicates. */
  notify?: (problem: ProviderError) => void;
}

export class CompletionEngine {
  private readonly deps: EngineDeps;
  private readonly scheduler = new Scheduler();
  private readonly typedAhead = new TypedAhead();
  private readonly flights: SingleFlight<RawAnswer>;
  private readonly instructionCounts = new Map<string, number>();

  constructor(deps: EngineDeps) {
    this.deps = deps;
    this.flights = new SingleFlight<RawAnswer>(() => deps.config().completion.abandonGraceMs);
  }

  forget(uri: string): void {
    this.scheduler.cancel(uri);
    this.typedAhead.forget(uri);
  }

  async suggest(request: SuggestRequest): Promise<SuggestOutcome> {
    const started = performance.now();
    const config = this.deps.config();
    const metrics = this.deps.metrics;
    metrics.requests++;
    if (!config.completion.enabled) return this.empty('completion disabled');
    const refusal = this.deps.guard?.refuse(request.path);
    if (refusal) return this.empty(refusal);

    // Typed-ahead first, before the scheduler supersedes the request whose stream we may reuse.
    const multiline = isMultiline(request, config);
    const hit = this.typedAhead.find(request.uri, request.text, request.offset);
    const joined = hit ? this.joinSuggestion(hit.suggestion, request.signal) : undefined;
    const debounceMs = config.completion.debounceMs;
    const debounce = !joined && (request.automatic || this.scheduler.typing(request.uri, request.version, TYPING_WINDOW * debounceMs));
    const ticket = this.scheduler.enter(request.uri, request.signal, debounce ? debounceMs : 0, request.version);
    try {
      if (hit && joined) {
        const raw = await joined.catch(() => undefined);
        if (raw !== undefined) {
          const text = this.finish(request, raw.text.slice(hit.typed.length), config, multiline, hit.suggestion.restore);
          if (text) {
            metrics.typedAheadHits++;
            return this.answer(request, text, 'typed-ahead', raw.model, started);
          }
        }
        if (ticket.signal.aborted) return this.interrupted(ticket.signal, request.signal);
      }
      const prepared = this.prepare(request, config, multiline);
      // An answer already in memory needs no debounce: it costs no model call.
      const remembered = config.cache.enabled ? this.fromMemory(prepared.key) : undefined;
      if (remembered) return this.serveCached(request, config, multiline, prepared, remembered, started);
      if (!(await ticket.ready)) return this.interrupted(ticket.signal, request.signal);
      return await this.compute(request, config, multiline, prepared, ticket.signal, started);
    } catch (error) {
      if (ticket.signal.aborted) return this.interrupted(ticket.signal, request.signal);
      if (error instanceof ProviderError) {
        metrics.modelErrors++;
        if (error.kind === 'no_api_key' || error.kind === 'quota' || error.kind === 'auth') this.deps.notify?.(error);
        this.deps.logger.warn({ kind: error.kind, status: error.details.status, uri: request.uri }, `completion failed: ${error.message}`);
        return this.empty(`model error: ${error.kind}`);
      }
      throw error;
    } finally {
      ticket.done();
    }
  }

  /** Token count of the instructions, which are byte-stable: counted once per distinct text. */
  private instructionTokens(instructions: string): number {
    let count = this.instructionCounts.get(instructions);
    if (count === undefined) {
      count = countTokens(instructions);
      if (this.instructionCounts.size > 16) this.instructionCounts.clear();
      this.instructionCounts.set(instructions, count);
    }
    return count;
  }

  /** A suggestion already complete, or the in-flight call producing it, as a promise. */
  private joinSuggestion(suggestion: { key: string; live: { text: string; done?: RawAnswer } }, signal: AbortSignal): Promise<RawAnswer> | undefined {
    if (suggestion.live.done) return Promise.resolve(suggestion.live.done);
    const joined = this.flights.join(suggestion.key, signal);
    if (joined) this.deps.metrics.singleFlightJoins++;
    return joined;
  }

  /** The prompt, its cache key and size: everything decided before the cache or the model is asked. */
  private prepare(request: SuggestRequest, config: GhostlineConfig, multiline: boolean): PreparedPrompt {
    const { prefix, suffix, prefixTokens, suffixTokens } = buildWindows(request.text, request.offset, {
      prefixLines: config.completion.prefixLines,
      suffixLines: config.completion.suffixLines,
      maxTokens: config.completion.maxPromptTokens,
    });
    let prompt = completionPrompt({ path: request.path, languageId: request.languageId, prefix, suffix, multiline });
    let restore = (text: string) => text;
    let redactions = 0;
    if (this.deps.guard) ({ prompt, restore, redactions } = this.deps.guard.prepare(prompt));
    const route = resolveRoute(config, request.task, request.languageId);
    const key = cacheKey({ templateVersion: PROMPT_TEMPLATE_VERSION, model: route.model, temperature: route.temperature, maxOutputTokens: route.maxOutputTokens, ...prompt });
    // The windows were counted already; only the byte-stable instructions are counted (once).
    const promptTokens = this.instructionTokens(prompt.instructions) + prefixTokens + suffixTokens + PROMPT_FRAME_TOKENS;
    return { prompt: { ...prompt, meta: { file: request.path, redactions } }, restore, key, promptTokens };
  }

  /** Serves a cached answer, remembering it for typed-ahead; a line of the audit trail too. */
  private serveCached(request: SuggestRequest, config: GhostlineConfig, multiline: boolean, prepared: PreparedPrompt, cached: RawAnswer, started: number): SuggestOutcome {
    const { prompt, restore, key } = prepared;
    this.typedAhead.remember(request.uri, request.text, request.offset, { key, live: { text: cached.text, done: cached }, restore });
    this.auditCached(request.task, prompt, prompt.meta, cached, 'cached answer', started);
    const text = this.finish(request, cached.text, config, multiline, restore);
    return text ? this.answer(request, text, 'cache', cached.model, started) : this.empty('cached answer adds nothing');
  }

  private async compute(request: SuggestRequest, config: GhostlineConfig, multiline: boolean, prepared: PreparedPrompt, signal: AbortSignal, started: number): Promise<SuggestOutcome> {
    const { prompt, restore, key, promptTokens } = prepared;
    const cached = config.cache.enabled ? await this.lookup(key) : undefined;
    if (cached) return this.serveCached(request, config, multiline, prepared, cached, started);

    const live: { text: string; done?: RawAnswer } = { text: '' };
    const plan: ModelCallPlan = { request, config, prompt, promptTokens, multiline, key, live };
    const flight = this.flights.run(key, signal, (flightSignal) => this.callShared(plan, flightSignal));
    if (flight.shared) this.deps.metrics.singleFlightJoins++;
    else this.typedAhead.remember(request.uri, request.text, request.offset, { key, live, restore });
    const raw = await flight.promise;
    const current = this.deps.currentVersion(request.uri);
    if (current !== undefined && current !== request.version) {
      this.deps.metrics.stale++;
      return { kind: 'stale' };
    }
    const text = this.finish(request, raw.text, config, multiline, restore);
    return text ? this.answer(request, text, 'model', raw.model, started) : this.empty('model answer adds nothing');
  }

  /** The memory tier alone (synchronous): counted and recorded as a saved call when it answers. */
  private fromMemory(key: string): RawAnswer | undefined {
    const memory = this.deps.memory.peek(key);
    if (!memory) return undefined;
    this.deps.metrics.cacheHits++;
    this.recordSaved('memory', memory);
    return memory;
  }

  private async lookup(key: string): Promise<RawAnswer | undefined> {
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
  private async callShared(call: ModelCallPlan, signal: AbortSignal): Promise<RawAnswer> {
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

  /**
   * Model text to suggestion: credentials the model produced are scrubbed from the raw text first,
   * then the placeholders of the user's own secrets are restored (so scrubbing never removes them),
   * then post-processing compares the suggestion with the user's real text.
   */
  private finish(request: SuggestRequest, raw: string, config: GhostlineConfig, multiline: boolean, restore: (text: string) => string = (text) => text): string {
    const safe = restore(this.deps.guard ? this.deps.guard.scrub(raw) : raw);
    const prefix = request.text.slice(Math.max(0, request.offset - POSTPROCESS_CONTEXT), request.offset);
    const suffix = request.text.slice(request.offset, request.offset + POSTPROCESS_CONTEXT);
    return postprocess({ raw: safe, prefix, suffix, languageId: request.languageId, multiline, maxLines: config.completion.maxLines });
  }

  /** An answer served without a model call is still one line of the audit trail (outcome `cache`). */
  private auditCached(task: SuggestRequest['task'], prompt: Prompt, meta: CallMeta, answer: RawAnswer, reason: string, started: number): void {
    const usage = { inputTokens: 0, outputTokens: 0, cachedTokens: 0 };
    this.deps.audit?.record({ task, model: answer.model, reason, instructions: prompt.instructions, input: prompt.input, output: answer.text, usage, outcome: 'cache', latencyMs: performance.now() - started, meta });
  }

  private answer(request: SuggestRequest, text: string, source: 'model' | 'cache' | 'typed-ahead', model: string, started: number): SuggestOutcome {
    const metrics = this.deps.metrics;
    metrics.answered++;
    const latencyMs = performance.now() - started;
    this.deps.logger.debug({ event: 'suggestion', task: request.task, source, model, latencyMs, chars: text.length, lines: text.split('\n').length, shown: metrics.shown + 1, accepted: metrics.accepted }, 'suggestion answered');
    return { kind: 'ok', text, source, model, latencyMs };
  }

  private empty(reason: string): SuggestOutcome {
    this.deps.metrics.empty++;
    return { kind: 'empty', reason };
  }

  private interrupted(ticketSignal: AbortSignal, callerSignal: AbortSignal): SuggestOutcome {
    if (callerSignal.aborted) {
      this.deps.metrics.cancelled++;
      return { kind: 'cancelled' };
    }
    if (ticketSignal.reason === SUPERSEDED) {
      this.deps.metrics.superseded++;
      return { kind: 'superseded' };
    }
    this.deps.metrics.cancelled++;
    return { kind: 'cancelled' };
  }
}
