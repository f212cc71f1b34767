/**
 * The completion pipeline shared by `textDocument/completion` and `textDocument/inlineCompletion`:
 * typed-ahead reuse, debounce and latest-wins, the prompt and its cache key, single-flight, and
 * post-processing; answers.ts supplies cached answers and the model call. Returns outcomes as
 * values; never throws for expected situations (cancelled, superseded, no key, model down).
 */
import { cacheKey } from '../cache/key.ts';
import { SingleFlight } from '../cache/single-flight.ts';
import type { Guarded } from '../calls/guard.ts';
import type { GhostlineConfig } from '../config/schema.ts';
import { countTokens } from '../context/tokens.ts';
import { completionPrompt, PROMPT_TEMPLATE_VERSION } from '../context/prompt.ts';
import { buildWindows } from '../context/window.ts';
import { ProviderError } from '../providers/types.ts';
import { resolveRoute } from '../router/policy.ts';
import {
  buildContext,
  decideMultiline,
  fitExplained,
  streamNormalizer,
  type Fitted,
  type NormalizedAnswer,
  type PostprocessContext,
} from './postprocess.ts';
import { Scheduler, STALE, SUPERSEDED } from './scheduler.ts';
import { completeLinesEnd, likelyRunOnEnd } from './postprocess/suffix.ts';
import { lineSuffixAt, TypedAhead } from './typed-ahead.ts';
import { Answers, type LiveAnswer, type ModelCallPlan, type RawAnswer } from './answers.ts';
import type { EngineDeps, SuggestOutcome, SuggestRequest } from './types.ts';
import { NO_CONTEXT, type GatheredContext } from '../context/repo-context.ts';
import { SNIPPET_FRAME_TOKENS } from '../context/select.ts';
import type { CallMeta } from '../router/router.ts';

export type { EngineDeps, SuggestOutcome, SuggestRequest } from './types.ts';

/** The adaptive debounce: this many times the typist's median gap between keys, and at least MIN_DEBOUNCE_MS. */
const RHYTHM_FACTOR = 1.25;
const MIN_DEBOUNCE_MS = 100;

/**
 * The debounce for a typist whose median gap between keys is `medianGapMs`: a pause is a gap
 * clearly longer than their usual one, so a fast typist's call starts sooner; never longer than
 * the configured `completion.debounceMs`. None for the first key of a burst (`startsBurst`): no
 * call is under way for the burst to reuse, and the burst would pass before any debounce ends.
 */
export function adaptiveDebounce(configuredMs: number, medianGapMs: number | undefined, startsBurst = false): number {
  if (startsBurst) return 0;
  if (medianGapMs === undefined) return configuredMs;
  return Math.min(configuredMs, Math.max(MIN_DEBOUNCE_MS, Math.round(medianGapMs * RHYTHM_FACTOR)));
}

/** What a typed-ahead join resolves to when it is served from a call that still streams. */
const STREAMING = Symbol('streaming');

/** A request within this many debounce periods of the previous one means the user is typing. */
const TYPING_WINDOW = 2;

/** Tokens of the prompt's tags, path and mode line, on top of instructions and windows (an allowance, for routing). */
const PROMPT_FRAME_TOKENS = 48;

/** Characters each side of the cursor that post-processing compares a suggestion with. */
const POSTPROCESS_CONTEXT = 4000;

/** Abort reason of a completion that waited `completion.budgetMs` for the model. */
const BUDGET_EXPIRED = 'completion budget expired';

/** Failures that mean the model cannot be reached or does not answer (told once, until it recovers). */
const UNREACHABLE: ReadonlySet<string> = new Set(['network', 'timeout', 'server', 'stream']);

/**
 * A prefetch's failure is the answer for the editor's request at the same cursor for this long, so
 * a failing model costs one call chain per cursor, not two; and no prefetch starts for
 * PREFETCH_PAUSE_MS after any completion call failed (speculative calls only while the model works).
 */
const PREFETCH_FAILURE_TTL_MS = 5000;
const PREFETCH_PAUSE_MS = 30_000;
const PREFETCH_FAILURES_KEPT = 16;

