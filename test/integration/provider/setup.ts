/**
 * Shared wiring for the provider integration tests: one fake OpenAI server per file, a provider
 * factory with small deadlines, responders that play scripts in order, and a sleep that records
 * the waits the retry policy asked for.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI, type Responder, type Script } from '../../fake-openai/server.ts';
import { createOpenAIProvider, type OpenAIProviderOptions } from '../../../server/src/providers/openai-provider.ts';
import { sleepUnlessAborted } from '../../../server/src/providers/retry.ts';
import type { ModelProvider, ModelRequest } from '../../../server/src/providers/types.ts';

export interface ProviderHarness {
  fake: FakeOpenAI;
  /** Every wait the provider asked for, in order. */
  sleeps: number[];
  provider(overrides?: Partial<OpenAIProviderOptions>): ModelProvider;
}

/** Starts a fake server for the file and resets it and the recorded sleeps before each test. */
export function useProviderHarness(): ProviderHarness {
  const harness = { sleeps: [] as number[] } as ProviderHarness;
  beforeAll(async () => {
    harness.fake = await startFakeOpenAI();
  });
  afterAll(() => harness.fake.close());
  beforeEach(() => {
    harness.fake.reset();
    harness.sleeps.length = 0;
  });
  harness.provider = (overrides = {}) =>
    createOpenAIProvider({
      name: 'test',
      api: 'responses',
      baseUrl: harness.fake.url,
      apiKey: 'sk-test-secret-key',
      sendPromptCacheKey: true,
      supportsPrediction: true,
      timeouts: { firstTokenMs: 2000, idleMs: 2000, totalMs: 10_000 },
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 1000 },
      random: () => 0.5,
      sleep: (ms, signal) => {
        harness.sleeps.push(ms);
        return sleepUnlessAborted(ms, signal);
      },
      ...overrides,
    });
  return harness;
}

/** Answers the n-th request with the n-th script and repeats the last one after that. */
export function inOrder(...scripts: Script[]): Responder {
  let index = 0;
  return () => scripts[Math.min(index++, scripts.length - 1)]!;
}

export function modelRequest(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model: 'gpt-4.1-mini',
    instructions: 'You complete code.',
    input: 'function add(a, b) {',
    temperature: 0.1,
    maxOutputTokens: 64,
    signal: new AbortController().signal,
    ...overrides,
  };
}

/** The rejection of a promise that must reject. */
export async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to reject');
}
