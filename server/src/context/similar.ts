/**
 * "Neighbouring tabs": the windows of other open files most similar to the code before the cursor,
 * by Jaccard similarity of identifier sets over sliding windows. A document's windows and an
 * inverted index (identifier → windows) are built once per version off the keystroke path; a query
 * only walks the postings of the identifiers it holds. The windows keep offsets, never a copy of
 * the text: the window shown is cut from the document's current text (same version) when chosen.
 */
import { detach, identifierSet } from './identifiers.ts';

/** Lines per window and the step between windows (windows overlap by half). */
export const WINDOW_LINES = 20;
export const WINDOW_STEP = 10;
/** Windows indexed per document at most (a 4,000-line file); longer files index their first part. */
export const MAX_WINDOWS = 400;
/**
 * A window longer than this (minified or generated lines, data) is never offered: it would not fit
 * a snippet budget, and scanning and counting it would cost a keystroke.
 */
export const MAX_WINDOW_CHARS = 4000;

export interface DocumentWindows {
  path: string;
  languageId: string;
  /** Start line of each window. */
  starts: Uint32Array;
  /** Offsets in the text of each window's start and end: [start0, end0, start1, end1, …]. */
  spans: Uint32Array;
  /** Distinct identifiers of each window. */
  sizes: Uint32Array;
  /**
   * identifier → where its windows are listed in `lists`: at that offset the count, then the
   * indices of the windows holding it. Flat typed arrays: a few dozen kilobytes per document.
   */
  postings: Map<string, number>;
  lists: Uint16Array;
}

/** The indices of the windows holding `id` (empty when none). */
export function windowsWith(doc: DocumentWindows, id: string): Uint16Array {
  const at = doc.postings.get(id);
  return at === undefined ? EMPTY : doc.lists.subarray(at + 1, at + 1 + doc.lists[at]!);
}

const EMPTY = new Uint16Array(0);

/**
 * Builds a document's windows a few at a time (`step`), so the indexer can yield to the event
 * loop between steps; `done()` gives the result. Identifiers are copied out of the text, so the
 * index never keeps the document's text alive.
 */
export class WindowBuilder {
  private readonly path: string;
  private readonly languageId: string;
  private readonly text: string;
  private readonly starts: number[] = [];
  private readonly spans: number[] = [];
  private readonly sizes: number[] = [];
  private readonly postings = new Map<string, number[]>();
  private result: DocumentWindows | undefined;
  /** Offsets of the line starts, as far as the last window reaches. */
  private readonly lineStarts: number[] = [0];
  private readonly lineCount: number;
  private next = 0;

  constructor(path: string, languageId: string, text: string) {
    this.path = path;
    this.languageId = languageId;
    this.text = text;
    const needed = MAX_WINDOWS * WINDOW_STEP + WINDOW_LINES;
    for (let at = text.indexOf('\n'); at !== -1 && this.lineStarts.length < needed; at = text.indexOf('\n', at + 1))
      this.lineStarts.push(at + 1);
    this.lineCount = this.lineStarts.length;
  }

  /** Builds up to `count` more windows; true when the document is done. */
  step(count: number): boolean {
    const { text, lineStarts, lineCount } = this;
    const result = this;
    for (let n = 0; n < count; n++) {
      const start = this.next;
      if (start >= lineCount || result.starts.length >= MAX_WINDOWS) return true;
      const endLine = start + WINDOW_LINES;
      const from = lineStarts[start]!;
      const to = endLine < lineCount ? lineStarts[endLine]! - 1 : text.length;
      const index = result.starts.length;
      const ids = to - from > MAX_WINDOW_CHARS ? new Set<string>() : identifierSet(text.slice(from, to));
      result.starts.push(start);
      result.spans.push(from, to);
      result.sizes.push(ids.size);
      for (const id of ids) {
        const list = result.postings.get(id);
        if (list) list.push(index);
        else result.postings.set(detach(id), [index]);
      }
      if (endLine >= lineCount) {
        this.next = lineCount;
        return true;
      }
      this.next = start + WINDOW_STEP;
    }
    return this.next >= lineCount || result.starts.length >= MAX_WINDOWS;
  }

  done(): DocumentWindows {
    if (this.result) return this.result;
    while (!this.step(MAX_WINDOWS));
    let total = 0;
    for (const list of this.postings.values()) total += list.length + 1;
    const lists = new Uint16Array(total);
    const postings = new Map<string, number>();
    let at = 0;
    for (const [id, list] of this.postings) {
      postings.set(id, at);
      lists[at] = list.length;
      lists.set(list, at + 1);
      at += list.length + 1;
    }
    this.postings.clear();
    this.result = {
      path: this.path,
      languageId: this.languageId,
      starts: Uint32Array.from(this.starts),
      spans: Uint32Array.from(this.spans),
      sizes: Uint32Array.from(this.sizes),
      postings,
      lists,
    };
    return this.result;
  }
}

export function indexWindows(path: string, languageId: string, text: string): DocumentWindows {
  return new WindowBuilder(path, languageId, text).done();
}

export interface SimilarWindow {
  path: string;
  startLine: number;
  text: string;
  score: number;
}

/**
 * The best window of each document for the query identifiers, best first; documents of the
 * query's language before others, then the order given (most recently used first) on ties.
 * `textOf` gives the text the windows were built from (undefined: the document is skipped).
 */
export function similarWindows(
  query: ReadonlySet<string>,
  languageId: string,
  documents: readonly DocumentWindows[],
  textOf: (doc: DocumentWindows) => string | undefined,
  minScore = 0.1,
): SimilarWindow[] {
  const found: (SimilarWindow & { sameLanguage: boolean; order: number })[] = [];
  documents.forEach((doc, order) => {
    const shared = new Map<number, number>();
    for (const id of query) for (const index of windowsWith(doc, id)) shared.set(index, (shared.get(index) ?? 0) + 1);
    let best = -1;
    let bestScore = 0;
    for (const [index, count] of shared) {
      const score = count / (query.size + doc.sizes[index]! - count);
      if (score > bestScore) {
        bestScore = score;
        best = index;
      }
    }
    if (best === -1 || bestScore < minScore) return;
    const source = textOf(doc);
    if (source === undefined) return;
    const startLine = doc.starts[best]!;
    const text = source.slice(doc.spans[2 * best]!, doc.spans[2 * best + 1]!);
    found.push({
      path: doc.path,
      startLine,
      text,
      score: bestScore,
      sameLanguage: doc.languageId === languageId,
      order,
    });
  });
  found.sort((a, b) => Number(b.sameLanguage) - Number(a.sameLanguage) || b.score - a.score || a.order - b.order);
  return found.map(({ path, startLine, text, score }) => ({ path, startLine, text, score }));
}
