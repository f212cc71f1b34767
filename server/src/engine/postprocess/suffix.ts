/**
 * Filters for text the suggestion shares with what follows the cursor: lines the suffix already
 * has, and closing brackets, quotes or text the rest of the current line already provides.
 */
import { countNonSpace, isBlank, type Filter, type PostprocessContext } from './context.ts';

/**
 * Cuts the suggestion at the first line from which it replays the lines after the cursor: all of
 * its remaining lines match the suffix's next lines, or two substantial lines in a row do.
 * Lines compare with their indentation, so a `}` closing an inner block is not the outer one.
 */
export const dropSuffixLines: Filter = (text, context) => {
  if (context.nextLines.length === 0) return text;
  const lines = text.split('\n');
  const next = context.nextLines.slice(context.nextLines.findIndex((line) => !isBlank(line)));
  if (next.length === 0 || isBlank(next[0] ?? '')) return text;
  const wholeFirstLine = isBlank(context.linePrefix) && isBlank(context.lineSuffix);
  const full = (j: number): string => (j === 0 ? context.linePrefix + lines[0]! : lines[j]!).trimEnd();

  for (let j = wholeFirstLine ? 0 : 1; j < lines.length; j++) {
    if (isBlank(full(j)) || full(j) !== next[0]!.trimEnd()) continue;
    let matched = 1;
    while (j + matched < lines.length && matched < next.length && full(j + matched) === next[matched]!.trimEnd())
      matched++;
    const replaysToEnd = j + matched === lines.length;
    const substantial = matched >= 2 && countNonSpace(full(j)) + countNonSpace(full(j + 1)) >= 6;
    if (!replaysToEnd && !substantial) continue;
    // A model that runs on may write the next line twice: the copy just before the replay goes too.
    let cut = j;
    while (cut > (wholeFirstLine ? 0 : 1) && full(cut - 1) === next[0]!.trimEnd() && countNonSpace(next[0]!) >= 6)
      cut--;
    return lines.slice(0, cut).join('\n');
  }
  return text;
};

/**
 * True when two complete lines of `code` after its first (a streaming answer's; its last line,
 * still being written, left out) are the two lines that follow the cursor's, the first with at
 * least six characters besides spaces: the model ran on into the text after the cursor and has no
 * more code to give, and dropSuffixLines cuts the replay from the suggestion whatever follows. One
 * line alone is no evidence: a model writes a line the document also has next (`this._size = 0;`
 * then `this._state = 0;` where the document goes on `this._state++;`), and the complete answer
 * keeps it (dropSuffixLines cuts one line only when the replay runs to the answer's end).
 */
export function replaysSuffixLines(code: string, context: PostprocessContext): boolean {
  const next = followingLines(context);
  if (next.length < 2 || countNonSpace(next[0]!) < 6) return false;
  const lines = code.split('\n').slice(0, -1);
  return lines.some(
    (line, j) => j > 0 && j + 1 < lines.length && line.trimEnd() === next[0] && lines[j + 1]!.trimEnd() === next[1],
  );
}

/**
 * Where a streaming multi-line answer likely began to run on into the text after the cursor: the
 * end of its first complete line after the first that is the line following the cursor's (at least
 * six characters besides spaces; when that line recurs around the cursor, `break;` in a switch,
 * the line after it must follow too). -1 when there is none. The code up to there is what the
 * complete answer's suggestion starts with either way: dropSuffixLines cuts the replay when the
 * answer runs on, and keeps it with what follows when it was new code (replaysSuffixLines, which
 * stops the stream, waits for that second line).
 */
export function likelyRunOnEnd(code: string, context: PostprocessContext): number {
  const next = followingLines(context);
  const first = next[0];
  if (first === undefined || countNonSpace(first) < 6) return -1;
  const recurs = [...context.previousLines, ...next.slice(1)].some((line) => line.trim() === first.trim());
  const lines = code.split('\n').slice(0, -1);
  let end = -1;
  for (let j = 0; j < lines.length; j++) {
    end += lines[j]!.length + 1;
    if (j === 0 || lines[j]!.trimEnd() !== first) continue;
    if (!recurs) return end;
    if (j + 1 < lines.length && next.length > 1 && lines[j + 1]!.trimEnd() === next[1]) return end;
  }
  return -1;
}