function isMultiline(request: SuggestRequest, config: GhostlineConfig): boolean {
  const lineStart = request.text.lastIndexOf('\n', request.offset - 1) + 1;
  return decideMultiline(
    request.text.slice(lineStart, request.offset),
    lineSuffixAt(request.text, request.offset),
    config.completion.multiline,
  );
}

/**
 * A single-line suggestion at the end of a line also asks for the next line (the prompt's
 * multi-line mode, the stream stopped once that line is complete): only the current line is
 * shown, and when the user accepts or types it to its end and presses Enter, typed-ahead serves
 * the next line with no new model call.
 */
function looksAhead(request: SuggestRequest, config: GhostlineConfig, multiline: boolean): boolean {
  return (
    !multiline && config.completion.multiline === 'auto' && lineSuffixAt(request.text, request.offset).trim() === ''
  );
}

const TASKS = ['completion', 'inline'] as const;

/** The scheduler's "latest request wins" slot of a document's requests of one task. */
function schedulerKey(uri: string, task: (typeof TASKS)[number]): string {
  return `${task}\u0000${uri}`;
}

/** A request served before its call ends: `ready` gives the streamed code to fit and serve. */
interface EarlyServe {
  ready: Promise<string>;
  stop: () => void;
}

/**
 * A call started before any request asked for it (`prefetch`): how its failure is kept for the
 * request that follows, and how long it streams with nobody waiting.
 */
interface Prefetch {
  failed: (error: unknown) => void;
  graceMs: number;
}

/** The prompt of a request, prepared before the cache or the model is asked. */
interface PreparedPrompt {
  guarded: Guarded;
  key: string;
  promptTokens: number;
}

export class CompletionEngine {
  private readonly deps: EngineDeps;
  private readonly scheduler = new Scheduler();
  private readonly typedAhead = new TypedAhead();
  private readonly flights: SingleFlight<RawAnswer>;
  private readonly instructionCounts = new Map<string, number>();
  private readonly answers: Answers;
  /** Live answers of the calls under way, by cache key: a silent one is not joined. */
  private readonly liveByKey = new Map<string, LiveAnswer>();
  /** Whether the user was told that the model stalls or is unreachable (told again only after it recovered). */
  private modelDown = false;
  /** Failed prefetches by prompt key (at most PREFETCH_FAILURES_KEPT), and the last failure's time. */
  private readonly prefetchFailures = new Map<string, { at: number; error: ProviderError }>();
  private lastFailureAt = Number.NEGATIVE_INFINITY;

  constructor(deps: EngineDeps) {
    this.deps = deps;
    this.flights = new SingleFlight<RawAnswer>(() => deps.config().completion.abandonGraceMs);
    this.answers = new Answers(deps);
  }

  forget(uri: string): void {
    for (const task of TASKS) this.scheduler.cancel(schedulerKey(uri, task));
    this.typedAhead.forget(uri);
  }

  /**
   * The document changed to `version`: a request still pending for an older version is answered
   * (stale, empty) now; the model call it started or joined streams on for the requests that follow.
   */
  movedOn(uri: string, version: number): void {
    for (const task of TASKS) this.scheduler.movedOn(schedulerKey(uri, task), version);
  }

  async suggest(request: SuggestRequest): Promise<SuggestOutcome> {
    const outcome = await this.outcomeOf(request);
    // One debug line per request with its fate: the bench attributes unsaved characters from it.
    this.deps.logger.debug(
      {
        event: 'outcome',
        uri: request.uri,
        version: request.version,
        offset: request.offset,
        task: request.task,
        kind: outcome.kind,
        ...(outcome.kind === 'empty' ? { reason: outcome.reason } : {}),
        ...(outcome.kind === 'ok' ? { source: outcome.source } : {}),
      },
      'completion outcome',
    );
    return outcome;
  }

