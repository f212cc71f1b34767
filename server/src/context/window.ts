/**
 * The code around the cursor that goes into a completion prompt: a prefix window before the
 * cursor and a suffix window after it, cut to line limits and then to a token budget.
 * It scans outwards from the cursor, so its cost does not grow with the document's size.
 */
import { firstTokens, lastTokens } from './tokens.ts';

export interface WindowOptions {
  /** Whole lines before the cursor's line. */
  prefixLines: number;
  /** Whole lines after the cursor's line. */
  suffixLines: number;
  /** Budget for prefix and suffix together, in o200k tokens. */
  maxTokens: number;
}

export interface CursorWindows {
  prefix: string;
  suffix: string;
  prefixTokens: number;
  suffixTokens: number;
  /** The token budget removed text that the line limits offered. */
  truncated: boolean;
}

/**
 * A window never offers the token cut more than this many characters per budget token. Code
 * averages 3–5 characters per token; text beyond this is a whitespace run or a blob that helps
 * the model little, and the cap keeps the work per keystroke proportional to the budget, not to
 * the length of the line the cursor is on.
 */
export const MAX_WINDOW_CHARS_PER_TOKEN = 16;

/** The prefix keeps this share of the budget when both sides want more than they can have. */
export const PREFIX_SHARE = 0.75;

/**
 * Windows around `offset` (a UTF-16 offset into `text`). The prefix is cut from its start and the
 * suffix from its end, at line boundaries where possible; a share one side leaves unused goes to
 * the other. prefixTokens + suffixTokens never exceeds maxTokens.
 */
export function buildWindows(text: string, offset: number, opts: WindowOptions): CursorWindows {
  const cursor = Math.min(Math.max(0, offset), text.length);
  const maxTokens = Math.max(0, Math.floor(opts.maxTokens));
  const maxChars = maxTokens * MAX_WINDOW_CHARS_PER_TOKEN;
  const prefixText = text.slice(
    keepSurrogate(text, Math.max(prefixStart(text, cursor, opts.prefixLines), cursor - maxChars)),
    cursor,
  );
  const suffixText = text.slice(
    cursor,
    keepSurrogateEnd(text, Math.min(suffixEnd(text, cursor, opts.suffixLines), cursor + maxChars)),
  );

  let prefix = lastTokens(prefixText, Math.floor(maxTokens * PREFIX_SHARE));
  const suffix = firstTokens(suffixText, maxTokens - prefix.tokens);
  if (prefix.text.length < prefixText.length) {
    // The suffix did not need all it was offered: the prefix may grow into the rest.
    prefix = lastTokens(prefixText, maxTokens - suffix.tokens);
  }
  return {
    prefix: prefix.text,
    suffix: suffix.text,
    prefixTokens: prefix.tokens,
    suffixTokens: suffix.tokens,
    truncated: prefix.text.length < prefixText.length || suffix.text.length < suffixText.length,
  };
}

/** Start of the line `lines` lines above the cursor's line. */
function prefixStart(text: string, cursor: number, lines: number): number {
  let start = lineStartBefore(text, cursor);
  for (let i = 0; i < lines && start > 0; i++) {
    start = lineStartBefore(text, start - 1);
  }
  return start;
}

/** Start of the line holding position `at` (the newline at `at - 1`, if any, ends the line before). */
function lineStartBefore(text: string, at: number): number {
  return at > 0 ? text.lastIndexOf('\n', at - 1) + 1 : 0;
}

/** End of the line `lines` lines below the cursor's line, before its newline (and carriage return). */
function suffixEnd(text: string, cursor: number, lines: number): number {
  let end = lineEndAfter(text, cursor);
  for (let i = 0; i < lines && end < text.length; i++) {
    end = lineEndAfter(text, end + 1);
  }
  return end < text.length && end > cursor && text[end - 1] === '\r' ? end - 1 : end;
}

function lineEndAfter(text: string, at: number): number {
  const newline = text.indexOf('\n', at);
  return newline === -1 ? text.length : newline;
}

/** Moves a window start that would split a surrogate pair one code unit later. */
function keepSurrogate(text: string, start: number): number {
  const code = text.charCodeAt(start);
  return start > 0 && code >= 0xdc00 && code <= 0xdfff ? start + 1 : start;
}

/** Moves a window end that would split a surrogate pair one code unit earlier. */
function keepSurrogateEnd(text: string, end: number): number {
  const code = text.charCodeAt(end - 1);
  return end < text.length && code >= 0xd800 && code <= 0xdbff ? end - 1 : end;
}
