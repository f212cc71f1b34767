/**
 * Completion (`textDocument/completion`): one AI suggestion whose text replaces the word before the
 * cursor, so clients that filter by word (and Neovim 0.7's omnifunc, which ignores ranges and
 * replaces the keyword before the cursor) insert it correctly.
 */
import type { OpenDocument, Position } from '../actions/types.ts';
import type { SuggestRequest } from '../engine/types.ts';
import { acceptArgs, wordBefore, type SuggestAnswer } from './suggestion-shape.ts';
import type { FeatureContext } from './types.ts';

export interface CompletionRequest {
  uri: string;
  position: Position;
  /** Triggered by typing (a trigger character, or re-asked for an incomplete list). */
  automatic: boolean;
  signal: AbortSignal;
}

export async function complete(context: FeatureContext, request: CompletionRequest): Promise<SuggestAnswer> {
  const { documents } = context;
  const services = context.services();
  const { uri } = request;
  const doc = documents.get(uri);
  const offset = documents.offsetAt(uri, request.position);
  if (!doc || offset === undefined || doc.binary) {
    services.logger.debug({ uri, known: Boolean(doc), binary: doc?.binary }, 'completion: nothing to complete');
    return { kind: 'empty' };
  }
  const outcome = await services.engine.suggest(
    suggestRequest(context, doc, offset, request.automatic, request.signal),
  );
  if (outcome.kind === 'cancelled') return { kind: 'cancelled' };
  if (outcome.kind !== 'ok') return { kind: 'empty' };
  const word = wordBefore(doc.text, offset);
  services.metrics.shown++;
  services.usage.shown({
    task: 'completion',
    language: doc.languageId,
    model: outcome.model,
    latencyMs: outcome.latencyMs,
  });
  return {
    kind: 'ok',
    range: { start: documents.positionAt(uri, offset - word.length)!, end: documents.positionAt(uri, offset)! },
    text: word + outcome.text,
    model: outcome.model,
    languageId: doc.languageId,
    accept: acceptArgs('completion', outcome, doc.languageId),
  };
}

/**
 * The first key of a burst, for an editor that asks for completion only after its own idle delay:
 * the model call for the cursor after that key starts now (engine `prefetch`), and the editor's
 * request joins it when it comes.
 */
export function prefetchCompletion(context: FeatureContext, uri: string, offset: number): void {
  const doc = context.documents.get(uri);
  if (!doc || doc.binary) return;
  context.services().engine.prefetch(suggestRequest(context, doc, offset, true, new AbortController().signal));
}

function suggestRequest(
  context: FeatureContext,
  doc: OpenDocument,
  offset: number,
  automatic: boolean,
  signal: AbortSignal,
): SuggestRequest {
  const { uri, languageId, version, text } = doc;
  return { uri, path: context.pathOf(uri), languageId, version, text, offset, task: 'completion', automatic, signal };
}
