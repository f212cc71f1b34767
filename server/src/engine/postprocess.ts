/**
 * Post-processing of a model's completion: a pipeline of small named filters that turns the raw
 * answer into the text to insert at the cursor, or '' when nothing useful remains.
 * Ideas follow Tabby's agent filters (fences, echoes, scope, repetition, suffix duplicates).
 */
import { buildContext, toLf, type Filter, type PostprocessInput } from './postprocess/context.ts';
import { collapseDoubleSpace, dropEchoedPrefix } from './postprocess/echo.ts';
import { keepFirstLine, limitLines, trimTrailingWhitespace } from './postprocess/lines.ts';
import { stripFences, stripPromptTags } from './postprocess/markup.ts';
import { stopAtRepetition } from './postprocess/repetition.ts';
import { limitScope } from './postprocess/scope.ts';
import { dropSuffixLines, dropSuffixTail } from './postprocess/suffix.ts';

export type { PostprocessInput } from './postprocess/context.ts';
export { decideMultiline, type MultilineMode } from './postprocess/multiline.ts';

const multilineOnly =
  (filter: Filter): Filter =>
  (text, context) =>
    context.multiline ? filter(text, context) : text;

/** The filters in the order they run; each is unit-tested on its own. */
export const FILTERS: readonly (readonly [name: string, filter: Filter])[] = [
  ['stripFences', stripFences],
  ['stripPromptTags', stripPromptTags],
  ['dropEchoedPrefix', dropEchoedPrefix],
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

/** The text to insert at the cursor, with the document's line endings; '' when nothing useful remains. */
export function postprocess(input: PostprocessInput): string {
  const context = buildContext(input);
  let text = toLf(input.raw);
  for (const [, filter] of FILTERS) {
    if (text === '') return '';
    text = filter(text, context);
  }
  if (text.trim() === '') return '';
  return /\r\n/.test(input.prefix) || /\r\n/.test(input.suffix) ? text.replace(/\n/g, '\r\n') : text;
}
