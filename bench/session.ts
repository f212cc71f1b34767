/**
 * One document being retyped in the benchmark: keeps the text and cursor in step with the server
 * through incremental didChange, sends completion or inline requests, and records each request's
 * fate (answered, empty, cancelled), whether its suggestion was shown and whether it was right.
 */
import {
  CancellationTokenSource,
  type CompletionList,
  type InlineCompletionList,
} from 'vscode-languageserver-protocol/node';
import type { BenchClient } from './client.ts';
import type { Segment } from './corpus.ts';
import { TAIL } from './model.ts';
import type { Keystroke } from './typing.ts';
import { artifactsOf, type Artifact } from '../test/fake-openai/styles.ts';

/** Characters of the document each side of the cursor kept to judge a suggestion's artifacts. */
const AROUND_CHARS = 600;

/** Characters of the real continuation kept to judge a suggestion. */
const NEXT_CHARS = 1000;

export interface RequestRecord {
  path: string;
  method: 'completion' | 'inline';
  triggerKind: number;
  /** The server debounces automatic triggers (TriggerCharacter, Incomplete, inline Automatic). */
  automatic: boolean;
  sentAt: number;
  doneAt?: number;
  /** Keystrokes applied when the request was sent. */
  keyIndex: number;
  /** The document version the request was made at. */
  version: number;
  cursor: number;
  prefixTail: string;
  /** The file's real text after the cursor; undefined while a typo is on screen. */
  realNext?: string;
  outcome: 'pending' | 'ok' | 'empty' | 'cancelled' | 'error';
  suggestion?: string;
  source?: string;
  shown: boolean;
  /** Cursor offset when the suggestion was shown (Helix: after the keys typed into it meanwhile). */
  shownCursor?: number;
  correct: boolean;
  /** Fences, tags, prose, echoes or suffix duplicates the suggestion carried (styles.ts). */
  artifacts?: Artifact[];
  /** The server's account of the request (`--explain`): its outcome kind and, when empty, why. */
  serverOutcome?: string;
  cancel?: CancellationTokenSource;
}

export class EditSession {
  readonly segment: Segment;
  readonly records: RequestRecord[] = [];
  /** performance.now() of each applied keystroke. */
  readonly keyTimes: number[] = [];
  private readonly client: BenchClient;
  private readonly original: string;
  private typedSoFar = '';
  private line: number;
  private character = 0;
  private version = 1;
  private lastBackspace = -1;
  private diverged = 0;

  constructor(client: BenchClient, segment: Segment) {
    this.client = client;
    this.segment = segment;
    this.original = `${segment.before + segment.typed}\n${segment.after}`;
    this.line = segment.line;
  }

  get uri(): string {
    return this.segment.file.uri;
  }

  get keys(): number {
    return this.keyTimes.length;
  }

  get pending(): RequestRecord[] {
    return this.records.filter((r) => r.outcome === 'pending');
  }

