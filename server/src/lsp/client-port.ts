/**
 * The client port over the LSP connection: messages (`window/showMessage`, queued until the
 * client is initialized), documents (`window/showDocument` of a private Markdown file), questions
 * (`window/showMessageRequest`), progress (`$/progress` on the request's token, or a server-made
 * one with a cancel button), `ghostline/stream`, and `workspace/applyEdit`.
 */
import {
  MessageType,
  type ClientCapabilities,
  type Connection,
  type WorkDoneProgressServerReporter,
} from 'vscode-languageserver';
import type { ClientAbilities, ClientPort, Progress, Severity, StreamEvent, VersionedEdit } from '../features/types.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { Encoding } from './encoding.ts';
import type { MarkdownFiles } from './markdown-files.ts';
import { StreamNotification } from './protocol.ts';
import { editSupport, workspaceEditOf } from './workspace-edit.ts';

const MESSAGE_TYPE: Record<Severity, MessageType> = {
  error: MessageType.Error,
  warning: MessageType.Warning,
  info: MessageType.Info,
};

export interface ClientPortOptions {
  connection: Connection;
  capabilities: () => ClientCapabilities;
  abilities: () => ClientAbilities;
  encoding: () => Encoding;
  files: MarkdownFiles;
  logger: () => Logger | undefined;
}

export interface LspClientPort extends ClientPort {
  /** Sends the messages queued before `initialized`, and every later one at once. */
  ready(): void;
}

export function createClientPort(options: ClientPortOptions): LspClientPort {
  const { connection } = options;
  let initialized = false;
  const pending: { type: MessageType; message: string }[] = [];
  const send = (type: MessageType, message: string) =>
    void connection.sendNotification('window/showMessage', { type, message });
  return {
    get abilities() {
      return options.abilities();
    },
    ready() {
      initialized = true;
      for (const { type, message } of pending.splice(0)) send(type, message);
    },
    showMessage(severity, message) {
      if (initialized) send(MESSAGE_TYPE[severity], message);
      else pending.push({ type: MESSAGE_TYPE[severity], message });
    },
    async showDocument(name, markdown) {
      if (!options.abilities().showDocument) return false;
      try {
        const uri = options.files.write(name, markdown);
        const result = await connection.window.showDocument({ uri, takeFocus: true });
        return result.success;
      } catch (error) {
        options.logger()?.warn({ err: error }, 'showDocument failed');
        return false;
      }
    },
    async ask(message, choices) {
      const actions = choices.map((title) => ({ title }));
      try {
        const picked = await connection.sendRequest<{ title: string } | null>('window/showMessageRequest', {
          type: MessageType.Info,
          message,
          actions,
        });
        if (!picked) return null;
        const index = choices.indexOf(picked.title);
        return index === -1 ? null : index;
      } catch {
        return undefined;
      }
    },
    async progress(title, token): Promise<Progress | undefined> {
      if (token !== undefined) {
        // A client-made token: cancelling it is cancelling the request, which the edge converted already.
        const sendProgress = (value: object) => void connection.sendNotification('$/progress', { token, value });
        sendProgress({ kind: 'begin', title, cancellable: true, message: 'waiting for the model' });
        return {
          report: (message) => sendProgress({ kind: 'report', message }),
          done: (message) => sendProgress({ kind: 'end', message }),
          cancelled: new AbortController().signal,
        };
      }
      if (!options.abilities().workDoneProgress) return undefined;
      let reporter: WorkDoneProgressServerReporter;
      try {
        reporter = await connection.window.createWorkDoneProgress();
      } catch {
        return undefined;
      }
      const cancelled = new AbortController();
      const subscription = reporter.token.onCancellationRequested(() => cancelled.abort('cancelled'));
      reporter.begin(title, undefined, 'waiting for the model', true);
      return {
        report: (message) => reporter.report(message),
        done: () => {
          subscription.dispose();
          reporter.done();
        },
        cancelled: cancelled.signal,
      };
    },
    stream(event: StreamEvent) {
      void connection.sendNotification(StreamNotification.method, event);
    },
    async applyEdit(edit: VersionedEdit) {
      const workspaceEdit = workspaceEditOf(edit, editSupport(options.capabilities(), options.encoding()));
      const result = await connection.workspace.applyEdit({ label: edit.label, edit: workspaceEdit });
      return { applied: result.applied, ...(result.failureReason ? { failureReason: result.failureReason } : {}) };
    },
  };
}