/**
 * Where a multi-line answer's complete lines end in its streaming code: the index of the last line
 * break, once a line with code on it is complete (after the leading line break a look-ahead answer
 * at the end of a line starts with); -1 before. What the complete answer's suggestion starts with,
 * served to a request that waited `completion.multilineWaitMs` (engine.ts `likelyRunOn`).
 */
export function completeLinesEnd(code: string, lookahead: boolean): number {
  const skip = lookahead && /^[ \t]*\n/.test(code) ? code.indexOf('\n') + 1 : 0;
  const end = code.lastIndexOf('\n');
  return end > skip && code.slice(skip, end).trim() !== '' ? end : -1;
}

/** The lines after the cursor's from the first that is not blank, their trailing spaces trimmed. */
function followingLines(context: PostprocessContext): string[] {
  const start = context.nextLines.findIndex((line) => !isBlank(line));
  return start === -1 ? [] : context.nextLines.slice(start).map((line) => line.trimEnd());
}

const CLOSERS = ')]}';
const OPENERS = '([{';
const QUOTES = '"\'`';

/**
 * When the rest of the current line starts with a closer the editor auto-inserted (`)`, `]`, `}`,
 * a quote) and the suggestion closes the same bracket or string itself, cut the suggestion
 * there so the closer is not doubled. When the rest of the line is other text and the suggestion
 * ends with it, drop that tail.
 */
export const dropSuffixTail: Filter = (text, context) => {
  const after = context.lineSuffix.trim();
  if (after === '' || text === '') return text;
  const lead = after[0]!;
  if (CLOSERS.includes(lead) || QUOTES.includes(lead)) {
    const state = scan(context.linePrefix, { stack: [], quote: undefined });
    const closesPrefix = CLOSERS.includes(lead)
      ? state.stack.at(-1) === OPENERS[CLOSERS.indexOf(lead)]
      : state.quote === lead;
    if (closesPrefix) {
      const at = closingIndex(text, state);
      return at !== -1 && text[at] === lead ? trimBeforeCursorText(text.slice(0, at), context.lineSuffix) : text;
    }
    if (CLOSERS.includes(lead)) return text;
  }
  const body = text.trimEnd();
  return body.endsWith(after)
    ? trimBeforeCursorText(body.slice(0, body.length - after.length), context.lineSuffix)
    : text;
};

/**
 * When the rest of the line starts with spaces, spaces left before the cut would double them;
 * a last line of only indentation stays, since it indents the closer that follows.
 */
function trimBeforeCursorText(text: string, lineSuffix: string): string {
  const lastLine = text.slice(text.lastIndexOf('\n') + 1);
  return lastLine.trim() === '' || !/^[ \t]/.test(lineSuffix) ? text : text.replace(/[ \t]+$/, '');
}

interface ScanState {
  /** Unclosed opening brackets, innermost last. */
  stack: string[];
  /** The quote of an unterminated string, if inside one. */
  quote: string | undefined;
}

/** Bracket and string state at the end of `text` (strings end at a line break unless backquoted). */
function scan(text: string, state: ScanState): ScanState {
  let { quote } = state;
  const stack = [...state.stack];
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quote !== undefined) {
      if (char === '\\') i++;
      else if (char === quote || (char === '\n' && quote !== '`')) quote = undefined;
    } else if (QUOTES.includes(char)) quote = char;
    else if (OPENERS.includes(char)) stack.push(char);
    else if (CLOSERS.includes(char)) stack.pop();
  }
  return { stack, quote };
}

/** Index in `text` of the first character that closes a bracket or string open at `state`, or -1. */
function closingIndex(text: string, state: ScanState): number {
  let quote = state.quote;
  const outer = state.quote === undefined ? state.stack.length : 0;
  let depth = outer;
  let inOwnString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quote !== undefined) {
      if (char === '\\') i++;
      else if (char === quote) {
        if (!inOwnString) return i;
        quote = undefined;
      } else if (char === '\n' && quote !== '`') {
        if (!inOwnString) return -1;
        quote = undefined;
      }
    } else if (QUOTES.includes(char)) {
      quote = char;
      inOwnString = true;
    } else if (OPENERS.includes(char)) depth++;
    else if (CLOSERS.includes(char)) {
      if (depth === outer) return i;
      depth--;
    }
  }
  return -1;
}
