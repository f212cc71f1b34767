/**
 * The model call for a typist who stopped at the end of a line, started before their editor asks.
 *
 * An editor with a manual completion key (Helix with `auto-completion = false`) asks only once the
 * typist decided to press it, several hundred milliseconds into the pause, and a model's first
 * token takes about as long again: by then the typist has often typed on, and the answer is for a
 * version that moved on. Where this client has asked for completion in most of the recent pauses
 * at a line's end, the call for that cursor starts LINE_END_PAUSE_MS into such a pause instead, and
 * the editor's request joins it (typed-ahead). A client that seldom asks there (a manual key used
 * now and then, Helix's idle trigger, which needs a word before the cursor and asks at a line's end
 * only on a trigger character's key) gets no such calls.
 */

/** Idle time at a line's end after which the call starts, well before a manual key (~350 ms). */
export const LINE_END_PAUSE_MS = 150;
/** Recent line-end pauses judged, across documents, and how many must be known first. */
const HISTORY = 8;
const MIN_HISTORY = 4;
/**
 * How far into a pause a request must come to count as the client asking there: a request sent on
 * the key itself (a trigger character, Helix's `{` or Enter) is no sign that it asks at pauses.
 */
const ASKS_AFTER_MS = 100;
/** The last character of a line whose statement or header is over (`;`, a brace, `:`, `)`). */
const LINE_OVER = /[;{}:)]\s*$/;

interface Pause {
  timer: NodeJS.Timeout;
  /** performance.now() when the typist stopped. */
  since: number;
  /** The pause lasted LINE_END_PAUSE_MS. */
  long: boolean;
  /** The client asked for completion during it. */
  asked: boolean;
}

export class LineEndPrefetch {
  private readonly pauses = new Map<string, Pause>();
  /** Whether the client asked in each recent long pause at a line's end, oldest first. */
  private readonly history: boolean[] = [];
  private readonly start: (uri: string, offset: number) => void;

  /** `start` starts the model call for a cursor (features/completion.ts `prefetchCompletion`). */
  constructor(start: (uri: string, offset: number) => void) {
    this.start = start;
  }

  /** The document changed and the typist's cursor is at `cursor` in `text` (undefined: unknown). */
  changed(uri: string, text: string, cursor: number | undefined): void {
    this.settle(uri);
    if (cursor === undefined || !atLineEnd(text, cursor)) return;
    const since = performance.now();
    // The timer fires after `pause` below is set: no placeholder needed for it.
    const timer = setTimeout(() => {
      pause.long = true;
      if (this.asksAtLineEnds()) this.start(uri, cursor);
    }, LINE_END_PAUSE_MS);
    timer.unref?.();
    const pause: Pause = { timer, since, long: false, asked: false };
    this.pauses.set(uri, pause);
  }

  /** The client asked for completion in the document. */
  asked(uri: string): void {
    const pause = this.pauses.get(uri);
    if (pause && performance.now() - pause.since >= ASKS_AFTER_MS) pause.asked = true;
  }

  forget(uri: string): void {
    this.settle(uri);
  }

  /** Whether the client asked in most of the recent long pauses at a line's end. */
  asksAtLineEnds(): boolean {
    if (this.history.length < MIN_HISTORY) return false;
    return this.history.filter(Boolean).length * 2 >= this.history.length;
  }

  /** Ends the document's pause, if any: a long one counts toward the history. */
  private settle(uri: string): void {
    const pause = this.pauses.get(uri);
    if (!pause) return;
    clearTimeout(pause.timer);
    this.pauses.delete(uri);
    if (!pause.long) return;
    this.history.push(pause.asked);
    if (this.history.length > HISTORY) this.history.shift();
  }
}

/** Characters on each side of the cursor looked at: a long line (a minified file) costs no more. */
const WINDOW = 256;

/**
 * The cursor ends its line's text (nothing but spaces after it on the line), and the line is
 * either fresh (spaces only before the cursor: the typist pressed Enter) or ends a statement or
 * a block's header.
 */
export function atLineEnd(text: string, cursor: number): boolean {
  const after = text.slice(cursor, cursor + WINDOW);
  const lineEnd = after.indexOf('\n');
  if (lineEnd === -1 && cursor + WINDOW < text.length) return false;
  if (after.slice(0, lineEnd === -1 ? undefined : lineEnd).trim() !== '') return false;
  const before = text.slice(Math.max(0, cursor - WINDOW), cursor);
  const lineStart = before.lastIndexOf('\n');
  if (lineStart !== -1 && before.slice(lineStart + 1).trim() === '') return true;
  return LINE_OVER.test(before);
}
