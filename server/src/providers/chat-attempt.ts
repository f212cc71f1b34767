/**
 * One streaming call to Chat Completions (OpenAI, and the OpenAI-compatible servers: Ollama,
 * llama.cpp, vLLM): builds the body, forwards content deltas, and requires a finish_reason — the
 * SDK hides `[DONE]`, so a stream that stops before finish_reason is an error.
 */
import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import { NO_USAGE, type AttemptInput, type AttemptOutput } from './attempt.ts';
import { ProviderError, type Usage } from './types.ts';

export function chatBody(
  input: Pick<AttemptInput, 'request' | 'sendPromptCacheKey' | 'supportsPrediction'>,
): ChatCompletionCreateParamsStreaming {
  const { request } = input;
  return {
    model: request.model,
    messages: [
      { role: 'system', content: request.instructions },
      { role: 'user', content: request.input },
    ],
    temperature: request.temperature,
    // max_tokens, not max_completion_tokens: Predicted Outputs reject the latter, and
    // OpenAI-compatible servers know only max_tokens.
    max_tokens: request.maxOutputTokens,
    stream: true,
    stream_options: { include_usage: true },
    ...(request.stop && request.stop.length > 0 ? { stop: request.stop } : {}),
    ...(input.supportsPrediction && request.prediction
      ? { prediction: { type: 'content', content: request.prediction } }
      : {}),
    ...(input.sendPromptCacheKey && request.promptCacheKey ? { prompt_cache_key: request.promptCacheKey } : {}),
    ...(request.jsonSchema
      ? {
          response_format: {
            type: 'json_schema',
            json_schema: { name: request.jsonSchema.name, schema: request.jsonSchema.schema, strict: true },
          },
        }
      : {}),
  };
}

function usageOf(usage: CompletionUsage | null | undefined): Usage {
  if (!usage) return NO_USAGE;
  return {
    inputTokens: usage.prompt_tokens,
    outputTokens: usage.completion_tokens,
    cachedTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
  };
}

export async function runChatAttempt(input: AttemptInput): Promise<AttemptOutput> {
  const { client, deadline, emit } = input;
  const stream = await client.chat.completions.create(chatBody(input), { signal: deadline.signal });
  let text = '';
  let finishReason: string | undefined;
  let usage = NO_USAGE;
  for await (const chunk of stream) {
    deadline.onEvent();
    if (chunk.usage) usage = usageOf(chunk.usage);
    const choice = chunk.choices[0];
    const delta = choice?.delta?.content;
    if (delta) {
      deadline.onText();
      text += delta;
      emit(delta);
    }
    if (choice?.finish_reason) finishReason = choice.finish_reason;
  }
  if (deadline.signal.aborted) throw deadline.signal.reason;
  if (finishReason === undefined)
    throw new ProviderError('stream', 'the Chat Completions stream ended without a finish_reason');
  return { text, usage, finishReason };
}
