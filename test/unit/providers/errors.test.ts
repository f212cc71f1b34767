/** classifyError: every kind of failure the SDK and undici produce maps to one ProviderError kind. */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { classifyError, redactSecrets, streamFailureError } from '../../../server/src/providers/errors.ts';
import { loadSdk } from '../../../server/src/providers/sdk.ts';
import { ProviderError } from '../../../server/src/providers/types.ts';

function httpError(status: number, error: Record<string, unknown>, headers: Record<string, string> = {}): APIError {
  return APIError.generate(status, { error }, undefined, new Headers(headers));
}

// classifyError knows the SDK's errors once the provider has loaded it (sdk.ts).
beforeAll(async () => {
  await loadSdk();
});

describe('classifyError with HTTP errors', () => {
  it.each([
    [401, { message: 'Incorrect API key', code: 'invalid_api_key' }, 'auth'],
    [403, { message: 'Forbidden' }, 'auth'],
    [400, { message: 'bad', code: null }, 'bad_request'],
    [404, { message: 'no model', code: 'model_not_found' }, 'bad_request'],
    [422, { message: 'unprocessable' }, 'bad_request'],
    [400, { message: 'too long', code: 'context_length_exceeded' }, 'context_length'],
    [400, { message: "This model's maximum context length is 128000 tokens." }, 'context_length'],
    [429, { message: 'Rate limit reached', code: 'rate_limit_exceeded' }, 'rate_limited'],
    [
      429,
      { message: 'You exceeded your current quota', code: 'insufficient_quota', type: 'insufficient_quota' },
      'quota',
    ],
    [408, { message: 'timeout' }, 'timeout'],
    [409, { message: 'conflict' }, 'server'],
    [500, { message: 'oops' }, 'server'],
    [503, { message: 'overloaded' }, 'server'],
  ] as const)('status %i %j → %s', (status, body, kind) => {
    const error = classifyError(httpError(status, body));
    expect(error.kind).toBe(kind);
    expect(error.details.status).toBe(status);
  });

  it('carries the retry-after of a 429 and the code', () => {
    const error = classifyError(
      httpError(429, { message: 'slow down', code: 'rate_limit_exceeded' }, { 'retry-after': '3' }),
    );
    expect(error.details).toEqual({ status: 429, code: 'rate_limit_exceeded', retryAfterMs: 3000 });
  });

  it('reads the wait from the message when a 429 has no header', () => {
    const error = classifyError(httpError(429, { message: 'Please try again in 0.2s.', code: 'rate_limit_exceeded' }));
    expect(error.details.retryAfterMs).toBe(200);
  });

  it('masks API keys echoed in a message', () => {
    const error = classifyError(httpError(401, { message: 'Incorrect API key provided: sk-proj-abc***wxyz.' }));
    expect(error.message).not.toContain('abc');
    expect(error.message).toContain('sk-***');
  });
});

describe('classifyError with stream and transport failures', () => {
  it('maps an in-stream error event (no status) by its code', () => {
    const inStream = (code: string) => new APIError(undefined, { code, message: code }, undefined, new Headers());
    expect(classifyError(inStream('context_length_exceeded')).kind).toBe('context_length');
    expect(classifyError(inStream('server_error')).kind).toBe('stream');
    expect(classifyError(inStream('rate_limit_exceeded')).kind).toBe('rate_limited');
  });

  it('maps malformed SSE to stream', () => {
    expect(classifyError(new SyntaxError('Error reading response: malformed server-sent event JSON.')).kind).toBe(
      'stream',
    );
  });

  it("maps undici's TypeError: terminated to network", () => {
    const terminated = new TypeError('terminated', {
      cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
    });
    const error = classifyError(terminated);
    expect(error.kind).toBe('network');
    expect(error.details.code).toBe('UND_ERR_SOCKET');
  });

  it('maps SDK connection errors to network and connection timeouts to timeout', () => {
    const refused = new APIConnectionError({
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    });
    expect(classifyError(refused)).toMatchObject({ kind: 'network', details: { code: 'ECONNREFUSED' } });
    expect(classifyError(new APIConnectionTimeoutError()).kind).toBe('timeout');
  });

  it('lets the context decide: cancelled beats a deadline, a deadline beats the abort error', () => {
    const abort = new APIUserAbortError();
    expect(classifyError(abort).kind).toBe('cancelled');
    expect(classifyError(abort, { deadline: 'idle' })).toMatchObject({ kind: 'timeout', details: { code: 'idle' } });
    expect(classifyError(abort, { cancelled: true, deadline: 'idle' }).kind).toBe('cancelled');
  });

  it('passes a ProviderError through and calls the rest unknown', () => {
    const original = new ProviderError('stream', 'no terminal event');
    expect(classifyError(original)).toBe(original);
    expect(classifyError(new Error('weird')).kind).toBe('unknown');
    expect(classifyError('a string').kind).toBe('unknown');
  });
});

describe('streamFailureError', () => {
  it('maps response.failed codes', () => {
    expect(streamFailureError('context_length_exceeded', 'too long').kind).toBe('context_length');
    expect(streamFailureError('server_error', 'boom')).toMatchObject({
      kind: 'stream',
      message: 'boom',
      details: { code: 'server_error' },
    });
    expect(streamFailureError(null, undefined).kind).toBe('stream');
  });
});

describe('redactSecrets', () => {
  it('masks key-shaped tokens only', () => {
    expect(redactSecrets('key sk-abcdef123 and task-list')).toBe('key sk-*** and task-list');
  });
});
