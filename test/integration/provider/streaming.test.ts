/**
 * The provider streaming real answers from the fake server through the real SDK: deltas in order,
 * usage with cached tokens, finish reasons, and the request bodies of both APIs.
 */
import { describe, expect, it } from 'vitest';
import { PLACEHOLDER_API_KEY } from '../../../server/src/providers/openai-provider.ts';
import { inOrder, modelRequest, useProviderHarness } from './setup.ts';

const harness = useProviderHarness();

describe.each(['responses', 'chat'] as const)('%s API', (api) => {
  it('streams deltas in order and resolves with the whole text and usage', async () => {
    harness.fake.setResponder(() => ({
      kind: 'text',
      text: '  return a + b;\n}',
      chunkChars: 3,
      usage: { input: 1500, cached: 1280, output: 7 },
    }));
    const deltas: string[] = [];
    const result = await harness.provider({ api }).complete(modelRequest(), (delta) => deltas.push(delta));
    expect(deltas).toEqual(['  r', 'etu', 'rn ', 'a +', ' b;', '\n}']);
    expect(result).toEqual({
      text: '  return a + b;\n}',
      model: 'gpt-4.1-mini',
      usage: { inputTokens: 1500, outputTokens: 7, cachedTokens: 1280 },
      finishReason: 'stop',
      attempts: 1,
    });
  });

  it("reports finishReason 'length' when the model ran out of tokens", async () => {
    harness.fake.setResponder(() => ({ kind: 'text', text: 'abc', finish: 'length' }));
    const result = await harness.provider({ api }).complete(modelRequest());
    expect(result.finishReason).toBe('length');
    expect(result.text).toBe('abc');
  });

  it('sends prompt_cache_key only when the provider enables it', async () => {
    await harness
      .provider({ api, sendPromptCacheKey: true })
      .complete(modelRequest({ promptCacheKey: 'ghostline:v1:ts' }));
    await harness
      .provider({ api, sendPromptCacheKey: false })
      .complete(modelRequest({ promptCacheKey: 'ghostline:v1:ts' }));
    await harness.provider({ api, sendPromptCacheKey: true }).complete(modelRequest());
    const [enabled, disabled, absent] = await harness.fake.waitForRequests(3);
    expect(enabled?.body.prompt_cache_key).toBe('ghostline:v1:ts');
    expect(disabled?.body).not.toHaveProperty('prompt_cache_key');
    expect(absent?.body).not.toHaveProperty('prompt_cache_key');
  });

  it('sends the key, organization, project and extra headers', async () => {
    await harness
      .provider({ api, organization: 'org-1', project: 'proj-1', headers: { 'x-team': 'blue' } })
      .complete(modelRequest());
    const [request] = await harness.fake.waitForRequests(1);
    expect(request?.headers).toMatchObject({
      authorization: 'Bearer sk-test-secret-key',
      'openai-organization': 'org-1',
      'openai-project': 'proj-1',
      'x-team': 'blue',
    });
  });

  it('uses a placeholder key for a local server configured without one', async () => {
    await harness.provider({ api, apiKey: undefined }).complete(modelRequest());
    const [request] = await harness.fake.waitForRequests(1);
    expect(request?.headers.authorization).toBe(`Bearer ${PLACEHOLDER_API_KEY}`);
  });
});

describe('Responses request body', () => {
  it('carries instructions, input, limits, store:false and streaming', async () => {
    await harness.provider().complete(modelRequest({ stop: ['\n\n'], prediction: 'ignored here' }));
    const [request] = await harness.fake.waitForRequests(1);
    expect(request?.api).toBe('responses');
    expect(request?.body).toEqual({
      model: 'gpt-4.1-mini',
      instructions: 'You complete code.',
      input: 'function add(a, b) {',
      temperature: 0.1,
      max_output_tokens: 64,
      stream: true,
      store: false,
    });
  });

  it('asks for strict structured output as text.format json_schema', async () => {
    const schema = {
      type: 'object',
      properties: { title: { type: 'string' } },
      required: ['title'],
      additionalProperties: false,
    };
    harness.fake.setResponder(() => ({ kind: 'text', text: '{"title":"x"}' }));
    const result = await harness.provider().complete(modelRequest({ jsonSchema: { name: 'action', schema } }));
    expect(JSON.parse(result.text)).toEqual({ title: 'x' });
    const [request] = await harness.fake.waitForRequests(1);
    expect(request?.body.text).toEqual({ format: { type: 'json_schema', name: 'action', schema, strict: true } });
  });
});

describe('Chat Completions request body', () => {
  it('sends system and user messages, max_tokens, stop, prediction and include_usage', async () => {
    await harness
      .provider({ api: 'chat' })
      .complete(modelRequest({ stop: ['\n\n', '```'], prediction: 'return a + b;' }));
    const [request] = await harness.fake.waitForRequests(1);
    expect(request?.api).toBe('chat');
    expect(request?.body).toMatchObject({
      model: 'gpt-4.1-mini',
      messages: [
        { role: 'system', content: 'You complete code.' },
        { role: 'user', content: 'function add(a, b) {' },
      ],
      temperature: 0.1,
      max_tokens: 64,
      stream: true,
      stream_options: { include_usage: true },
      stop: ['\n\n', '```'],
      prediction: { type: 'content', content: 'return a + b;' },
    });
    // Predicted Outputs reject max_completion_tokens (FIELD-NOTES).
    expect(request?.body).not.toHaveProperty('max_completion_tokens');
  });

  it('leaves prediction out for a provider that does not support it', async () => {
    await harness.provider({ api: 'chat', supportsPrediction: false }).complete(modelRequest({ prediction: 'x' }));
    const [request] = await harness.fake.waitForRequests(1);
    expect(request?.body).not.toHaveProperty('prediction');
  });

  it('asks for structured output as response_format json_schema', async () => {
    const schema = { type: 'object', properties: {}, additionalProperties: false };
    await harness.provider({ api: 'chat' }).complete(modelRequest({ jsonSchema: { name: 'plan', schema } }));
    const [request] = await harness.fake.waitForRequests(1);
    expect(request?.body.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'plan', schema, strict: true },
    });
  });
});

describe('a retried stream', () => {
  it('does not hand the listener the text of the failed attempt twice', async () => {
    harness.fake.setResponder(
      inOrder({ kind: 'reset', text: 'hello world', afterChunks: 1 }, { kind: 'text', text: 'hello world' }),
    );
    const deltas: string[] = [];
    const result = await harness.provider().complete(modelRequest(), (delta) => deltas.push(delta));
    expect(result.attempts).toBe(2);
    expect(deltas.join('')).toBe('hello world');
  });
});
