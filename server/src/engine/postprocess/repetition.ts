/**
 * The repetition filter: models that lose the thread loop, writing one line over and over or
 * replaying the lines just before. The suggestion stops where the repeat begins.
 */
import { countNonSpace, isBlank, type Filter } from './context.ts';

/** Longest block of lines checked for an immediate replay. */
const MAX_PERIOD = 8;
/** A replayed block must carry this much non-blank text (a lone `}` or `end` repeats legitimately). */
const MIN_BLOCK_TEXT = 6;
/** Prefix lines a suggestion is compared with. */
const PREFIX_LINES = 30;

export const stopAtRepetition: Filter = (text, context) => {
  const lines = text.split('\n');
  const before = context.previousLines.slice(-PREFIX_LINES);
  // Whole lines in document order: prefix lines, the cursor's line as completed, then the rest.
  const all = [...before, context.linePrefix + lines[0]!, ...lines.slice(1)];
  // The cursor's line counts as the suggestion's only when the suggestion wrote all of it.
  const first = isBlank(context.linePrefix) ? 0 : 1;
  for (let j = first; j < lines.length; j++) {
    if (repeatsAt(all, before.length + j)) return lines.slice(0, j).join('\n');
  }
  return text;
};

function repeatsAt(all: string[], at: number): boolean {
  const line = all[at]!;
  if (!isBlank(line) && all[at - 1] === line && all[at - 2] === line) return true;
  for (let period = 2; period <= MAX_PERIOD && period <= at && at + period <= all.length; period++) {
    let same = true;
    let textLength = 0;
    for (let k = 0; k < period && same; k++) {
      same = all[at + k] === all[at - period + k];
      textLength += countNonSpace(all[at + k]!);
    }
    if (same && textLength >= MIN_BLOCK_TEXT && !isBlank(all[at]!)) return true;
  }
  return false;
}
