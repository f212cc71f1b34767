/**
 * Whether a completion may span several lines, decided from the text around the cursor before
 * the model is called; scope limiting reuses the same notion of a line that opens a block.
 */

export type MultilineMode = 'auto' | 'always' | 'never';

// `{ ( [`, a colon that is not part of `::` (Python, YAML, case labels), an arrow `=>`, and the
// keywords `then` / `do` (Lua, Ruby, shell) at the end of a line.
const BLOCK_OPENER = /(?:[{([]|(?<!:):|=>|\bthen|\bdo)\s*$/;

// What may follow the cursor for a block to be completed: nothing, or closers an editor
// auto-inserted (`)`, `]`, `}`), with a trailing `;` or `,`. Tested on the suffix without its
// trailing whitespace: `[\s)\]}]*[;,]?\s*$` backtracks quadratically over a long run of spaces.
const CLOSERS_ONLY = /^[\s)\]}]*[;,]?$/;

/** True when `line` ends by opening a block or an argument list. */
export function endsWithBlockOpener(line: string): boolean {
  return BLOCK_OPENER.test(line);
}

/**
 * auto: multi-line when the rest of the line after the cursor is empty or only closing brackets,
 * and the line before the cursor is blank or ends with a block opener; single-line otherwise.
 */
export function decideMultiline(linePrefix: string, lineSuffix: string, mode: MultilineMode): boolean {
  if (mode === 'always') return true;
  if (mode === 'never') return false;
  return CLOSERS_ONLY.test(lineSuffix.trimEnd()) && (linePrefix.trim() === '' || endsWithBlockOpener(linePrefix));
}
