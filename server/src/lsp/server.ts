/**
 * The protocol edge: wires the connection (stdio) to the app. Negotiates capabilities and the
 * position encoding, keeps documents in sync, pulls and applies settings, and isolates failures so
 * one failing handler never takes the process down.
 */
import { fileURLToPath } from 'node:url';
import {
  createConnection,
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  MessageType,
  ProposedFeatures,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type Connection,
  type InitializeResult,
  type ServerCapabilities,
} from 'vscode-languageserver/node';
import { App, NO_API_KEY_MESSAGE } from '../app.ts';
import { codeActionsFeature } from '../features/code-actions.ts';
import { commandsFeature } from '../features/commands.ts';
import { completionFeature } from '../features/completion.ts';
import { inlineCompletionFeature } from '../features/inline-completion.ts';
import type { Feature } from '../features/types.ts';
import { VERSION } from '../version.ts';
import { DocumentStore } from './documents.ts';
import { negotiateEncoding } from './encoding.ts';
import { SERVER_NAME } from './protocol.ts';

const FEATURES: Feature[] = [completionFeature, inlineCompletionFeature, commandsFeature, codeActionsFeature];

export function pathOf(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}

type ExecuteCommandHandler = Parameters<Connection['onExecuteCommand']>[0];

export interface ServeOptions {
  env: NodeJS.ProcessEnv;
  logFile?: string;
  connection?: Connection;
}

export function serve(options: ServeOptions): Connection {
  const connection = options.connection ?? createConnection(ProposedFeatures.all);
  const documents = new DocumentStore();
  let clientCapabilities: ClientCapabilities = {};
  /** Command id → the feature that declared it, and each feature's executeCommand handler. */
  const commandOwners = new Map<string, string>();
  const commandHandlers = new Map<string, ExecuteCommandHandler>();
  let initialized = false;
  const pending: { type: MessageType; message: string }[] = [];
  const show = (type: MessageType, message: string) => {
    if (initialized) void connection.sendNotification('window/showMessage', { type, message });
    else pending.push({ type, message });
  };
  const app = new App({
    env: options.env,
    logFile: options.logFile,
    report: (severity, message) => show(severity === 'error' ? MessageType.Error : severity === 'warning' ? MessageType.Warning : MessageType.Info, message),
  });
  app.versionOf = (uri) => documents.version(uri);
  const logger = app.logger;

  connection.onInitialize((params): InitializeResult => {
    clientCapabilities = params.capabilities;
    documents.encoding = negotiateEncoding(params.capabilities.general?.positionEncodings);
    const root = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
    app.workspaceRoot = root ? pathOf(root) : undefined;
    app.setClientSettings('initializationOptions', params.initializationOptions);
    const capabilities: ServerCapabilities = {
      positionEncoding: documents.encoding,
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
    };
    for (const feature of FEATURES) {
      const own = feature.capabilities(params.capabilities, app.config);
      const commands = own.executeCommandProvider?.commands ?? [];
      for (const command of commands) commandOwners.set(command, feature.name);
      Object.assign(capabilities, own);
      if (commands.length > 0) capabilities.executeCommandProvider = { commands: [...commandOwners.keys()] };
    }
    logger.info({ client: params.clientInfo, encoding: documents.encoding, features: Object.keys(capabilities) }, 'initialize');
    return { capabilities, serverInfo: { name: SERVER_NAME, version: VERSION } };
  });

  connection.onInitialized(() => {
    initialized = true;
    for (const { type, message } of pending.splice(0)) void connection.sendNotification('window/showMessage', { type, message });
    if (!app.hasCredentials()) app.report('error', NO_API_KEY_MESSAGE);
    if (clientCapabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'ghostline' }).catch(() => undefined);
    }
    void pullSettings();
  });

  /** Pulls the `ghostline` section when the client answers workspace/configuration. */
  async function pullSettings(): Promise<void> {
    if (!clientCapabilities.workspace?.configuration) return;
    try {
      const [settings] = await connection.workspace.getConfiguration([{ section: 'ghostline' }]);
      app.setClientSettings('workspace/configuration', settings);
    } catch (error) {
      logger.debug({ err: error }, 'workspace/configuration failed');
    }
  }

  connection.onDidChangeConfiguration((params) => {
    const settings = params.settings as unknown;
    const hasSettings = typeof settings === 'object' && settings !== null && Object.keys(settings).length > 0;
    if (hasSettings) app.setClientSettings('workspace/configuration', settings);
    else void pullSettings();
  });

  connection.onDidOpenTextDocument(({ textDocument: d }) => documents.open(d.uri, d.languageId, d.version, d.text));
  connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
    if (!documents.change(textDocument.uri, textDocument.version, contentChanges)) {
      logger.warn({ uri: textDocument.uri }, 'change for a document that is not open');
    }
  });
  connection.onDidCloseTextDocument(({ textDocument }) => {
    documents.close(textDocument.uri);
    app.engine.forget(textDocument.uri);
  });

  const context = {
    connection,
    documents,
    engine: app.engine,
    logger,
    metrics: app.metrics,
    config: () => app.config,
    client: () => clientCapabilities,
    pathOf,
    provider: (name: string) => app.provider(name),
    workspaceRoot: () => app.workspaceRoot,
    guard: () => app.guard,
    guidance: (filePath: string) => app.guidance(filePath),
    audit: app.audit,
    budget: app.budget,
  };
  // workspace/executeCommand takes one handler per connection: each feature registers its own on a
  // view of the connection, and one dispatcher hands every command to the feature that declared it.
  for (const feature of FEATURES) {
    const own = Object.create(connection) as Connection;
    own.onExecuteCommand = (handler) => {
      commandHandlers.set(feature.name, handler);
      return { dispose: () => commandHandlers.delete(feature.name) };
    };
    feature.register({ ...context, connection: own });
  }
  // Registered raw so params keep their workDoneToken (onExecuteCommand strips it).
  connection.onRequest(ExecuteCommandRequest.type, (params, token) => {
    const owner = commandOwners.get(params.command);
    const handler = owner === undefined ? undefined : commandHandlers.get(owner);
    return handler ? handler(params, token, connection.window.attachWorkDoneProgress(params.workDoneToken), undefined) : null;
  });

  connection.onShutdown(async () => {
    logger.info({ metrics: app.metrics }, 'shutdown');
    // Audit lines still queued are written before the editor's `exit` ends the process.
    await app.audit.close();
    await app.close();
  });

  connection.listen();
  return connection;
}
