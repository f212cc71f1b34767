/**
 * `textDocument/inlineCompletion` (LSP 3.18): ghost text. Advertised only to clients that declare
 * `textDocument.inlineCompletion`. With `selectedCompletionInfo` the suggestion continues the
 * completion the user has selected, and the item extends that text over its range as the spec asks.
 */
import { InlineCompletionTriggerKind, LSPErrorCodes, ResponseError, type InlineCompletionItem, type InlineCompletionList } from 'vscode-languageserver';
import { toAbortSignal } from '../lsp/cancellation.ts';
import { invalidPositionParams } from '../lsp/validate.ts';
import type { Feature, FeatureContext } from './types.ts';
import { acceptCommand, wordBefore } from './suggestion-shape.ts';

const EMPTY: InlineCompletionList = { items: [] };

export const inlineCompletionFeature: Feature = {
  name: 'inline-completion',
  capabilities: (client) => (client.textDocument?.inlineCompletion ? { inlineCompletionProvider: {} } : {}),
  register(context: FeatureContext) {
    context.connection.languages.inlineCompletion.on(async (params, token) => {
      const invalid = invalidPositionParams('textDocument/inlineCompletion', params);
      if (invalid) return invalid;
      const { documents } = context;
      const uri = params.textDocument.uri;
      const doc = documents.get(uri);
      const cursor = documents.offsetAt(uri, params.position);
      if (!doc || cursor === undefined || doc.binary) return EMPTY;

      // The text the suggestion continues: the document, or the document with the selected completion applied.
      let text = doc.text;
      let offset = cursor;
      let rangeStart = cursor - wordBefore(doc.text, cursor).length;
      let rangeEnd = cursor;
      const selected = params.context?.selectedCompletionInfo;
      if (selected) {
        const start = documents.offsetAt(uri, selected.range.start);
        const end = documents.offsetAt(uri, selected.range.end);
        if (start === undefined || end === undefined || end < start) return EMPTY;
        text = doc.text.slice(0, start) + selected.text + doc.text.slice(end);
        offset = start + selected.text.length;
        rangeStart = start;
        rangeEnd = end;
      }
      const cancellation = toAbortSignal(token);
      try {
        const outcome = await context.engine.suggest({
          uri,
          path: context.pathOf(uri),
          languageId: doc.languageId,
          version: doc.version,
          text,
          offset,
          task: 'inline',
          automatic: params.context?.triggerKind === InlineCompletionTriggerKind.Automatic,
          signal: cancellation.signal,
        });
        if (outcome.kind === 'cancelled') return new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
        if (outcome.kind !== 'ok') return EMPTY;
        const item: InlineCompletionItem = {
          insertText: text.slice(rangeStart, offset) + outcome.text,
          range: { start: documents.positionAt(uri, rangeStart)!, end: documents.positionAt(uri, rangeEnd)! },
          command: acceptCommand('inline', outcome),
        };
        context.metrics.shown++;
        return { items: [item] };
      } finally {
        cancellation.dispose();
      }
    });
  },
};
