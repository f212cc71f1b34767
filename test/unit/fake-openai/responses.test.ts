/**
 * The fake server's Responses API, driven by the real openai SDK: streaming event order and
 * shapes, the SDK's own stream helper (which checks event order), and non-streaming bodies.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../../fake-openai/server.ts';

let fake: FakeOpenAI;
let client: OpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  client = new OpenAI({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

describe('Responses API, streaming', () => {
  it('sends the documented events in order with increasing sequence numbers', async () => {
    fake.setResponder(() => ({ kind: 'text', text: 'const x = 1;', usage: { input: 1200, cached: 1024, output: 5 } }));
    const stream = await client.responses.create({
      model: 'gpt-4.1-mini',
      instructions: 'be brief',
      input: 'x',
      stream: true,
    });
    const events = [];
    for await (const event of stream) events.push(event);

    const types = [...new Set(events.map((event) => event.type))];
    expect(types).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    const deltas = events.flatMap((event) => (event.type === 'response.output_text.delta' ? [event.delta] : []));
    expect(deltas).toEqual(['cons', 't x ', '= 1;']);

    const completed = events.at(-1);
    if (completed?.type !== 'response.completed') throw new Error('last event is not response.completed');
    expect(completed.response.status).toBe('completed');
    expect(completed.response.instructions).toBe('be brief');
    expect(completed.response.usage).toEqual({
      input_tokens: 1200,
      input_tokens_details: { cached_tokens: 1024, cache_write_tokens: 0 },
      output_tokens: 5,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 1205,
    });
  });

  it('satisfies the SDK stream helper, which rejects out-of-order events', async () => {
    fake.setResponder(() => ({ kind: 'text', text: 'hello world', chunkChars: 3 }));
    const stream = client.responses.stream({ model: 'gpt-4.1-mini', input: 'x' });
    const final = await stream.finalResponse();
    expect(final.output_text).toBe('hello world');
    expect(final.usage?.output_tokens).toBeGreaterThan(0);
  });

  it('ends with response.incomplete when the script stops for length', async () => {
    fake.setResponder(() => ({ kind: 'text', text: 'abcdef', finish: 'length' }));
    const stream = await client.responses.create({ model: 'gpt-4.1-mini', input: 'x', stream: true });
    const events = [];
    for await (const event of stream) events.push(event);
    const last = events.at(-1);
    expect(last?.type).toBe('response.incomplete');
    if (last?.type === 'response.incomplete')
      expect(last.response.incomplete_details?.reason).toBe('max_output_tokens');
  });

  it('records the request body and headers the SDK sent', async () => {
    const stream = await client.responses.create({
      model: 'gpt-4.1',
      input: 'hi',
      stream: true,
      prompt_cache_key: 'k1',
      store: false,
    });
    for await (const _event of stream) void _event;
    const [request] = await fake.waitForRequests(1);
    expect(request?.api).toBe('responses');
    expect(request?.path).toBe('/v1/responses');
    expect(request?.body).toMatchObject({
      model: 'gpt-4.1',
      input: 'hi',
      stream: true,
      prompt_cache_key: 'k1',
      store: false,
    });
    expect(request?.headers.authorization).toBe('Bearer test');
  });
});

describe('Responses API, non-streaming', () => {
  it('returns a completed response the SDK reads output_text and usage from', async () => {
    fake.setResponder(() => ({ kind: 'text', text: 'return a + b;', usage: { input: 40, cached: 0, output: 6 } }));
    const response = await client.responses.create({ model: 'gpt-4.1-mini', input: 'x' });
    expect(response.object).toBe('response');
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe('return a + b;');
    expect(response.usage?.input_tokens).toBe(40);
    expect(response.usage?.total_tokens).toBe(46);
  });

  it('returns a failed response for a failed script', async () => {
    fake.setResponder(() => ({ kind: 'failed', code: 'server_error', message: 'boom' }));
    const response = await client.responses.create({ model: 'gpt-4.1-mini', input: 'x' });
    expect(response.status).toBe('failed');
    expect(response.error).toEqual({ code: 'server_error', message: 'boom' });
  });
});

describe('models', () => {
  it('lists the default models and those with a latency model', async () => {
    const local = await startFakeOpenAI({
      latency: { 'my-local-model': { ttftMs: 0, tokensPerSec: 1000, jitterMs: 0 } },
    });
    try {
      const localClient = new OpenAI({ apiKey: 'test', baseURL: local.url, maxRetries: 0 });
      const ids = [];
      for await (const model of localClient.models.list()) ids.push(model.id);
      expect(ids).toContain('gpt-4.1-mini');
      expect(ids).toContain('my-local-model');
    } finally {
      await local.close();
    }
  });
});
