/**
 * Where completion answers come from once a request has its prompt: the memory and shared cache
 * tiers, and the model call (coordinated across processes when a team tier is configured, stopped
 * early once long enough). Tokens, cost and audit lines of a call are accounted by the model-call
 * service under the model that served it; this file records only what caches saved.
 */
import type { CachedAnswer } from '../cache/types.ts';
import type { GuardedPrompt } from '../calls/guard.ts';
import type { GhostlineConfig } from '../config/schema.ts';
import { promptCacheKey } from '../context/prompt.ts';
import { EARLY_STOP, type RoutedResult } from '../router/router.ts';
import type { NormalizedAnswer } from './postprocess.ts';

/** Abort reason of a hedged attempt that lost to the other one. */
const HEDGE_LOST = 'hedge lost';
import type { EngineDeps, SuggestRequest } from './types.ts';

/** What a model call leaves behind: the raw text, shared by every waiter and cached. */
export interface RawAnswer {
  text: string;
  model: string;
}

/**
 * A call's answer as it streams: the raw text so far, the code the normalizer makes of it (what
 * the early stop counts and typed-ahead matches), and the final answer once the call ended.
 */
export interface LiveAnswer {
  text: string;
  code: string;
  done?: RawAnswer;
  /**
   * Raw text (partial or final) to normalized code, for the cursor of the request that made the
   * call, and whether that code is already over (a closing fence, an epilogue under way).
   */
  normalize: (raw: string, final: boolean) => NormalizedAnswer;
  /** performance.now() of the call's start or its last delta: a call silent too long is not joined. */
  lastActivity?: number;
  /**
   * Called after `code` grew while streaming: the request that made the call, or one that joined
   * it through typed-ahead, may be served before the call ends.
   */
  watchers?: Set<() => void>;
}

/** Sets the final answer of a live call, and its final code. */
export function settle(live: LiveAnswer, answer: RawAnswer): void {
  live.text = answer.text;
  live.code = live.normalize(answer.text, true).code;
  live.done = answer;
}

/** Everything one model call needs, decided before the call (shared by single-flight waiters). */
export interface ModelCallPlan {
  request: SuggestRequest;
  config: GhostlineConfig;
  prompt: GuardedPrompt;
  /** Prompt size for escalation and budgets, from the window counts (not re-encoded). */
  promptTokens: number;
  multiline: boolean;
  /** A single-line suggestion that also fetches the next line (engine.ts `looksAhead`). */
  lookahead: boolean;
  key: string;
  live: LiveAnswer;
  /**
   * A call nobody waits for yet (engine `prefetch`): it starts no hedged call, which is for a user
   * still waiting. A request that comes while it is silent starts its own call (engine `silent`).
   */
  speculative?: boolean;
}

export class Answers {
  private readonly deps: EngineDeps;

  constructor(deps: EngineDeps) {
    this.deps = deps;
  }

  /** The memory tier alone (synchronous): counted and recorded as a saved call when it answers. */
  fromMemory(key: string): RawAnswer | undefined {
    const memory = this.deps.memory.getNow(key);
    if (!memory) return undefined;
    this.deps.metrics.cacheHits++;
    this.recordSaved('memory', memory);
    return memory;
  }

  async lookup(key: string): Promise<RawAnswer | undefined> {
    const memory = this.fromMemory(key);
    if (memory) return memory;
    const shared = await this.deps.team()?.cache.get(key);
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
    const team = this.deps.team();
    const usage = {
      inputTokens: answer.inputTokens,
      outputTokens: answer.outputTokens,
      cachedTokens: answer.cachedTokens,
    };
    const tokens = usage.inputTokens + usage.outputTokens;
    const costUsd = this.deps.calls.costOf(answer.model, usage);
    // A team tier keeps these in its statistics hash; without one the dashboard's local counters do.
    if (team) team.record(source, tokens, costUsd);
    else this.deps.usage?.saved({ source, tokens, costUsd });
  }

  /**
   * The model call, coordinated across ghostline processes when a team tier is configured: one
   * process calls the model; the others receive its final answer (not the stream).
   */
  async callShared(call: ModelCallPlan, signal: AbortSignal): Promise<RawAnswer> {
    const { request, config, prompt, key, live } = call;
    const team = this.deps.team();
    if (!team || !config.cache.enabled) return this.callModel(call, signal);
    const { answer, from } = await team.coordinate(key, signal, (flightSignal) => this.callModel(call, flightSignal));
    if (from === 'self') {
      team.record('model', answer.inputTokens + answer.outputTokens, 0);
      return answer;
    }
    this.deps.metrics.peerAnswers++;
    this.recordSaved('peer', answer);
    this.auditCached(request.task, prompt, answer, "another editor's answer to the same prompt", performance.now());
    settle(live, answer);
    void this.deps.memory.set(key, answer, config.cache.ttlSeconds);
    return answer;
  }

