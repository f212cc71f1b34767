/**
 * A command-palette entry per ghostline action. Each builds the action's arguments from the
 * active editor (selection, document version, the diagnostic under it) and runs the server's
 * command; the server streams the output, reports progress and applies its edit itself.
 */
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';
import { ACTIONS, paletteCommand, serverCommand, type ActionArgs, type ActionName } from './protocol.ts';

function diagnosticAt(client: LanguageClient, editor: vscode.TextEditor): ActionArgs['diagnostic'] {
  const selection = editor.selection;
  const found = vscode.languages
    .getDiagnostics(editor.document.uri)
    .find((d) => d.range.intersection(selection) !== undefined || d.range.contains(selection.active));
  if (!found) return undefined;
  const code = typeof found.code === 'object' ? found.code.value : found.code;
  return {
    message: found.message,
    range: client.code2ProtocolConverter.asRange(found.range),
    ...(found.source !== undefined ? { source: found.source } : {}),
    ...(code !== undefined ? { code } : {}),
  };
}

/** The selection, or the current line when nothing is selected. */
function targetRange(editor: vscode.TextEditor): vscode.Range {
  return editor.selection.isEmpty ? editor.document.lineAt(editor.selection.active.line).range : editor.selection;
}

export async function runAction(client: LanguageClient, action: ActionName): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showWarningMessage('ghostline: open a file and select some code first.');
    return;
  }
  const args: ActionArgs = {
    uri: client.code2ProtocolConverter.asUri(editor.document.uri),
    range: client.code2ProtocolConverter.asRange(targetRange(editor)),
    version: editor.document.version,
  };
  if (action === 'refactorWithInstruction') {
    const instruction = await vscode.window.showInputBox({
      prompt: 'How should ghostline refactor the selection?',
      placeHolder: 'e.g. use early returns',
    });
    if (!instruction) return;
    args.instruction = instruction;
  }
  if (action === 'fix') {
    const diagnostic = diagnosticAt(client, editor);
    if (!diagnostic) {
      void vscode.window.showInformationMessage('ghostline: no problem under the cursor to fix.');
      return;
    }
    args.diagnostic = diagnostic;
  }
  await client.sendRequest(ExecuteCommandRequest.type, { command: serverCommand(action), arguments: [args] });
}

export function registerActions(getClient: () => LanguageClient | undefined): vscode.Disposable[] {
  return ACTIONS.map((action) =>
    vscode.commands.registerCommand(paletteCommand(action), async () => {
      const client = getClient();
      if (!client?.isRunning()) {
        void vscode.window.showWarningMessage('ghostline: the server is not running.');
        return;
      }
      await runAction(client, action);
    }),
  );
}
