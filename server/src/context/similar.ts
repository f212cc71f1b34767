/**
 * "Neighbouring tabs": the windows of other open files most similar to the code before the cursor,
 * by Jaccard similarity of identifier sets over sliding windows. A document's windows and an
 * inverted index (identifier → windows) are built once per version off the keystroke path; a query
 * only walks the postings of the identifiers it holds.
 */
import { identifierSet } from './identifiers.ts';

/** Lines per window and the step between windows (windows overlap by half). */
export const WINDOW_LINES = 20;
export const WINDOW_STEP = 10;
/** Windows indexed per document at most (a 4,000-line file); longer files index their first part. */
export const MAX_WINDOWS = 400;

export interface DocumentWindows {
  path: string;
  languageId: string;
  /** Start line of each window. */
  starts: number[];
  sizes: number[];
  /** identifier → indices of the windows holding it. */
  postings: Map<string, number[]>;
  lines: string[];
}

export function indexWindows(path: string, languageId: string, text: string): DocumentWindows {
  const lines = text.split('\n');
  const starts: number[] = [];
  const sizes: number[] = [];
  const postings = new Map<string, number[]>();
  for (let start = 0; start < lines.length && starts.length < MAX_WINDOWS; start += WINDOW_STEP) {
    const index = starts.length;
    const ids = identifierSet(lines.slice(start, start + WINDOW_LINES).join('\n'));
    starts.push(start);
    sizes.push(ids.size);
    for (const id of ids) {
      const list = postings.get(id);
      if (list) list.push(index);
      else postings.set(id, [index]);
    }
    if (start + WINDOW_LINES >= lines.length) break;
  }
  return { path, languageId, starts, sizes, postings, lines };
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
 */
export function similarWindows(
  query: ReadonlySet<string>,
  languageId: string,
  documents: readonly DocumentWindows[],
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
    const startLine = doc.starts[best]!;
    const text = doc.lines.slice(startLine, startLine + WINDOW_LINES).join('\n');
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
