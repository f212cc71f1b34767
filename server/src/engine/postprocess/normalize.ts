/**
 * The answer normalizer: turns what a chat model really returns for "only the code" — fenced,
 * wrapped in sentences, echoing the prompt's tags or the lines before the cursor, CRLF — into the
 * code alone, as it would read inserted at the cursor of the request that made the call. It works
 * on partial streamed text too: while the stream runs it holds back whatever may still turn out
 * to be wrapping (a fence being written, a first line that may be a sentence, an echo not finished
 * yet), so the early stop and typed-ahead reuse of a still-streaming call only ever see code.
 */
import { endsInLineComment } from './comments.ts';
import { countNonSpace, isBlank, toLf, type PostprocessContext } from './context.ts';
import { dropEchoedPrefix } from './echo.ts';
import { stripPromptTags } from './markup.ts';
import { replaysSuffixLines } from './suffix.ts';

// In these languages a fenced block is content the user may want, not wrapping.
const FENCED_LANGUAGES = new Set(['markdown', 'mdx', 'quarto', 'rmd', 'restructuredtext']);
/** In these a paragraph after a blank line is content as likely as an epilogue: it never ends the code early. */
const PROSE_LANGUAGES = new Set([...FENCED_LANGUAGES, 'plaintext', 'text', 'latex', 'tex', 'asciidoc', 'org']);

