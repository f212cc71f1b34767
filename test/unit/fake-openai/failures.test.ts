/**
 * The fake server's error and broken-stream scripts, as the real openai SDK surfaces them:
 * APIError subclasses with status and headers, in-stream errors, dropped connections, bad JSON,
 * and whether the server saw the client hang up.
 */
import OpenAI, { APIError, RateLimitError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../../fake-openai/server.ts';

let fake: FakeOpenAI;
let client: OpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  client = new OpenAI({ apiKey: 'test', baseURL: fake.url, maxRetries: 0, logLevel: 'off' });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

async function drainResponses(signal?: AbortSignal): Promise<string[]> {
  const stream = await client.responses.create({ model: 'gpt-4.1-mini', input: 'x', stream: true }, { signal });
  const types: string[] = [];
  for await (const event of stream) types.push(event.type);
  return types;
}

async function caught(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('HTTP errors', () => {
  it('maps a 429 to RateLimitError with its headers and code', async () => {
    fake.setResponder(() => ({
      kind: 'error',
      status: 429,
      headers: { 'retry-after': '2', 'retry-after-ms': '1500' },
    }));
    const error = await caught(() => drainResponses());
    expect(error).toBeInstanceOf(RateLimitError);
    const apiError = error as RateLimitError;
    expect(apiError.status).toBe(429);
    expect(apiError.headers.get('retry-after')).toBe('2');
    expect(apiError.headers.get('retry-after-ms')).toBe('1500');
    expect(apiError.code).toBe('rate_limit_exceeded');
  });

  it('gives insufficient_quota its own type and code', async () => {
    fake.setResponder(() => ({ kind: 'error', status: 429, code: 'insufficient_quota' }));
    const error = (await caught(() =>
      client.chat.completions.create({ model: 'gpt-4o-mini', messages: [] }),
    )) as APIError;
    expect(error.status).toBe(429);
    expect(error.code).toBe('insufficient_quota');
    expect(error.type).toBe('insufficient_quota');
    expect(error.message).toMatch(/quota/);
  });

  it.each([
    [400, 'context_length_exceeded', 'BadRequestError'],
    [401, 'invalid_api_key', 'AuthenticationError'],
    [404, 'model_not_found', 'NotFoundError'],
    [500, null, 'InternalServerError'],
  ])('maps status %i to the SDK error with code %s', async (status, code, className) => {
    fake.setResponder(() => ({ kind: 'error', status, ...(code ? { code } : {}) }));
    const error = (await caught(() => drainResponses())) as APIError;
    expect(error.constructor.name).toBe(className);
    expect(error.status).toBe(status);
    expect(error.code ?? null).toBe(code);
    expect(error.headers?.get('x-request-id')).toMatch(/^req_fake/);
  });
});

describe('broken streams', () => {
  it('surfaces an error event on HTTP 200 as an APIError with the code (Responses)', async () => {
    fake.setResponder(() => ({ kind: 'stream-error', code: 'context_length_exceeded', message: 'too long' }));
    const error = (await caught(() => drainResponses())) as APIError;
    expect(error).toBeInstanceOf(APIError);
    expect(error.status).toBeUndefined();
    expect(error.code).toBe('context_length_exceeded');
    expect(error.message).toBe('too long');
  });

  it('surfaces an error data line as an APIError (chat)', async () => {
    fake.setResponder(() => ({ kind: 'stream-error', code: 'server_error', message: 'overloaded' }));
    const error = (await caught(async () => {
      const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [], stream: true });
      for await (const _chunk of stream) void _chunk;
    })) as APIError;
    expect(error).toBeInstanceOf(APIError);
    expect(error.code).toBe('server_error');
  });

  it('sends response.failed with the error on the response', async () => {
    fake.setResponder(() => ({ kind: 'failed', code: 'server_error', message: 'model crashed' }));
    const stream = await client.responses.create({ model: 'gpt-4.1-mini', input: 'x', stream: true });
    let failed: { status?: string; error?: unknown } | undefined;
    for await (const event of stream) if (event.type === 'response.failed') failed = event.response;
    expect(failed?.status).toBe('failed');
    expect(failed?.error).toEqual({ code: 'server_error', message: 'model crashed' });
  });

  it('ends cleanly without a terminal event for no-terminal', async () => {
    fake.setResponder(() => ({ kind: 'no-terminal', text: 'partial' }));
    const types = await drainResponses();
    expect(types).toContain('response.output_text.delta');
    expect(types).not.toContain('response.completed');
    expect(types.at(-1)).toBe('response.output_item.done');
  });

  it('makes the SDK throw a SyntaxError on a data line that is not JSON', async () => {
    fake.setResponder(() => ({ kind: 'malformed' }));
    const error = await caught(() => drainResponses());
    expect(error).toBeInstanceOf(SyntaxError);
  });

  it('drops the connection mid-stream on reset (undici: TypeError terminated)', async () => {
    fake.setResponder(() => ({ kind: 'reset', text: 'hello world', afterChunks: 2 }));
    const types: string[] = [];
    const error = await caught(async () => {
      const stream = await client.responses.create({ model: 'gpt-4.1-mini', input: 'x', stream: true });
      for await (const event of stream) types.push(event.type);
    });
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('terminated');
    expect(types.filter((type) => type === 'response.output_text.delta')).toHaveLength(2);
    const [request] = fake.requests;
    await request?.done;
    expect(request?.clientClosed).toBe(false);
  });
});

describe('client hang-ups', () => {
  it('records clientClosed when the client aborts a stalled stream', async () => {
    fake.setResponder(() => ({ kind: 'stall', text: 'abcdefgh', afterChunks: 1 }));
    const controller = new AbortController();
    const stream = await client.responses.create(
      { model: 'gpt-4.1-mini', input: 'x', stream: true },
      { signal: controller.signal },
    );
    for await (const event of stream) if (event.type === 'response.output_text.delta') controller.abort();
    const [request] = await fake.waitForRequests(1);
    await request?.done;
    expect(request?.clientClosed).toBe(true);
  });

  it('records clientClosed when the client gives up before any header', async () => {
    fake.setResponder(() => ({ kind: 'stall-before-headers' }));
    const controller = new AbortController();
    const pending = client.responses.create(
      { model: 'gpt-4.1-mini', input: 'x', stream: true },
      { signal: controller.signal },
    );
    const [request] = await fake.waitForRequests(1);
    controller.abort();
    await expect(pending).rejects.toThrow(/abort/i);
    await request?.done;
    expect(request?.clientClosed).toBe(true);
  });

  it('leaves clientClosed false for a response that finished', async () => {
    await drainResponses();
    const [request] = fake.requests;
    await request?.done;
    expect(request?.clientClosed).toBe(false);
  });
});

describe('bookkeeping', () => {
  it('rejects waitForRequests when too few requests arrive in time', async () => {
    await expect(fake.waitForRequests(1, 50)).rejects.toThrow(/expected 1 requests/);
  });

  it('answers an unknown path with a 404 in OpenAI error shape', async () => {
    const response = await fetch(`${fake.url}/nope`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { message: string; type: string } };
    expect(body.error.type).toBe('invalid_request_error');
  });

  it('close() returns while a client still waits on a stalled request', async () => {
    const local = await startFakeOpenAI({ responder: () => ({ kind: 'stall-before-headers' }) });
    const localClient = new OpenAI({ apiKey: 'test', baseURL: local.url, maxRetries: 0 });
    const pending = localClient.responses.create({ model: 'gpt-4.1-mini', input: 'x' });
    await local.waitForRequests(1);
    await local.close();
    await expect(pending).rejects.toThrow();
  });
});
