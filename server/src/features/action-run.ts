/**
 * The channel one code-action run reports through, over the client port: progress (on the
 * request's workDoneToken or one the server creates), `ghostline/stream` events for clients that
 * opted in, and one AbortSignal that the request's cancellation and the progress's cancel button
 * both abort. Also how results are presented: a document where the client can show one, else a
 * message; buttons to pick a variant or an instruction.
 */
import type { ActionName, RunSink } from '../actions/types.ts';
import type { ClientPort } from './types.ts';

/** Reports no more often than this, so a fast stream does not flood the client. */
const REPORT_INTERVAL_MS = 100;

export interface RunChannel extends RunSink {
  readonly id: string;
  readonly signal: AbortSignal;
  readonly streaming: boolean;
  /** Ends progress and sends the last stream event. */
  finish(result: { final?: string; error?: string }): void;
}

export interface OpenRunOptions {
  client: ClientPort;
  action: ActionName;
  id: string;
  title: string;
  /** The request's cancellation, converted once at the protocol edge. */
  signal: AbortSignal;
  workDoneToken?: string | number | undefined;
}

export async function openRun(options: OpenRunOptions): Promise<RunChannel> {
  const { client, action, id } = options;
  const progress = await client.progress(options.title, options.workDoneToken);
  const signal = progress ? AbortSignal.any([options.signal, progress.cancelled]) : options.signal;
  const streaming = client.abilities.streaming;
  const stream = (event: { delta: string; done: boolean; final?: string; error?: string; restart?: boolean }) => {
    if (streaming) client.stream({ id, action, ...event });
  };
  let lastReport = 0;
  let finished = false;
  return {
    id,
    signal,
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
      stream({
        delta: '',
        done: true,
        ...(result.final !== undefined ? { final: result.final } : {}),
        ...(result.error !== undefined ? { error: result.error } : {}),
      });
    },
  };
}

/** An explanation for a client without streaming: a document where possible, else a message. */
export async function presentText(
  client: ClientPort,
  name: string,
  title: string,
  text: string,
): Promise<'document' | 'message'> {
  if (await client.showDocument(name, `# ${title}\n\n${text}\n`)) return 'document';
  client.showMessage('info', `${title}\n\n${text}`);
  return 'message';
}

/** Asks which variant to apply: its index, null when the user dismissed the question, undefined when the client cannot ask. */
export function pickVariant(client: ClientPort, titles: readonly string[]): Promise<number | null | undefined> {
  return client.ask(
    `ghostline: ${titles.length} refactor variants. Pick one to apply:`,
    titles.map((title, i) => `${i + 1}: ${title}`),
  );
}

/** Preset instructions offered as buttons when "Refactor with instruction…" runs without one. */
export const PRESET_INSTRUCTIONS = [
  'Simplify',
  'Make it more idiomatic',
  'Improve names',
  'Add error handling',
  'Add type annotations',
];

/** Asks for an instruction among the presets; undefined when the client cannot ask or the user declined. */
export async function pickInstruction(client: ClientPort): Promise<string | undefined> {
  const picked = await client.ask(
    'ghostline: how should the selection be refactored? (A free-text instruction can be passed as the `instruction` argument of ghostline.refactorWithInstruction.)',
    PRESET_INSTRUCTIONS,
  );
  return typeof picked === 'number' ? PRESET_INSTRUCTIONS[picked] : undefined;
}
