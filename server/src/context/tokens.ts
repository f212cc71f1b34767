/**
 * Token counting and trimming with o200k_base, the tokenizer of gpt-4.1 and gpt-4o-mini (counted by
 * the compact counter in o200k.ts).
 * Completion runs on every keystroke, so trimming cuts whole lines first and encodes only the
 * text it keeps (plus one line), never the whole document. BPE merging is quadratic in the length
 * of one pre-token piece (a base64 blob or a minified run is one piece), so the tokenizer is only
 * ever given short strings with short pieces: the cost stays linear whatever the text.
 */
import { O200K_TOKEN_SPLIT_REGEX } from 'gpt-tokenizer/encodingParams/constants';
import { countO200k } from './o200k.ts';

/** Text cut to a budget, with its exact token count. */
export interface TokenSlice {
  text: string;
  tokens: number;
}

// The longest o200k token is 128 characters (a run of spaces), so text longer than
// budget * 128 characters cannot fit the budget and need not be encoded to know it.
const MAX_CHARS_PER_TOKEN = 128;

/**
 * Longest pre-token piece handed to the BPE. A longer piece (a run of letters without spaces) is
 * counted in chunks of this size: tokens never cross a chunk boundary, so the count is a slight
 * over-estimate on such runs (at most about one token per chunk) and the cost is linear.
 */
export const MAX_PIECE_CHARS = 256;
/** Longest string handed to the tokenizer in one call, so a count can stop early at its limit. */
export const MAX_SEGMENT_CHARS = 4096;

const SPLIT = new RegExp(
  O200K_TOKEN_SPLIT_REGEX.source,
  O200K_TOKEN_SPLIT_REGEX.flags.includes('g') ? O200K_TOKEN_SPLIT_REGEX.flags : `${O200K_TOKEN_SPLIT_REGEX.flags}g`,
);

/**
 * The strings the tokenizer is given for `text`, lazily: cut between pre-token pieces into
 * segments of at most MAX_SEGMENT_CHARS, with pieces longer than MAX_PIECE_CHARS cut into chunks.
 */
function* segments(text: string): Generator<string> {
  if (text.length <= MAX_PIECE_CHARS) {
    yield text;
    return;
  }
  const split = new RegExp(SPLIT.source, SPLIT.flags);
  let start = 0;
  for (const match of text.matchAll(split)) {
    const end = match.index + match[0].length;
    if (match[0].length > MAX_PIECE_CHARS) {
      if (match.index > start) yield text.slice(start, match.index);
      yield* chunks(text, match.index, end);
      start = end;
    } else if (end - start >= MAX_SEGMENT_CHARS) {
      yield text.slice(start, end);
      start = end;
    }
  }
  if (start < text.length) yield text.slice(start);
}

/** `text[from, to)` in chunks of at most MAX_PIECE_CHARS, never splitting a surrogate pair. */
function* chunks(text: string, from: number, to: number): Generator<string> {
  for (let at = from; at < to; ) {
    let next = Math.min(to, at + MAX_PIECE_CHARS);
    if (next < to) next = Math.max(at + 1, safeEnd(text, next));
    yield text.slice(at, next);
    at = next;
  }
}

/** Tokens of `text`, or undefined as soon as they exceed `limit`. */
function boundedCount(text: string, limit: number): number | undefined {
  let used = 0;
  for (const segment of segments(text)) {
    used += countO200k(segment)!;
    if (used > limit) return undefined;
  }
  return used;
}

/** Number of o200k tokens in `text` (an upper estimate on pieces longer than MAX_PIECE_CHARS). */
export function countTokens(text: string): number {
  // Documents may contain text such as `<|endoftext|>`; to the counter it is plain text.
  return text === '' ? 0 : boundedCount(text, Number.POSITIVE_INFINITY)!;
}

/** The token count of `text` when it is at most `limit`, otherwise undefined; stops encoding early. */
export function countTokensUpTo(text: string, limit: number): number | undefined {
  if (limit < 0 || text.length > (limit + 1) * MAX_CHARS_PER_TOKEN) return undefined;
  if (text === '') return 0;
  return boundedCount(text, limit);
}

/** The start of `text` within `maxTokens` tokens: whole lines when at least one fits. */
export function takeFirstTokens(text: string, maxTokens: number): string {
  return firstTokens(text, maxTokens).text;
}

/** The end of `text` within `maxTokens` tokens: whole lines when at least one fits. */
export function takeLastTokens(text: string, maxTokens: number): string {
  return lastTokens(text, maxTokens).text;
}

/** Like takeFirstTokens, with the token count of the kept text. */
export function firstTokens(text: string, maxTokens: number): TokenSlice {
  return verified(text, maxTokens, (budget) => {
    let end = 0;
    let used = 0;
    while (end < text.length) {
      const newline = text.indexOf('\n', end);
      const lineEnd = newline === -1 ? text.length : newline + 1;
      const count = countTokensUpTo(text.slice(end, lineEnd), budget - used);
      if (count === undefined) break;
      used += count;
      end = lineEnd;
    }
    return end > 0 ? text.slice(0, end) : firstPieces(text, budget);
  });
}

