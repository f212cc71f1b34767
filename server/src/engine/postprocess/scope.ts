/**
 * Scope limiting by indentation: a multi-line suggestion ends where its indentation drops below
 * the block the cursor is in (or opened). The line that closes that block may be kept once.
 */
import { indentWidth, isBlank, type Filter } from './context.ts';
import { endsWithBlockOpener } from './multiline.ts';

// `}`, `)`, `]` runs with trailing punctuation (`});`, `],`), and keyword closers (Ruby, Lua, shell).
const CLOSING_LINE = /^(?:[)\]}]+[)\]};,]*|end|fi|done|esac|endif|endfor|endwhile|endfunction)\s*;?$/;
// Lines that close one branch and open the next of the same statement.
const CONTINUATION_LINE = /^(?:[)\]}]\s*)?(?:else|elif|elsif|except|catch|finally|rescue|ensure)\b/;

export function isClosingLine(line: string): boolean {
  return CLOSING_LINE.test(line.trim());
}

export const limitScope: Filter = (text, context) => {
  const lines = text.split('\n');
  if (lines.length < 2) return text;
  const firstLine = context.linePrefix + lines[0]!;

  if (endsWithBlockOpener(firstLine)) {
    // The cursor's line opens a block: its body is deeper; the closer sits at the opener's indentation.
    const opener = indentWidth(firstLine);
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      if (isBlank(line) || indentWidth(line) > opener) continue;
      if (indentWidth(line) === opener && CONTINUATION_LINE.test(line.trim()) && endsWithBlockOpener(line)) continue;
      return lines.slice(0, indentWidth(line) === opener && isClosingLine(line) ? i + 1 : i).join('\n');
    }
    return text;
  }

  // The cursor is inside a block: stay at or below the indentation of the first line written.
  const reference = referenceIndent(firstLine, lines);
  if (reference === undefined) return text;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (isBlank(line) || indentWidth(line) >= reference) continue;
    return lines.slice(0, isClosingLine(line) ? i + 1 : i).join('\n');
  }
  return text;
};

/** Indentation of the cursor's line, or of the first non-blank line the suggestion writes. */
function referenceIndent(firstLine: string, lines: string[]): number | undefined {
  if (!isBlank(firstLine)) return indentWidth(firstLine);
  const first = lines.slice(1).find((line) => !isBlank(line));
  return first === undefined ? undefined : indentWidth(first);
}
