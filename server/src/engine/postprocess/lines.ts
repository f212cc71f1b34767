/**
 * Filters on the suggestion's shape: one line in single-line mode, at most maxLines lines, and no
 * trailing whitespace or trailing blank lines.
 */
import { isBlank, type Filter } from './context.ts';

/**
 * Single-line mode keeps the text up to the first line break. At the end of a line with a
 * look-ahead call, an answer that starts with a line break is the next line: it is kept, so the
 * user sees (and may accept) the next line before pressing Enter.
 */
export const keepFirstLine: Filter = (text, context) => {
  if (context.multiline) return text;
  const newline = text.indexOf('\n');
  if (newline === -1) return text;
  const endOfLine = context.lookahead && isBlank(context.lineSuffix) && !isBlank(context.linePrefix);
  if (endOfLine && isBlank(text.slice(0, newline))) {
    const second = text.indexOf('\n', newline + 1);
    return second === -1 ? text : text.slice(0, second);
  }
  return text.slice(0, newline);
};

export const limitLines: Filter = (text, context) => {
  const lines = text.split('\n');
  return lines.length <= context.maxLines ? text : lines.slice(0, context.maxLines).join('\n');
};

/**
 * Trims each line's end and drops trailing blank lines. The last line keeps its trailing spaces
 * when text follows the cursor directly (`const| = 1` completed with `x `).
 */
export const trimTrailingWhitespace: Filter = (text, context) => {
  const lines = text.split('\n');
  while (lines.length > 0 && isBlank(lines.at(-1)!)) lines.pop();
  if (lines.length === 0) return '';
  const keepLastSpaces = context.lineSuffix !== '' && !/^\s/.test(context.lineSuffix);
  return lines.map((line, i) => (i === lines.length - 1 && keepLastSpaces ? line : line.trimEnd())).join('\n');
};
