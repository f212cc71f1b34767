/**
 * "Explain": prose about the region, streamed as it arrives; no edit. Where the text ends up
 * (stream notifications, a Markdown document, a message) is the protocol edge's choice.
 */
import { actionContext } from './context.ts';
import { callModel } from './model-call.ts';
import { EXPLAIN_INSTRUCTIONS, regionInput } from './prompts.ts';
import { refused, type ActionDeps, type ActionOutcome, type ActionRequest, type Prepared } from './types.ts';

export async function runExplain(deps: ActionDeps, request: ActionRequest, prepared: Prepared): Promise<ActionOutcome> {
  if (prepared.region.trim() === '') return refused('ghostline: nothing to explain here; select some code.', 'info');
  const context = await actionContext(deps, 'explain', prepared);
  const { text, model } = await callModel(
    deps,
    {
      task: 'explain',
      languageId: prepared.doc.languageId,
      instructions: EXPLAIN_INSTRUCTIONS,
      input: regionInput(prepared, context.snippets),
      file: prepared.path,
      contextFiles: context.files,
      signal: request.signal,
      stream: true,
    },
    request.sink,
  );
  return { kind: 'text', text: text.trim(), model };
}