  private async outcomeOf(request: SuggestRequest): Promise<SuggestOutcome> {
    const started = performance.now();
    const config = this.deps.config();
    const metrics = this.deps.metrics;
    metrics.requests++;
    if (!config.completion.enabled) return this.empty('completion disabled');
    const refusal = this.deps.calls.refuse(request.path);
    if (refusal) return this.empty(refusal);

    // Typed-ahead first, before the scheduler supersedes the request whose stream we may reuse.
    const multiline = isMultiline(request, config);
    const hit = this.typedAhead.find(request.uri, request.text, request.offset);
    // A joiner leaves the call when its request is cancelled or superseded (the ticket below).
    const leave = new AbortController();
    // A joined call that failed is this request's failure too: no second call chain at once.
    let joinFailure: unknown;
    const settle = (error: unknown): undefined => {
      joinFailure = error;
      return undefined;
    };
    const joined = hit
      ? this.joinSuggestion(hit.suggestion, AbortSignal.any([request.signal, leave.signal]))
      : undefined;
    const debounceMs = config.completion.debounceMs;
    // Per document and task: an editor that asks for completion items and ghost text at the same
    // place (VS Code) gets both answers; each supersedes only its own older requests.
    const key = schedulerKey(request.uri, request.task);
    const debounce =
      !joined && (request.automatic || this.scheduler.typing(key, request.version, TYPING_WINDOW * debounceMs));
    // The debounce counts from the document's last change: a request an editor sends only after
    // its own idle delay (Neovim, Helix) has waited that long already.
    const changedAt = this.deps.lastChange?.(request.uri);
    const idleMs = changedAt === undefined ? 0 : Math.max(0, performance.now() - changedAt);
    const adaptive = config.completion.adaptiveDebounce;
    const rhythm = adaptive ? this.deps.typingGap?.(request.uri) : undefined;
    // The first key of a burst (after a pause, or the first since the document opened) starts the
    // call at once; the keys that follow join it (typed-ahead) while they type what it predicts.
    const burst = adaptive && (this.deps.startsBurst?.(request.uri) ?? false);
    const wait = debounce ? Math.max(0, adaptiveDebounce(debounceMs, rhythm, burst) - idleMs) : 0;
    const ticket = this.scheduler.enter(key, request.signal, wait, request.version);
    // Linked until the request settles (ticket.done() below): the joined wait may go on after it,
    // bounded by the budget, but nothing can abort the ticket once it is done.
    if (joined) ticket.onAbort((reason) => leave.abort(reason));
    try {
      if (hit && joined) {
        // A one-line suggestion from a call still streaming is final once its line past what the
        // user typed has streamed (or once the call's code parts from the typed text): it is
        // served then, and the call streams on for the keys that follow.
        const live = hit.suggestion.live as LiveAnswer;
        const early = live.done
          ? undefined
          : multiline
            ? this.likelyRunOn(
                live,
                this.view(request, config, multiline),
                started + config.completion.multilineWaitMs,
                hit.typed,
              )
            : this.lineComplete(live, looksAhead(request, config, multiline), hit.typed);
        let earlyCode: string | undefined;
        const raw = early
          ? await Promise.race([
              joined.catch(settle),
              early.ready.then((code): typeof STREAMING => {
                earlyCode = code;
                return STREAMING;
              }),
            ])
          : await joined.catch(settle);
        early?.stop();
        if (raw !== undefined) {
          // The call's normalized code (final once it finished), past what the user typed since.
          const code = raw === STREAMING && earlyCode !== undefined ? earlyCode : live.code;
          const fitted: Fitted = code.startsWith(hit.typed)
            ? this.fit(request, code.slice(hit.typed.length), config, multiline)
            : { text: '', emptiedBy: 'typed-ahead miss' };
          if (fitted.text) {
            metrics.typedAheadHits++;
            const model = raw === STREAMING ? resolveRoute(config, request.task, request.languageId).model : raw.model;
            return this.deliver(request, fitted, 'typed-ahead', model, started);
          }
          // A miss while the call streams: leave it, and compute below.
          if (raw === STREAMING) leave.abort('typed-ahead miss');
        }
        if (ticket.signal.aborted) return this.interrupted(ticket.signal, request.signal);
        if (joinFailure instanceof ProviderError) throw joinFailure;
      }
      const prepared = this.prepare(request, config, multiline);
      // An answer already in memory needs no debounce: it costs no model call.
      const remembered = config.cache.enabled ? this.answers.fromMemory(prepared.key) : undefined;
      if (remembered) return this.serveCached(request, config, multiline, prepared, remembered, started);
      const failed = this.prefetchFailures.get(prepared.key);
      if (failed) {
        this.prefetchFailures.delete(prepared.key);
        if (performance.now() - failed.at < PREFETCH_FAILURE_TTL_MS) throw failed.error;
      }
      if (!(await ticket.ready)) return this.interrupted(ticket.signal, request.signal);
      return await this.compute(request, config, multiline, prepared, ticket.signal, started);
    } catch (error) {
      if (ticket.signal.aborted) return this.interrupted(ticket.signal, request.signal);
      if (error instanceof ProviderError) {
        this.lastFailureAt = performance.now();
        if (error.kind === 'no_api_key' || error.kind === 'quota' || error.kind === 'auth') this.deps.notify?.(error);
        this.deps.logger.warn(
          { kind: error.kind, status: error.details.status, uri: request.uri },
          `completion failed: ${error.message}`,
        );
        return this.empty(`model error: ${error.kind}`);
      }
      throw error;
    } finally {
      ticket.done();
    }
  }

