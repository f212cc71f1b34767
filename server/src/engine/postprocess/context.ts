/**
 * What every post-processing filter sees: the document around the cursor split into the current
 * line's two halves and the neighbouring lines, plus small line helpers the filters share.
 */

export interface PostprocessInput {
  /** The model's answer as received. */
  raw: string;
  /** Document text before the cursor (at least the whole current line's part). */
  prefix: string;
  /** Document text after the cursor (at least the rest of the current line). */
  suffix: string;
  languageId: string;
  multiline: boolean;
  /**
   * A single-line request at the end of a line whose call also fetched the next line: an answer
   * that starts with a line break shows that next line.
   */
  lookahead?: boolean;
  /** Longest suggestion, in lines. */
  maxLines: number;
}

export interface PostprocessContext {
  /** Prefix and suffix with `\n` line endings. */
  prefix: string;
  suffix: string;
  /** The current line before and after the cursor. */
  linePrefix: string;
  lineSuffix: string;
  /** Up to NEIGHBOUR_LINES whole lines before the current line, nearest last. */
  previousLines: string[];
  /** Up to NEIGHBOUR_LINES lines after the current line, nearest first. */
  nextLines: string[];
  languageId: string;
  multiline: boolean;
  /** See PostprocessInput.lookahead. */
  lookahead: boolean;
  maxLines: number;
  /** The document uses CRLF line endings (suggestions are given them back). */
  crlf: boolean;
}

/** One named step of the pipeline: suggestion text in, suggestion text out. */
export type Filter = (text: string, context: PostprocessContext) => string;

export const NEIGHBOUR_LINES = 50;

export function toLf(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

export function buildContext(input: PostprocessInput): PostprocessContext {
  const prefix = toLf(input.prefix);
  const suffix = toLf(input.suffix);
  const lineStart = prefix.lastIndexOf('\n') + 1;
  const lineEnd = suffix.indexOf('\n');
  return {
    prefix,
    suffix,
    linePrefix: prefix.slice(lineStart),
    lineSuffix: lineEnd === -1 ? suffix : suffix.slice(0, lineEnd),
    previousLines: lineStart === 0 ? [] : lastLines(prefix.slice(0, lineStart - 1), NEIGHBOUR_LINES),
    nextLines: lineEnd === -1 ? [] : firstLines(suffix.slice(lineEnd + 1), NEIGHBOUR_LINES),
    languageId: input.languageId,
    multiline: input.multiline,
    lookahead: input.lookahead ?? false,
    maxLines: Math.max(1, Math.floor(input.maxLines)),
    crlf: /\r\n/.test(input.prefix) || /\r\n/.test(input.suffix),
  };
}

/** The last `count` lines of `text`, without splitting the rest of a long window. */
function lastLines(text: string, count: number): string[] {
  // `start` is the newline before the earliest line taken so far, or -1 at the text's start.
  let start = text.length;
  for (let i = 0; i < count && start !== -1; i++) start = start === 0 ? -1 : text.lastIndexOf('\n', start - 1);
  return text.slice(start + 1).split('\n');
}

function firstLines(text: string, count: number): string[] {
  let end = -1;
  for (let i = 0; i < count; i++) {
    end = text.indexOf('\n', end + 1);
    if (end === -1) return text.split('\n');
  }
  return text.slice(0, end).split('\n');
}

export function isBlank(line: string): boolean {
  return line.trim() === '';
}

/** Leading whitespace width, a tab counting as four columns. */
export function indentWidth(line: string): number {
  let width = 0;
  for (const char of line) {
    if (char === ' ') width += 1;
    else if (char === '\t') width += 4;
    else break;
  }
  return width;
}

export function countNonSpace(text: string): number {
  let count = 0;
  for (const char of text) if (!/\s/.test(char)) count++;
  return count;
}
