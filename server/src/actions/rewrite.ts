/**
 * The rewriting actions — refactor, refactor with an instruction, fix a diagnostic, add a doc
 * comment, and refactor variants: one model call (Predicted Outputs carry the original region),
 * a parse check with one retry, then a minimal diff against the region.
 */
import { checkParses, describeProblems } from './check.ts';
import { actionContext } from './context.ts';
import { diffText } from './diff.ts';
import { callModel } from './model-call.ts';
import { cleanCode, parseVariants } from './output.ts';
import {
  docConvention,
  parseFeedback,
  regionInput,
  rewriteInstructions,
  VARIANTS_INSTRUCTIONS,
  VARIANTS_SCHEMA,
} from './prompts.ts';
import { lineOf } from './target.ts';
import {
  refused,
  type ActionDeps,
  type ActionOutcome,
  type ActionRequest,
  type FileEdit,
  type Prepared,
} from './types.ts';
import type { Task } from '../providers/types.ts';

const TASKS: Record<string, Extract<Task, 'refactor' | 'fix' | 'docs'>> = {
  refactor: 'refactor',
  refactorWithInstruction: 'refactor',
  refactorVariants: 'refactor',
  fix: 'fix',
  document: 'docs',
};
const VERBS: Record<string, string> = {
  refactor: 'refactor',
  refactorWithInstruction: 'refactor',
  refactorVariants: 'refactor',
  fix: 'fix',
  document: 'doc comment',
};

/** What the input says beyond the region: the user's instruction, the diagnostic, the doc convention. */
function extraInput(request: ActionRequest, prepared: Prepared): string[] | ActionOutcome {
  const { args } = request;
  switch (request.action) {
    case 'refactorWithInstruction':
      if (!args.instruction?.trim())
        return refused('ghostline: "Refactor with instruction" needs an instruction; none was given.');
      return [`User instruction: ${args.instruction.trim()}`];
    case 'fix': {
      const d = args.diagnostic;
      if (!d) return refused('ghostline: no diagnostic was given to fix.');
      const line = d.range.start.line - lineOf(prepared.doc.text, prepared.span.start) + 1;
      const origin = [d.source, d.code !== undefined ? String(d.code) : undefined].filter(Boolean).join(' ');
      return [`Diagnostic to fix${origin ? ` (${origin})` : ''}, on line ${line} of the region: ${d.message}`];
    }
    case 'document':
      return [`Doc comment convention: ${docConvention(prepared.doc.languageId)}`];
    default:
      return [];
  }
}

function fileEdit(prepared: Prepared, code: string): FileEdit {
  const changes = diffText(prepared.region, code).map((c) => ({
    start: c.start + prepared.span.start,
    end: c.end + prepared.span.start,
    text: c.text,
  }));
  return { uri: prepared.doc.uri, version: prepared.doc.version, baseText: prepared.doc.text, changes, create: false };
}

export function summarize(before: string, after: string): string {
  const lines = (text: string) => (text === '' ? 0 : text.split('\n').length);
  const changes = diffText(before, after);
  const removed = changes.reduce((n, c) => n + lines(before.slice(c.start, c.end)), 0);
  const added = changes.reduce((n, c) => n + lines(c.text), 0);
  return `${changes.length} change${changes.length === 1 ? '' : 's'} (+${added} −${removed} lines)`;
}

export async function runRewrite(deps: ActionDeps, request: ActionRequest, prepared: Prepared): Promise<ActionOutcome> {
  const extra = extraInput(request, prepared);
  if (!Array.isArray(extra)) return extra;
  const { doc, region, span } = prepared;
  const verb = VERBS[request.action] ?? request.action;
  const task = TASKS[request.action] ?? 'refactor';
  const context = await actionContext(deps, task, prepared);
  let feedback: string[] = [];
  for (let attempt = 1; ; attempt++) {
    const { text, model } = await callModel(
      deps,
      {
        task,
        languageId: doc.languageId,
        instructions: rewriteInstructions(request.action),
        input: regionInput(prepared, context.snippets, [...extra, ...feedback]),
        prediction: region,
        file: prepared.path,
        contextFiles: context.files,
        signal: request.signal,
        stream: true,
      },
      request.sink,
    );
    const code = cleanCode(text, region);
    const problems = await checkParses({
      languageId: doc.languageId,
      text: doc.text,
      start: span.start,
      end: span.end,
      replacement: code,
      mustImprove: request.action === 'fix' && /syntax|parse|expected/i.test(request.args.diagnostic?.message ?? ''),
    });
    if (!problems) {
      if (code === region) return refused(`ghostline: the model suggested no change for this ${verb}.`, 'info');
      return { kind: 'edit', files: [fileEdit(prepared, code)], summary: summarize(region, code), model };
    }
    deps.logger.info({ action: request.action, attempt, problems: problems.length }, 'generated code does not parse');
    if (attempt >= 2)
      return refused(
        `ghostline: the ${verb} from ${model} does not parse (${describeProblems(problems)}), even after a retry; nothing was changed.`,
        'error',
      );
    feedback = [parseFeedback(problems)];
    request.sink.restart();
  }
}

export async function runVariants(
  deps: ActionDeps,
  request: ActionRequest,
  prepared: Prepared,
): Promise<ActionOutcome> {
  const { doc, region, span } = prepared;
  const count = deps.config().actions.variants;
  const context = await actionContext(deps, 'refactor', prepared);
  let feedback: string[] = [];
  for (let attempt = 1; ; attempt++) {
    const { text, model } = await callModel(
      deps,
      {
        task: 'refactor',
        languageId: doc.languageId,
        instructions: VARIANTS_INSTRUCTIONS,
        input: regionInput(prepared, context.snippets, [`Number of variants: ${count}`, ...feedback]),
        jsonSchema: VARIANTS_SCHEMA,
        file: prepared.path,
        contextFiles: context.files,
        signal: request.signal,
        stream: false,
      },
      request.sink,
    );
    const variants = parseVariants(text);
    let failure = 'the answer was not the JSON the schema asks for';
    if (variants) {
      const kept: { title: string; code: string; files: FileEdit[] }[] = [];
      for (const variant of variants.slice(0, count)) {
        const code = cleanCode(variant.code, region);
        if (code === region) continue;
        const problems = await checkParses({
          languageId: doc.languageId,
          text: doc.text,
          start: span.start,
          end: span.end,
          replacement: code,
        });
        if (problems) {
          failure = `variant "${variant.title}" does not parse (${describeProblems(problems)})`;
          continue;
        }
        kept.push({
          title: variant.title.trim() || `Variant ${kept.length + 1}`,
          code,
          files: [fileEdit(prepared, code)],
        });
      }
      if (kept.length > 0) return { kind: 'variants', variants: kept, model };
      if (variants.every((v) => cleanCode(v.code, region) === region))
        return refused('ghostline: the model suggested no change for this refactor.', 'info');
    }
    if (attempt >= 2)
      return refused(
        `ghostline: the refactor variants from ${model} are unusable (${failure}), even after a retry; nothing was changed.`,
        'error',
      );
    feedback = [`Your previous answer was unusable: ${failure}. Answer again with valid JSON and code that parses.`];
  }
}
