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
  starts: number[];
  /** Offsets in the text of each window's start and end: [start0, end0, start1, end1, …]. */
  spans: number[];
  sizes: number[];
  /** identifier → indices of the windows holding it. */
  postings: Map<string, number[]>;
}

/**
 * Builds a document's windows a few at a time (`step`), so the indexer can yield to the event
 * loop between steps; `done()` gives the result. Identifiers are copied out of the text, so the
 * index never keeps the document's text alive.
 */
export class WindowBuilder {
  private readonly result: DocumentWindows;
  private readonly text: string;
  /** Offsets of the line starts, as far as the last window reaches. */
  private readonly lineStarts: number[] = [0];
  private readonly lineCount: number;
  private next = 0;

  constructor(path: string, languageId: string, text: string) {
    this.text = text;
    this.result = { path, languageId, starts: [], spans: [], sizes: [], postings: new Map() };
    const needed = MAX_WINDOWS * WINDOW_STEP + WINDOW_LINES;
    for (let at = text.indexOf('\n'); at !== -1 && this.lineStarts.length < needed; at = text.indexOf('\n', at + 1))
      this.lineStarts.push(at + 1);
    this.lineCount = this.lineStarts.length;
  }

  /** Builds up to `count` more windows; true when the document is done. */
  step(count: number): boolean {
    const { text, result, lineStarts, lineCount } = this;
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
    while (!this.step(MAX_WINDOWS));
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
    for (const id of query) {
      const list = doc.postings.get(id);
      if (!list) continue;
      for (const index of list) shared.set(index, (shared.get(index) ?? 0) + 1);
    }
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
