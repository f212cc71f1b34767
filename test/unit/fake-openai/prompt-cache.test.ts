/**
 * The fake model's prompt cache reports cached tokens as OpenAI does: an exact token prefix shared
 * with a recent prompt of the same model and cache key, at least 1,024 tokens, in 128-token steps.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACHE_STEP_TOKENS, MIN_CACHED_TOKENS, PromptCache } from '../../fake-openai/prompt-cache.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../fake-openai/server.ts';
import { countTokens } from '../../../server/src/context/tokens.ts';

/** About `n` o200k tokens of varied text (each ` wN` is one or two tokens). */
function words(n: number, salt = ''): string {
  let out = '';
  for (let i = 0; countTokens(out) < n; i += 50)
    out += Array.from({ length: 50 }, (_, j) => ` w${salt}${i + j}`).join('');
  return out;
}

describe('PromptCache', () => {
  it('caches nothing for a first prompt, nor below 1,024 shared tokens', () => {
    const cache = new PromptCache();
    const shortShared = words(900);
    expect(cache.usage({ model: 'm', instructions: 'i', input: shortShared + ' tail one' }).cached).toBe(0);
    expect(cache.usage({ model: 'm', instructions: 'i', input: shortShared + ' tail two' }).cached).toBe(0);
  });

  it('counts the shared prefix in 128-token steps, per model and cache key', () => {
    const cache = new PromptCache();
    const shared = words(1500);
    const first = cache.usage({ model: 'm', instructions: 'i', input: `${shared} first`, prompt_cache_key: 'k' });
    expect(first.cached).toBe(0);
    const second = cache.usage({
      model: 'm',
      instructions: 'i',
      input: `${shared} second answer please`,
      prompt_cache_key: 'k',
    });
    expect(second.cached).toBeGreaterThanOrEqual(MIN_CACHED_TOKENS);
    expect(second.cached % CACHE_STEP_TOKENS).toBe(0);
    expect(second.cached).toBeLessThanOrEqual(second.input);
    expect(second.input - second.cached).toBeLessThan(CACHE_STEP_TOKENS + 10);
    expect(cache.usage({ model: 'other', instructions: 'i', input: `${shared} x`, prompt_cache_key: 'k' }).cached).toBe(
      0,
    );
    expect(
      cache.usage({ model: 'm', instructions: 'i', input: `${shared} x`, prompt_cache_key: 'another' }).cached,
    ).toBe(0);
  });

  it('needs an exact prefix: a change at the start caches nothing', () => {
    const cache = new PromptCache();
    const body = words(2000);
    cache.usage({ model: 'm', instructions: 'i', input: body });
    expect(cache.usage({ model: 'm', instructions: 'j', input: body }).cached).toBe(0);
  });
});

describe('the fake server reports cached tokens on the wire', () => {
  let fake: FakeOpenAI;
  let client: OpenAI;
  beforeAll(async () => {
    fake = await startFakeOpenAI({ responder: () => ({ kind: 'text', text: 'ok' }) });
    client = new OpenAI({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 });
  });
  afterAll(() => fake.close());

  it('in Responses usage.input_tokens_details.cached_tokens', async () => {
    const shared = words(1300);
    const a = await client.responses.create({
      model: 'gpt-4.1-mini',
      instructions: 'be brief',
      input: `${shared} one`,
    });
    const b = await client.responses.create({
      model: 'gpt-4.1-mini',
      instructions: 'be brief',
      input: `${shared} two`,
    });
    expect(a.usage?.input_tokens_details.cached_tokens).toBe(0);
    expect(b.usage?.input_tokens).toBe(fake.requests[1]!.usage.input);
    expect(b.usage?.input_tokens_details.cached_tokens).toBe(Math.floor((b.usage!.input_tokens - 2) / 128) * 128);
  });
});