/** Like takeLastTokens, with the token count of the kept text. */
export function lastTokens(text: string, maxTokens: number): TokenSlice {
  return verified(text, maxTokens, (budget) => {
    let start = text.length;
    let used = 0;
    while (start > 0) {
      // A line here is its text plus the newline that ends it.
      const lineStart = start >= 2 ? text.lastIndexOf('\n', start - 2) + 1 : 0;
      const count = countTokensUpTo(text.slice(lineStart, start), budget - used);
      if (count === undefined) break;
      used += count;
      start = lineStart;
    }
    return start < text.length ? text.slice(start) : lastPieces(text, budget);
  });
}

/**
 * Runs a cut, then checks the kept text with one real count: tokens of separately counted lines
 * can differ from the tokens of their concatenation, and the budget is a hard limit.
 */
function verified(text: string, maxTokens: number, cut: (budget: number) => string): TokenSlice {
  if (maxTokens <= 0 || text === '') return { text: '', tokens: 0 };
  const whole = countTokensUpTo(text, maxTokens);
  if (whole !== undefined) return { text, tokens: whole };
  let budget = maxTokens;
  for (;;) {
    const kept = cut(budget);
    const tokens = countTokens(kept);
    if (tokens <= maxTokens) return { text: kept, tokens };
    budget -= tokens - maxTokens;
    if (budget <= 0) return { text: '', tokens: 0 };
  }
}

// Within one line too long for the budget, cut between the tokenizer's own pre-token pieces,
// reading a window that doubles until it holds more than the budget.

function firstPieces(text: string, budget: number): string {
  const chunk = growingWindow(text.length, budget, (size) => text.slice(0, safeEnd(text, size)));
  let used = 0;
  let end = 0;
  for (const piece of pieces(chunk)) {
    used += countTokens(piece.text);
    if (used > budget) break;
    end = piece.index + piece.text.length;
  }
  return end > 0 ? text.slice(0, end) : withinPiece(chunk, budget, (size) => chunk.slice(0, safeEnd(chunk, size)));
}

function lastPieces(text: string, budget: number): string {
  const chunk = growingWindow(text.length, budget, (size) => text.slice(safeStart(text, text.length - size)));
  const all = pieces(chunk);
  let used = 0;
  let start = chunk.length;
  for (let i = all.length - 1; i >= 0; i--) {
    const piece = all[i]!;
    used += countTokens(piece.text);
    if (used > budget) break;
    start = piece.index;
  }
  return start < chunk.length
    ? chunk.slice(start)
    : withinPiece(chunk, budget, (size) => chunk.slice(safeStart(chunk, chunk.length - size)));
}

/** The longest slice within budget when not even one piece fits (a huge identifier or blob). */
function withinPiece(chunk: string, budget: number, slice: (size: number) => string): string {
  let fits = 0;
  let tooLong = chunk.length;
  while (tooLong - fits > 1) {
    const size = Math.floor((fits + tooLong) / 2);
    if (countTokens(slice(size)) <= budget) fits = size;
    else tooLong = size;
  }
  return slice(fits);
}

function growingWindow(total: number, budget: number, slice: (size: number) => string): string {
  let size = Math.max(64, budget * 4);
  for (;;) {
    if (size >= total) return slice(total);
    const chunk = slice(size);
    if (countTokensUpTo(chunk, budget) === undefined) return chunk;
    size *= 2;
  }
}

/** The tokenizer's pre-token pieces of `text`, long ones cut into chunks as `segments` does. */
function pieces(text: string): { index: number; text: string }[] {
  const split = new RegExp(SPLIT.source, SPLIT.flags);
  const out: { index: number; text: string }[] = [];
  for (const match of text.matchAll(split)) {
    if (match[0].length <= MAX_PIECE_CHARS) {
      out.push({ index: match.index, text: match[0] });
      continue;
    }
    let at = match.index;
    for (const chunk of chunks(text, match.index, match.index + match[0].length)) {
      out.push({ index: at, text: chunk });
      at += chunk.length;
    }
  }
  return out;
}

/** Moves a cut that would split a surrogate pair one code unit earlier. */
function safeEnd(text: string, end: number): number {
  const code = text.charCodeAt(end - 1);
  return end < text.length && code >= 0xd800 && code <= 0xdbff ? end - 1 : end;
}

/** Moves a cut that would split a surrogate pair one code unit later. */
function safeStart(text: string, start: number): number {
  const code = text.charCodeAt(start);
  return start > 0 && code >= 0xdc00 && code <= 0xdfff ? start + 1 : Math.max(0, start);
}