const FENCE = /^[ \t]*(`{3,}|~{3,})([\w+#.-]*)[ \t]*$/;
/** What a fence line looks like while it is still being streamed. */
const FENCE_START = /^[ \t]*(`{1,}|~{1,})[\w+#.-]*$/;
/** The end of a partial text that may be the start of one of the prompt's tags. */
const PARTIAL_TAG = /<\/?(?:c(?:u(?:r(?:s(?:o(?:r)?)?)?)?)?|f(?:i(?:l(?:e)?)?)?|m(?:o(?:d(?:e)?)?)?)?$/;

/**
 * A sentence addressed to the user: starts with a capital letter, has at least three words, ends
 * with `:` `.` or `!`, and has none of the characters code is made of. Its first word may end a
 * short exclamation or label of its own ("Sure! The completed code is:", "Note: …").
 */
const SENTENCE = /^[A-Z][\w'’]*[!,.:]?(?:[ \t]+[^\s;{}=<>|\\]+){2,}[:.!]$/;
/**
 * A line being streamed that has already become a sentence: a capitalised word (not an all-capitals
 * keyword such as SQL's SELECT), then at least two more complete words and none of code's characters.
 */
const SENTENCE_UNDER_WAY = /^(?![A-Z]{2,}\b)[A-Z][\w'’]*[!,.:]?(?:[ \t]+[\w'’,]+){2,}[ \t]/;
/** A line being streamed that may still become such a sentence (only words so far). */
const SENTENCE_START = /^[A-Z][\w'’]*[:.!]?(?:[ \t]+[\w'’,.:!?`"-]*)*$/;
const CODE_CHARS = /[;{}=<>()[\]\\|&]/;
/** Text before the cursor that puts it in a comment or a docstring, where sentences are content. */
const IN_COMMENT = /\/\/|\/\*|^\s*\*|#|--|"""|'''|^\s*;/;
/** The cursor right after a letter or digit: a sentence written there would be glued to that word. */
const GLUED = /[\p{L}\p{N}_]$/u;
/** Words of a sentence about the answer itself, which no comment in the code says. */
const ABOUT_THE_ANSWER = /\b(?:here(?:'s|’s| is)|sure|certainly|complet\w*|snippet|cursor|insert\w*|the code)\b/i;
/** The marker of a line comment the cursor is in. */
const LINE_COMMENT = /\/\/|#|--/;

/** After these at the end of the line before the cursor, a line break cannot start the answer. */
const NEEDS_CONTINUATION = /(?:[,+\-*/%&|^.?<>]|[^=!<>]=)\s*$/;

/** A line that ends a statement or a block: nothing written after it continues it. */
const ENDS_STATEMENT = /(?:[;{}]|\*\/)\s*$/;
/** The start of a line at the margin that begins a statement, a declaration, a comment or a closer. */
const STARTS_STATEMENT = /^[\p{L}_$@#/}]/u;

/** Text after the cursor that a block may be written before: nothing, or closers an editor inserted. */
const ONLY_CLOSERS = /^[\s)\]}'"`]*[;,]?\s*$/;

/** Lines before the cursor an echo may start at. */
const ECHO_LINES = 8;
/** Characters at the end of the cursor's line a streamed answer may still turn out to repeat. */
const TAIL_ECHO_CHARS = 256;
/** Non-blank characters a repeat of the line's tail has before it counts as an echo (echo.ts). */
const MIN_TAIL_ECHO = 3;
const WORD_CHAR = /[\p{L}\p{N}_$]/u;

export function isSentence(line: string): boolean {
  const trimmed = line.trim();
  return SENTENCE.test(trimmed) && !CODE_CHARS.test(trimmed.replace(/`[^`]*`/g, ''));
}

/**
 * True when a line still being streamed is clearly a sentence written to the user (an epilogue
 * under way), not code: it starts at the margin, since an indented one is a docstring's paragraph.
 */
function sentenceUnderWay(partial: string): boolean {
  return atMargin(partial) && SENTENCE_UNDER_WAY.test(partial) && mayBecomeSentence(partial);
}

/** Lines on each side of the cursor that may show it is amid the document's own prose. */
const PROSE_NEIGHBOURS = 3;

/**
 * True where a paragraph after a blank line is content as likely as an epilogue, so it never ends
 * the code early: a prose language, or a cursor with prose of the document's own next to it (a
 * module docstring at the margin, Perl's POD), where the answer's sentences may be what follows.
 */
function amidProse(context: PostprocessContext): boolean {
  if (PROSE_LANGUAGES.has(context.languageId)) return true;
  const before = context.previousLines.filter((line) => !isBlank(line)).slice(-PROSE_NEIGHBOURS);
  const after = context.nextLines.filter((line) => !isBlank(line)).slice(0, PROSE_NEIGHBOURS);
  const pod = context.languageId === 'perl';
  return [...before, context.linePrefix + context.lineSuffix, ...after].some((line) => isProseLine(line, pod));
}

/** POD's formatting codes (`C<fileparse()>`, `L</Selecting What to Export>`): words of a paragraph, not code. */
const POD_CODE = /\b[BCEFILSXZ]<[^<>\n]*>/g;

/**
 * A line of words, as a paragraph of prose has: four or more, starting with a letter, none of
 * code's characters (in Perl, outside POD's formatting codes).
 */
function isProseLine(line: string, pod: boolean): boolean {
  const trimmed = pod ? line.trim().replace(POD_CODE, 'code') : line.trim();
  return /^\p{L}/u.test(trimmed) && trimmed.split(/\s+/).length >= 4 && !CODE_CHARS.test(trimmed);
}

function atMargin(line: string): boolean {
  return !/^[ \t]/.test(line);
}

function mayBecomeSentence(partial: string): boolean {
  const trimmed = partial.trimStart();
  return trimmed === '' || (SENTENCE_START.test(trimmed) && !CODE_CHARS.test(trimmed));
}

/** A partial answer's code, and whether the code is over though the stream goes on. */
export interface NormalizedAnswer {
  code: string;
  /**
   * The answer's code is complete: a closing fence was read, or an epilogue began after the code.
   * What the model still streams is not code, so the call can stop and its waiters be served.
   */
  ended: boolean;
}

/**
 * The code of `raw` (the model's text so far); `final` says the answer is complete. A partial
 * answer's code is a prefix of what the complete answer's code will be in every common shape.
 */
export function normalizeAnswer(raw: string, context: PostprocessContext, final: boolean): string {
  return normalizeStreamed(raw, context, final).code;
}

/** normalizeAnswer, also telling whether a partial answer's code is already over. */
export function normalizeStreamed(raw: string, context: PostprocessContext, final: boolean): NormalizedAnswer {
  let text = toLf(raw);
  if (!final) text = text.replace(PARTIAL_TAG, '');
  text = stripPromptTags(text, context);
  const state = { ended: false };
  text = unwrap(text, context, final, state);
  const ended = !final && state.ended;
  if (text === '') return { code: '', ended };
  text = dropLeadingBreak(text, context);
  if (!final && !ended && mayStillBeEcho(text, context)) return { code: '', ended };
  const code = dropEchoedPrefix(text, context);
  // What follows an echo of whole lines may still be a repeat of the line's tail.
  if (!final && !ended && code !== text && mayStillBeTailEcho(code, context.linePrefix)) return { code: '', ended };
  // A multi-line answer that runs on into the lines after the cursor has no more code to give.
  return { code, ended: ended || (!final && context.multiline && replaysSuffixLines(code, context)) };
}

/** A normalizer for one call's stream: the same result for the same text, computed once. */
export function streamNormalizer(context: PostprocessContext): (raw: string, final: boolean) => NormalizedAnswer {
  let lastRaw: string | undefined;
  let lastFinal = false;
  let last: NormalizedAnswer = { code: '', ended: false };
  return (raw, final) => {
    if (raw !== lastRaw || final !== lastFinal) {
      last = normalizeStreamed(raw, context, final);
      lastRaw = raw;
      lastFinal = final;
    }
    return last;
  };
}

/** Removes fences and the sentences around the code; `state.ended` is set when the code is over. */
function unwrap(text: string, context: PostprocessContext, final: boolean, state: { ended: boolean }): string {
  const lines = text.split('\n');
  // The last line of a partial answer is still being written.
  const open = final ? undefined : lines.pop();
  // In a comment sentences are content, unless one would be glued to the word before the cursor,
  // or (in a line comment) a sentence introduces a line that does not carry on the comment.
  const inComment = IN_COMMENT.test(context.linePrefix);
  const proseAllowed = !inComment || GLUED.test(context.linePrefix);
  const lineComment = inComment && !proseAllowed ? LINE_COMMENT.exec(context.linePrefix)?.[0] : undefined;
  const fences = !FENCED_LANGUAGES.has(context.languageId);

  // A preamble: sentences on lines of their own before the code, the last one introducing it
  // (ending with `:`) or followed by a fence. Only sentences so far: nothing is known yet.
  let start = 0;
  if (proseAllowed && !continuesWord(lines[0] ?? open ?? '', context)) {
    const first = firstContent(lines);
    let end = first;
    // A sentence that introduces what follows (`:`) ends the preamble: what follows is the code,
    // though it be a sentence too (a comment's or a docstring's).
    while (end < lines.length && isSentence(lines[end]!) && (end === first || !lines[end - 1]!.trim().endsWith(':')))
      end++;
    const next = firstContent(lines.slice(end)) + end;
    if (end > first) {
      const introduces = lines[end - 1]!.trim().endsWith(':');
      if (next < lines.length) {
        // A fence that ends a complete answer closes the code: the sentences before it are the code.
        const opensFence =
          FENCE.test(lines[next]!) && (open !== undefined || lines.slice(next + 1).some((line) => !isBlank(line)));
        if (introduces || opensFence) start = next > end && breakBeforeCode(lines[next]!, context) ? next - 1 : next;
      } else if (open === undefined) {
        // Only sentences, and the answer is complete: they are the suggestion (a comment, a docstring).
      } else if (isBlank(open) || mayBecomeSentence(open)) {
        return '';
      } else if (introduces || FENCE_START.test(open)) {
        // Until it is complete, a line that may still be the document's next line is held back.
        if (lines.length > end && mayBecomeNextLine(open, context)) return '';
        start = lines.length > end && breakBeforeCode(open, context) ? lines.length - 1 : lines.length;
      }
    } else if (first === lines.length && open !== undefined && !isBlank(open) && mayBecomeSentence(open)) {
      return '';
    }
  } else if (inComment) {
    // In a comment the text is sentences too: only the first line can be a preamble. It is one when
    // it introduces what follows (`:`) and speaks of the answer ("Here is the completion:"), or, in
    // a line comment, when the line it introduces does not carry on the comment.
    const first = firstContent(lines);
    const next = firstContent(lines.slice(first + 1)) + first + 1;
    const preamble = first < lines.length && isSentence(lines[first]!) && lines[first]!.trim().endsWith(':');
    const code = lines[next] ?? (isBlank(open ?? '') ? undefined : open);
    if (preamble) {
      // Until the line after it shows, the sentence may be a preamble.
      if (code === undefined) return open === undefined ? text : '';
      if (lines[next] === undefined && next > first + 1 && mayBecomeNextLine(code, context)) return '';
      const carriesOn = lineComment !== undefined && code.trimStart().startsWith(lineComment);
      if (ABOUT_THE_ANSWER.test(lines[first]!) || (lineComment !== undefined && !carriesOn))
        start = next > first + 1 && breakBeforeCode(code, context) ? next - 1 : next;
    } else if (
      first === lines.length &&
      open !== undefined &&
      /^[A-Z]/.test(open.trimStart()) &&
      mayBecomeSentence(open)
    ) {
      return '';
    }
  }
  let body = lines.slice(start);
  let tail = open;
  // Inside a fenced block not closed yet, sentences are the block's: a model closes the block
  // before it writes to the user, so they may be held back but never end the code.
  let inFence = false;

  if (fences) {
    const opening = body.findIndex((line) => FENCE.test(line));
    if (opening !== -1) {
      const marker = FENCE.exec(body[opening]!)![1]!;
      const hasTag = FENCE.exec(body[opening]!)![2] !== '';
      const closing = body.findIndex((line, i) => i > opening && line.trim() === marker);
      const firstCode = body.findIndex((line) => !isBlank(line));
      if (opening === firstCode || hasTag || closing !== -1) {
        // An opening fence: the block is the code; what follows its closing fence is an epilogue.
        const block = body.slice(opening + 1, closing === -1 ? undefined : closing);
        if (closing !== -1) {
          state.ended = true;
          return block.join('\n');
        }
        body = block;
        inFence = true;
      } else {
        // A bare fence with no partner closes a block the model never opened.
        state.ended = true;
        return body.slice(0, opening).join('\n');
      }
    }
    // A fence being written: hold the line back.
    if (tail !== undefined && FENCE_START.test(tail) && /[`~]/.test(tail)) tail = undefined;
  }

  // A docstring's paragraph is content; after a preamble the answer is chat, and so are its last sentences.
  if ((proseAllowed || start > 0) && (start > 0 || !inComment)) {
    // An epilogue: after a blank line, sentences to the end (complete), or one being written.
    const blank = lastBlankBefore(body);
    if (blank !== -1) {
      const after = body.slice(blank + 1);
      const partialSentence = tail !== undefined && mayBecomeSentence(tail);
      // Sentences followed by a line being written that cannot be one are not the answer's last words.
      const lastWords = tail === undefined || partialSentence;
      if (after.every(isSentence) && (after.length > 0 || partialSentence) && lastWords) {
        // A whole sentence, or one clearly under way, after the code: the code is over.
        const over = after.length > 0 ? after.every(atMargin) : sentenceUnderWay(tail!);
        if (!final && !inFence && over && !amidProse(context) && codeBefore(body, blank, tail, context))
          state.ended = true;
        body = body.slice(0, blank);
        tail = partialSentence ? undefined : tail;
        if (tail === undefined) return trimEndBlank(body).join('\n');
      }
    }
    if (tail !== undefined && body.length > 0 && isBlank(body.at(-1)!) && mayBecomeSentence(tail)) {
      const blank = body.length - 1;
      if (!inFence && sentenceUnderWay(tail) && !amidProse(context) && codeBefore(body, blank, tail, context))
        state.ended = true;
      return trimEndBlank(body).join('\n');
    }
    // After a preamble the answer is chat: sentences at the margin right after the code, with no
    // blank line between, are an epilogue too (and a line at the margin that may become one is held).
    if (start > 0) {
      let end = body.length;
      while (end > 0 && atMargin(body[end - 1]!) && isSentence(body[end - 1]!)) end--;
      const partial = tail !== undefined && !isBlank(tail) && atMargin(tail) && mayBecomeSentence(tail);
      if (end > 0 && (end < body.length || partial) && body.slice(0, end).some((line) => !isBlank(line))) {
        const over = end < body.length || (tail !== undefined && sentenceUnderWay(tail));
        if (!final && !inFence && over && !amidProse(context)) state.ended = true;
        return trimEndBlank(body.slice(0, end)).join('\n');
      }
    }
  }
  return tail === undefined ? body.join('\n') + (final || body.length === 0 ? '' : '\n') : [...body, tail].join('\n');
}

