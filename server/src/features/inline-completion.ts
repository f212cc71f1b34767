/**
 * Inline completion (`textDocument/inlineCompletion`, LSP 3.18): ghost text. With a selected
 * completion the suggestion continues that text, and the item extends it over its range as the
 * specification asks.
 */
import type { Position, Range } from '../actions/types.ts';
import { acceptArgs, wordBefore, type SuggestAnswer } from './suggestion-shape.ts';
import type { FeatureContext } from './types.ts';

export interface InlineCompletionRequest {
  uri: string;
  position: Position;
  automatic: boolean;
  /** The completion the user has selected in the editor's menu, if any. */
  selected?: { range: Range; text: string } | undefined;
  signal: AbortSignal;
}

export async function completeInline(
  context: FeatureContext,
  request: InlineCompletionRequest,
): Promise<SuggestAnswer> {
  const { documents } = context;
  const services = context.services();
  const { uri } = request;
  const doc = documents.get(uri);
  const cursor = documents.offsetAt(uri, request.position);
  if (!doc || cursor === undefined || doc.binary) return { kind: 'empty' };

  // The text the suggestion continues: the document, or the document with the selected completion applied.
  let text = doc.text;
  let offset = cursor;
  let rangeStart = cursor - wordBefore(doc.text, cursor).length;
  let rangeEnd = cursor;
  const selected = request.selected;
  if (selected) {
    const start = documents.offsetAt(uri, selected.range.start);
    const end = documents.offsetAt(uri, selected.range.end);
    if (start === undefined || end === undefined || end < start) return { kind: 'empty' };
    text = doc.text.slice(0, start) + selected.text + doc.text.slice(end);
    offset = start + selected.text.length;
    rangeStart = start;
    rangeEnd = end;
  }
  const outcome = await services.engine.suggest({
    uri,
    path: context.pathOf(uri),
    languageId: doc.languageId,
    version: doc.version,
    text,
    offset,
    task: 'inline',
    automatic: request.automatic,
    signal: request.signal,
  });
  if (outcome.kind === 'cancelled') return { kind: 'cancelled' };
  if (outcome.kind !== 'ok') return { kind: 'empty' };
  services.metrics.shown++;
  services.usage.shown({
    task: 'inline',
    language: doc.languageId,
    model: outcome.model,
    latencyMs: outcome.latencyMs,
  });
  return {
    kind: 'ok',
    range: { start: documents.positionAt(uri, rangeStart)!, end: documents.positionAt(uri, rangeEnd)! },
    text: text.slice(rangeStart, offset) + outcome.text,
    model: outcome.model,
    languageId: doc.languageId,
    accept: acceptArgs('inline', outcome, doc.languageId),
  };
}
