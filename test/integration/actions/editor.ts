/**
 * A test editor for code actions: the real LSP client (TestClient) plus what an editor does with
 * the results — a buffer per document that applies WorkspaceEdits and rejects stale versions,
 * answers to workspace/applyEdit, showMessageRequest and showDocument, and a record of every
 * $/progress and ghostline/stream notification.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type {
  ClientCapabilities,
  CodeAction,
  Command,
  Range,
  TextDocumentEdit,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { onTestFailed } from 'vitest';
import type { StreamParams } from '../../../server/src/lsp/protocol.ts';
import { FULL_CAPABILITIES, TestClient } from '../../helpers/lsp-client.ts';

export const RESOLVE_CAPABILITIES: ClientCapabilities = {
  ...FULL_CAPABILITIES,
  textDocument: {
    ...FULL_CAPABILITIES.textDocument,
    codeAction: {
      codeActionLiteralSupport: {
        codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'refactor.rewrite', 'source'] },
      },
      resolveSupport: { properties: ['edit'] },
      dataSupport: true,
      tagSupport: { valueSet: [1] },
    },
  },
  workspace: {
    ...FULL_CAPABILITIES.workspace,
    applyEdit: true,
    workspaceEdit: {
      documentChanges: true,
      resourceOperations: ['create'],
      changeAnnotationSupport: { groupsOnLabel: false },
    },
  },
};

/** Like Emacs 28 + eglot 1.9: no resolve, no window capabilities, documentChanges without resource operations. */
export const EGLOT_LIKE_CAPABILITIES: ClientCapabilities = {
  general: { positionEncodings: ['utf-16'] },
  textDocument: {
    synchronization: { dynamicRegistration: false },
    codeAction: {
      codeActionLiteralSupport: {
        codeActionKind: { valueSet: ['quickfix', 'refactor', 'refactor.rewrite', 'source'] },
      },
    },
  },
  workspace: { applyEdit: true, workspaceEdit: { documentChanges: true }, configuration: true },
};

export interface Buffer {
  text: string;
  version: number;
}

function offsetAt(text: string, position: { line: number; character: number }): number {
  let offset = 0;
  for (let line = 0; line < position.line; line++) offset = text.indexOf('\n', offset) + 1;
  return offset + position.character;
}

export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = edits
    .map((e) => ({ start: offsetAt(text, e.range.start), end: offsetAt(text, e.range.end), text: e.newText }))
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const edit of sorted) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

export class Editor {
  readonly client: TestClient;
  readonly buffers = new Map<string, Buffer>();
  readonly progress: {
    token: string | number;
    value: { kind: string; title?: string; message?: string; cancellable?: boolean };
  }[] = [];
  readonly streams: StreamParams[] = [];
  readonly shownDocuments: { uri: string; text: string }[] = [];
  readonly applyRequests: { label?: string; edit: WorkspaceEdit }[] = [];
  readonly messageRequests: { message: string; actions: { title: string }[] }[] = [];
  /** Which button the user presses in a showMessageRequest (null: dismissed). */
  answerMessageRequest: (request: { message: string; actions: { title: string }[] }) => { title: string } | null = () =>
    null;
  /** Called when the client receives workspace/applyEdit, before applying. */
  beforeApply: () => Promise<void> | void = () => undefined;

  constructor(client: TestClient) {
    this.client = client;
    const connection = client.connection;
    connection.onNotification('$/progress', (params: Editor['progress'][number]) => void this.progress.push(params));
    connection.onNotification('ghostline/stream', (params: StreamParams) => void this.streams.push(params));
    connection.onRequest('window/showDocument', (params: { uri: string }) => {
      this.shownDocuments.push({ uri: params.uri, text: readFileSync(fileURLToPath(params.uri), 'utf8') });
      return { success: true };
    });
    connection.onRequest('window/showMessageRequest', (params: { message: string; actions: { title: string }[] }) => {
      this.messageRequests.push(params);
      return this.answerMessageRequest(params);
    });
    connection.onRequest('workspace/applyEdit', async (params: { label?: string; edit: WorkspaceEdit }) => {
      this.applyRequests.push(params);
      await this.beforeApply();
      return this.apply(params.edit);
    });
  }