/**
 * Whether the answer's first line finishes the word the cursor is in, making one the document has
 * elsewhere (`SUPPRE` answered `SS and self.heading is not None:`): it is code glued to that word,
 * though it reads as a sentence that introduces what follows. A preamble glued to the word before
 * the cursor (`SUPPRE` then `Sure! The completed code is:`) makes no word of the document's.
 */
function continuesWord(firstLine: string, context: PostprocessContext): boolean {
  const before = /[\p{L}\p{N}_$]+$/u.exec(context.linePrefix)?.[0];
  const head = /^[\p{L}\p{N}_$]+/u.exec(firstLine)?.[0];
  if (before === undefined || head === undefined) return false;
  const word = before + head;
  const elsewhere = `${context.prefix.slice(0, context.prefix.length - before.length)}\n${context.suffix}`;
  for (let at = elsewhere.indexOf(word); at !== -1; at = elsewhere.indexOf(word, at + 1)) {
    if (!WORD_CHAR.test(elsewhere[at - 1] ?? ' ') && !WORD_CHAR.test(elsewhere[at + word.length] ?? ' ')) return true;
  }
  return false;
}

/**
 * Whether the answer has code before its blank line `blank`, so that a sentence after that line
 * can end it: not when only blank lines precede it (a fenced block that opens with a paragraph),
 * nor only a repeat of the lines before the cursor, which the echo filter drops, or one that may
 * still be (POD's `=head2 What Not to Export`, a blank line, then the paragraph the cursor is in,
 * echoed and carried on). Such a paragraph may be the code: it is held back, and the stream goes on.
 */
