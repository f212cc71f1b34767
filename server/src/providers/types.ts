/**
 * The contract between the rest of ghostline and a model API. Features and the router speak
 * only these types; providers/ is the only place that imports the `openai` SDK.
 */

export { TASKS, type Task } from '../config/tasks.ts';

/** Which wire protocol a provider speaks. */
export type ProviderApi = 'responses' | 'chat';

export interface ModelRequest {
  model: string;
  /** Byte-stable instructions (system / developer message): first, so OpenAI's prompt cache hits. */
  instructions: string;
  /** The user message; volatile cursor text goes last. */
  input: string;
  temperature: number;
  maxOutputTokens: number;
  /** Stop sequences (Chat Completions only; the Responses API has none, post-processing cuts instead). */
  stop?: string[];
  promptCacheKey?: string;
  /** Predicted Outputs (Chat Completions only). */
  prediction?: string;
  /** Structured output: a strict JSON schema the answer must follow. */
  jsonSchema?: { name: string; schema: Record<string, unknown> };
  /** Aborting this cancels the HTTP request to the model. */
  signal: AbortSignal;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
}

export interface ModelResult {
  text: string;
  model: string;
  usage: Usage;
  /** 'stop' | 'length' | 'incomplete' | ... as reported by the API. */
  finishReason: string;
  /** Attempts made, 1 when the first one succeeded. */
  attempts: number;
}

/** Called with each text delta as it streams in. */
export type DeltaListener = (delta: string) => void;

export interface ModelProvider {
  readonly name: string;
  /**
   * Runs one model call with retries. Resolves with the whole text; calls onDelta as text arrives.
   * Rejects with ProviderError (kind 'cancelled' when the signal aborted).
   */
  complete(request: ModelRequest, onDelta?: DeltaListener): Promise<ModelResult>;
}

export type ProviderErrorKind =
  | 'cancelled' // the caller's signal aborted
  | 'no_api_key' // nothing to authenticate with
  | 'auth' // 401/403
  | 'rate_limited' // 429 that may succeed later
  | 'quota' // 429 insufficient_quota: retrying cannot fix it
  | 'server' // 5xx
  | 'timeout' // first-token, idle or total deadline passed
  | 'network' // connection refused, reset, DNS
  | 'context_length' // the prompt does not fit the model
  | 'bad_request' // 400/404/422 other than context length
  | 'stream' // malformed SSE, missing terminal event, response.failed / error event
  | 'unknown';

export interface ProviderErrorDetails {
  status?: number;
  code?: string;
  retryAfterMs?: number;
  attempts?: number;
}

export class ProviderError extends Error {
  readonly kind: ProviderErrorKind;
  readonly details: ProviderErrorDetails;

  constructor(kind: ProviderErrorKind, message: string, details: ProviderErrorDetails = {}) {
    super(message);
    this.name = 'ProviderError';
    this.kind = kind;
    this.details = details;
  }

  /** Worth trying again (same model after a delay, or the next model in the fallback chain). */
  get retryable(): boolean {
    return (
      this.kind === 'rate_limited' ||
      this.kind === 'server' ||
      this.kind === 'timeout' ||
      this.kind === 'network' ||
      this.kind === 'stream'
    );
  }
}
