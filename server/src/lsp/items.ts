/**
 * Plain answers from features/ as LSP shapes: a suggestion as a completion item or an inline
 * completion item (with the accept command), and the code-action menu as resolvable code actions,
 * code actions with a command, or bare commands, as the client supports.
 */
import {
  CompletionItemKind,
  InsertTextFormat,
  type ClientCapabilities,
  type CodeAction,
  type Command,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type InlineCompletionList,
} from 'vscode-languageserver';
import type { ActionMenu } from '../features/code-actions.ts';
import type { AcceptArgs, ActionArgs, ActionName, ClientAbilities } from '../features/types.ts';
import type { Suggested } from '../features/suggestion-shape.ts';
import type { Encoding } from './encoding.ts';
import { Commands, LLM_GENERATED_TAG } from './protocol.ts';
import { editSupport, workspaceEditOf } from './workspace-edit.ts';

export const EMPTY_COMPLETION: CompletionList = { isIncomplete: true, items: [] };
export const EMPTY_INLINE: InlineCompletionList = { items: [] };

/** What the resolve request carries back in `data`. */
export interface ActionData {
  ghostline: ActionName;
  args: ActionArgs;
}

function acceptCommand(args: AcceptArgs): Command {
  return { title: 'ghostline: suggestion accepted', command: Commands.accept, arguments: [args] };
}

export function completionList(suggested: Suggested): CompletionList {
  const newText = suggested.text;
  const firstLine = newText.split('\n', 1)[0]!;
  const multiline = newText.includes('\n');
  const item: CompletionItem = {
    label: (firstLine.trim() || newText.trim()).slice(0, 80) + (multiline ? ' …' : ''),
    kind: CompletionItemKind.Text,
    detail: `ghostline · ${suggested.model}`,
    filterText: firstLine,
    // Clients order items of equal match score by sortText; without one the label is used, and
    // language servers' codes ("11" for TypeScript's members) sort first, pushing the suggestion
    // past the suggest widget's visible rows. "0" puts it beside the best of them.
    sortText: '0',
    insertTextFormat: InsertTextFormat.PlainText,
    textEdit: { range: suggested.range, newText },
    command: acceptCommand(suggested.accept),
    ...(multiline
      ? { documentation: { kind: 'markdown', value: `\`\`\`${suggested.languageId}\n${newText}\n\`\`\`` } }
      : {}),
  };
  return { isIncomplete: true, items: [item] };
}

export function inlineCompletionList(suggested: Suggested): InlineCompletionList {
  return { items: [{ insertText: suggested.text, range: suggested.range, command: acceptCommand(suggested.accept) }] };
}

export function codeActionItems(
  menu: ActionMenu<Diagnostic>,
  abilities: ClientAbilities,
  capabilities: ClientCapabilities,
  encoding: Encoding,
): (CodeAction | Command)[] {
  const result: (CodeAction | Command)[] = [];
  for (const entry of menu.entries) {
    const command: Command = { title: entry.title, command: Commands[entry.action], arguments: [entry.args] };
    if (!abilities.codeActionLiterals) {
      result.push(command);
      continue;
    }
    const codeAction: CodeAction = { title: entry.title, kind: entry.kind };
    if (entry.diagnostic) codeAction.diagnostics = [entry.diagnostic];
    if (abilities.llmTag) codeAction.tags = [LLM_GENERATED_TAG as 1];
    if (abilities.resolve && entry.resolvable)
      codeAction.data = { ghostline: entry.action, args: entry.args } satisfies ActionData;
    else codeAction.command = command;
    result.push(codeAction);
  }
  const support = editSupport(capabilities, encoding);
  for (const variant of menu.variants) {
    result.push({ title: variant.title, kind: 'refactor.rewrite', edit: workspaceEditOf(variant.edit, support) });
  }
  return result;
}