function codeBefore(body: string[], blank: number, tail: string | undefined, context: PostprocessContext): boolean {
  const before = body.slice(0, blank).join('\n');
  if (isBlank(before)) return false;
  // The echo is judged on the whole text so far: it may run past the blank line into the cursor's line.
  const text = tail === undefined ? body.join('\n') : [...body, tail].join('\n');
  if (mayStillBeEcho(text, context)) return false;
  const echoed = text.length - dropEchoedPrefix(text, context).length;
  return !isBlank(before.slice(echoed));
}

/**
 * Whether the blank line between a preamble and the code is the code's own line break: the cursor
 * ends a line with text on it, and the code's first line is indented as a whole line is (two
 * spaces or a tab), or is the line that follows in the document, or starts a statement after a
 * line that ended one (`;`, a brace, a block comment's end), so it cannot continue the cursor's line.
 * On an empty line between text and the document's next line, the code's first line is that next
 * line (a banner comment's rule, `# ====`, that opens a section the document closes with the same
 * line): the blank line is the document's own, kept above the code as the document has it.
 */
function breakBeforeCode(line: string, context: PostprocessContext): boolean {
  if (!isBlank(context.lineSuffix) || FENCE_START.test(line)) return false;
  if (isBlank(context.linePrefix))
    return line.trim() === lineBelowEmptyLine(context)?.trim() || siblingAfterBlankLine(line, context);
  const nextLine = context.nextLines.find((next) => !isBlank(next));
  return (
    /^(?: {2,}|\t)\S/.test(line) ||
    (nextLine !== undefined && line.trim() === nextLine.trim()) ||
    (ENDS_STATEMENT.test(context.linePrefix) && STARTS_STATEMENT.test(line))
  );
}

