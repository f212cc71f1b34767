/**
 * The ModelProvider for OpenAI and OpenAI-compatible servers, over the official SDK with its own
 * retries off: this file owns the retry loop, the deadlines and the per-attempt log line; the
 * wire details live in responses-attempt.ts and chat-attempt.ts.
 */
import OpenAI from 'openai';
import type { Logger } from 'pino';
import type { AttemptInput, AttemptOutput } from './attempt.ts';
import { runChatAttempt } from './chat-attempt.ts';
import { startAttemptDeadline, startCallDeadline, type Deadline } from './deadline.ts';
import { createDeltaGate } from './delta-gate.ts';
import { classifyError } from './errors.ts';
import { runResponsesAttempt } from './responses-attempt.ts';
import { planRetry, sleepUnlessAborted, type RetryPolicy } from './retry.ts';
import { ProviderError, type DeltaListener, type ModelProvider, type ModelRequest, type ModelResult, type ProviderApi } from './types.ts';

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
function sdkLogging(logger: Logger | undefined): Pick<ConstructorParameters<typeof OpenAI>[0] & object, 'logger' | 'logLevel'> {
  if (!logger) return { logLevel: 'off' };
  const warn = (message: string) => logger.warn({ source: 'openai-sdk' }, message);
  const quiet = () => undefined;
  return { logLevel: 'warn', logger: { error: warn, warn, info: quiet, debug: quiet } };
}

function createClient(options: OpenAIProviderOptions): OpenAI | undefined {
  const apiKey = options.apiKey || (options.baseUrl ? PLACEHOLDER_API_KEY : undefined);
  if (!apiKey) return undefined;
  // Everything is passed explicitly so the SDK reads nothing from the environment on its own.
  return new OpenAI({
    apiKey,
    baseURL: options.baseUrl ?? OPENAI_BASE_URL,
    organization: options.organization ?? null,
    project: options.project ?? null,
    defaultHeaders: options.headers ?? {},
    maxRetries: 0,
    timeout: options.timeouts.totalMs,
    ...sdkLogging(options.logger),
  });
}

function failure(error: ProviderError, attempts: number): ProviderError {
  return new ProviderError(error.kind, error.message, { ...error.details, attempts });
}

export function createOpenAIProvider(options: OpenAIProviderOptions): ModelProvider {
  const client = createClient(options);
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? sleepUnlessAborted;
  const runAttempt: (input: AttemptInput) => Promise<AttemptOutput> = options.api === 'chat' ? runChatAttempt : runResponsesAttempt;
  const log = options.logger?.child({ provider: options.name, api: options.api });

  async function attemptOnce(request: ModelRequest, call: Deadline, attempt: number, emit: (delta: string) => void): Promise<AttemptOutput> {
    const deadline = startAttemptDeadline(call, options.timeouts);
    const started = performance.now();
    try {
      const output = await runAttempt({
        client: client!,
        request,
        deadline,
        emit,
        sendPromptCacheKey: options.sendPromptCacheKey,
        supportsPrediction: options.supportsPrediction,
      });
      log?.debug({ model: request.model, attempt, outcome: 'ok', ms: Math.round(performance.now() - started) }, 'model attempt');
      return output;
    } catch (raw) {
      const error = classifyError(raw, { cancelled: request.signal.aborted, deadline: deadline.timedOut() });
      log?.debug(
        { model: request.model, attempt, outcome: error.kind, status: error.details.status, code: error.details.code, ms: Math.round(performance.now() - started) },
        'model attempt',
      );
      throw error;
    } finally {
      deadline.dispose();
    }
  }

  async function complete(request: ModelRequest, onDelta?: DeltaListener): Promise<ModelResult> {
    if (!client) throw new ProviderError('no_api_key', `provider "${options.name}" has no API key`, { attempts: 0 });
    if (request.signal.aborted) throw new ProviderError('cancelled', 'the request was cancelled', { attempts: 0 });
    const call = startCallDeadline(request.signal, options.timeouts.totalMs);
    const gate = createDeltaGate(onDelta);
    try {
      for (let attempt = 1; ; attempt++) {
        gate.restart();
        try {
          const output = await attemptOnce(request, call, attempt, gate.push);
          return { ...output, model: request.model, attempts: attempt };
        } catch (error) {
          const classified = error as ProviderError;
          // The total deadline covers the whole call: no time is left for another attempt.
          if (classified.kind === 'cancelled' || call.timedOut()) throw failure(classified, attempt);
          const decision = planRetry(classified, attempt, options.retry, random);
          if (!decision.retry) throw failure(classified, attempt);
          log?.debug({ model: request.model, attempt, kind: classified.kind, delayMs: decision.delayMs }, 'retrying');
          await sleep(decision.delayMs, call.signal);
          if (request.signal.aborted) throw new ProviderError('cancelled', 'the request was cancelled', { attempts: attempt });
          if (call.timedOut()) throw new ProviderError('timeout', 'the total deadline passed while waiting to retry', { attempts: attempt, code: 'total' });
        }
      }
    } finally {
      call.dispose();
    }
  }

  return { name: options.name, complete };
}
