/**
 * Filters for text the model repeated from before the cursor: an echoed current line (whole or
 * its tail), echoed last lines of the prefix, and a space doubled at the cursor.
 */
import { indentWidth, isBlank, type Filter, type PostprocessContext } from './context.ts';

const WORD = /[\p{L}\p{N}_$]/u;

// An overlap spanning lines must carry this much non-blank text: short repeats such as `}` or
// `a();` are as likely to be new code as an echo. Over two line breaks or more (`  }\n\n  dec`, the
// last lines and the cursor's line, each with its indentation) a repeat is an echo.
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
  const rest = dropEcho(text, context);
  // An echo of whole lines that ends at the cursor leaves what the model meant to insert there,
  // judged as any answer is (`  }\n  ` + `  if …` echoed, then the indentation typed so far).
  return rest !== text && text.slice(0, text.length - rest.length).includes('\n') ? dropEcho(rest, context) : rest;
};

function dropEcho(text: string, context: PostprocessContext): string {
  const trimmed = text.trimStart();
  const asIs = longestEcho(context.prefix, text, false);
  if (asIs > 0 && completesIndentation(text, asIs, context)) return text;
  const reindented = trimmed === text ? 0 : longestEcho(context.prefix, trimmed, true);
  if (reindented > 0 && text.length - trimmed.length + reindented > asIs) return trimmed.slice(reindented);
  return asIs > 0 ? text.slice(asIs) : text;
}

/**
 * On a line with only part of its indentation typed, an answer that starts with as much again is
 * an echo of that indentation, or the rest of it: the rest when, added to what is typed, it puts
 * the line at the indentation of the next line (or, when that tells neither, of the line before)
 * and the echo reading would not (a `break;` under a statement at twenty columns, ten typed).
 */
function completesIndentation(text: string, overlap: number, context: PostprocessContext): boolean {
  const { linePrefix } = context;
  const repeated = text.slice(0, overlap);
  if (linePrefix === '' || !isBlank(linePrefix) || !isBlank(repeated) || repeated.includes('\n')) return false;
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n'));
  if (isBlank(firstLine)) return false;
  const previous = context.previousLines.findLast((line) => !isBlank(line));
  const next = context.nextLines.find((line) => !isBlank(line));
  const kept = indentWidth(linePrefix + firstLine);
  const dropped = indentWidth(linePrefix + firstLine.slice(overlap));
  // The line written before the next one is most often its sibling; the line before it decides otherwise.
  for (const neighbour of [next, previous]) {
    if (neighbour === undefined) continue;
    const width = indentWidth(neighbour);
    if (width === kept || width === dropped) return width === kept;
  }
  return false;
}

/** With text before the cursor ending in a space, a suggestion starting with spaces would double them. */
export const collapseDoubleSpace: Filter = (text, context) => {
  const { linePrefix } = context;
  if (!/[ \t]$/.test(linePrefix) || linePrefix.trim() === '') return text;
  return text.replace(/^[ \t]+/, '');
};

/**
 * Length of the longest accepted overlap between the end of `prefix` and the start of `text`.
 * A periodic answer (blank lines, `})})…`) has an overlap of almost every length, so what each
 * check needs is computed once, in linear time, and each candidate is judged in constant time.
 */
function longestEcho(prefix: string, text: string, lineStartOnly: boolean): number {
  const lengths = overlaps(prefix, text);
  if (lengths.length === 0) return 0;
  const size = lengths[0]!;
  // Over the start of `text`: non-space characters before each length, the first line break, the end of the first word.
  const nonSpace = new Int32Array(size + 1);
  for (let i = 0; i < size; i++) {
    const code = text.charCodeAt(i);
    // A surrogate pair is one character: its second half is not counted.
    nonSpace[i + 1] = nonSpace[i]! + (/\s/.test(text[i]!) || (code >= 0xdc00 && code <= 0xdfff) ? 0 : 1);
  }
  const firstBreak = text.indexOf('\n');
  const secondBreak = firstBreak === -1 ? -1 : text.indexOf('\n', firstBreak + 1);
  const wordEnd = /^[\p{L}\p{N}_$]*/u.exec(text)![0].length;
  const lineBlank = blankBefore(prefix, prefix.length);
  for (const length of lengths) {
    const start = prefix.length - length;
    const facts: EchoFacts = {
      atLineContent: blankBefore(prefix, start),
      lineBlank,
      spansLines: firstBreak !== -1 && firstBreak < length,
      spansTwoBreaks: secondBreak !== -1 && secondBreak < length,
      nonSpace: nonSpace[length]!,
      wholeWord: length <= wordEnd,
      before: prefix[start - 1] ?? ' ',
      first: text[0]!,
    };
    if (isEcho(facts, lineStartOnly)) return length;
  }
  return 0;
}

/**
 * Whether only whitespace lies between `at` and the start of its line in `text`: read back from
 * `at` only, so a streamed answer's every delta does not scan the whole prefix.
 */
function blankBefore(text: string, at: number): boolean {
  for (let i = at - 1; i >= 0; i--) {
    const char = text[i]!;
    if (char === '\n') return true;
    if (!/\s/.test(char)) return false;
  }
  return true;
}

interface EchoFacts {
  /** Only whitespace between the overlap's start and the start of its line in the prefix. */
  atLineContent: boolean;
  /** The cursor's line is blank before the cursor. */
  lineBlank: boolean;
  spansLines: boolean;
  /** The overlap holds two line breaks or more. */
  spansTwoBreaks: boolean;
  nonSpace: number;
  /** The overlap is one word (letters, digits, `_`, `$`). */
  wholeWord: boolean;
  /** The prefix character before the overlap. */
  before: string;
  /** The overlap's first character. */
  first: string;
}

function isEcho(facts: EchoFacts, lineStartOnly: boolean): boolean {
  if (facts.spansLines) return facts.atLineContent && facts.nonSpace >= (facts.spansTwoBreaks ? 1 : MIN_MULTILINE_ECHO);
  if (facts.nonSpace === 0) return !lineStartOnly && facts.lineBlank;
  if (facts.atLineContent) return true;
  if (lineStartOnly) return false;
  // The whole word being typed, repeated: `foo.ba` + `bar()`.
  if (!WORD.test(facts.before) && facts.wholeWord) return true;
  return facts.nonSpace >= MIN_PARTIAL_ECHO && (!WORD.test(facts.before) || !WORD.test(facts.first));
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
