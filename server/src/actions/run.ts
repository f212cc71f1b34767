/**
 * Runs one chosen code action: checks the document is still the one the action was offered for,
 * picks the target region, hands over to the action's runner, and turns failures into outcomes
 * (cancelled, refused with a message) so the protocol edge only maps values to LSP.
 */
import { ProviderError } from '../providers/types.ts';
import { TruncatedAnswer } from './model-call.ts';
import { runExplain } from './explain.ts';
import { runRewrite, runVariants } from './rewrite.ts';
import { lineOf, offsetOfLine, targetSpan } from './target.ts';
import { runTests } from './tests.ts';
import { refused, type ActionDeps, type ActionOutcome, type ActionRequest, type Prepared } from './types.ts';

const TASK_LABEL: Record<ActionRequest['action'], string> = {
  refactor: 'refactor',
  refactorWithInstruction: 'refactor',
  refactorVariants: 'refactor',
  explain: 'explanation',
  generateTests: 'test generation',
  fix: 'fix',
  document: 'doc comment',
};

export async function runAction(deps: ActionDeps, request: ActionRequest): Promise<ActionOutcome> {
  const prepared = await prepare(deps, request);
  if ('kind' in prepared) return prepared;
  try {
    switch (request.action) {
      case 'explain':
        return await runExplain(deps, request, prepared);
      case 'generateTests':
        return await runTests(deps, request, prepared);
      case 'refactorVariants':
        return await runVariants(deps, request, prepared);
      default:
        return await runRewrite(deps, request, prepared);
    }
  } catch (error) {
    if (request.signal.aborted || (error instanceof ProviderError && error.kind === 'cancelled'))
      return { kind: 'cancelled' };
    const label = TASK_LABEL[request.action];
    if (error instanceof TruncatedAnswer)
      return refused(
        `ghostline: the ${label} was cut off at the model's output limit; nothing was changed. Select a smaller region.`,
      );
    if (error instanceof ProviderError) {
      deps.logger.warn(
        { kind: error.kind, status: error.details.status, action: request.action },
        `code action failed: ${error.message}`,
      );
      // Messages made for the user (a budget refusal) already say who speaks: say it once.
      return refused(
        `ghostline: the ${label} failed (${error.kind}): ${error.message.replace(/^ghostline: /, '')}`,
        'error',
      );
    }
    throw error;
  }
}

async function prepare(deps: ActionDeps, request: ActionRequest): Promise<Prepared | ActionOutcome> {
  const { args } = request;
  const config = deps.config();
  if (!config.actions.enabled) return refused('ghostline: code actions are turned off (actions.enabled).', 'info');
  const doc = deps.documents.get(args.uri);
  if (!doc) return refused('ghostline: that document is not open any more.');
  if (doc.binary) return refused('ghostline: code actions are not offered in binary files.');
  if (doc.version !== args.version)
    return refused('ghostline: the document changed since this action was offered; choose the action again.');
  const start = deps.documents.offsetAt(args.uri, args.range.start);
  const end = deps.documents.offsetAt(args.uri, args.range.end);
  if (start === undefined || end === undefined || end < start)
    return refused('ghostline: the selection is outside the document.');
  const path = deps.pathOf(args.uri);
  const refusal = deps.calls.refuse(path);
  if (refusal) return refused(`ghostline: ${refusal}`);
  const span = await targetSpan(request.action, doc.text, doc.languageId, { start, end });
  const lines = lineOf(doc.text, span.end) - lineOf(doc.text, span.start) + 1;
  if (lines > config.actions.maxRegionLines) {
    return refused(
      `ghostline: the region has ${lines} lines, more than actions.maxRegionLines (${config.actions.maxRegionLines}); select a smaller part.`,
    );
  }
  const context = config.actions.contextLines;
  const firstLine = lineOf(doc.text, span.start);
  const lastLine = lineOf(doc.text, span.end);
  return {
    doc,
    path,
    span,
    region: doc.text.slice(span.start, span.end),
    before: doc.text.slice(offsetOfLine(doc.text, Math.max(0, firstLine - context)), span.start),
    after: doc.text.slice(span.end, offsetOfLine(doc.text, lastLine + context + 1)),
  };
}
