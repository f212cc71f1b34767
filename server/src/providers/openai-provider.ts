/**
 * The ModelProvider for OpenAI and OpenAI-compatible servers, over the official SDK with its own
 * retries off: this file owns the retry loop, the deadlines and the per-attempt log line; the
 * wire details live in responses-attempt.ts and chat-attempt.ts.
 */
import type OpenAI from 'openai';
import type { Logger } from 'pino';
import type { AttemptInput, AttemptOutput } from './attempt.ts';
import { runChatAttempt } from './chat-attempt.ts';
import { startAttemptDeadline, startCallDeadline, type Deadline } from './deadline.ts';
import { createDeltaGate } from './delta-gate.ts';
import { classifyError } from './errors.ts';
import { runResponsesAttempt } from './responses-attempt.ts';
import { loadSdk, type OpenAISdk } from './sdk.ts';
import { planRetry, sleepUnlessAborted, type RetryDecision, type RetryPolicy } from './retry.ts';
import {
  ProviderError,
  type DeltaListener,
  type ModelProvider,
  type ModelRequest,
  type ModelResult,
  type ProviderApi,
} from './types.ts';

/** Sent to local servers that need no key; the SDK refuses to start without one. */
export const PLACEHOLDER_API_KEY = 'ghostline-no-key';
const OPENAI_BASE_URL = 'https://api.openai.com/v1';

export interface ProviderTimeouts {
  firstTokenMs: number;
  idleMs: number;
  totalMs: number;
}

export interface OpenAIProviderOptions {
  name: string;
  api: ProviderApi;
  /** Unset means OpenAI itself, which needs an API key. */
  baseUrl?: string | undefined;
  apiKey?: string | undefined;
  organization?: string | undefined;
  project?: string | undefined;
  headers?: Record<string, string> | undefined;
  sendPromptCacheKey: boolean;
  supportsPrediction: boolean;
  timeouts: ProviderTimeouts;
  retry: RetryPolicy;
  logger?: Logger | undefined;
  /** Jitter source, injectable for tests. */
  random?: () => number;
  /** Backoff wait; must end early when the signal aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** The SDK's own warnings go to our logger (never stdout); without one they are dropped. */
function sdkLogging(
  logger: Logger | undefined,
): Pick<ConstructorParameters<typeof OpenAI>[0] & object, 'logger' | 'logLevel'> {
  if (!logger) return { logLevel: 'off' };
  const warn = (message: string) => logger.warn({ source: 'openai-sdk' }, message);
  const quiet = () => undefined;
  return { logLevel: 'warn', logger: { error: warn, warn, info: quiet, debug: quiet } };
}

function createClient(sdk: OpenAISdk, options: OpenAIProviderOptions, apiKey: string): OpenAI {
  // Everything is passed explicitly so the SDK reads nothing from the environment on its own.
  return new sdk.OpenAI({
    apiKey,
    baseURL: options.baseUrl ?? OPENAI_BASE_URL,
    organization: options.organization ?? null,
    project: options.project ?? null,
    defaultHeaders: options.headers ?? {},
    maxRetries: 0,
    // Our total deadline rules; the SDK's timer sits a little later so the two never race.
    timeout: options.timeouts.totalMs + 1000,
    ...sdkLogging(options.logger),
  });
}

type AttemptOutcome = { ok: true; output: AttemptOutput; ms: number } | { ok: false; error: ProviderError; ms: number };

function failure(error: ProviderError, attempts: number): ProviderError {
  return new ProviderError(error.kind, error.message, { ...error.details, attempts });
}

export function createOpenAIProvider(options: OpenAIProviderOptions): ModelProvider {
  const apiKey = options.apiKey || (options.baseUrl ? PLACEHOLDER_API_KEY : undefined);
  /** Built on the first call, once the SDK is loaded (sdk.ts). */
  let client: Promise<OpenAI> | undefined;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? sleepUnlessAborted;
  const runAttempt: (input: AttemptInput) => Promise<AttemptOutput> =
    options.api === 'chat' ? runChatAttempt : runResponsesAttempt;
  const log = options.logger?.child({ provider: options.name, api: options.api });
  // OpenAI masks a rejected key in its 401 message; proxies and local servers may echo it whole.
  const key = options.apiKey;
  const hideKey = (error: ProviderError): ProviderError =>
    key !== undefined && key.length >= 8 && error.message.includes(key)
      ? new ProviderError(error.kind, error.message.replaceAll(key, '[api key]'), error.details)
      : error;

  /** One HTTP attempt; failures come back as a classified value so the caller logs the decision with them. */
  async function attemptOnce(
    request: ModelRequest,
    client: OpenAI,
    call: Deadline,
    emit: (delta: string) => void,
  ): Promise<AttemptOutcome> {
    const deadline = startAttemptDeadline(call, options.timeouts);
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const output = await runAttempt({
        client,
        request,
        deadline,
        emit,
        sendPromptCacheKey: options.sendPromptCacheKey,
        supportsPrediction: options.supportsPrediction,
      });
      return { ok: true, output, ms: elapsed() };
    } catch (raw) {
      return {
        ok: false,
        error: hideKey(classifyError(raw, { cancelled: request.signal.aborted, deadline: deadline.timedOut() })),
        ms: elapsed(),
      };
    } finally {
      deadline.dispose();
    }
  }

  async function complete(request: ModelRequest, onDelta?: DeltaListener): Promise<ModelResult> {
    if (!apiKey) throw new ProviderError('no_api_key', `provider "${options.name}" has no API key`, { attempts: 0 });
    if (request.signal.aborted) throw new ProviderError('cancelled', 'the request was cancelled', { attempts: 0 });
    // Loading the SDK (the first call only, unless compose's warm-up did it) comes before the
    // deadlines start: its tens of milliseconds must not count against the first token.
    client ??= loadSdk().then((sdk) => createClient(sdk, options, apiKey));
    const sdkClient = await client;
    if (request.signal.aborted) throw new ProviderError('cancelled', 'the request was cancelled', { attempts: 0 });
    const call = startCallDeadline(request.signal, options.timeouts.totalMs);
    const gate = createDeltaGate(onDelta);
    try {
      for (let attempt = 1; ; attempt++) {
        gate.restart();
        const outcome = await attemptOnce(request, sdkClient, call, gate.push);
        const line = { model: request.model, attempt, ms: outcome.ms };
        if (outcome.ok) {
          log?.debug({ ...line, outcome: 'ok' }, 'model attempt');
          return { ...outcome.output, model: request.model, attempts: attempt };
        }
        const { error } = outcome;
        // The total deadline covers the whole call: no time is left for another attempt.
        const decision: RetryDecision =
          error.kind === 'cancelled' || call.timedOut()
            ? { retry: false, reason: 'not_retryable' }
            : planRetry(error, attempt, options.retry, random);
        log?.debug(
          {
            ...line,
            outcome: error.kind,
            status: error.details.status,
            code: error.details.code,
            retryInMs: decision.retry ? decision.delayMs : undefined,
          },
          'model attempt',
        );
        if (!decision.retry) throw failure(error, attempt);
        await sleep(decision.delayMs, call.signal);
        if (request.signal.aborted)
          throw new ProviderError('cancelled', 'the request was cancelled', { attempts: attempt });
        if (call.timedOut())
          throw new ProviderError('timeout', 'the total deadline passed while waiting to retry', {
            attempts: attempt,
            code: 'total',
          });
      }
    } finally {
      call.dispose();
    }
  }

  return { name: options.name, complete };
}