  /**
   * Starts the model call for a cursor before the editor asks for it: the first key of a burst,
   * for an editor that asks only after its own idle delay (Neovim, Helix), so its first request,
   * which comes a few keys later, joins a call already under way (typed-ahead) instead of starting
   * one then. Nothing waits for the call: it streams to its answer's end (for at most
   * `completion.budgetMs`, not the shorter `completion.abandonGraceMs` of a call whose requests
   * were cancelled), since its whole point is the request still to come, which under a manual
   * trigger may come only at the typist's next pause; what it streamed stays for typed-ahead and
   * the cache. No call when one under way or an answer in memory already covers the cursor,
   * nor while completion calls fail (PREFETCH_PAUSE_MS); a failed prefetch answers the request
   * that follows at its cursor (PREFETCH_FAILURE_TTL_MS), so an outage costs no second call chain.
   */
  prefetch(request: SuggestRequest): void {
    const config = this.deps.config();
    if (!config.completion.enabled || this.deps.calls.refuse(request.path)) return;
    if (this.modelDown || performance.now() - this.lastFailureAt < PREFETCH_PAUSE_MS) return;
    // A call that covers the cursor and has more to give (or still streams) serves the request.
    const hit = this.typedAhead.find(request.uri, request.text, request.offset);
    if (hit && (hit.suggestion.live.done === undefined || hit.suggestion.live.code.length > hit.typed.length)) return;
    const multiline = isMultiline(request, config);
    const prepared = this.prepare(request, config, multiline);
    if (config.cache.enabled && this.answers.fromMemory(prepared.key)) return;
    if (this.liveByKey.has(prepared.key)) return;
    this.deps.logger.debug({ event: 'prefetch', uri: request.uri, offset: request.offset }, 'completion prefetched');
    // A wait already over: the call starts and is left to the single-flight's grace, so its
    // failure is seen where the call runs (`compute`'s `prefetch.failed`), not by this wait. A
    // call stopped because no request joined it within that grace did not fail: the model may be
    // working.
    const failed = (error: unknown): void => {
      if (!(error instanceof ProviderError) || error.kind === 'cancelled') return;
      const at = performance.now();
      this.lastFailureAt = at;
      this.prefetchFailures.delete(prepared.key);
      this.prefetchFailures.set(prepared.key, { at, error });
      if (this.prefetchFailures.size > PREFETCH_FAILURES_KEPT)
        this.prefetchFailures.delete(this.prefetchFailures.keys().next().value as string);
    };
    const aborted = AbortSignal.abort('prefetch');
    const prefetch = { failed, graceMs: config.completion.budgetMs };
    void this.compute(request, config, multiline, prepared, aborted, performance.now(), prefetch).catch(
      () => undefined,
    );
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
  private joinSuggestion(
    suggestion: { key: string; live: { done?: RawAnswer; lastActivity?: number } },
    signal: AbortSignal,
  ): Promise<RawAnswer> | undefined {
    if (suggestion.live.done) return Promise.resolve(suggestion.live.done);
    // A call that went silent is not joined: the request computes afresh (and may hedge).
    if (this.silent(suggestion.live)) return undefined;
    // Joining is bounded by the same budget as a call of this request's own (a timer cleared when
    // the wait ends, not an AbortSignal.timeout kept until it fires).
    const joined = this.flights.join(suggestion.key, signal, this.deps.config().completion.budgetMs);
    if (joined) this.deps.metrics.singleFlightJoins++;
    return joined;
  }

  /** A call under way that has sent nothing for `completion.hedgeMs` (hedging off: the idle deadline, at most half the budget). */
  private silent(live: { done?: RawAnswer; lastActivity?: number }): boolean {
    if (live.done || live.lastActivity === undefined) return false;
    const config = this.deps.config();
    const limit =
      config.completion.hedgeMs > 0
        ? config.completion.hedgeMs
        : Math.min(config.timeouts.idleMs, config.completion.budgetMs / 2);
    return performance.now() - live.lastActivity > limit;
  }

  /** Tells the user once that the model stalls or is unreachable; `recovered` once it answers again. */
  private modelHealth(state: 'down' | 'recovered', detail = ''): void {
    if (state === 'down' && !this.modelDown) {
      this.modelDown = true;
      this.deps.health?.(
        'warning',
        `ghostline: the model is not answering${detail}; completions stay empty (each waits at most ${this.deps.config().completion.budgetMs} ms) until it does.`,
      );
    } else if (state === 'recovered' && this.modelDown) {
      this.modelDown = false;
      this.deps.health?.('info', 'ghostline: the model answers again.');
    }
  }

  /** The prompt, its cache key and size: everything decided before the cache or the model is asked. */
  private prepare(request: SuggestRequest, config: GhostlineConfig, multiline: boolean): PreparedPrompt {
    const { prefix, suffix, prefixTokens, suffixTokens } = buildWindows(request.text, request.offset, {
      prefixLines: config.completion.prefixLines,
      suffixLines: config.completion.suffixLines,
      maxTokens: config.completion.maxPromptTokens,
    });
    const promptMultiline = multiline || looksAhead(request, config, multiline);
    const context = this.gatherContext(request);
    const meta: Omit<CallMeta, 'redactions'> = { file: request.path };
    if (context.files.length > 0) meta.contextFiles = context.files;
    const guarded = this.deps.calls.guard(
      completionPrompt({
        path: request.path,
        languageId: request.languageId,
        prefix,
        suffix,
        multiline: promptMultiline,
        snippets: context.snippets,
      }),
      meta,
    );
    const { instructions, input } = guarded.prompt;
    const route = resolveRoute(config, request.task, request.languageId);
    const key = cacheKey({
      templateVersion: PROMPT_TEMPLATE_VERSION,
      model: route.model,
      temperature: route.temperature,
      maxOutputTokens: route.maxOutputTokens,
      instructions,
      input,
    });
    // The windows and snippets were counted already; only the byte-stable instructions are counted (once).
    const promptTokens =
      this.instructionTokens(instructions) +
      prefixTokens +
      suffixTokens +
      PROMPT_FRAME_TOKENS +
      context.tokens +
      context.snippets.length * SNIPPET_FRAME_TOKENS;
    return { guarded, key, promptTokens };
  }

  /** Repository snippets for the prompt; a failure there costs the context, never the suggestion. */
  private gatherContext(request: SuggestRequest): GatheredContext {
    if (!this.deps.context) return NO_CONTEXT;
    try {
      return this.deps.context.gather(request);
    } catch (error) {
      this.deps.logger.debug({ err: error }, 'repository context failed');
      return NO_CONTEXT;
    }
  }

  /**
   * The prompt a completion at this position would send, after redaction, without calling the
   * model (`ghostline complete --show-context`); a refusal reason for an excluded file.
   */
  previewPrompt(
    request: SuggestRequest,
  ): { input: string; instructions: string; contextFiles: string[]; promptTokens: number } | { refused: string } {
    const refusal = this.deps.calls.refuse(request.path);
    if (refusal) return { refused: refusal };
    const config = this.deps.config();
    const { guarded, promptTokens } = this.prepare(request, config, isMultiline(request, config));
    return {
      input: guarded.prompt.input,
      instructions: guarded.prompt.instructions,
      contextFiles: guarded.prompt.meta.contextFiles ?? [],
      promptTokens,
    };
  }

  /** Serves a cached answer, remembering it for typed-ahead; a line of the audit trail too. */
  private serveCached(
    request: SuggestRequest,
    config: GhostlineConfig,
    multiline: boolean,
    prepared: PreparedPrompt,
    cached: RawAnswer,
    started: number,
  ): SuggestOutcome {
    const { guarded, key } = prepared;
    const normalize = this.normalizer(request, config, multiline, guarded.finish);
    const live: LiveAnswer = { text: cached.text, code: normalize(cached.text, true).code, done: cached, normalize };
    this.typedAhead.remember(request.uri, request.text, request.offset, { key, live });
    this.answers.auditCached(request.task, guarded.prompt, cached, 'cached answer', started);
    return this.deliver(request, this.fit(request, live.code, config, multiline), 'cache', cached.model, started);
  }

  private async compute(
    request: SuggestRequest,
    config: GhostlineConfig,
    multiline: boolean,
    prepared: PreparedPrompt,
    signal: AbortSignal,
    started: number,
    prefetch?: Prefetch,
  ): Promise<SuggestOutcome> {
    const { guarded, key, promptTokens } = prepared;
    const cached = config.cache.enabled ? await this.answers.lookup(key) : undefined;
    if (cached) return this.serveCached(request, config, multiline, prepared, cached, started);

    const live: LiveAnswer = {
      text: '',
      code: '',
      normalize: this.normalizer(request, config, multiline, guarded.finish),
    };
    const plan: ModelCallPlan = {
      request,
      config,
      prompt: guarded.prompt,
      promptTokens,
      multiline,
      lookahead: looksAhead(request, config, multiline),
      key,
      live,
      speculative: prefetch !== undefined,
    };
    // Never join a call that went silent: start afresh instead.
    const running = this.liveByKey.get(key);
    if (running && this.silent(running)) this.flights.detach(key);
    // The whole wait for the model is bounded; past the budget this request leaves the call, which
    // stops once nobody waits for it.
    const budget = new AbortController();
    const budgetTimer = setTimeout(() => budget.abort(BUDGET_EXPIRED), config.completion.budgetMs);
    budgetTimer.unref?.();
    const waitSignal = AbortSignal.any([signal, budget.signal]);
    const flight = this.flights.run(
      key,
      waitSignal,
      (flightSignal) =>
        this.answers
          .callShared(plan, flightSignal)
          .catch((error: unknown) => {
            prefetch?.failed(error);
            throw error;
          })
          .finally(() => {
            if (this.liveByKey.get(key) === live) this.liveByKey.delete(key);
          }),
      prefetch?.graceMs,
    );
    if (flight.shared) this.deps.metrics.singleFlightJoins++;
    else {
      this.liveByKey.set(key, live);
      this.typedAhead.remember(request.uri, request.text, request.offset, { key, live });
    }
    // A one-line suggestion is served as soon as its line is complete, a multi-line one as soon as
    // it likely ran on into the text after the cursor or, once it waited `multilineWaitMs`, with
    // the lines complete so far; the call streams on (the look-ahead's next
    // line, the rest of a run-on that was new code, for typed-ahead) while this request's wait
    // continues in the background.
    const early = flight.shared
      ? undefined
      : multiline
        ? this.likelyRunOn(live, this.view(request, config, multiline), started + config.completion.multilineWaitMs)
        : this.lineComplete(live, looksAhead(request, config, multiline));
    let raw: RawAnswer;
    let servedEarly = false;
    let earlyCode = '';
    try {
      const first = early
        ? await Promise.race([
            flight.promise,
            early.ready.then((code) => {
              earlyCode = code;
              return undefined;
            }),
          ])
        : await flight.promise;
      if (first === undefined) {
        servedEarly = true;
        this.modelHealth('recovered');
        void flight.promise
          .then(
            () => this.modelHealth('recovered'),
            () => undefined,
          )
          .finally(() => clearTimeout(budgetTimer));
        const model = resolveRoute(config, request.task, request.languageId).model;
        return this.deliver(request, this.fit(request, earlyCode, config, multiline), 'model', model, started);
      }
      raw = first;
      this.modelHealth('recovered');
    } catch (error) {
      if (budget.signal.aborted && !signal.aborted) {
        this.deps.metrics.budgetExpired++;
        this.deps.logger.warn(
          { uri: request.uri, budgetMs: config.completion.budgetMs, streamed: live.text.length },
          'completion budget expired: the model did not answer in time',
        );
        this.modelHealth('down', ` within ${config.completion.budgetMs} ms`);
        return this.empty('model did not answer within the completion budget');
      }
      if (error instanceof ProviderError && UNREACHABLE.has(error.kind))
        this.modelHealth(
          'down',
          ` (${error.kind === 'network' ? 'unreachable' : error.kind === 'timeout' ? 'stalled' : error.kind})`,
        );
      throw error;
    } finally {
      early?.stop();
      if (!servedEarly) clearTimeout(budgetTimer);
    }
    // A joined flight's live answer was normalized for its own request's cursor: normalize again here.
    const code = flight.shared ? live.normalize(raw.text, true).code : live.code;
    return this.deliver(request, this.fit(request, code, config, multiline), 'model', raw.model, started);
  }

  /**
   * Resolves once the streaming code, past `typed` (what the user typed since the call started),
   * holds a complete first line (after the leading line break a look-ahead answer at the end of a
   * line starts with): what a one-line suggestion shows is then final, since the streamed code
   * only grows. Resolves too when the code parts from `typed`: the call cannot serve this request.
   */
  private lineComplete(live: LiveAnswer, lookahead: boolean, typed = ''): EarlyServe {
    return servedWhen(live, (code) => {
      const settled = code.startsWith(typed)
        ? firstLineComplete(code.slice(typed.length), lookahead)
        : !typed.startsWith(code);
      return settled ? code : undefined;
    });
  }

  /**
   * Resolves once a multi-line answer's streaming code likely ran on into the lines after the
   * cursor (suffix.ts `likelyRunOnEnd`), with the code up to there: its suggestion is what the
   * complete answer's starts with. The stream itself stops only on surer evidence (two such lines),
   * so a line that was new code after all is still there for typed-ahead. Resolves too, with all the
   * code, when the code parts from `typed`; and, from `waitUntil` on (`completion.multilineWaitMs`
   * after the request came), with the lines that have streamed complete: a typist who paused at a
   * line's end gets those before typing on, rather than nothing (a late answer is never returned).
   */
  private likelyRunOn(live: LiveAnswer, context: PostprocessContext, waitUntil: number, typed = ''): EarlyServe {
    return servedWhen(
      live,
      (code, due) => {
        if (!code.startsWith(typed)) return typed.startsWith(code) ? undefined : code;
        const rest = code.slice(typed.length);
        const end = likelyRunOnEnd(rest, context);
        if (end !== -1) return code.slice(0, typed.length + end);
        if (!due && performance.now() < waitUntil) return undefined;
        const complete = completeLinesEnd(rest, context.lookahead);
        // Lines the fitting filters would empty (a replay of the next line) are no answer yet.
        if (complete === -1 || fitExplained(rest.slice(0, complete), context).text === '') return undefined;
        return code.slice(0, typed.length + complete);
      },
      waitUntil,
    );
  }

  /** The text around a request's cursor, as the normalizer and the fitting filters see it. */
  private view(request: SuggestRequest, config: GhostlineConfig, multiline: boolean): PostprocessContext {
    const prefix = request.text.slice(Math.max(0, request.offset - POSTPROCESS_CONTEXT), request.offset);
    const suffix = request.text.slice(request.offset, request.offset + POSTPROCESS_CONTEXT);
    return buildContext({
      raw: '',
      prefix,
      suffix,
      languageId: request.languageId,
      multiline,
      lookahead: looksAhead(request, config, multiline),
      maxLines: config.completion.maxLines,
    });
  }

  /**
   * Model text (partial or complete) to normalized code for this request's cursor: `read` scrubs
   * credentials the model produced and then restores the user's own redacted text (so scrubbing
   * never removes it); the normalizer then removes fences, prose, tags and echoes.
   */
  private normalizer(
    request: SuggestRequest,
    config: GhostlineConfig,
    multiline: boolean,
    read: (raw: string) => string,
  ): (raw: string, final: boolean) => NormalizedAnswer {
    const normalize = streamNormalizer(this.view(request, config, multiline));
    return (raw, final) => normalize(read(raw), final);
  }

  /** Normalized code to the suggestion shown at this request's cursor. */
  private fit(request: SuggestRequest, code: string, config: GhostlineConfig, multiline: boolean): Fitted {
    return code === '' ? { text: '', emptiedBy: 'no code' } : fitExplained(code, this.view(request, config, multiline));
  }

  /**
   * The one exit of every answer — model call, memory or shared cache, typed-ahead or
   * single-flight join: an answer for a document version that moved on is never returned.
   */
  private deliver(
    request: SuggestRequest,
    fitted: Fitted,
    source: 'model' | 'cache' | 'typed-ahead',
    model: string,
    started: number,
  ): SuggestOutcome {
    const { text } = fitted;
    const current = this.deps.currentVersion(request.uri);
    if (current !== undefined && current !== request.version) {
      this.deps.metrics.stale++;
      return { kind: 'stale' };
    }
    if (!text) {
      const why = fitted.emptiedBy ? ` (${fitted.emptiedBy})` : '';
      return this.empty(
        source === 'cache' ? `cached answer adds nothing${why}` : `${source} answer adds nothing${why}`,
      );
    }
    const metrics = this.deps.metrics;
    metrics.answered++;
    const latencyMs = performance.now() - started;
    this.deps.logger.debug(
      {
        event: 'suggestion',
        task: request.task,
        source,
        model,
        latencyMs,
        chars: text.length,
        lines: text.split('\n').length,
        shown: metrics.shown + 1,
        accepted: metrics.accepted,
      },
      'suggestion answered',
    );
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
    if (ticketSignal.reason === STALE) {
      this.deps.metrics.stale++;
      return { kind: 'stale' };
    }
    this.deps.metrics.cancelled++;
    return { kind: 'cancelled' };
  }
}

/**
 * Watches a call's streaming code until `pick` returns what to serve (undefined: not yet); never
 * once the call is done, since the caller then has the final answer.
 */
function servedWhen(
  live: LiveAnswer,
  pick: (code: string, due: boolean) => string | undefined,
  recheckAt?: number,
): EarlyServe {
  const watchers = (live.watchers ??= new Set());
  let check = () => {};
  let timer: NodeJS.Timeout | undefined;
  // Set by the timer: it may fire a little before performance.now() reaches `recheckAt` (libuv
  // measures from the loop's cached time), and a quiet stream would then never be looked at again.
  let due = false;
  const stop = () => {
    watchers.delete(check);
    clearTimeout(timer);
  };
  const ready = new Promise<string>((resolve) => {
    check = () => {
      if (live.done) return;
      const served = pick(live.code, due);
      if (served === undefined) return;
      stop();
      resolve(served);
    };
    watchers.add(check);
    check();
  });
  // A rule that turns on with time sees the code once more then, should the stream be quiet.
  if (recheckAt !== undefined && watchers.has(check)) {
    timer = setTimeout(
      () => {
        due = true;
        check();
      },
      Math.max(0, recheckAt - performance.now()),
    );
    timer.unref?.();
  }
  return { ready, stop };
}

/** True when `code` has a complete first line of code (after a leading line break, with look-ahead). */
export function firstLineComplete(code: string, lookahead: boolean): boolean {
  let body = code;
  if (lookahead && /^[ \t]*\n/.test(body)) body = body.slice(body.indexOf('\n') + 1);
  const end = body.indexOf('\n');
  return end !== -1 && body.slice(0, end).trim() !== '';
}
