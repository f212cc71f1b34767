/**
 * Where the user changed code recently, per file: line ranges merged when close, newest first,
 * bounded in number. The snippets show the current text around those lines in other files.
 */

export interface EditRegion {
  uri: string;
  startLine: number;
  endLine: number;
  /** Monotonic counter of the edit (newer is larger). */
  at: number;
}

/** Lines of context around an edited range, and the gap under which two edits merge. */
export const EDIT_CONTEXT_LINES = 3;
const MERGE_GAP = 6;

export class RecentEdits {
  private regions: EditRegion[] = [];
  private clock = 0;
  private readonly limit: number;

  constructor(limit = 16) {
    this.limit = limit;
  }

  /** Records a change of lines [startLine, endLine] (after the change) in `uri`. */
  note(uri: string, startLine: number, endLine: number): void {
    const at = ++this.clock;
    const near = this.regions.findIndex(
      (r) => r.uri === uri && startLine <= r.endLine + MERGE_GAP && endLine >= r.startLine - MERGE_GAP,
    );
    if (near !== -1) {
      const region = this.regions[near]!;
      this.regions.splice(near, 1);
      this.regions.unshift({
        uri,
        startLine: Math.min(region.startLine, startLine),
        endLine: Math.max(region.endLine, endLine),
        at,
      });
    } else this.regions.unshift({ uri, startLine, endLine, at });
    if (this.regions.length > this.limit) this.regions.length = this.limit;
  }

  forget(uri: string): void {
    this.regions = this.regions.filter((r) => r.uri !== uri);
  }

  /** Regions outside `exceptUri`, newest first. */
  recent(exceptUri: string, count: number): EditRegion[] {
    const out: EditRegion[] = [];
    for (const region of this.regions) {
      if (region.uri === exceptUri) continue;
      out.push(region);
      if (out.length >= count) break;
    }
    return out;
  }
}

/** The text of an edit region with its context lines, from the document's current lines. */
export function editText(lines: readonly string[], region: EditRegion): { startLine: number; text: string } {
  const start = Math.max(0, region.startLine - EDIT_CONTEXT_LINES);
  const end = Math.min(lines.length, region.endLine + EDIT_CONTEXT_LINES + 1);
  return { startLine: start, text: lines.slice(start, end).join('\n') };
}
