/**
 * The protocol edge: wires the connection (stdio) to the app. Negotiates capabilities and the
 * position encoding, keeps documents in sync, pulls and applies settings, and isolates failures so
 * one failing handler never takes the process down.
 */
import { fileURLToPath } from 'node:url';
import {
  createConnection,
  DidChangeConfigurationNotification,
  MessageType,
  ProposedFeatures,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type Connection,
  type InitializeResult,
  type ServerCapabilities,
} from 'vscode-languageserver/node';
import { App } from '../app.ts';
import { commandsFeature } from '../features/commands.ts';
import { completionFeature } from '../features/completion.ts';
import { inlineCompletionFeature } from '../features/inline-completion.ts';
import type { Feature } from '../features/types.ts';
import { VERSION } from '../version.ts';
import { DocumentStore } from './documents.ts';
import { negotiateEncoding } from './encoding.ts';
import { SERVER_NAME } from './protocol.ts';

const FEATURES: Feature[] = [completionFeature, inlineCompletionFeature, commandsFeature];

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
  logFile?: string;
  connection?: Connection;
}

export function serve(options: ServeOptions): Connection {
  const connection = options.connection ?? createConnection(ProposedFeatures.all);
  const documents = new DocumentStore();
  let clientCapabilities: ClientCapabilities = {};
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
    for (const feature of FEATURES) Object.assign(capabilities, feature.capabilities(params.capabilities, app.config));
    logger.info({ client: params.clientInfo, encoding: documents.encoding, features: Object.keys(capabilities) }, 'initialize');
    return { capabilities, serverInfo: { name: SERVER_NAME, version: VERSION } };
  });

  connection.onInitialized(() => {
    initialized = true;
    for (const { type, message } of pending.splice(0)) void connection.sendNotification('window/showMessage', { type, message });
    if (!app.hasCredentials()) app.report('error', 'ghostline: no API key. Set OPENAI_API_KEY (or providers.openai.apiKey), or point providers.openai.baseUrl at a local OpenAI-compatible server. Suggestions stay empty until then.');
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
  };
  for (const feature of FEATURES) feature.register(context);

  connection.onShutdown(() => {
    logger.info({ metrics: app.metrics }, 'shutdown');
  });

  connection.listen();
  return connection;
}