  open(): Promise<void> {
    const text = `${this.segment.before}\n${this.segment.after}`;
    return this.client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: this.uri, languageId: this.segment.file.languageId, version: this.version, text },
    });
  }

  close(): Promise<void> {
    return this.client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: this.uri } });
  }

  /** The document text before the cursor (the part that differs from the original only after a typo). */
  private get cursorOffset(): number {
    return this.segment.before.length + this.typedSoFar.length;
  }

  /** Text before the cursor on the cursor's line, and its last TAIL characters overall. */
  private textBefore(chars: number): string {
    const typed = this.typedSoFar.slice(-chars);
    return typed.length >= chars ? typed : this.segment.before.slice(-(chars - typed.length)) + typed;
  }

  /** Applies a keystroke locally and sends it as an incremental didChange. */
  async apply(key: Keystroke): Promise<void> {
    this.keyTimes.push(performance.now());
    const at = { line: this.line, character: this.character };
    let change: {
      range: { start: { line: number; character: number }; end: { line: number; character: number } };
      text: string;
    };
    if (key.kind === 'backspace') {
      const removed = this.typedSoFar.at(-1) ?? '';
      this.typedSoFar = this.typedSoFar.slice(0, -1);
      this.character -= removed.length;
      this.lastBackspace = this.keys;
      if (this.diverged > 0) this.diverged--;
      change = { range: { start: { line: at.line, character: at.character - removed.length }, end: at }, text: '' };
    } else {
      const expected = this.original.slice(this.cursorOffset, this.cursorOffset + key.text.length);
      if (this.diverged > 0 || expected !== key.text) this.diverged++;
      this.typedSoFar += key.text;
      const lines = key.text.split('\n');
      if (lines.length > 1) {
        this.line += lines.length - 1;
        this.character = lines.at(-1)!.length;
      } else {
        this.character += key.text.length;
      }
      change = { range: { start: at, end: at }, text: key.text };
    }
    this.version++;
    await this.client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: this.uri, version: this.version },
      contentChanges: [change],
    });
  }

  /** The last inserted character, for trigger-character checks. */
  get lastChar(): string {
    return this.typedSoFar.at(-1) ?? '';
  }

  /** The identifier before the cursor (what clients filter by). */
  get wordBefore(): string {
    return /[\p{L}\p{N}_$]*$/u.exec(this.textBefore(200))?.[0] ?? '';
  }

  /** Sends a request at the cursor; `cancellable` gives it a token the editor may cancel. */
  request(
    method: 'completion' | 'inline',
    triggerKind: number,
    automatic: boolean,
    filtersLateAnswers: boolean,
  ): RequestRecord {
    const cursor = this.cursorOffset;
    const record: RequestRecord = {
      path: this.segment.file.path,
      method,
      triggerKind,
      automatic,
      sentAt: performance.now(),
      keyIndex: this.keys,
      version: this.version,
      cursor,
      prefixTail: this.textBefore(TAIL),
      realNext: this.diverged === 0 ? this.original.slice(cursor, cursor + NEXT_CHARS) : undefined,
      outcome: 'pending',
      shown: false,
      correct: false,
      cancel: new CancellationTokenSource(),
    };
    this.records.push(record);
    const position = { line: this.line, character: this.character };
    const word = this.wordBefore.length;
    const around = {
      prefix: this.textBefore(AROUND_CHARS),
      suffix: `\n${this.segment.after}`.slice(0, AROUND_CHARS),
    };
    const params = { textDocument: { uri: this.uri }, position, context: { triggerKind } };
    const sent =
      method === 'inline'
        ? this.client.connection
            .sendRequest<InlineCompletionList | null>('textDocument/inlineCompletion', params, record.cancel!.token)
            .then((list) => {
              const item = list?.items[0];
              if (!item) return undefined;
              const text = typeof item.insertText === 'string' ? item.insertText : item.insertText.value;
              const start = item.range?.start.character ?? position.character - word;
              return { text: text.slice(position.character - start), command: item.command };
            })
        : this.client.connection
            .sendRequest<CompletionList>('textDocument/completion', params, record.cancel!.token)
            .then((list) => {
              const item = list.items[0];
              if (!item?.textEdit || !('range' in item.textEdit)) return undefined;
              return {
                text: item.textEdit.newText.slice(position.character - item.textEdit.range.start.character),
                command: item.command,
              };
            });
    sent.then(
      (answer) => {
        record.doneAt = performance.now();
        delete record.cancel;
        if (!answer || answer.text === '') {
          record.outcome = 'empty';
          return;
        }
        record.outcome = 'ok';
        record.suggestion = answer.text;
        const args = answer.command?.arguments?.[0] as { source?: string } | undefined;
        record.source = args?.source;
        record.shown = this.stillVisible(record, filtersLateAnswers);
        if (record.shown) record.shownCursor = this.cursorOffset;
        record.artifacts = artifactsOf(answer.text, around, record.realNext);
        record.correct = record.shown && (record.realNext?.startsWith(answer.text) ?? false);
      },
      (error: { code?: number }) => {
        record.doneAt = performance.now();
        delete record.cancel;
        record.outcome = error?.code === -32800 ? 'cancelled' : 'error';
      },
    );
    return record;
  }

  /**
   * Whether the editor would show an answer now. Without late-answer filtering only an answer for
   * the current text counts; with it (Helix) the user may have typed on into the suggestion.
   */
  private stillVisible(record: RequestRecord, filtersLateAnswers: boolean): boolean {
    // Helix drops the answer of a request once it has sent a newer one (each request restarts its
    // completion task: helix-term/src/handlers/completion/request.rs, finish_debounce / TriggerChar).
    if (filtersLateAnswers && this.records.at(-1) !== record) return false;
    if (this.keys === record.keyIndex) return true;
    if (!filtersLateAnswers || this.lastBackspace > record.keyIndex) return false;
    const typed = (this.segment.before + this.typedSoFar).slice(record.cursor);
    return !typed.includes('\n') && record.suggestion!.length > typed.length && record.suggestion!.startsWith(typed);
  }
}
