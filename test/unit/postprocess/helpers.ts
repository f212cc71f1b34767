/**
 * Helpers for post-processing tests: build a filter context or run the whole pipeline from a
 * `<|>` cursor fixture, and show the document as it reads after inserting a suggestion.
 */
import { postprocess } from '../../../server/src/engine/postprocess.ts';
import { buildContext, type PostprocessContext } from '../../../server/src/engine/postprocess/context.ts';
import { atCursor, CURSOR } from '../context/fixture.ts';

export interface Options {
  languageId?: string;
  multiline?: boolean;
  lookahead?: boolean;
  maxLines?: number;
}

export function contextAt(fixture: string, options: Options = {}): PostprocessContext {
  const { prefix, suffix } = atCursor(fixture);
  return buildContext({
    raw: '',
    prefix,
    suffix,
    languageId: options.languageId ?? 'typescript',
    multiline: options.multiline ?? false,
    lookahead: options.lookahead ?? false,
    maxLines: options.maxLines ?? 12,
  });
}

export function runAt(fixture: string, raw: string, options: Options = {}): string {
  const { prefix, suffix } = atCursor(fixture);
  return postprocess({
    raw,
    prefix,
    suffix,
    languageId: options.languageId ?? 'typescript',
    multiline: options.multiline ?? false,
    maxLines: options.maxLines ?? 12,
  });
}

/** The fixture's document with `text` inserted at the cursor. */
export function inserted(fixture: string, text: string): string {
  return fixture.replace(CURSOR, text);
}
