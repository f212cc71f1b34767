/**
 * The Chat Completions wire shapes the fake server sends: `chat.completion` bodies and
 * `chat.completion.chunk` frames ending in `data: [DONE]`, shaped after the openai SDK's types
 * (resources/chat/completions) so the real SDK parses them.
 */
import type { CompletionUsage } from 'openai/resources/completions';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { Dialect, TokenUsage } from './dialect.ts';

/** The usage block of Chat Completions, with cached prompt tokens in prompt_tokens_details. */
export function chatUsage(usage: TokenUsage): CompletionUsage {
  return {
    prompt_tokens: usage.input,
    completion_tokens: usage.output,
    total_tokens: usage.input + usage.output,
    prompt_tokens_details: { cached_tokens: usage.cached, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

/** Builds the Chat Completions dialect for one request. */
export function chatDialect(body: any, newId: (prefix: string) => string): Dialect {
  const id = newId('chatcmpl-');
  const created = Math.floor(Date.now() / 1000);
  const model = body?.model ?? 'gpt-4.1-mini';
  const includeUsage = body?.stream_options?.include_usage === true;
  // With include_usage the live API puts `usage: null` on every chunk but the last.
  const chunk = (choices: ChatCompletionChunk.Choice[], usage: CompletionUsage | null = null) => {
    const payload: ChatCompletionChunk & Record<string, unknown> = {
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      service_tier: 'default',
      system_fingerprint: 'fp_fake',
      choices,
    };
    if (includeUsage) payload.usage = usage;
    return `data: ${JSON.stringify(payload)}\n\n`;
  };
  const choice = (
    delta: ChatCompletionChunk.Choice['delta'],
    finishReason: ChatCompletionChunk.Choice['finish_reason'],
  ): ChatCompletionChunk.Choice => ({
    index: 0,
    delta,
    logprobs: null,
    finish_reason: finishReason,
  });
  const errorFrame = (code: string, message: string) =>
    `data: ${JSON.stringify({ error: { message, type: 'server_error', param: null, code } })}\n\n`;

  return {
    start: () => [chunk([choice({ role: 'assistant', content: '', refusal: null }, null)])],
    delta: (text) => chunk([choice({ content: text }, null)]),
    finish: (_text, usage, finish) => [
      chunk([choice({}, finish)]),
      ...(includeUsage ? [chunk([], chatUsage(usage))] : []),
      'data: [DONE]\n\n',
    ],
    unterminated: () => [],
    streamError: errorFrame,
    failed: errorFrame,
    malformed: () => 'data: {"id":"chatcmpl-broken","choices":[{\n\n',
    json: (text, usage, finish): ChatCompletion => ({
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: text, refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: finish,
        },
      ],
      usage: chatUsage(usage),
      service_tier: 'default',
      system_fingerprint: 'fp_fake',
    }),
    failedJson: () => null,
  };
}
