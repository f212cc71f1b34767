/**
 * The parse check for generated code: the document with the new text in place is parsed with
 * tree-sitter, and the answer fails when it brings syntax errors the original did not have (for a
 * fix, when it also leaves the errors it had). Languages without a grammar pass unchecked.
 */
import { lineOf } from './target.ts';
import type { ParseProblem } from './syntax.ts';

export interface CheckInput {
  languageId: string;
  /** The whole original text and the span being replaced. */
  text: string;
  start: number;
  end: number;
  replacement: string;
  /** A fix must leave fewer errors than there were, not merely no more. */
  mustImprove?: boolean;
}

/** Problems with line numbers relative to the new region's first line; undefined when it parses (or cannot be checked). */
export async function checkParses(input: CheckInput): Promise<ParseProblem[] | undefined> {
  // tree-sitter's module loads with the first check, not at start-up (see outline-parser.ts).
  const { syntaxErrors } = await import('./syntax.ts');
  const next = input.text.slice(0, input.start) + input.replacement + input.text.slice(input.end);
  const found = await syntaxErrors(input.languageId, next, input.start, input.start + input.replacement.length);
  if (!found || found.length === 0) return undefined;
  const before = (await syntaxErrors(input.languageId, input.text, input.start, input.end)) ?? [];
  const worse = found.length > before.length || (input.mustImprove === true && found.length >= before.length);
  if (!worse) return undefined;
  const firstLine = lineOf(next, input.start);
  return found.map((problem) => ({ ...problem, line: problem.line - firstLine }));
}

export function describeProblems(problems: ParseProblem[]): string {
  return problems
    .slice(0, 3)
    .map((p) => `line ${p.line}: ${p.message}`)
    .join('; ');
}
