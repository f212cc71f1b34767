/**
 * The Responses API wire shapes the fake server sends: the `response` object, its output message
 * and every streaming event, shaped after the openai SDK's types (resources/responses/responses.ts)
 * so the real SDK parses them.
 */
import type { ResponseOutputMessage, ResponseOutputText, ResponseUsage } from 'openai/resources/responses/responses';
import type { Dialect, TokenUsage } from './dialect.ts';

interface ResponseIds {
  responseId: string;
  itemId: string;
  createdAt: number;
}

/** The usage block of a finished response. */
export function responsesUsage(usage: TokenUsage): ResponseUsage {
  return {
    input_tokens: usage.input,
    input_tokens_details: { cached_tokens: usage.cached, cache_write_tokens: 0 },
    output_tokens: usage.output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: usage.input + usage.output,
  };
}

function outputText(text: string): ResponseOutputText {
  return { type: 'output_text', annotations: [], logprobs: [], text };
}

function message(
  ids: ResponseIds,
  status: 'in_progress' | 'completed' | 'incomplete',
  text: string | null,
): ResponseOutputMessage {
  return {
    id: ids.itemId,
    type: 'message',
    status,
    role: 'assistant',
    content: text === null ? [] : [outputText(text)],
  };
}

/** The `response` object in a given state; `body` is the request, echoed as the real API does. */
function responseObject(ids: ResponseIds, body: any, fields: Record<string, unknown>) {
  return {
    id: ids.responseId,
    object: 'response',
    created_at: ids.createdAt,
    status: 'in_progress',
    background: false,
    error: null,
    incomplete_details: null,
    instructions: body?.instructions ?? null,
    max_output_tokens: body?.max_output_tokens ?? null,
    model: body?.model ?? 'gpt-4.1-mini',
    output: [],
    parallel_tool_calls: true,
    previous_response_id: null,
    prompt_cache_key: body?.prompt_cache_key ?? null,
    reasoning: { effort: null, summary: null },
    store: body?.store ?? true,
    temperature: body?.temperature ?? 1,
    text: body?.text ?? { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: 1,
    truncation: 'disabled',
    usage: null,
    user: null,
    metadata: {},
    ...fields,
  };
}

/** Builds the Responses dialect for one request: event frames carry `event:` names and sequence numbers. */
export function responsesDialect(body: any, newId: (prefix: string) => string): Dialect {
  const ids: ResponseIds = {
    responseId: newId('resp_'),
    itemId: newId('msg_'),
    createdAt: Math.floor(Date.now() / 1000),
  };
  let sequence = 0;
  const frame = (type: string, fields: Record<string, unknown>) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, ...fields, sequence_number: sequence++ })}\n\n`;
  const at = { item_id: ids.itemId, output_index: 0, content_index: 0 };
  const finished = (text: string, usage: TokenUsage, finish: 'stop' | 'length') =>
    finish === 'length'
      ? responseObject(ids, body, {
          status: 'incomplete',
          incomplete_details: { reason: 'max_output_tokens' },
          output: [message(ids, 'incomplete', text)],
          usage: responsesUsage(usage),
        })
      : responseObject(ids, body, {
          status: 'completed',
          completed_at: Math.floor(Date.now() / 1000),
          output: [message(ids, 'completed', text)],
          usage: responsesUsage(usage),
        });

  const textDone = (text: string, finish: 'stop' | 'length') => {
    const itemStatus = finish === 'length' ? 'incomplete' : 'completed';
    return [
      frame('response.output_text.done', { ...at, logprobs: [], text }),
      frame('response.content_part.done', { ...at, part: outputText(text) }),
      frame('response.output_item.done', { output_index: 0, item: message(ids, itemStatus, text) }),
    ];
  };

  return {
    start: () => [
      frame('response.created', { response: responseObject(ids, body, {}) }),
      frame('response.in_progress', { response: responseObject(ids, body, {}) }),
      frame('response.output_item.added', { output_index: 0, item: message(ids, 'in_progress', null) }),
      frame('response.content_part.added', { ...at, part: outputText('') }),
    ],
    delta: (delta) => frame('response.output_text.delta', { ...at, delta, logprobs: [] }),
    finish: (text, usage, finish) => [
      ...textDone(text, finish),
      finish === 'length'
        ? frame('response.incomplete', { response: finished(text, usage, finish) })
        : frame('response.completed', { response: finished(text, usage, finish) }),
    ],
    unterminated: (text) => textDone(text, 'stop'),
    // FIELD-NOTES: the live API nests the error; the SDK reads `data.error ?? data`, so both parse.
    streamError: (code, text) =>
      frame('error', { error: { type: 'invalid_request_error', code, message: text, param: null } }),
    failed: (code, text) =>
      frame('response.failed', {
        response: responseObject(ids, body, { status: 'failed', error: { code, message: text } }),
      }),
    malformed: () => 'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":\n\n',
    json: (text, usage, finish) => finished(text, usage, finish),
    failedJson: (code, text) => responseObject(ids, body, { status: 'failed', error: { code, message: text } }),
  };
}
