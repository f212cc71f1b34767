/**
 * Builds the language client: the server command from the settings, the API key from
 * SecretStorage passed in the server's environment, settings cleaned for the server, the opt-in to
 * `ghostline/stream`, and the model of each suggestion noted for the status bar.
 */
import * as vscode from 'vscode';
import {
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  type StaticFeature,
} from 'vscode-languageclient/node';
import { alignCompletion } from './completion.ts';
import { STREAM_CAPABILITY } from './protocol.ts';
import { currentServerSettings, serverSettings } from './settings.ts';

export const SECRET_KEY = 'ghostline.openaiApiKey';

/** Declares `experimental.ghostlineStream`, so the server streams action output to the extension. */
const streamOptIn: StaticFeature = {
  fillClientCapabilities(capabilities) {
    capabilities.experimental = { ...(capabilities.experimental as object | undefined), [STREAM_CAPABILITY]: true };
  },
  initialize() {},
  getState() {
    return { kind: 'static' };
  },
  clear() {},
};

function modelOf(command: { arguments?: unknown[] } | undefined): string | undefined {
  const args = command?.arguments?.[0] as { model?: unknown } | undefined;
  return typeof args?.model === 'string' ? args.model : undefined;
}

export interface ClientHooks {
  output: vscode.LogOutputChannel;
  onModel(model: string): void;
}

export async function createClient(secrets: vscode.SecretStorage, hooks: ClientHooks): Promise<LanguageClient> {
  const config = vscode.workspace.getConfiguration('ghostline');
  const apiKey = await secrets.get(SECRET_KEY);
  const env: Record<string, string | undefined> = { ...process.env };
  if (apiKey) env.OPENAI_API_KEY = apiKey;
  const serverOptions: ServerOptions = {
    command: config.get<string>('server.path', 'ghostline'),
    args: config.get<string[]>('server.args', ['--stdio']),
    options: { env },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file' }, { scheme: 'untitled' }],
    outputChannel: hooks.output,
    initializationOptions: currentServerSettings(),
    middleware: {
      workspace: {
        // The server registers for `workspace/didChangeConfiguration` on the `ghostline` section, and
        // vscode-languageclient would push that section raw (the extension's own keys, null for every
        // unset setting). An empty push instead makes the server pull it through `configuration` below.
        didChangeConfiguration: (_sections, next) => next(undefined),
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (!Array.isArray(result)) return result;
          return result.map((value, i) => (params.items[i]?.section === 'ghostline' ? serverSettings(value) : value));
        },
      },
      // Ghost text already shows the suggestion as you type. Asked on its own trigger characters
      // (space, `=`, `(`, a newline…), the completion item would open the suggest widget for itself
      // alone at every space and take Tab from the ghost text; it joins the widget when it opens
      // anyway: on `.` (beside the language's members), while typing a word, or on Ctrl+Space.
      provideCompletionItem: async (document, position, context, token, next) => {
        if (context.triggerKind === vscode.CompletionTriggerKind.TriggerCharacter && context.triggerCharacter !== '.')
          return [];
        return alignCompletion(document, await next(document, position, context, token));
      },
      provideInlineCompletionItems: async (document, position, context, token, next) => {
        const result = await next(document, position, context, token);
        const items = Array.isArray(result) ? result : result?.items;
        const model = modelOf(items?.[0]?.command);
        if (model) hooks.onModel(model);
        return result;
      },
    },
  };
  const client = new LanguageClient('ghostline', 'ghostline', serverOptions, clientOptions);
  client.registerFeature(streamOptIn);
  return client;
}
