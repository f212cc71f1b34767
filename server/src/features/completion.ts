/**
 * `textDocument/completion`: one AI suggestion as a completion item whose textEdit replaces the
 * word before the cursor, so clients that filter by word (and Neovim 0.7's omnifunc, which ignores
 * ranges and replaces the keyword before the cursor) insert it correctly.
 */
import { CompletionItemKind, CompletionTriggerKind, InsertTextFormat, LSPErrorCodes, ResponseError, type CompletionItem, type CompletionList } from 'vscode-languageserver';
import { toAbortSignal } from '../lsp/cancellation.ts';
import { invalidPositionParams } from '../lsp/validate.ts';
import type { Feature, FeatureContext } from './types.ts';
import { acceptCommand, wordBefore } from './suggestion-shape.ts';

const EMPTY: CompletionList = { isIncomplete: true, items: [] };

export const completionFeature: Feature = {
  name: 'completion',
  capabilities: (_client, config) => ({
    completionProvider: { triggerCharacters: config.completion.triggerCharacters, resolveProvider: false },
  }),
  register(context: FeatureContext) {
    context.connection.onCompletion(async (params, token) => {
      const invalid = invalidPositionParams('textDocument/completion', params);
      if (invalid) return invalid;
      const { documents } = context;
      const uri = params.textDocument.uri;
      const doc = documents.get(uri);
      const offset = documents.offsetAt(uri, params.position);
      if (!doc || offset === undefined || doc.binary) {
        context.logger.debug({ uri, known: Boolean(doc), binary: doc?.binary }, 'completion: nothing to complete');
        return EMPTY;
      }
      const triggerKind = params.context?.triggerKind;
      const automatic = triggerKind === CompletionTriggerKind.TriggerCharacter || triggerKind === CompletionTriggerKind.TriggerForIncompleteCompletions;
      const cancellation = toAbortSignal(token);
      try {
        const outcome = await context.engine.suggest({
          uri,
          path: context.pathOf(uri),
          languageId: doc.languageId,
          version: doc.version,
          text: doc.text,
          offset,
          task: 'completion',
          automatic,
          signal: cancellation.signal,
        });
        if (outcome.kind === 'cancelled') return new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
        if (outcome.kind !== 'ok') return EMPTY;
        const word = wordBefore(doc.text, offset);
        const start = documents.positionAt(uri, offset - word.length)!;
        const end = documents.positionAt(uri, offset)!;
        const newText = word + outcome.text;
        const firstLine = newText.split('\n', 1)[0]!;
        const multiline = newText.includes('\n');
        const item: CompletionItem = {
          label: (firstLine.trim() || newText.trim()).slice(0, 80) + (multiline ? ' …' : ''),
          kind: CompletionItemKind.Text,
          detail: `ghostline · ${outcome.model}`,
          filterText: firstLine,
          insertTextFormat: InsertTextFormat.PlainText,
          textEdit: { range: { start, end }, newText },
          command: acceptCommand('completion', outcome),
          ...(multiline ? { documentation: { kind: 'markdown', value: '```' + doc.languageId + '\n' + newText + '\n```' } } : {}),
        };
        context.metrics.shown++;
        return { isIncomplete: true, items: [item] };
      } finally {
        cancellation.dispose();
      }
    });
  },
};
