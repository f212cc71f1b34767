/**
 * ghostline's completion items in VS Code's suggest widget. The widget ranks items by how well the
 * text between an item's range start and the cursor matches its filterText, and only then by
 * sortText. After `.`, TypeScript (and other language extensions) start their member items' range at
 * the dot with a filterText of `.name`, which scores above an item whose range starts after the dot:
 * ghostline's item, computed by the server for every editor, sank below all of them, out of view.
 * Here an item right after a `.` takes the dot into its range, insert text and filterText, so it
 * ranks with the language's members and its sortText puts it beside the best of them.
 */
import * as vscode from 'vscode';

function withDot(document: vscode.TextDocument, item: vscode.CompletionItem): vscode.CompletionItem {
  const range = item.range;
  const start = range instanceof vscode.Range ? range.start : range?.inserting.start;
  if (!range || !start || start.character === 0 || typeof item.insertText !== 'string') return item;
  const before = new vscode.Range(start.translate(0, -1), start);
  if (document.getText(before) !== '.') return item;
  const label = typeof item.label === 'string' ? item.label : item.label.label;
  item.insertText = `.${item.insertText}`;
  item.filterText = `.${item.filterText ?? label}`;
  item.range =
    range instanceof vscode.Range
      ? range.with(before.start)
      : { inserting: range.inserting.with(before.start), replacing: range.replacing.with(before.start) };
  return item;
}

/** The server's completion result, ranked fairly beside the language's own items. */
export function alignCompletion(
  document: vscode.TextDocument,
  result: vscode.CompletionItem[] | vscode.CompletionList | null | undefined,
): vscode.CompletionItem[] | vscode.CompletionList | null | undefined {
  if (!result) return result;
  const items = Array.isArray(result) ? result : result.items;
  for (const item of items) withDot(document, item);
  return result;
}
