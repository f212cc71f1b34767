/**
 * Filters for text the model repeated from before the cursor: an echoed current line (whole or
 * its tail), echoed last lines of the prefix, and a space doubled at the cursor.
 */
import { countNonSpace, type Filter } from './context.ts';

const WORD = /[\p{L}\p{N}_$]/u;
const WHOLE_WORD = /^[\p{L}\p{N}_$]+$/u;

// An overlap spanning lines must carry this much non-blank text: short repeats such as `}` or
// `a();` are as likely to be new code as an echo.
const MIN_MULTILINE_ECHO = 8;
// An overlap inside the current line that starts mid-line needs this much non-blank text.
const MIN_PARTIAL_ECHO = 3;

/**
 * Drops the longest start of the suggestion that repeats the end of the prefix, when it looks
 * like an echo: it covers the current line's text from its start, or the word being typed, or a
 * longer run that starts at a word boundary. The suggestion's indentation may differ from the
 * document's.
 */
export const dropEchoedPrefix: Filter = (text, context) => {
  const trimmed = text.trimStart();
  const asIs = longestEcho(context.prefix, text, false);
  const reindented = trimmed === text ? 0 : longestEcho(context.prefix, trimmed, true);
  if (reindented > 0 && text.length - trimmed.length + reindented > asIs) return trimmed.slice(reindented);
  return asIs > 0 ? text.slice(asIs) : text;
};

/** With text before the cursor ending in a space, a suggestion starting with spaces would double them. */
export const collapseDoubleSpace: Filter = (text, context) => {
  const { linePrefix } = context;
  if (!/[ \t]$/.test(linePrefix) || linePrefix.trim() === '') return text;
  return text.replace(/^[ \t]+/, '');
};

/** Length of the longest accepted overlap between the end of `prefix` and the start of `text`. */
function longestEcho(prefix: string, text: string, lineStartOnly: boolean): number {
  for (const length of overlaps(prefix, text)) {
    if (isEcho(prefix, text.slice(0, length), lineStartOnly)) return length;
  }
  return 0;
}

function isEcho(prefix: string, overlap: string, lineStartOnly: boolean): boolean {
  const start = prefix.length - overlap.length;
  const lineStart = prefix.lastIndexOf('\n', start - 1) + 1;
  const atLineContent = prefix.slice(lineStart, start).trim() === '';
  const linePrefix = prefix.slice(prefix.lastIndexOf('\n') + 1);
  if (overlap.includes('\n')) return atLineContent && countNonSpace(overlap) >= MIN_MULTILINE_ECHO;
  if (overlap.trim() === '') return !lineStartOnly && linePrefix.trim() === '';
  if (atLineContent) return true;
  if (lineStartOnly) return false;
  const before = prefix[start - 1] ?? ' ';
  // The whole word being typed, repeated: `foo.ba` + `bar()`.
  if (!WORD.test(before) && WHOLE_WORD.test(overlap)) return true;
  return countNonSpace(overlap) >= MIN_PARTIAL_ECHO && (!WORD.test(before) || !WORD.test(overlap[0]!));
}

/**
 * Every length L (longest first) such that the last L characters of `prefix` equal the first L
 * of `text`, in linear time: the borders of text + separator + prefix-tail, by the KMP failure function.
 */
function overlaps(prefix: string, text: string): number[] {
  const size = Math.min(prefix.length, text.length);
  if (size === 0) return [];
  const joined = `${text.slice(0, size)}\u0000${prefix.slice(prefix.length - size)}`;
  const failure = new Int32Array(joined.length);
  for (let i = 1; i < joined.length; i++) {
    let k = failure[i - 1]!;
    while (k > 0 && joined[i] !== joined[k]) k = failure[k - 1]!;
    if (joined[i] === joined[k]) k++;
    failure[i] = k;
  }
  const lengths: number[] = [];
  for (let k = failure[joined.length - 1]!; k > 0; k = failure[k - 1]!) if (k <= size) lengths.push(k);
  return lengths;
}
