/**
 * Starts the built server (`bin/ghostline.js --stdio`) as a child process and drives it with the
 * real LSP client library (vscode-languageserver-protocol), the way an editor does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CancellationTokenSource,
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type CompletionList,
  type InitializeResult,
  type InlineCompletionList,
  type Position,
  type ProtocolConnection,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'ghostline.js');
/**
 * The Node that runs the server under test. `GHOSTLINE_TEST_NODE=/path/to/node` runs the same tests
 * against another version (CI proves the lowest supported one this way).
 */
export const SERVER_NODE = process.env.GHOSTLINE_TEST_NODE || process.execPath;

export interface StartOptions {
  env?: Record<string, string | undefined>;
  args?: string[];
  cwd?: string;
  /** The server command without `--stdio` (default: SERVER_NODE bin/ghostline.js). */
  command?: string[];
}

export interface InitOptions {
  capabilities?: ClientCapabilities;
  initializationOptions?: unknown;
  rootUri?: string | null;
  /** Answer to workspace/configuration requests. */
  settings?: unknown;
}

export const FULL_CAPABILITIES: ClientCapabilities = {
  general: { positionEncodings: ['utf-16'] },
  textDocument: {
    synchronization: { dynamicRegistration: false },
    completion: {
      completionItem: { snippetSupport: false, documentationFormat: ['markdown', 'plaintext'] },
      contextSupport: true,
    },
    inlineCompletion: { dynamicRegistration: false },
  },
  workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false } },
  window: { workDoneProgress: true, showMessage: {}, showDocument: { support: true } },
};

export class TestClient {
  readonly connection: ProtocolConnection;
  readonly child: ChildProcess;
  readonly messages: { type: number; message: string }[] = [];
  stderr = '';
  private readonly exited: Promise<number | null>;
  settings: unknown = {};

  constructor(child: ChildProcess) {
    this.child = child;
    this.connection = createProtocolConnection(
      new StreamMessageReader(child.stdout!),
      new StreamMessageWriter(child.stdin!),
    );
    child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString('utf8');
    });
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    this.connection.onNotification('window/showMessage', (params: { type: number; message: string }) => {
      this.messages.push(params);
    });
    this.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) =>
      params.items.map(() => this.settings),
    );
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.listen();
  }

  static start(options: StartOptions = {}): TestClient {
    const home = mkdtempSync(join(tmpdir(), 'ghostline-home-'));
    const [program, ...programArgs] = options.command ?? [SERVER_NODE, BIN];
    const child = spawn(program!, [...programArgs, '--stdio', ...(options.args ?? [])], {
      cwd: options.cwd ?? ROOT,
      // Tests that are not about the completion budget or hedging must not depend on the machine's
      // speed: a generous budget and no hedged calls unless a test asks for them.
      env: {
        PATH: process.env.PATH,
        HOME: home,
        XDG_CONFIG_HOME: join(home, '.config'),
        GHOSTLINE_LOG_LEVEL: 'debug',
        GHOSTLINE_COMPLETION__BUDGET_MS: '30000',
        GHOSTLINE_COMPLETION__HEDGE_MS: '0',
        ...options.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return new TestClient(child);
  }

  async initialize(options: InitOptions = {}): Promise<InitializeResult> {
    if (options.settings !== undefined) this.settings = options.settings;
    const result = await this.connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: options.rootUri ?? null,
      capabilities: options.capabilities ?? FULL_CAPABILITIES,
      initializationOptions: options.initializationOptions,
      clientInfo: { name: 'ghostline-tests' },
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  open(uri: string, text: string, languageId = 'typescript', version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId, version, text },
    });
  }

  change(uri: string, version: number, contentChanges: TextDocumentContentChangeEvent[]): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges,
    });
  }

  /** Sends a request; the cancellation token is passed only when there is one (else JSON-RPC sees it as a param). */
  request<R>(method: string, params: unknown, token?: CancellationTokenSource): Promise<R> {
    return token
      ? this.connection.sendRequest<R>(method, params, token.token)
      : this.connection.sendRequest<R>(method, params);
  }

  completion(
    uri: string,
    position: Position,
    options: { triggerKind?: number; token?: CancellationTokenSource } = {},
  ): Promise<CompletionList> {
    return this.request<CompletionList>(
      'textDocument/completion',
      { textDocument: { uri }, position, context: { triggerKind: options.triggerKind ?? 1 } },
      options.token,
    );
  }

  inline(
    uri: string,
    position: Position,
    options: { triggerKind?: number; token?: CancellationTokenSource } = {},
  ): Promise<InlineCompletionList | null> {
    return this.request<InlineCompletionList | null>(
      'textDocument/inlineCompletion',
      { textDocument: { uri }, position, context: { triggerKind: options.triggerKind ?? 1 } },
      options.token,
    );
  }

  /** Waits until a showMessage whose text matches arrives. */
  async waitForMessage(pattern: RegExp, timeoutMs = 10_000): Promise<{ type: number; message: string }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find((m) => pattern.test(m.message));
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`no showMessage matching ${pattern}; got ${JSON.stringify(this.messages)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async shutdown(): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), 3000);
    });
    try {
      const answer = await Promise.race([this.connection.sendRequest('shutdown'), timeout]);
      if (answer === 'timeout') this.child.kill('SIGKILL');
      else await this.connection.sendNotification('exit');
    } catch {
      this.child.kill('SIGKILL');
    } finally {
      clearTimeout(timer);
    }
    const code = await Promise.race([this.exited, new Promise<null>((r) => setTimeout(() => r(null), 5000))]);
    if (code === null) this.child.kill('SIGKILL');
    this.connection.dispose();
    return code;
  }

  get exitCode(): Promise<number | null> {
    return this.exited;
  }
}

export { CancellationTokenSource };
