/**
 * What ghostline declares to a client and what it reads from the client's capabilities: each
 * feature is advertised only when the client supports it, and the client's abilities are turned
 * into plain flags once, for the features below.
 */
import { TextDocumentSyncKind, type ClientCapabilities, type ServerCapabilities } from 'vscode-languageserver';
import type { GhostlineConfig } from '../config/schema.ts';
import { ALL_KINDS } from '../features/code-actions.ts';
import type { ClientAbilities } from '../features/types.ts';
import type { Encoding } from './encoding.ts';
import { ACTION_COMMANDS, Commands, LLM_GENERATED_TAG, STREAM_CAPABILITY } from './protocol.ts';

export function supportsResolve(client: ClientCapabilities): boolean {
  const codeAction = client.textDocument?.codeAction;
  return codeAction?.dataSupport === true && (codeAction.resolveSupport?.properties ?? []).includes('edit');
}

export function abilitiesOf(client: ClientCapabilities, config: GhostlineConfig): ClientAbilities {
  const experimental = client.experimental as Record<string, unknown> | undefined;
  return {
    codeActionLiterals: client.textDocument?.codeAction?.codeActionLiteralSupport !== undefined,
    resolve: supportsResolve(client),
    llmTag: (client.textDocument?.codeAction?.tagSupport?.valueSet ?? []).includes(LLM_GENERATED_TAG as 1),
    streaming: config.actions.streaming || experimental?.[STREAM_CAPABILITY] === true,
    workDoneProgress: client.window?.workDoneProgress === true,
    showDocument: client.window?.showDocument?.support === true,
    applyEdit: client.workspace?.applyEdit === true,
  };
}

export function serverCapabilities(
  client: ClientCapabilities,
  config: GhostlineConfig,
  encoding: Encoding,
): ServerCapabilities {
  return {
    positionEncoding: encoding,
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
    completionProvider: { triggerCharacters: config.completion.triggerCharacters, resolveProvider: false },
    ...(client.textDocument?.inlineCompletion ? { inlineCompletionProvider: {} } : {}),
    codeActionProvider: client.textDocument?.codeAction?.codeActionLiteralSupport
      ? { codeActionKinds: ALL_KINDS, resolveProvider: supportsResolve(client) }
      : true,
    executeCommandProvider: { commands: [Commands.accept, Commands.stats, ...ACTION_COMMANDS] },
  };
}
