/**
 * Post-processing of a model's completion in two stages: the answer normalizer
 * (`postprocess/normalize.ts`: fences, prose, prompt tags, echoes, CRLF — what the call's answer
 * is, streaming-aware) and the fitting filters below (what of that code to show at the cursor of
 * the request being answered: one line or a block, scope, repetition, text after the cursor).
 * Ideas follow Tabby's agent filters (fences, echoes, scope, repetition, suffix duplicates).
 */
import { buildContext, type Filter, type PostprocessContext, type PostprocessInput } from './postprocess/context.ts';
import { collapseDoubleSpace } from './postprocess/echo.ts';
import { keepFirstLine, limitLines, trimTrailingWhitespace } from './postprocess/lines.ts';
import { normalizeAnswer } from './postprocess/normalize.ts';
import { stopAtRepetition } from './postprocess/repetition.ts';
import { limitScope } from './postprocess/scope.ts';
import { dropSuffixLines, dropSuffixTail } from './postprocess/suffix.ts';

export type { PostprocessInput, PostprocessContext } from './postprocess/context.ts';
export { buildContext } from './postprocess/context.ts';
export { normalizeAnswer, streamNormalizer, type NormalizedAnswer } from './postprocess/normalize.ts';
export { decideMultiline, type MultilineMode } from './postprocess/multiline.ts';

const multilineOnly =
  (filter: Filter): Filter =>
  (text, context) =>
    context.multiline ? filter(text, context) : text;

/** The fitting filters in the order they run, on normalized code; each is unit-tested on its own. */
export const FILTERS: readonly (readonly [name: string, filter: Filter])[] = [
  ['collapseDoubleSpace', collapseDoubleSpace],
  ['keepFirstLine', keepFirstLine],
  ['limitScope', multilineOnly(limitScope)],
  ['stopAtRepetition', multilineOnly(stopAtRepetition)],
  ['trimTrailingWhitespace', trimTrailingWhitespace],
  ['dropSuffixLines', dropSuffixLines],
  ['limitLines', limitLines],
  // Cutting lines may leave blank or space-ended lines at the end again.
  ['trimTrailingWhitespace', trimTrailingWhitespace],
  // Last: it may leave a line break and indentation for the closer that follows the cursor.
  ['dropSuffixTail', dropSuffixTail],
];

/** The text to insert, and when it came out empty, the step that emptied it (for the logs and the bench). */
export interface Fitted {
  text: string;
  /** A filter's name from FILTERS, 'blank' (only whitespace was left) or 'no code' (nothing to fit). */
  emptiedBy?: string;
}

/**
 * Normalized code (LF line endings) to the text to insert at the cursor described by `context`,
 * with the document's line endings, and the step that left nothing when nothing useful remains.
 */
export function fitExplained(code: string, context: PostprocessContext): Fitted {
  if (code === '') return { text: '', emptiedBy: 'no code' };
  let text = code;
  for (const [name, filter] of FILTERS) {
    text = filter(text, context);
    if (text === '') return { text, emptiedBy: name };
  }
  if (text.trim() === '') return { text: '', emptiedBy: 'blank' };
  return { text: context.crlf ? text.replace(/\n/g, '\r\n') : text };
}

/**
 * Normalized code (LF line endings) to the text to insert at the cursor described by `context`,
 * with the document's line endings; '' when nothing useful remains.
 */
export function fitSuggestion(code: string, context: PostprocessContext): string {
  return fitExplained(code, context).text;
}

/** A complete raw answer to the text to insert at the cursor; '' when nothing useful remains. */
export function postprocess(input: PostprocessInput): string {
  const context = buildContext(input);
  return fitSuggestion(normalizeAnswer(input.raw, context, true), context);
}