/** A line that closes a block: `}`, `});`, `} while (done);`, `]`, `end`. */
const CLOSES_BLOCK = /^\s*(?:[}\])]|end\b)/;

/**
 * On an empty line right below a line that closes a block, whether the code's first line (complete
 * or under way: only its indentation and first character are read) starts a sibling of that block
 * where this document leaves a blank line between them: a method after a method's `}`, a comment
 * after a loop's. The blank line after the preamble is then the code's own line break. The
 * document's habit decides, counted on its text before the cursor (closing lines followed by a
 * sibling, with or without a blank line between).
 */
function siblingAfterBlankLine(line: string, context: PostprocessContext): boolean {
  const closer = context.previousLines.at(-1);
  if (closer === undefined || !CLOSES_BLOCK.test(closer) || CLOSES_BLOCK.test(line)) return false;
  if (indentOf(line) > indentOf(closer)) return false;
  const lines = context.prefix.split('\n');
  let apart = 0;
  let adjacent = 0;
  for (let i = 0; i + 1 < lines.length - 1; i++) {
    if (!CLOSES_BLOCK.test(lines[i]!)) continue;
    const blank = isBlank(lines[i + 1]!);
    const sibling = blank ? lines[i + 2] : lines[i + 1];
    if (sibling === undefined || isBlank(sibling) || CLOSES_BLOCK.test(sibling)) continue;
    if (indentOf(sibling) > indentOf(lines[i]!)) continue;
    if (blank) apart++;
    else adjacent++;
  }
  return apart > adjacent;
}

