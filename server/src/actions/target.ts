/**
 * Decides which part of the document an action works on: the selection widened to whole lines, or,
 * with only a cursor, the declaration around it (tree-sitter), else the statement around it (never
 * the whole file), else, without a grammar, the paragraph of code it sits in. Offsets are UTF-16
 * indices into the document text.
 */
import type { ActionName } from './names.ts';

export interface Span {
  start: number;
  end: number;
}

/** Declarations longer than this get a doc comment through their head only, not a full rewrite. */
const DOC_HEAD_ONLY_LINES = 40;
/** A fix rewrites the whole enclosing declaration only up to this size, else nearby lines. */
const FIX_DECLARATION_LINES = 80;
const FIX_MARGIN_LINES = 3;
/** Outside any declaration, a cursor takes the outermost statement around it up to this size. */
const STATEMENT_LINES = 60;

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset of the line's end (its newline, or the end of the text). */
export function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline === -1 ? text.length : newline > 0 && text[newline - 1] === '\r' ? newline - 1 : newline;
}

export function lineOf(text: string, offset: number): number {
  let line = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** The span widened to whole lines; a selection ending at column 0 stops at the line before. */
export function wholeLines(text: string, span: Span): Span {
  const end = span.end > span.start && span.end === lineStart(text, span.end) ? span.end - 1 : span.end;
  return { start: lineStart(text, span.start), end: lineEnd(text, Math.max(span.start, end)) };
}

/** The run of non-blank lines around offset, at most `limit` lines each way. */
export function paragraph(text: string, offset: number, limit = 40): Span {
  const blank = (start: number) => text.slice(start, lineEnd(text, start)).trim() === '';
  let start = lineStart(text, offset);
  for (let i = 0; i < limit && start > 0 && !blank(lineStart(text, start - 1)); i++) start = lineStart(text, start - 1);
  let end = lineEnd(text, offset);
  for (let i = 0; i < limit && end < text.length && !blank(end + 1 + (text[end] === '\r' ? 1 : 0)); i++) {
    end = lineEnd(text, end + 1 + (text[end] === '\r' ? 1 : 0));
  }
  return { start, end };
}

function lineCount(text: string, span: Span): number {
  return lineOf(text, span.end) - lineOf(text, span.start) + 1;
}

/** The span an action rewrites (or explains, or tests) for this selection. */
export async function targetSpan(action: ActionName, text: string, languageId: string, selection: Span): Promise<Span> {
  const empty = selection.start === selection.end;
  if (action === 'explain' && !empty) return selection;
  // tree-sitter's module loads with the first action, not at start-up.
  const { enclosingDeclaration, enclosingStatement, hasGrammar } = await import('./syntax.ts');
  if (action === 'fix') {
    const declaration = await enclosingDeclaration(languageId, text, selection.start);
    if (declaration && lineCount(text, declaration) <= FIX_DECLARATION_LINES) return wholeLines(text, declaration);
    const lines = wholeLines(text, selection);
    const from = lineOf(text, lines.start);
    const to = lineOf(text, lines.end);
    return wholeLines(text, {
      start: offsetOfLine(text, Math.max(0, from - FIX_MARGIN_LINES)),
      end: offsetOfLine(text, to + FIX_MARGIN_LINES + 1),
    });
  }
  if (!empty && action !== 'document') return wholeLines(text, selection);
  const declaration = await enclosingDeclaration(languageId, text, selection.start);
  if (!declaration) {
    if (!empty) return wholeLines(text, selection);
    const statement = await enclosingStatement(languageId, text, selection.start, STATEMENT_LINES);
    return statement
      ? wholeLines(text, statement)
      : hasGrammar(languageId)
        ? wholeLines(text, selection)
        : paragraph(text, selection.start);
  }
  if (action !== 'document') return wholeLines(text, declaration);
  // Doc comments: the existing comment plus the declaration, or only its head when it is long.
  const whole = { start: declaration.commentStart, end: declaration.end };
  if (lineCount(text, whole) <= DOC_HEAD_ONLY_LINES || declaration.headEnd === undefined)
    return wholeLines(text, whole);
  return wholeLines(text, { start: declaration.commentStart, end: declaration.headEnd });
}

/** The offset where a 0-based line starts (the end of the text past the last line). */
export function offsetOfLine(text: string, line: number): number {
  let offset = 0;
  for (let i = 0; i < line; i++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  return offset;
}
