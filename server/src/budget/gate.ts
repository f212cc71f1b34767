/**
 * The budget hook the router calls around every model call: refuses at a hard daily cap, moves to
 * a cheaper model at a soft cap, keeps the team under its shared requests- and tokens-per-minute
 * limit, and charges each call's tokens and cost to the team and the user. When the daily counters
 * cannot be read in time (Redis down or slow) calls go ahead: caps fail open, completions keep
 * working; the rate limit falls back to this process's share of it (local-rate.ts).
 */
import { utcDay } from '../cache/redis-keys.ts';
import type { RateAnswer, SpendStore } from '../cache/types.ts';
import type { GhostlineConfig } from '../config/schema.ts';
import { ProviderError, type Task, type Usage } from '../providers/types.ts';
import { modelInfo } from '../router/policy.ts';
import type { BudgetHook } from '../router/router.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import type { UsageEvents } from '../usage/recorder.ts';
import { estimateCost } from '../router/prices.ts';
import { LocalRateLedger, type Unconfirmed } from './local-rate.ts';
import { capMessage, checkCaps, hasCaps, pickCheaper } from './policy.ts';

export interface BudgetGateDeps {
  config: () => GhostlineConfig;
  /** Redis when the team tier is up, else this process's memory (read at each call). */
  store: () => SpendStore;
  user: () => string;
  logger: Logger;
  metrics: Metrics;
  /** The dashboard's daily counters: tokens and cost of every charged call, rate-limit waits. */
  usage?: UsageEvents;
  report: (severity: 'error' | 'warning' | 'info', message: string) => void;
  now?: () => number;
}

/** Error code of a refusal at a hard cap (kind `quota`: retrying cannot help today). */
export const BUDGET_HARD_CAP = 'budget_hard_cap';
/** Error code of a refusal by the team rate limit (kind `rate_limited`). */
export const TEAM_RATE_LIMIT = 'team_rate_limit';

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ProviderError('cancelled', 'cancelled while waiting for the team rate limit'));
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

export class BudgetGate implements BudgetHook {
  private readonly deps: BudgetGateDeps;
  private readonly now: () => number;
  /** This process's calls against the team limit, and those it let through while Redis did not answer. */
  readonly ledger = new LocalRateLedger();

  constructor(deps: BudgetGateDeps) {
    this.deps = deps;
    this.now = deps.now ?? Date.now;
  }

  async admit(request: {
    task: Task;
    models: string[];
    promptTokens: number;
    maxOutputTokens: number;
    signal: AbortSignal;
  }): Promise<{ model?: string; reason?: string }> {
    const config = this.deps.config();
    const budget = config.budget;
    let decision: { model?: string; reason?: string } = {};
    if (hasCaps(budget.team) || hasCaps(budget.perUser)) {
      const user = this.deps.user();
      const spend = await this.deps.store().read(utcDay(this.now()), user);
      const check = spend ? checkCaps(spend, budget) : { level: 'ok' as const };
      if (check.level === 'hard') {
        this.deps.metrics.budgetRefusals++;
        const message = capMessage(check, config.cache.team, user);
        this.deps.report('error', message);
        throw new ProviderError('quota', message, { code: BUDGET_HARD_CAP });
      }
      if (check.level === 'soft') {
        const model = pickCheaper(config, request.task, request.models, request.promptTokens, request.maxOutputTokens);
        if (model) {
          this.deps.metrics.budgetDowngrades++;
          this.deps.report('info', capMessage(check, config.cache.team, user, { task: request.task, model }));
          decision = { model, reason: `budget: ${check.scope} soft cap on ${check.measure} reached, using ${model}` };
        }
      }
    }
    if (budget.requestsPerMinute !== undefined || budget.tokensPerMinute !== undefined)
      await this.takeRate(config, request);
    return decision;
  }