  /**
   * One model call; stops the stream early once the answer is long enough to be cut anyway. When
   * the call sends nothing for `completion.hedgeMs`, a second call starts on the next model of the
   * chain while the user is still waiting; the first answer wins and the other call is stopped.
   */
  private async callModel(call: ModelCallPlan, signal: AbortSignal): Promise<CachedAnswer> {
    const { request, config, prompt, multiline, lookahead, key, live, promptTokens } = call;
    // Counted on the normalized code, never on raw lines: a fenced answer's first raw line is the fence.
    const enough = (code: string) => {
      const trimmed = code.replace(/^\s*\n/, '');
      const newlines = trimmed.split('\n').length - 1;
      return multiline
        ? newlines > config.completion.maxLines
        : newlines > (lookahead ? 1 : 0) && trimmed.trim() !== '';
    };
    live.lastActivity = performance.now();
    type Attempt = {
      controller: AbortController;
      text: string;
      promise: Promise<RoutedResult>;
      /** The raw answer kept when the stream was stopped because the code was over (what follows is prose). */
      kept?: string;
    };
    const attempts: Attempt[] = [];
    let leader: Attempt | undefined;
    const start = (startAt: number): Attempt => {
      const attempt: Attempt = {
        controller: new AbortController(),
        text: '',
        promise: undefined as unknown as Promise<RoutedResult>,
      };
      attempt.promise = this.deps.calls.call(
        {
          task: request.task,
          languageId: request.languageId,
          prompt,
          promptTokens,
          promptCacheKey: promptCacheKey(request.path, request.languageId),
          signal: attempt.controller.signal,
          ...(startAt > 0 ? { startAt } : {}),
        },
        {
          delta: (text) => {
            attempt.text += text;
            leader ??= attempt;
            const { code, ended } = live.normalize(attempt.text, false);
            if (leader === attempt) {
              live.text = attempt.text;
              live.code = code;
              live.lastActivity = performance.now();
              armHedge();
              if (live.watchers) for (const watcher of live.watchers) watcher();
            }
            if (ended) {
              // The code is over (a closing fence, an epilogue under way): what streams on is not
              // code, so stop now and keep the raw text up to the last complete line.
              attempt.kept ??= attempt.text.slice(0, attempt.text.lastIndexOf('\n') + 1);
              attempt.controller.abort(EARLY_STOP);
            } else if (enough(code)) attempt.controller.abort(EARLY_STOP);
          },
          restart: () => {
            attempt.text = '';
            if (leader !== attempt) return;
            live.text = '';
            live.code = '';
          },
        },
      );
      attempts.push(attempt);
      return attempt;
    };
    const hedgeMs = call.speculative ? 0 : config.completion.hedgeMs;
    let hedgeTimer: NodeJS.Timeout | undefined;
    const armHedge = () => {
      clearTimeout(hedgeTimer);
      if (hedgeMs <= 0 || attempts.length > 1) return;
      hedgeTimer = setTimeout(() => {
        if (closed || attempts.length > 1 || signal.aborted) return;
        this.deps.metrics.hedgedCalls++;
        this.deps.logger.debug(
          { event: 'hedge', task: request.task, silentMs: Math.round(performance.now() - (live.lastActivity ?? 0)) },
          'model silent: starting a hedged call',
        );
        // The hedge takes over the suggestion only if it streams first.
        if (leader === attempts[0] && attempts[0]!.text === '') leader = undefined;
        void watch(start(1));
      }, hedgeMs);
      hedgeTimer.unref?.();
    };
    const onAbort = () => {
      for (const attempt of attempts) attempt.controller.abort(signal.reason);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });

    let resolveWinner!: (result: RoutedResult) => void;
    let rejectAll!: (error: unknown) => void;
    const winner = new Promise<RoutedResult>((resolve, reject) => {
      resolveWinner = resolve;
      rejectAll = reject;
    });
    let failures = 0;
    let firstError: unknown;
    let closed = false;
    // Fails only when every attempt started has failed; a failed primary starts no hedge (it already
    // went down its chain).
    const watch = (attempt: Attempt) =>
      attempt.promise.then(
        (result) => resolveWinner(attempt.kept === undefined ? result : { ...result, text: attempt.kept }),
        (error: unknown) => {
          failures++;
          firstError ??= error;
          if (failures < attempts.length) return;
          closed = true;
          clearTimeout(hedgeTimer);
          rejectAll(firstError);
        },
      );
    try {
      void watch(start(0));
      armHedge();
      const result = await winner;
      // The first answer wins: the other call is stopped (and charged for what it streamed).
      closed = true;
      for (const attempt of attempts) attempt.controller.abort(HEDGE_LOST);
      // Cached under the model that answered (a fallback, a hedge or a soft-cap downgrade included).
      const answer = this.store(key, { text: result.text, model: result.model }, result.usage, config);
      settle(live, answer);
      return answer;
    } finally {
      clearTimeout(hedgeTimer);
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Caches an answer (when caching is on) and returns it with its usage, as peers and the cache see it. */
  private store(
    key: string,
    answer: RawAnswer,
    usage: { inputTokens: number; outputTokens: number; cachedTokens: number },
    config: GhostlineConfig,
  ): CachedAnswer {
    const value = { ...answer, ...usage, createdAt: Date.now() };
    if (!config.cache.enabled) return value;
    void this.deps.memory.set(key, value, config.cache.ttlSeconds);
    this.deps
      .team()
      ?.cache.set(key, value, config.cache.ttlSeconds)
      .catch(() => undefined);
    return value;
  }

  /** An answer served without a model call is still one line of the audit trail (outcome `cache`). */
  auditCached(
    task: SuggestRequest['task'],
    prompt: GuardedPrompt,
    answer: RawAnswer,
    reason: string,
    started: number,
  ): void {
    const usage = { inputTokens: 0, outputTokens: 0, cachedTokens: 0 };
    this.deps.audit.record({
      task,
      model: answer.model,
      reason,
      instructions: prompt.instructions,
      input: prompt.input,
      output: answer.text,
      usage,
      outcome: 'cache',
      latencyMs: performance.now() - started,
      meta: prompt.meta,
    });
  }
}
