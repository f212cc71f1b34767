/**
 * The protocol edge: the only code that speaks LSP. Wires the connection (stdio) to the services:
 * negotiates capabilities and the position encoding, composes the services at `initialize`, keeps
 * documents in sync, pulls and applies settings, registers every handler through the edge (params
 * checked, cancellation converted, answers mapped), and refuses requests after `shutdown`.
 */
import { fileURLToPath } from 'node:url';
import {
  createConnection,
  DidChangeConfigurationNotification,
  ErrorCodes,
  ExecuteCommandRequest,
  ProposedFeatures,
  ResponseError,
  StreamMessageWriter,
  type ClientCapabilities,
  type Connection,
  type Diagnostic,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { compose, NO_API_KEY_MESSAGE, type Composition, type Services } from '../compose.ts';
import { CodeActions } from '../features/code-actions.ts';
import { accepted, stats } from '../features/commands.ts';
import { complete, prefetchCompletion } from '../features/completion.ts';
import { LineEndPrefetch } from '../features/line-end-prefetch.ts';
import { completeInline } from '../features/inline-completion.ts';
import type { FeatureContext } from '../features/types.ts';
import { createLogger, type Logger } from '../telemetry/logger.ts';
import { VERSION } from '../version.ts';
import { abilitiesOf, serverCapabilities } from './capabilities.ts';
import { createClientPort } from './client-port.ts';
import { DocumentStore } from './documents.ts';
import { CANCELLED, invalidParams, notification, request, type EdgeState } from './edge.ts';
import { negotiateEncoding } from './encoding.ts';
import {
  codeActionItems,
  completionList,
  EMPTY_COMPLETION,
  EMPTY_INLINE,
  inlineCompletionList,
  type ActionData,
} from './items.ts';
import { MarkdownFiles } from './markdown-files.ts';
import { editSupport, workspaceEditOf } from './workspace-edit.ts';
import * as params from './params.ts';
import { GuardedMessageReader } from './reader.ts';
import { actionOfCommand, Commands, SERVER_NAME } from './protocol.ts';

export function pathOf(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}

export interface ServeOptions {
  env: NodeJS.ProcessEnv;
  logFile?: string | undefined;
  /** Speak over stdin/stdout through the guarded reader (else the library picks the transport from argv). */
  stdio?: boolean;
  connection?: Connection;
}

/** Triggered by typing: a trigger character (2), or re-asked for an incomplete list (3). */
const AUTOMATIC_COMPLETION = new Set([2, 3]);
const AUTOMATIC_INLINE = 2;

function describeType(value: unknown): string {
  return Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
}

export function serve(options: ServeOptions): Connection {
  let composition: Composition | undefined;
  /** Set at the first didOpen, which loads what completion needs (`Composition.warmUp`). */
  let warmedUp = false;
  let bootLogger: Logger | undefined;
  /** The services' logger once composed; before that, a plain one for protocol problems. */
  const logger = (): Logger =>
    composition?.services.logger ?? (bootLogger ??= createLogger({ level: 'warn', file: options.logFile }));
  const state: EdgeState = { shuttingDown: false, ready: () => composition !== undefined, logger };
  const connection = options.connection ?? createEdgeConnection(options, state);
  const documents = new DocumentStore();
  const files = new MarkdownFiles();
  let capabilities: ClientCapabilities = {};
  const services = (): Services => composition!.services;
  const client = createClientPort({
    connection,
    capabilities: () => capabilities,
    abilities: () => abilitiesOf(capabilities, services().config),
    encoding: () => documents.encoding,
    files,
    logger,
  });
  const context: FeatureContext = { services, documents, client, pathOf };
  /** Whether the client has asked for completion items, and for inline completion (ghost text). */
  let asksCompletion = false;
  let asksInline = false;
  const lineEnds = new LineEndPrefetch((uri, offset) => prefetchCompletion(context, uri, offset));
  const codeActions = new CodeActions(context);

  connection.onInitialize(((raw: unknown): InitializeResult | ResponseError<void> => {
    if (composition)
      return new ResponseError(ErrorCodes.InvalidRequest, 'initialize: the server is already initialized');
    const checked = params.check(params.initializeParams, raw);
    if (!checked.ok) return invalidParams('initialize', checked.problem);
    const init = checked.value;
    capabilities = init.capabilities as ClientCapabilities;
    documents.encoding = negotiateEncoding(capabilities.general?.positionEncodings);
    const root = init.workspaceFolders?.[0]?.uri ?? init.rootUri ?? undefined;
    const settings = init.initializationOptions;
    const settingsAreObject = typeof settings === 'object' && settings !== null && !Array.isArray(settings);
    composition = compose({
      env: options.env,
      workspaceRoot: root ? pathOf(root) : undefined,
      logFile: options.logFile,
      report: (severity, message) => client.showMessage(severity, message),
      clientSettings: { initializationOptions: settings },
      currentVersion: (uri) => documents.version(uri),
      lastChange: (uri) => documents.lastChange(uri),
      typingGap: (uri) => documents.typingGap(uri),
      startsBurst: (uri) => documents.startsBurst(uri),
      documentText: (uri) => {
        const doc = documents.get(uri);
        return doc ? { text: doc.text, version: doc.version } : undefined;
      },
    });
    if (settings !== undefined && settings !== null && !settingsAreObject) {
      composition.report(
        'warning',
        `ghostline: initializationOptions must be an object of settings (see docs/configuration.md), but the editor sent ${describeType(settings)}; it was ignored.`,
      );
    }
    const declared = serverCapabilities(capabilities, services().config, documents.encoding);
    services().usage.setEditor((init.clientInfo as { name?: unknown } | undefined)?.name);
    services().logger.info(
      { client: init.clientInfo, encoding: documents.encoding, features: Object.keys(declared) },
      'initialize',
    );
    return { capabilities: declared, serverInfo: { name: SERVER_NAME, version: VERSION } };
  }) as never);

  connection.onInitialized(() => {
    if (!composition) return;
    client.ready();
    if (!services().hasCredentials()) composition.report('error', NO_API_KEY_MESSAGE);
    if (capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
      void connection.client
        .register(DidChangeConfigurationNotification.type, { section: 'ghostline' })
        .catch(() => undefined);
    }
    void pullSettings();
  });

  /** Pulls the `ghostline` section when the client answers workspace/configuration. */
  async function pullSettings(): Promise<void> {
    if (!capabilities.workspace?.configuration) return;
    try {
      const [settings] = await connection.workspace.getConfiguration([{ section: 'ghostline' }]);
      composition?.configure('workspace/configuration', settings);
    } catch (error) {
      logger().debug({ err: error }, 'workspace/configuration failed');
    }
  }

  connection.onDidChangeConfiguration((raw: { settings?: unknown } | undefined) => {
    if (!composition || state.shuttingDown) return;
    const settings = raw?.settings;
    const hasSettings = typeof settings === 'object' && settings !== null && Object.keys(settings).length > 0;
    if (hasSettings) composition.configure('workspace/configuration', settings);
    else void pullSettings();
  });

  connection.onDidOpenTextDocument(
    notification(state, 'textDocument/didOpen', params.didOpenParams, ({ textDocument: d }) => {
      if (d.version === undefined)
        logger().warn({ uri: d.uri }, 'textDocument/didOpen without textDocument.version; taking version 0');
      documents.open(d.uri, d.languageId, d.version ?? 0, d.text);
      composition?.services.indexer.opened(d.uri, pathOf(d.uri), d.languageId, d.version ?? 0);
      // The first document, before its first keystroke: what completion loads on first use (the
      // tokenizer, the openai SDK) loads now, so an idle server without documents never holds it.
      if (!warmedUp) {
        warmedUp = true;
        setImmediate(() => composition?.warmUp());
      }
    }),
  );
  connection.onDidChangeTextDocument(
    notification(state, 'textDocument/didChange', params.didChangeParams, ({ textDocument, contentChanges }) => {
      if (!documents.change(textDocument.uri, textDocument.version, contentChanges)) {
        logger().warn({ uri: textDocument.uri }, 'change for a document that is not open');
        return;
      }
      // The changed lines, for the recent-edits context of other files (whole-text changes have none).
      const lines = contentChanges.flatMap((change) => {
        const start = (change as { range?: { start: { line: number } } }).range?.start.line;
        return start === undefined
          ? []
          : [{ startLine: start, endLine: start + (change.text.match(/\n/g)?.length ?? 0) }];
      });
      composition?.services.indexer.changed(textDocument.uri, textDocument.version, lines);
      // A completion still pending for an older version can never be returned: answer it now.
      composition?.services.engine.movedOn(textDocument.uri, textDocument.version);
      // An editor that asks for completion only after its own idle delay (not inline completion,
      // which VS Code asks on every key): the first key of a burst starts the model call now.
      // So does a pause at a line's end, for a client that asks there (features/line-end-prefetch.ts).
      const cursor = documents.cursorAfterChange(textDocument.uri);
      const prefetches = asksCompletion && !asksInline && services().config.completion.adaptiveDebounce;
      if (prefetches && cursor !== undefined && documents.startsBurst(textDocument.uri))
        prefetchCompletion(context, textDocument.uri, cursor);
      if (prefetches) lineEnds.changed(textDocument.uri, documents.text(textDocument.uri) ?? '', cursor);
    }),
  );
  connection.onDidCloseTextDocument(
    notification(state, 'textDocument/didClose', params.didCloseParams, ({ textDocument }) => {
      documents.close(textDocument.uri);
      lineEnds.forget(textDocument.uri);
      services().engine.forget(textDocument.uri);
      services().indexer.closed(textDocument.uri);
      services().repoContext.forget(textDocument.uri);
    }),
  );

  connection.onCompletion(
    request(state, 'textDocument/completion', params.completionParams, async (p, signal) => {
      asksCompletion = true;
      lineEnds.asked(p.textDocument.uri);
      const automatic = AUTOMATIC_COMPLETION.has(p.context?.triggerKind ?? 1);
      const answer = await complete(context, { uri: p.textDocument.uri, position: p.position, automatic, signal });
      if (answer.kind === 'cancelled') return CANCELLED;
      return answer.kind === 'ok' ? completionList(answer) : EMPTY_COMPLETION;
    }) as never,
  );

  connection.languages.inlineCompletion.on(
    request(state, 'textDocument/inlineCompletion', params.inlineCompletionParams, async (p, signal) => {
      asksInline = true;
      const selected = p.context?.selectedCompletionInfo ?? undefined;
      const answer = await completeInline(context, {
        uri: p.textDocument.uri,
        position: p.position,
        automatic: p.context?.triggerKind === AUTOMATIC_INLINE,
        selected,
        signal,
      });
      if (answer.kind === 'cancelled') return CANCELLED;
      return answer.kind === 'ok' ? inlineCompletionList(answer) : EMPTY_INLINE;
    }) as never,
  );

  connection.onCodeAction(
    request(state, 'textDocument/codeAction', params.codeActionParams, (p) => {
      const menu = codeActions.list<Diagnostic>({
        uri: p.textDocument.uri,
        range: p.range,
        diagnostics: p.context.diagnostics as Diagnostic[],
        only: p.context.only ?? undefined,
      });
      return codeActionItems(menu, client.abilities, capabilities, documents.encoding);
    }) as never,
  );

  connection.onCodeActionResolve(
    request(state, 'codeAction/resolve', params.codeActionResolveParams, async (action, signal) => {
      const data = action.data as { ghostline?: unknown } | undefined;
      // Actions ghostline did not make pass through untouched.
      if (typeof data !== 'object' || data === null || !('ghostline' in data)) return action;
      const checked = params.check(params.actionData, data);
      if (!checked.ok) return invalidParams('codeAction/resolve', `data.${checked.problem}`);
      const { ghostline, args } = checked.value as ActionData;
      const result = await codeActions.resolve(ghostline, args, { signal });
      if (result.kind === 'cancelled') return CANCELLED;
      if (result.kind !== 'edit') return action;
      return { ...action, edit: workspaceEditFor(result.edit) };
    }) as never,
  );

  function workspaceEditFor(edit: Parameters<typeof client.applyEdit>[0]) {
    return workspaceEditOf(edit, editSupport(capabilities, documents.encoding));
  }

  // Registered raw so params keep their workDoneToken (onExecuteCommand strips it).
  connection.onRequest(
    ExecuteCommandRequest.type,
    request(state, 'workspace/executeCommand', params.executeCommandParams, async (p, signal) => {
      const first = p.arguments?.[0];
      if (p.command === Commands.accept) {
        accepted(context, first as Parameters<typeof accepted>[1]);
        return null;
      }
      if (p.command === Commands.stats) return stats(context);
      const action = actionOfCommand(p.command);
      if (!action)
        return invalidParams('workspace/executeCommand', `command: "${p.command}" is not a ghostline command`);
      const checked = params.check(params.actionArgs, first);
      if (!checked.ok) {
        client.showMessage(
          'error',
          `ghostline: ${p.command} needs one argument {uri, range, version} (docs/code-actions.md).`,
        );
        return invalidParams('workspace/executeCommand', `arguments.0.${checked.problem}`);
      }
      const result = await codeActions.command(action, checked.value as ActionData['args'], {
        signal,
        workDoneToken: p.workDoneToken,
      });
      if (result.kind === 'cancelled') return CANCELLED;
      return result.kind === 'applied' ? { applied: result.applied } : null;
    }) as never,
  );

  connection.onShutdown(async () => {
    state.shuttingDown = true;
    files.clear();
    if (!composition) return;
    services().logger.info({ metrics: services().metrics }, 'shutdown');
    // Audit lines still queued are written before the editor's `exit` ends the process.
    await composition.close();
  });

  connection.listen();
  return connection;
}

/**
 * Over stdio, the guarded reader keeps one malformed message from silencing the server. When the
 * editor closes stdin the process ends, with status 0 only after a `shutdown` (as the library does
 * for the streams it opens itself).
 */
function createEdgeConnection(options: ServeOptions, state: EdgeState): Connection {
  if (!options.stdio) return createConnection(ProposedFeatures.all);
  const writer = new StreamMessageWriter(process.stdout);
  const reader = new GuardedMessageReader(process.stdin, writer, state.logger);
  reader.onClose(() => process.exit(state.shuttingDown ? 0 : 1));
  return createConnection(ProposedFeatures.all, reader, writer);
}
