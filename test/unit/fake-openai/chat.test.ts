/**
 * The fake server's Chat Completions API, driven by the real openai SDK: chunks, the usage chunk
 * with empty choices, `[DONE]`, the SDK's stream helper, and non-streaming bodies.
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

const messages = [{ role: 'user' as const, content: 'complete this' }];

describe('Chat Completions, streaming', () => {
  it('sends a role chunk, content deltas, a finish chunk and a usage chunk with empty choices', async () => {
    fake.setResponder(() => ({ kind: 'text', text: 'foo(bar)', usage: { input: 30, cached: 10, output: 3 } }));
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);

    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    const content = chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.delta.content ?? '')).join('');
    expect(content).toBe('foo(bar)');
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    const usageChunk = chunks.at(-1);
    expect(usageChunk?.choices).toEqual([]);
    expect(usageChunk?.usage).toMatchObject({ prompt_tokens: 30, completion_tokens: 3, total_tokens: 33 });
    expect(usageChunk?.usage?.prompt_tokens_details?.cached_tokens).toBe(10);
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true);
  });

  it('sends no usage chunk without include_usage', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.some((chunk) => chunk.usage)).toBe(false);
  });

  it('satisfies the SDK stream helper', async () => {
    fake.setResponder(() => ({ kind: 'text', text: 'let y = 2;', finish: 'length' }));
    const stream = client.chat.completions.stream({
      model: 'gpt-4o-mini',
      messages,
      stream_options: { include_usage: true },
    });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe('let y = 2;');
    expect(final.choices[0]?.finish_reason).toBe('length');
    expect(final.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('ends the raw stream with data: [DONE]', async () => {
    const response = await fetch(`${fake.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages, stream: true }),
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await response.text();
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  });
});

describe('Chat Completions, non-streaming', () => {
  it('returns a chat.completion with message and usage', async () => {
    fake.setResponder(() => ({ kind: 'text', text: 'done', usage: { input: 12, output: 1 } }));
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]?.message).toMatchObject({ role: 'assistant', content: 'done' });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 1, total_tokens: 13 });
  });
});
