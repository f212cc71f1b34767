/**
 * Turns "old text, new text" into the few replacements that change one into the other: a Myers
 * line diff finds the changed hunks, and each hunk is narrowed to the characters that differ. Code
 * actions use it so a rewrite touches only what the model changed, never the whole region.
 */

/** Replace `before.slice(start, end)` with `text`; offsets are UTF-16 indices into the old text. */
export interface TextChange {
  start: number;
  end: number;
  text: string;
}

/** Past this many line edits the diff stops searching and replaces the changed span whole. */
const MAX_EDIT_DISTANCE = 2000;

/** Splits into lines that keep their terminators, so joining the pieces gives the text back. */
export function splitLines(text: string): string[] {
  return text.length === 0 ? [] : text.split(/(?<=\n)/);
}

/** The replacements, in order and non-overlapping, that turn `before` into `after`. */
export function diffText(before: string, after: string): TextChange[] {
  if (before === after) return [];
  const a = splitLines(before);
  const b = splitLines(after);
  const ids = new Map<string, number>();
  const id = (line: string) => ids.get(line) ?? (ids.set(line, ids.size), ids.size - 1);
  const hunks = lineHunks(a.map(id), b.map(id));
  const offsets = prefixSums(a);
  const changes: TextChange[] = [];
  const push = (start: number, before: string, after: string) => {
    const change = narrow(before, after);
    if (change) changes.push({ start: start + change.start, end: start + change.end, text: change.text });
  };
  for (const [aStart, aEnd, bStart, bEnd] of hunks) {
    // Line for line when the hunk keeps its line count (a rename on every line stays many small edits).
    if (aEnd - aStart === bEnd - bStart) {
      for (let i = 0; i < aEnd - aStart; i++) push(offsets[aStart + i]!, a[aStart + i]!, b[bStart + i]!);
    } else {
      push(offsets[aStart]!, a.slice(aStart, aEnd).join(''), b.slice(bStart, bEnd).join(''));
    }
  }
  return changes;
}

/** Applies changes made against `text` (sorted, non-overlapping). */
export function applyChanges(text: string, changes: readonly TextChange[]): string {
  let out = '';
  let at = 0;
  for (const change of changes) {
    out += text.slice(at, change.start) + change.text;
    at = change.end;
  }
  return out + text.slice(at);
}

function prefixSums(lines: string[]): number[] {
  const sums = [0];
  for (const line of lines) sums.push(sums[sums.length - 1]! + line.length);
  return sums;
}

/** Trims the common prefix and suffix, never splitting a surrogate pair. */
export function narrow(before: string, after: string): TextChange | undefined {
  if (before === after) return undefined;
  const limit = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < limit && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  if (prefix > 0 && isHighSurrogate(before.charCodeAt(prefix - 1))) prefix--;
  let suffix = 0;
  while (
    suffix < limit - prefix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  )
    suffix++;
  if (suffix > 0 && isLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--;
  return { start: prefix, end: before.length - suffix, text: after.slice(prefix, after.length - suffix) };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Changed hunks as [aStart, aEnd, bStart, bEnd] line ranges (Myers' O(ND) greedy algorithm). */
export function lineHunks(a: number[], b: number[]): [number, number, number, number][] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const innerA = a.slice(head, a.length - tail);
  const innerB = b.slice(head, b.length - tail);
  if (innerA.length === 0 && innerB.length === 0) return [];
  const ops = myers(innerA, innerB);
  if (!ops) return [[head, a.length - tail, head, b.length - tail]];
  // Group runs of inserts and deletes between equal lines into hunks.
  const hunks: [number, number, number, number][] = [];
  let x = 0;
  let y = 0;
  let open: [number, number, number, number] | undefined;
  for (const op of ops) {
    if (op === 0) {
      if (open) hunks.push(open), (open = undefined);
      x++, y++;
      continue;
    }
    open ??= [head + x, head + x, head + y, head + y];
    if (op === -1) open[1] = head + ++x;
    else open[3] = head + ++y;
  }
  if (open) hunks.push(open);
  return hunks;
}

/**
 * The edit script (0 keep, -1 delete from a, 1 insert from b), or undefined when the edit distance
 * passes MAX_EDIT_DISTANCE. Each round's frontier is saved (only its live part) for the walk back.
 */
function myers(a: number[], b: number[]): (0 | -1 | 1)[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) x++, y++;
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, n, m);
    }
  }
  return undefined;
}

function backtrack(trace: Int32Array[], n: number, m: number): (0 | -1 | 1)[] {
  const ops: (0 | -1 | 1)[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const saved = trace[d]!;
    // saved[i] holds the frontier for diagonal k = i - d - 1 as it was before round d.
    const at = (k: number) => saved[k + d + 1]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : at(prevK);
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) ops.push(0), x--, y--;
    if (d > 0) ops.push(x === prevX ? 1 : -1);
    x = prevX;
    y = prevY;
  }
  return ops.reverse();
}
