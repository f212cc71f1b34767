/**
 * One streaming call to the Responses API: builds the request body, forwards text deltas, and
 * insists on a terminal event (response.completed or response.incomplete) — a stream that just
 * stops is an error, not a short answer.
 */
import type { ResponseCreateParamsStreaming, ResponseUsage } from 'openai/resources/responses/responses';
import { NO_USAGE, type AttemptInput, type AttemptOutput } from './attempt.ts';
import { streamFailureError } from './errors.ts';
import { ProviderError, type Usage } from './types.ts';

export function responsesBody(
  input: Pick<AttemptInput, 'request' | 'sendPromptCacheKey'>,
): ResponseCreateParamsStreaming {
  const { request } = input;
  return {
    model: request.model,
    instructions: request.instructions,
    input: request.input,
    temperature: request.temperature,
    max_output_tokens: request.maxOutputTokens,
    stream: true,
    store: false,
    ...(input.sendPromptCacheKey && request.promptCacheKey ? { prompt_cache_key: request.promptCacheKey } : {}),
    ...(request.jsonSchema
      ? {
          text: {
            format: {
              type: 'json_schema',
              name: request.jsonSchema.name,
              schema: request.jsonSchema.schema,
              strict: true,
            },
          },
        }
      : {}),
  };
}

function usageOf(usage: ResponseUsage | null | undefined): Usage {
  if (!usage) return NO_USAGE;
  return {
    inputTokens: usage.input_tokens,
    outputTokens: usage.output_tokens,
    cachedTokens: usage.input_tokens_details?.cached_tokens ?? 0,
  };
}

/** 'max_output_tokens' reads as 'length', the word Chat Completions uses, so callers check one value. */
function incompleteReason(reason: string | undefined): string {
  return reason === 'max_output_tokens' ? 'length' : (reason ?? 'incomplete');
}

export async function runResponsesAttempt(input: AttemptInput): Promise<AttemptOutput> {
  const { client, deadline, emit } = input;
  const stream = await client.responses.create(responsesBody(input), { signal: deadline.signal });
  let text = '';
  let finished: AttemptOutput | undefined;
  for await (const event of stream) {
    deadline.onEvent();
    switch (event.type) {
      case 'response.output_text.delta':
        deadline.onText();
        text += event.delta;
        emit(event.delta);
        break;
      case 'response.completed':
        finished = { text, usage: usageOf(event.response.usage), finishReason: 'stop' };
        break;
      case 'response.incomplete':
        finished = {
          text,
          usage: usageOf(event.response.usage),
          finishReason: incompleteReason(event.response.incomplete_details?.reason),
        };
        break;
      case 'response.failed':
        throw streamFailureError(event.response.error?.code, event.response.error?.message);
      case 'error':
        // The SDK throws for `event: error` frames; this catches an error sent under another event name.
        throw streamFailureError(event.code, event.message);
      default:
        break;
    }
  }
  // The SDK ends the loop silently when the signal aborts; the caller turns that into cancelled/timeout.
  if (deadline.signal.aborted) throw deadline.signal.reason;
  if (!finished) throw new ProviderError('stream', 'the Responses stream ended without response.completed');
  return finished;
}