function indentOf(line: string): number {
  return /^[ \t]*/.exec(line)![0].length;
}

/** A line still being streamed after a preamble's blank line that may yet be the document's next line. */
function mayBecomeNextLine(partial: string, context: PostprocessContext): boolean {
  if (isBlank(partial) || !isBlank(context.lineSuffix)) return false;
  const nextLine = isBlank(context.linePrefix)
    ? lineBelowEmptyLine(context)
    : context.nextLines.find((next) => !isBlank(next));
  return nextLine?.trim().startsWith(partial.trim()) ?? false;
}

/** With the cursor on an empty line right below a line of text, the document's line right after it. */
function lineBelowEmptyLine(context: PostprocessContext): string | undefined {
  const previous = context.previousLines.at(-1);
  const next = context.nextLines[0];
  if (previous === undefined || isBlank(previous) || next === undefined || isBlank(next)) return undefined;
  return next;
}

function firstContent(lines: string[]): number {
  const index = lines.findIndex((line) => !isBlank(line));
  return index === -1 ? lines.length : index;
}

function lastBlankBefore(lines: string[]): number {
  for (let i = lines.length - 1; i > 0; i--) if (isBlank(lines[i]!) && !isBlank(lines[i - 1]!)) return i;
  return -1;
}

function trimEndBlank(lines: string[]): string[] {
  const copy = [...lines];
  while (copy.length > 0 && isBlank(copy.at(-1)!)) copy.pop();
  return copy;
}

/**
 * A line break first, where the cursor is mid-line or the line cannot end there, is formatting.
 * A line that ends in a comment can end at any character (`# -- Helpers ---`). A look-ahead call
 * asked for the next line too: a break it starts with is that line's (`text: string,` then the
 * next parameter), since lines do end in a comma or an operator.
 */
function dropLeadingBreak(text: string, context: PostprocessContext): string {
  if (!text.startsWith('\n') || isBlank(context.linePrefix)) return text;
  const cannotEnd =
    !context.lookahead &&
    NEEDS_CONTINUATION.test(context.linePrefix) &&
    !endsInLineComment(context.linePrefix, context.languageId);
  if (!ONLY_CLOSERS.test(context.lineSuffix) || cannotEnd) return text.replace(/^(?:[ \t]*\n)+[ \t]*/, '');
  return text;
}

/**
 * True while the partial answer could still be a repeat of the text before the cursor from the
 * start of one of its last lines (or of the word being typed): whether it is an echo is known
 * only once it goes past the cursor or departs from the text.
 */
function mayStillBeEcho(text: string, context: PostprocessContext): boolean {
  const answer = text.trimStart();
  if (answer === '') return true;
  const lines = [...context.previousLines.slice(-ECHO_LINES), context.linePrefix];
  for (let i = 0; i < lines.length; i++) {
    const tail = lines.slice(i).join('\n');
    if (tail.startsWith(text) || tail.trimStart().startsWith(answer)) return true;
  }
  const word = /[\p{L}\p{N}_$]+$/u.exec(context.linePrefix)?.[0];
  if (word !== undefined && word.length > 1 && word.startsWith(answer) && answer.length < word.length) return true;
  return mayStillBeTailEcho(text, context.linePrefix);
}

/**
 * True while the partial answer could still be a repeat of the line's tail from a word boundary,
 * which dropEchoedPrefix removes once it is complete (`# +=======+=======+` answered `=======+`
 * and the next line): shown before, the repeat would vanish from the code as the stream goes on.
 */
function mayStillBeTailEcho(text: string, linePrefix: string): boolean {
  // Only the line's last characters are searched, so a long line or a long answer costs little.
  const from = Math.max(0, linePrefix.length - TAIL_ECHO_CHARS);
  const tail = linePrefix.slice(from);
  if (text === '' || text.length > tail.length || text.includes('\n')) return false;
  for (let at = tail.indexOf(text); at !== -1; at = tail.indexOf(text, at + 1)) {
    const boundary = !WORD_CHAR.test(linePrefix[from + at - 1] ?? ' ') || !WORD_CHAR.test(text[0]!);
    if (boundary && countNonSpace(tail.slice(at)) >= MIN_TAIL_ECHO) return true;
  }
  return false;
}
