/**
 * The one place that turns whatever a model call threw — SDK errors with status and headers,
 * in-stream error events, undici's raw network errors, aborts — into a ProviderError kind.
 */
import type { APIError } from 'openai';
import type { DeadlineReason } from './deadline.ts';
import { parseRetryAfterMs } from './retry.ts';
import { loadedSdk } from './sdk.ts';
import { ProviderError, type ProviderErrorKind } from './types.ts';

export interface ClassifyContext {
  /** The caller's signal aborted: whatever the SDK threw, this is a cancel. */
  cancelled?: boolean;
  /** A deadline fired: the abort it caused is a timeout. */
  deadline?: DeadlineReason | undefined;
  now?: number;
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/** Masks anything shaped like an OpenAI key; 401 messages echo part of the key. */
export function redactSecrets(text: string): string {
  return text.replace(/\bsk-[A-Za-z0-9_*.-]{3,}/g, 'sk-***');
}

/** Error codes that mean the same thing whether they came as an HTTP status or an in-stream event. */
function kindFromCode(
  code: string | null | undefined,
  type: string | null | undefined,
  message: string,
): ProviderErrorKind | undefined {
  if (code === 'context_length_exceeded' || /maximum context length/i.test(message)) return 'context_length';
  if (code === 'insufficient_quota' || type === 'insufficient_quota') return 'quota';
  if (code === 'rate_limit_exceeded') return 'rate_limited';
  if (code === 'invalid_api_key') return 'auth';
  return undefined;
}

function kindFromStatus(status: number): ProviderErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate_limited';
  if (status === 408) return 'timeout';
  if (status === 409 || status >= 500) return 'server';
  if (status >= 400) return 'bad_request';
  return 'unknown';
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function isAbort(error: unknown): boolean {
  const sdk = loadedSdk();
  return (
    (sdk !== undefined && error instanceof sdk.APIUserAbortError) ||
    (error instanceof Error && error.name === 'AbortError')
  );
}

function fromApiError(error: APIError, now: number): ProviderError {
  const message = redactSecrets(error.message);
  const code = error.code ?? undefined;
  const status = error.status;
  const kind = kindFromCode(code, error.type, message) ?? (status === undefined ? 'stream' : kindFromStatus(status));
  const retryAfterMs = kind === 'rate_limited' ? parseRetryAfterMs(error.headers, message, now) : undefined;
  return new ProviderError(kind, message, {
    ...(status !== undefined ? { status } : {}),
    ...(code ? { code } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}

/** Maps anything a model call threw to a ProviderError. */
export function classifyError(error: unknown, context: ClassifyContext = {}): ProviderError {
  if (context.cancelled) return new ProviderError('cancelled', 'the request was cancelled');
  if (context.deadline) {
    const what = context.deadline === 'first_token' ? 'first-token' : context.deadline;
    return new ProviderError('timeout', `the ${what} deadline passed`, { code: context.deadline });
  }
  if (error instanceof ProviderError) return error;
  // The SDK's errors exist only once it is loaded (sdk.ts); before that nothing could throw one.
  const sdk = loadedSdk();
  if (sdk && error instanceof sdk.APIConnectionTimeoutError)
    return new ProviderError('timeout', redactSecrets(error.message));
  if (isAbort(error)) return new ProviderError('cancelled', 'the request was aborted');
  if (sdk && error instanceof sdk.APIConnectionError) {
    const code = errorCode(error);
    return new ProviderError('network', redactSecrets(error.message), code ? { code } : {});
  }
  if (sdk && error instanceof sdk.APIError) return fromApiError(error, context.now ?? Date.now());
  // The SDK throws a SyntaxError for a data line that is not JSON.
  if (error instanceof SyntaxError) return new ProviderError('stream', `malformed server-sent event: ${error.message}`);
  // undici surfaces a connection dropped mid-body as a bare `TypeError: terminated`.
  const code = errorCode(error);
  if (code || (error instanceof TypeError && /terminated|fetch failed|socket/i.test(error.message))) {
    return new ProviderError(
      'network',
      `connection lost: ${error instanceof Error ? error.message : String(error)}`,
      code ? { code } : {},
    );
  }
  return new ProviderError('unknown', redactSecrets(error instanceof Error ? error.message : String(error)));
}

/** The error of a `response.failed` event or an error event the SDK passed through as data. */
export function streamFailureError(code: string | null | undefined, message: string | undefined): ProviderError {
  const text = redactSecrets(message ?? 'the model reported a failure');
  return new ProviderError(kindFromCode(code, undefined, text) ?? 'stream', text, code ? { code } : {});
}
