/**
 * The completion prompt: byte-stable instructions, and an input that carries the mode and the
 * file with a `<cursor>` marker, volatile cursor text last so OpenAI's prompt cache hits.
 * parseCompletionInput inverts the input; the fake model server's oracle relies on that format.
 */

/** Part of every cache key: bump it whenever the instructions or the input format change. */
export const PROMPT_TEMPLATE_VERSION = 'c1';

export const CURSOR_MARKER = '<cursor>';

export interface CompletionPromptArgs {
  path: string;
  languageId: string;
  prefix: string;
  suffix: string;
  multiline: boolean;
}

export interface CompletionPrompt {
  instructions: string;
  input: string;
}

// Identical for every call (no language, mode or path in it), so the cached prompt prefix is
// shared by all completions.
const INSTRUCTIONS = [
  'You are the code completion engine of a text editor.',
  'The user message holds a <mode> tag, then one <file> whose text contains a single <cursor> marker where the caret is.',
  'Reply with only the text to insert at <cursor>, exactly as it should appear in the file:',
  '- no markdown code fences, no explanation, no notes to the user, no <cursor> or <file> tags;',
  '- never repeat text that is already before <cursor> or after it: continue from the caret and stop where the text after <cursor> takes over;',
  '- <mode>single-line</mode>: complete the current line only; never output a newline;',
  '- <mode>multi-line</mode>: you may complete several lines, up to the end of the current block or statement;',
  "- follow the file's language, indentation, naming and style; keep brackets and quotes balanced with the text after <cursor>;",
  '- when nothing useful can be inserted, reply with nothing at all.',
].join('\n');

export function completionPrompt(args: CompletionPromptArgs): CompletionPrompt {
  const mode = args.multiline ? 'multi-line' : 'single-line';
  const input =
    `<mode>${mode}</mode>\n` +
    `<file path="${escapeAttribute(args.path)}" language="${escapeAttribute(args.languageId)}">\n` +
    `${escapeCursor(args.prefix)}${CURSOR_MARKER}${escapeCursor(args.suffix)}\n` +
    '</file>';
  return { instructions: INSTRUCTIONS, input };
}

const INPUT_PATTERN = /^<mode>(single-line|multi-line)<\/mode>\n<file path="([^"]*)" language="([^"]*)">\n([\s\S]*)\n<\/file>$/;

/** The arguments completionPrompt was called with, or undefined when `input` is not its output. */
export function parseCompletionInput(input: string): CompletionPromptArgs | undefined {
  const match = INPUT_PATTERN.exec(input);
  if (!match) return undefined;
  const [, mode, path, languageId, body] = match as unknown as [string, string, string, string, string];
  const at = body.indexOf(CURSOR_MARKER);
  if (at === -1 || body.indexOf(CURSOR_MARKER, at + 1) !== -1) return undefined;
  return {
    path: unescapeAttribute(path),
    languageId: unescapeAttribute(languageId),
    prefix: unescapeCursor(body.slice(0, at)),
    suffix: unescapeCursor(body.slice(at + CURSOR_MARKER.length)),
    multiline: mode === 'multi-line',
  };
}

/**
 * A short stable key that routes completions of one file to the same cache shard. Caching needs
 * an identical prefix of 1,024 tokens or more, which only requests for the same file share, so
 * the key names the file (hashed) as well as the template version and language.
 */
export function promptCacheKey(path: string, languageId: string): string {
  return `ghostline:${PROMPT_TEMPLATE_VERSION}:${languageId}:${fnv1a(path)}`;
}

// A literal `<cursor>` in the document would be a second marker. It is written `<cursor\>`, and a
// literal `<cursor\>` gains one more backslash, so the escaping is reversible.
function escapeCursor(text: string): string {
  return text.includes('<cursor') ? text.replace(/<cursor(\\*)>/g, '<cursor$1\\>') : text;
}

function unescapeCursor(text: string): string {
  return text.includes('<cursor') ? text.replace(/<cursor(\\*)\\>/g, '<cursor$1>') : text;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/\n/g, '&#10;');
}

function unescapeAttribute(value: string): string {
  return value.replace(/&(amp|quot|lt|#10);/g, (_, name: string) => ({ amp: '&', quot: '"', lt: '<', '#10': '\n' })[name] ?? '');
}

/** 32-bit FNV-1a of the UTF-16 code units, in base 36: short, stable, dependency-free. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}
