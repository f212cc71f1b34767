/**
 * One model call for a code action, through the model-call service (guard, router, budgets, audit,
 * accounting): repository guidance (AGENTS.md) in the instructions, progress and stream deltas
 * while it runs, and a cut-off answer refused rather than applied.
 */
import { countTokens } from '../context/tokens.ts';
import type { Task } from '../providers/types.ts';
import type { ActionDeps, RunSink } from './types.ts';

export interface ModelCall {
  task: Task;
  languageId: string;
  instructions: string;
  input: string;
  /** Predicted Outputs: the text the answer will mostly repeat (used by Chat Completions providers). */
  prediction?: string;
  jsonSchema?: { name: string; schema: Record<string, unknown> };
  signal: AbortSignal;
  /** Forward deltas to the sink's stream (off for JSON answers). */
  stream: boolean;
  /** The file the action works on: its AGENTS.md guidance is added, and the audit trail names it. */
  file?: string;
  /** Other files whose snippets the input holds (repository context), for the audit trail. */
  contextFiles?: string[];
}

export async function callModel(
  deps: ActionDeps,
  call: ModelCall,
  sink: RunSink,
): Promise<{ text: string; model: string }> {
  const guidance = call.file !== undefined ? await deps.guidance(call.file) : '';
  const guarded = deps.calls.guard(
    { instructions: guidance === '' ? call.instructions : `${call.instructions}\n\n${guidance}`, input: call.input },
    { file: call.file, ...(call.contextFiles?.length ? { contextFiles: call.contextFiles } : {}) },
  );
  const { prompt } = guarded;
  let received = 0;
  // Streamed previews show the user's own text, not placeholders: a chunk that ends inside a
  // placeholder waits (a few dozen characters at most) for the rest of it.
  let held = '';
  const preview = (text: string) => {
    held += text;
    if (held.lastIndexOf('«') > held.lastIndexOf('»') && held.length < 64) return;
    sink.delta(guarded.restore(held));
    held = '';
  };
  const result = await deps.calls.call(
    {
      task: call.task,
      languageId: call.languageId,
      prompt,
      promptTokens: countTokens(prompt.instructions) + countTokens(prompt.input),
      promptCacheKey: `ghostline-${call.task}-${call.languageId}`,
      ...(call.prediction !== undefined ? { prediction: call.prediction } : {}),
      ...(call.jsonSchema ? { jsonSchema: call.jsonSchema } : {}),
      signal: call.signal,
    },
    {
      delta(text) {
        received += text.length;
        sink.progress(`received ${received} characters`);
        if (call.stream) preview(text);
      },
      restart() {
        received = 0;
        held = '';
        sink.restart();
      },
    },
  );
  if (held !== '') sink.delta(guarded.restore(held));
  if (result.finishReason === 'length') throw new TruncatedAnswer(result.model);
  return { text: guarded.finish(result.text), model: result.model };
}

/** The answer hit the output limit: a cut-off rewrite must never be applied. */
export class TruncatedAnswer extends Error {
  readonly model: string;

  constructor(model: string) {
    super(`the answer from ${model} was cut off at the output limit`);
    this.name = 'TruncatedAnswer';
    this.model = model;
  }
}
