/**
 * The open documents, kept in sync incrementally. Positions arriving in the negotiated encoding are
 * converted to UTF-16 here, once, so nothing past the protocol edge knows about encodings.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import type { DocumentView, OpenDocument } from '../features/types.ts';
import { utf16ToUtf8Column, utf8ToUtf16Column, type Encoding } from './encoding.ts';

export type { OpenDocument };

/**
 * Gaps between changes kept per document (and server-wide), at least this many before a rhythm is
 * told, and the longest counted.
 */
const RHYTHM_SAMPLES = 16;
const RHYTHM_MIN_SAMPLES = 6;
const RHYTHM_MAX_GAP_MS = 1000;

/** The (upper) median of a few gaps; undefined for fewer than RHYTHM_MIN_SAMPLES. */
function median(gaps: readonly number[]): number | undefined {
  if (gaps.length < RHYTHM_MIN_SAMPLES) return undefined;
  const sorted = [...gaps].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export class DocumentStore implements DocumentView {
  private readonly docs = new Map<string, TextDocument>();
  /** The NUL scan, once per document version rather than on every keystroke's request. */
  private readonly binary = new WeakMap<TextDocument, { version: number; binary: boolean }>();
  /** performance.now() of each document's last open or change: the completion debounce counts from it. */
  private readonly changedAt = new Map<string, number>();
  /** The last gaps between changes of each document shorter than a typing pause: the typist's rhythm. */
  private readonly gaps = new Map<string, number[]>();
  /**
   * The last gaps of all documents together: the typist is the same person in every file, so a
   * document with too few gaps of its own (its first line) borrows the server-wide rhythm.
   */
  private readonly allGaps: number[] = [];
  /** Where each document's last change (an edit with a range) left the text cursor, as a UTF-16 offset. */
  private readonly cursors = new Map<string, number>();
  /** Documents not changed since they opened, and those whose last change came after a pause. */
  private readonly unchanged = new Set<string>();
  private readonly afterPause = new Set<string>();
  encoding: Encoding = 'utf-16';

  get size(): number {
    return this.docs.size;
  }

  open(uri: string, languageId: string, version: number, text: string): void {
    this.docs.set(uri, TextDocument.create(uri, languageId, version, text));
    this.changedAt.set(uri, performance.now());
    this.unchanged.add(uri);
    this.afterPause.delete(uri);
  }

  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): boolean {
    const doc = this.docs.get(uri);
    if (!doc) return false;
    // Each change's range refers to the document as left by the previous change, so convert one by one.
    let cursor: number | undefined;
    for (const change of changes) {
      const converted = 'range' in change ? { ...change, range: this.toUtf16Range(doc, change.range) } : change;
      TextDocument.update(doc, [converted], version);
      // The text before a change's start is the same after it: the typist's cursor is past the inserted text.
      cursor = 'range' in converted ? doc.offsetAt(converted.range.start) + converted.text.length : undefined;
    }
    if (cursor === undefined) this.cursors.delete(uri);
    else this.cursors.set(uri, cursor);
    const now = performance.now();
    const gap = now - (this.changedAt.get(uri) ?? -Infinity);
    if (this.unchanged.delete(uri) || gap >= RHYTHM_MAX_GAP_MS) this.afterPause.add(uri);
    else this.afterPause.delete(uri);
    if (gap < RHYTHM_MAX_GAP_MS) {
      const gaps = this.gaps.get(uri) ?? [];
      gaps.push(gap);
      if (gaps.length > RHYTHM_SAMPLES) gaps.shift();
      this.gaps.set(uri, gaps);
      this.allGaps.push(gap);
      if (this.allGaps.length > RHYTHM_SAMPLES) this.allGaps.shift();
    }
    this.changedAt.set(uri, now);
    return true;
  }

  close(uri: string): void {
    this.docs.delete(uri);
    this.changedAt.delete(uri);
    this.gaps.delete(uri);
    this.cursors.delete(uri);
    this.unchanged.delete(uri);
    this.afterPause.delete(uri);
  }

  get(uri: string): OpenDocument | undefined {
    const doc = this.docs.get(uri);
    if (!doc) return undefined;
    const text = doc.getText();
    let scanned = this.binary.get(doc);
    if (scanned?.version !== doc.version) {
      scanned = { version: doc.version, binary: text.includes('\0') };
      this.binary.set(doc, scanned);
    }
    return { uri, languageId: doc.languageId, version: doc.version, text, binary: scanned.binary };
  }

  version(uri: string): number | undefined {
    return this.docs.get(uri)?.version;
  }

  /** The document's text, without `get`'s scan for binary content: for a look on every keystroke. */
  text(uri: string): string | undefined {
    return this.docs.get(uri)?.getText();
  }

  /** performance.now() of the document's last open or change. */
  lastChange(uri: string): number | undefined {
    return this.changedAt.get(uri);
  }

  /**
   * The median of the document's last gaps between changes while typing; with too few of its own
   * yet, the median of the last gaps in any document (undefined: too few anywhere).
   */
  typingGap(uri: string): number | undefined {
    const own = this.gaps.get(uri);
    return median(own && own.length >= RHYTHM_MIN_SAMPLES ? own : this.allGaps);
  }

  /**
   * True when the document's last change was its first since it opened, or came after a pause of
   * a second or more: the first key of a burst, when no model call is under way to reuse yet.
   */
  startsBurst(uri: string): boolean {
    return this.afterPause.has(uri);
  }

  /**
   * The UTF-16 offset just past the text the document's last change inserted: where a typist's
   * cursor is after the key (undefined after a whole-text change).
   */
  cursorAfterChange(uri: string): number | undefined {
    return this.cursors.get(uri);
  }

  /**
   * The UTF-16 offset of a client position, or undefined when the line does not exist. A column
   * past the end of its line means the end of the line, as the specification says.
   */
  offsetAt(uri: string, position: Position): number | undefined {
    const doc = this.docs.get(uri);
    if (!doc || position.line < 0 || position.character < 0 || position.line >= doc.lineCount) return undefined;
    return doc.offsetAt(this.toUtf16Position(doc, position));
  }

  /** Converts a UTF-16 offset back to a client position in the negotiated encoding. */
  positionAt(uri: string, offset: number): Position | undefined {
    const doc = this.docs.get(uri);
    if (!doc) return undefined;
    const position = doc.positionAt(offset);
    if (this.encoding === 'utf-16') return position;
    return { line: position.line, character: utf16ToUtf8Column(lineText(doc, position.line), position.character) };
  }

  private toUtf16Position(doc: TextDocument, position: Position): Position {
    const line = lineText(doc, position.line);
    const character =
      this.encoding === 'utf-8'
        ? utf8ToUtf16Column(line, position.character)
        : Math.min(position.character, line.length);
    return { line: position.line, character };
  }

  private toUtf16Range(doc: TextDocument, range: Range): Range {
    if (this.encoding === 'utf-16') return range;
    return { start: this.toUtf16Position(doc, range.start), end: this.toUtf16Position(doc, range.end) };
  }
}

function lineText(doc: TextDocument, line: number): string {
  const text = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  return text.replace(/\r?\n$/, '');
}
