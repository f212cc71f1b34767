/**
 * The channel one action run reports through: `$/progress` begin/report/end on the request's
 * workDoneToken or a server-created token (only when the client has window.workDoneProgress),
 * `ghostline/stream` notifications for clients that opted in, and one AbortSignal that the
 * request's cancellation and the progress's cancel button both abort.
 */
import type { CancellationToken, ClientCapabilities, Connection, ProgressToken, WorkDoneProgressServerReporter } from 'vscode-languageserver';
import { StreamNotification, STREAM_CAPABILITY, type ActionName, type StreamParams } from '../lsp/protocol.ts';
import type { RunSink } from './types.ts';

/** Reports no more often than this, so a fast stream does not flood the client. */
const REPORT_INTERVAL_MS = 100;

export interface RunChannel extends RunSink {
  readonly id: string;
  readonly signal: AbortSignal;
  readonly streaming: boolean;
  /** Ends progress and sends the last stream notification. */
  finish(result: { final?: string; error?: string }): void;
}

export interface OpenRunOptions {
  connection: Connection;
  client: ClientCapabilities;
  /** The `actions.streaming` setting. */
  streamingSetting: boolean;
  action: ActionName;
  id: string;
  title: string;
  workDoneToken?: ProgressToken | undefined;
  token?: CancellationToken | undefined;
}

export function wantsStream(client: ClientCapabilities, setting: boolean): boolean {
  const experimental = client.experimental as Record<string, unknown> | undefined;
  return setting || experimental?.[STREAM_CAPABILITY] === true;
}

export async function openRun(options: OpenRunOptions): Promise<RunChannel> {
  const { connection, action, id } = options;
  const controller = new AbortController();
  const disposables: { dispose(): void }[] = [];
  if (options.token) {
    if (options.token.isCancellationRequested) controller.abort('cancelled');
    disposables.push(options.token.onCancellationRequested(() => controller.abort('cancelled')));
  }
  const progress = await startProgress(options, controller, disposables);
  const streaming = wantsStream(options.client, options.streamingSetting);
  const stream = (params: Omit<StreamParams, 'id' | 'action'>) => {
    if (streaming) void connection.sendNotification(StreamNotification.method, { id, action, ...params } satisfies StreamParams);
  };
  let lastReport = 0;
  let finished = false;
  return {
    id,
    signal: controller.signal,
    streaming,
    progress(message) {
      const now = performance.now();
      if (now - lastReport < REPORT_INTERVAL_MS) return;
      lastReport = now;
      progress?.report(message);
    },
    delta(text) {
      if (text) stream({ delta: text, done: false });
    },
    restart() {
      stream({ delta: '', done: false, restart: true });
    },
    finish(result) {
      if (finished) return;
      finished = true;
      progress?.done(result.error ?? 'done');
      stream({ delta: '', done: true, ...(result.final !== undefined ? { final: result.final } : {}), ...(result.error !== undefined ? { error: result.error } : {}) });
      for (const disposable of disposables) disposable.dispose();
    },
  };
}

interface Progress {
  report(message: string): void;
  done(message: string): void;
}

async function startProgress(options: OpenRunOptions, controller: AbortController, disposables: { dispose(): void }[]): Promise<Progress | undefined> {
  const { connection, title } = options;
  const token = options.workDoneToken;
  if (token !== undefined) {
    // A client-made token: cancelling it is cancelling the request (already wired above).
    const send = (value: object) => void connection.sendNotification('$/progress', { token, value });
    send({ kind: 'begin', title, cancellable: true, message: 'waiting for the model' });
    return { report: (message) => send({ kind: 'report', message }), done: (message) => send({ kind: 'end', message }) };
  }
  if (options.client.window?.workDoneProgress !== true) return undefined;
  let reporter: WorkDoneProgressServerReporter;
  try {
    reporter = await connection.window.createWorkDoneProgress();
  } catch {
    return undefined;
  }
  disposables.push(reporter.token.onCancellationRequested(() => controller.abort('cancelled')));
  reporter.begin(title, undefined, 'waiting for the model', true);
  return { report: (message) => reporter.report(message), done: () => reporter.done() };
}
