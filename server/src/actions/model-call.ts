/**
 * One routed model call for a code action: repository guidance (AGENTS.md) in the instructions,
 * the prompt guard (redaction, output scrubbing) around it, runRouted for routing, escalation,
 * fallbacks and the audit trail, progress and stream deltas while it runs, and the usage counted
 * in the process's metrics.
 */
import { countTokens } from '../context/tokens.ts';
import type { Task } from '../providers/types.ts';
import { modelInfo } from '../router/policy.ts';
import { runRouted } from '../router/router.ts';
import { estimateCost } from '../telemetry/metrics.ts';
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
}

export async function callModel(deps: ActionDeps, call: ModelCall, sink: RunSink): Promise<{ text: string; model: string }> {
  const config = deps.config();
  const guard = deps.guard?.();
  const guidance = call.file !== undefined && deps.guidance ? await deps.guidance(call.file) : '';
  let prompt = { instructions: guidance === '' ? call.instructions : `${call.instructions}\n\n${guidance}`, input: call.input };
  let restore = (text: string) => text;
  let redactions = 0;
  if (guard) ({ prompt, restore, redactions } = guard.prepare(prompt));
  let received = 0;
  // Streamed previews show the user's own text, not placeholders: a chunk that ends inside a
  // placeholder waits (a few dozen characters at most) for the rest of it.
  let held = '';
  const preview = (text: string) => {
    held += text;
    if (held.lastIndexOf('«') > held.lastIndexOf('»') && held.length < 64) return;
    sink.delta(restore(held));
    held = '';
  };
  deps.metrics.modelCalls++;
  const result = await runRouted(
    { config, provider: deps.provider, logger: deps.logger, audit: deps.audit, budget: deps.budget },
    {
      task: call.task,
      languageId: call.languageId,
      promptTokens: countTokens(prompt.instructions) + countTokens(prompt.input),
      instructions: prompt.instructions,
      input: prompt.input,
      meta: { file: call.file, redactions },
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
  ).catch((error: unknown) => {
    if (call.signal.aborted) deps.metrics.modelCallsAborted++;
    else deps.metrics.modelErrors++;
    throw error;
  });
  if (held !== '') sink.delta(restore(held));
  deps.metrics.inputTokens += result.usage.inputTokens;
  deps.metrics.cachedTokens += result.usage.cachedTokens;
  deps.metrics.outputTokens += result.usage.outputTokens;
  deps.metrics.costUsd += estimateCost(modelInfo(config, result.model), result.usage);
  deps.logger.info({ event: 'action-model-call', task: call.task, model: result.model, reason: result.reason, usage: result.usage, finish: result.finishReason }, 'code action model call');
  if (result.finishReason === 'length') throw new TruncatedAnswer(result.model);
  // Scrub the raw answer first, then restore: the user's own secrets put back are never removed.
  return { text: restore(guard ? guard.scrub(result.text) : result.text), model: result.model };
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