  charge(spend: { task: Task; model: string; usage: Usage }): void {
    const config = this.deps.config();
    const tokens = spend.usage.inputTokens + spend.usage.outputTokens;
    const cost = estimateCost(modelInfo(config, spend.model), spend.usage);
    this.deps.usage?.charged({ model: spend.model, ...spend.usage, costUsd: cost });
    this.deps
      .store()
      .charge(utcDay(this.now()), this.deps.user(), tokens, cost)
      .catch((error: Error) => this.deps.logger.debug({ err: error.message }, 'budget charge failed'));
  }

  /**
   * Waits (up to budget.rateLimitWaitMs in all) for room under the team limit, or refuses. When the
   * shared store cannot answer in time, the call goes ahead only within this process's share of the
   * limit, and is counted into the shared window with the next request the store answers.
   */
  private async takeRate(
    config: GhostlineConfig,
    request: { promptTokens: number; maxOutputTokens: number; signal: AbortSignal },
  ): Promise<void> {
    const budget = config.budget;
    const limits = { requestsPerMinute: budget.requestsPerMinute ?? 0, tokensPerMinute: budget.tokensPerMinute ?? 0 };
    // OpenAI counts a request against tokens per minute by its prompt plus its output allowance.
    const tokens = request.promptTokens + request.maxOutputTokens;
    const giveUpAt = this.now() + budget.rateLimitWaitMs;
    for (;;) {
      const carried = this.ledger.drain(this.now());
      const alone: { call?: Unconfirmed } = {};
      const late = (answer: { admitted: boolean } | undefined) => {
        if (!answer) this.ledger.restore(carried);
        else if (answer.admitted && alone.call) this.ledger.settle(alone.call);
      };
      const share = this.ledger.fitsShare(this.now(), limits, budget.rateLimitProcesses, tokens);
      const carry = {
        requests: carried.length,
        tokens: carried.reduce((sum, call) => sum + call.tokens, 0),
        withinShare: share.fits,
        late,
      };
      let taken: RateAnswer | undefined;
      if (!share.fits && this.ledger.strict(this.now())) {
        // Just after an outage: past its share this process is refused without asking Redis (the calls it carries wait for the next ask).
        this.ledger.restore(carried);
        taken = { admitted: false, retryAfterMs: share.retryAfterMs };
      } else {
        taken = await this.deps.store().takeRate(limits, tokens, carry);
        if (taken?.outage) this.ledger.noteOutage(this.now());
      }
      let retryAfterMs: number;
      if (taken?.admitted) {
        this.ledger.confirmed(this.now(), tokens);
        return;
      } else if (taken) {
        retryAfterMs = taken.retryAfterMs;
      } else {
        const local = this.ledger.admitAlone(this.now(), limits, budget.rateLimitProcesses, tokens);
        if (local.admitted) {
          alone.call = local.call;
          this.deps.metrics.rateAdmittedAlone++;
          this.deps.logger.debug(
            { waiting: this.ledger.waiting },
            "team rate limit: no answer from the shared store in time; admitted within this process's share",
          );
          return;
        }
        retryAfterMs = local.retryAfterMs;
      }
      if (this.now() + retryAfterMs > giveUpAt) {
        this.deps.metrics.teamRateLimited++;
        const seconds = Math.ceil(retryAfterMs / 1000);
        const limit = [
          budget.requestsPerMinute && `${budget.requestsPerMinute} requests`,
          budget.tokensPerMinute && `${budget.tokensPerMinute} tokens`,
        ]
          .filter(Boolean)
          .join(' and ');
        this.deps.report(
          'warning',
          `ghostline: the team "${config.cache.team}" is at its shared limit of ${limit} per minute; some suggestions are skipped until there is room.`,
        );
        throw new ProviderError('rate_limited', `team rate limit reached; room again in about ${seconds} s`, {
          code: TEAM_RATE_LIMIT,
          retryAfterMs,
        });
      }
      this.deps.usage?.rateLimitWait();
      await sleep(retryAfterMs, request.signal);
    }
  }
}
