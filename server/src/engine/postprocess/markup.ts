/**
 * Filters for wrapping the model added around the code: markdown fences and echoes of the
 * prompt's own tags (`<cursor>`, `<file>`, `<mode>`).
 */
import type { Filter } from './context.ts';

// In these languages a fenced block is content the user may want, not wrapping.
const FENCED_LANGUAGES = new Set(['markdown', 'mdx', 'quarto', 'rmd', 'restructuredtext']);

const FENCE = /^[ \t]*(`{3,}|~{3,})[\w+#.-]*[ \t]*$/;

/**
 * Unwraps ```lang … ``` fences: a fence on the first non-blank line, or after a line of prose, or
 * drops a lone closing fence and what follows it.
 */
export const stripFences: Filter = (text, context) => {
  if (FENCED_LANGUAGES.has(context.languageId) || (!text.includes('```') && !text.includes('~~~'))) return text;
  const lines = text.split('\n');
  const opening = lines.findIndex((line) => FENCE.test(line));
  if (opening === -1) return text;
  const marker = FENCE.exec(lines[opening]!)![1]!;
  const closing = lines.findIndex((line, i) => i > opening && line.trim() === marker);
  const firstContent = lines.findIndex((line) => line.trim() !== '');
  if (opening === firstContent) {
    return lines.slice(opening + 1, closing === -1 ? undefined : closing).join('\n');
  }
  // After prose: a complete block, or the start of one cut short, is the answer.
  if (closing !== -1) return lines.slice(opening + 1, closing).join('\n');
  if (/[^\s`~]/.test(lines[opening]!)) return lines.slice(opening + 1).join('\n');
  // A bare fence with no partner closes a block the model never opened.
  return lines.slice(0, opening).join('\n');
};

/**
 * Removes `<cursor>` markers, a leading `<mode>`/`<file>` line and everything from `</file>` on,
 * unless the document itself uses that tag (a whole tag name: Perl's POD writes `C<fileparse()>`).
 */
export const stripPromptTags: Filter = (text, context) => {
  if (!text.includes('<')) return text;
  const documentUses = (tag: RegExp): boolean => tag.test(context.prefix) || tag.test(context.suffix);
  let result = text;
  if (!documentUses(/<mode>/)) result = result.replace(/^\s*<mode>[^<\n]*<\/mode>[ \t]*\n?/, '');
  if (!documentUses(/<\/?file\b/)) {
    result = result.replace(/^\s*<file\b[^>\n]*>[ \t]*\n?/, '');
    const end = result.indexOf('</file>');
    if (end !== -1) result = result.slice(0, end).replace(/\n$/, '');
  }
  if (!documentUses(/<cursor\b/)) result = result.replace(/<cursor\s*\/?>/g, '');
  return result;
};
