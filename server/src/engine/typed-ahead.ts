/**
 * Typed-ahead reuse: when the user types the first characters of a suggestion already shown (or
 * still streaming), the rest is served without a new model call. Matching is on the call's
 * normalized code (no fence, prose or echo), never on its raw text. A record remembers where a
 * suggestion was anchored in the document; a later request matches when the text between the old
 * and the new cursor is a prefix of that suggestion and the text around it is unchanged. While
 * the call still streams, text typed past the code received so far matches too when it continues
 * that code: the request joins the call (a keystroke does not throw away a call whose first
 * tokens have not arrived yet) and is served if the answer turns out to start with what was typed.
 * A suggestion made at the start of an empty line also survives one line break typed before it:
 * the typist added a blank line, and the code now belongs to the new line.
 */

/** Characters of text before the cursor compared to confirm a match. */
const ANCHOR_CHARS = 256;
/** Records kept per document. */
const MAX_RECORDS = 8;

export interface Suggestion {
  /** The cache and single-flight key of the model call that produces it. */
  key: string;
  /**
   * The call's answer: `code` is its normalized code so far (grows while streaming, final once
   * `done` is set), what the user's typing is matched against.
   */
  live: { code: string; done?: { text: string; model: string } };
}

interface TypedAheadRecord {
  offset: number;
  anchor: string;
  lineSuffix: string;
  suggestion: Suggestion;
}

export interface TypedAheadHit {
  /**
   * Characters the user typed since the suggestion was made that its code starts with: all of them,
   * or all but a line break typed before a suggestion made at the start of an empty line.
   */
  typed: string;
  suggestion: Suggestion;
}

export function lineSuffixAt(text: string, offset: number): string {
  const end = text.indexOf('\n', offset);
  return text.slice(offset, end < 0 ? text.length : end);
}

/** The record's cursor was at the start of an empty line. */
function startsEmptyLine(record: TypedAheadRecord): boolean {
  return record.lineSuffix === '' && (record.anchor === '' || record.anchor.endsWith('\n'));
}

export class TypedAhead {
  private readonly records = new Map<string, TypedAheadRecord[]>();

  remember(uri: string, text: string, offset: number, suggestion: Suggestion): void {
    const list = this.records.get(uri) ?? [];
    list.unshift({
      offset,
      anchor: text.slice(Math.max(0, offset - ANCHOR_CHARS), offset),
      lineSuffix: lineSuffixAt(text, offset),
      suggestion,
    });
    if (list.length > MAX_RECORDS) list.length = MAX_RECORDS;
    this.records.set(uri, list);
  }

  /**
   * Finds a suggestion the user is typing into; `typed` may be empty (same place, same text). A
   * call still streaming matches when the typed text continues the code it sent so far.
   */
  find(uri: string, text: string, offset: number): TypedAheadHit | undefined {
    const list = this.records.get(uri);
    if (!list) return undefined;
    const lineSuffix = lineSuffixAt(text, offset);
    let blankLineHit: TypedAheadHit | undefined;
    for (const record of list) {
      const { code, done } = record.suggestion.live;
      const streaming = done === undefined;
      const typedLength = offset - record.offset;
      if (typedLength < 0) continue;
      if (record.lineSuffix !== lineSuffix) continue;
      const anchorStart = record.offset - record.anchor.length;
      if (text.slice(anchorStart, record.offset) !== record.anchor) continue;
      const typed = text.slice(record.offset, offset);
      const continues = (part: string) =>
        (part.length <= code.length || streaming) && (code.startsWith(part) || (streaming && part.startsWith(code)));
      if (continues(typed)) return { typed, suggestion: record.suggestion };
      blankLineHit ??=
        startsEmptyLine(record) && typed.startsWith('\n') && !code.startsWith('\n') && continues(typed.slice(1))
          ? { typed: typed.slice(1), suggestion: record.suggestion }
          : undefined;
    }
    return blankLineHit;
  }

  forget(uri: string): void {
    this.records.delete(uri);
  }
}
