/**
 * ghostline for VS Code: starts the ghostline language server through vscode-languageclient
 * (completion, inline ghost text and code actions come from the client's built-in features) and
 * adds what the protocol alone does not give: the API key in SecretStorage, a live output view for
 * actions, a status bar item and a palette command per action.
 */
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';
import { registerActions } from './actions.ts';
import { createClient, SECRET_KEY } from './client.ts';
import { STATS_COMMAND, STREAM_METHOD, type Stats, type StreamParams } from './protocol.ts';
import { StatusBar } from './status.ts';
import { StreamView } from './stream.ts';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('ghostline', { log: true });
  const stream = new StreamView();
  const status = new StatusBar('ghostline.vscode.showStats');
  context.subscriptions.push(output, stream, status);

  const stats = async (): Promise<Stats | undefined> => {
    if (!client?.isRunning()) return undefined;
    return (await client.sendRequest(ExecuteCommandRequest.type, { command: STATS_COMMAND, arguments: [] })) as Stats;
  };

  const start = async () => {
    client = await createClient(context.secrets, { output, onModel: (model) => (status.model = model) });
    client.onNotification(STREAM_METHOD, (params: StreamParams) => stream.handle(params));
    await client.start();
    status.start(stats);
  };
  const restart = async () => {
    status.stop();
    const old = client;
    client = undefined;
    await old?.stop();
    await start();
  };

  context.subscriptions.push(
    ...registerActions(() => client),
    vscode.commands.registerCommand('ghostline.vscode.setApiKey', async () => {
      const key = await vscode.window.showInputBox({
        prompt: "OpenAI API key (kept in VS Code's secret storage)",
        password: true,
        ignoreFocusOut: true,
      });
      if (!key) return;
      await context.secrets.store(SECRET_KEY, key.trim());
    }),
    vscode.commands.registerCommand('ghostline.vscode.clearApiKey', () => context.secrets.delete(SECRET_KEY)),
    vscode.commands.registerCommand('ghostline.vscode.showStats', async () => {
      const current = await stats();
      if (!current) return;
      status.update(current);
      const lines = Object.entries(current).map(([key, value]) => `${key}: ${JSON.stringify(value)}`);
      output.info(`ghostline.stats\n${lines.join('\n')}`);
      output.show(true);
    }),
    vscode.commands.registerCommand('ghostline.vscode.showOutput', () => stream.show()),
    vscode.commands.registerCommand('ghostline.vscode.restart', restart),
    // A new key means a new server environment.
    context.secrets.onDidChange((event) => (event.key === SECRET_KEY ? void restart() : undefined)),
    // Other `ghostline` settings reach the running server through the client's configuration
    // middleware (client.ts); a new server command needs a new server.
    vscode.workspace.onDidChangeConfiguration((event) =>
      event.affectsConfiguration('ghostline.server') ? void restart() : undefined,
    ),
    { dispose: () => void client?.stop() },
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