  /**
   * `command` starts another server build (the self-contained executable) instead of bin/ghostline.js;
   * `rootUri` names the workspace folder (none by default).
   */
  static async start(
    env: Record<string, string>,
    capabilities: ClientCapabilities,
    initializationOptions?: unknown,
    command?: string[],
    rootUri?: string,
  ): Promise<Editor> {
    const client = TestClient.start({ env, ...(command ? { command } : {}) });
    // A failing test shows the end of the server's log, which says where a run stopped.
    onTestFailed(
      () => void process.stderr.write(`--- server log (last 6000 chars) ---\n${client.stderr.slice(-6000)}\n`),
    );
    await client.initialize({ capabilities, initializationOptions, ...(rootUri ? { rootUri } : {}) });
    return new Editor(client);
  }

  async open(uri: string, text: string, languageId = 'typescript'): Promise<void> {
    this.buffers.set(uri, { text, version: 1 });
    await this.client.open(uri, text, languageId, 1);
  }

  /** The user types: replaces `range` in the buffer and tells the server. */
  async type(uri: string, range: Range, text: string): Promise<void> {
    const buffer = this.buffers.get(uri)!;
    buffer.text = applyTextEdits(buffer.text, [{ range, newText: text }]);
    buffer.version++;
    await this.client.change(uri, buffer.version, [{ range, text }]);
  }

  text(uri: string): string {
    return this.buffers.get(uri)!.text;
  }

  /** Applies a WorkspaceEdit as an editor does: all or nothing, stale versions rejected. */
  apply(edit: WorkspaceEdit): { applied: boolean; failureReason?: string } {
    const next = new Map(this.buffers);
    for (const change of edit.documentChanges ?? []) {
      if ('kind' in change) {
        if (change.kind !== 'create') return { applied: false, failureReason: `unsupported ${change.kind}` };
        if (!next.has(change.uri)) next.set(change.uri, { text: '', version: 0 });
        continue;
      }
      const documentEdit = change as TextDocumentEdit;
      const buffer = next.get(documentEdit.textDocument.uri) ?? this.fromDisk(documentEdit.textDocument.uri);
      if (!buffer) return { applied: false, failureReason: `unknown document ${documentEdit.textDocument.uri}` };
      if (documentEdit.textDocument.version !== null && documentEdit.textDocument.version !== buffer.version) {
        return {
          applied: false,
          failureReason: `stale version ${documentEdit.textDocument.version}, buffer is at ${buffer.version}`,
        };
      }
      next.set(documentEdit.textDocument.uri, {
        text: applyTextEdits(buffer.text, documentEdit.edits as TextEdit[]),
        version: buffer.version + 1,
      });
    }
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) {
      const buffer = next.get(uri) ?? this.fromDisk(uri);
      if (!buffer) return { applied: false, failureReason: `unknown document ${uri}` };
      next.set(uri, { text: applyTextEdits(buffer.text, edits), version: buffer.version + 1 });
    }
    for (const [uri, buffer] of next) this.buffers.set(uri, buffer);
    return { applied: true };
  }

  private fromDisk(uri: string): Buffer | undefined {
    try {
      return { text: readFileSync(fileURLToPath(uri), 'utf8'), version: 0 };
    } catch {
      return undefined;
    }
  }

  codeActions(
    uri: string,
    range: Range,
    context: { diagnostics?: unknown[]; only?: string[] } = {},
  ): Promise<(CodeAction | Command)[]> {
    return this.client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: { diagnostics: context.diagnostics ?? [], ...(context.only ? { only: context.only } : {}) },
    });
  }

  resolve(action: CodeAction, token?: import('vscode-languageserver-protocol').CancellationToken): Promise<CodeAction> {
    return token
      ? this.client.connection.sendRequest('codeAction/resolve', action, token)
      : this.client.connection.sendRequest('codeAction/resolve', action);
  }

  execute(
    command: Command,
    token?: import('vscode-languageserver-protocol').CancellationToken,
    workDoneToken?: string,
  ): Promise<unknown> {
    const params = {
      command: command.command,
      arguments: command.arguments,
      ...(workDoneToken ? { workDoneToken } : {}),
    };
    return token
      ? this.client.connection.sendRequest('workspace/executeCommand', params, token)
      : this.client.connection.sendRequest('workspace/executeCommand', params);
  }

  /** Waits until `check` holds, polling; fails with `what` after the timeout. */
  async until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

export function find(actions: (CodeAction | Command)[], title: RegExp): CodeAction {
  const found = actions.find((a) => title.test(a.title));
  if (!found) throw new Error(`no action matching ${title}; got ${actions.map((a) => a.title).join(', ')}`);
  return found as CodeAction;
}
