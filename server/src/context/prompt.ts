/**
 * The completion prompt: byte-stable instructions, and an input that carries repository snippets
 * (stable while the user types in one region), then the file with a `<cursor>` marker, then the
 * mode, so the volatile parts come last and OpenAI's prompt cache keeps hitting.
 * parseCompletionInput inverts the input; the fake model server's oracle relies on that format.
 */

/** Part of every cache key: bump it whenever the instructions or the input format change. */
export const PROMPT_TEMPLATE_VERSION = 'c2';

export const CURSOR_MARKER = '<cursor>';

/** Code from another file of the repository, shown to the model for reference. */
export interface PromptSnippet {
  /** Workspace-relative path (or the path as the editor named it). */
  path: string;
  /** `definition`, `similar` (an open document's window like the code at the cursor) or `edit` (recently changed). */
  kind: string;
  text: string;
}

export interface CompletionPromptArgs {
  path: string;
  languageId: string;
  prefix: string;
  suffix: string;
  multiline: boolean;
  /** Repository context, in the order it is written; omitted or empty: the file alone. */
  snippets?: PromptSnippet[];
}

export interface CompletionPrompt {
  instructions: string;
  input: string;
  /** Where each snippet ends in `input`: the snippets are self-contained blocks (calls/guard.ts). */
  blocks: number[];
}

// Identical for every call (no language, mode or path in it), so the cached prompt prefix is
// shared by all completions.
const INSTRUCTIONS = [
  'You are the code completion engine of a text editor.',
  'The user message may start with <snippet> elements: code from other files of the repository (definitions the file uses, similar code, recent edits), for reference only; never copy them into the answer unless the code at <cursor> calls for it.',
  'Then comes one <file> whose text contains a single <cursor> marker where the caret is, and last a <mode> tag.',
  'Use the snippets to get names, parameters and argument order right.',
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
  const blocks: number[] = [];
  let snippets = '';
  for (const snippet of args.snippets ?? []) {
    snippets += snippetText(snippet);
    blocks.push(snippets.length);
  }
  const input =
    snippets +
    `<file path="${escapeAttribute(args.path)}" language="${escapeAttribute(args.languageId)}">\n` +
    `${escapeCursor(args.prefix)}${CURSOR_MARKER}${escapeCursor(args.suffix)}\n` +
    `</file>\n<mode>${mode}</mode>`;
  return { instructions: INSTRUCTIONS, input, blocks };
}

/** The snippets as they open the input; the same snippets always give the same bytes. */
export function snippetsText(snippets: readonly PromptSnippet[]): string {
  let out = '';
  for (const snippet of snippets) out += snippetText(snippet);
  return out;
}

function snippetText(snippet: PromptSnippet): string {
  return `<snippet path="${escapeAttribute(snippet.path)}" kind="${escapeAttribute(snippet.kind)}">\n${escapeSnippet(escapeCursor(snippet.text))}\n</snippet>\n`;
}

const SNIPPET_PATTERN = /^<snippet path="([^"]*)" kind="([^"]*)">\n([\s\S]*?)\n<\/snippet>\n/;
const FILE_PATTERN =
  /^<file path="([^"]*)" language="([^"]*)">\n([\s\S]*)\n<\/file>\n<mode>(single-line|multi-line)<\/mode>$/;

/** The arguments completionPrompt was called with, or undefined when `input` is not its output. */
export function parseCompletionInput(input: string): CompletionPromptArgs | undefined {
  const snippets: PromptSnippet[] = [];
  let rest = input;
  for (let match = SNIPPET_PATTERN.exec(rest); match; match = SNIPPET_PATTERN.exec(rest)) {
    const [whole, path, kind, text] = match as unknown as [string, string, string, string];
    snippets.push({
      path: unescapeAttribute(path),
      kind: unescapeAttribute(kind),
      text: unescapeCursor(unescapeSnippet(text)),
    });
    rest = rest.slice(whole.length);
  }
  const match = FILE_PATTERN.exec(rest);
  if (!match) return undefined;
  const [, path, languageId, body, mode] = match as unknown as [string, string, string, string, string];
  const at = body.indexOf(CURSOR_MARKER);
  if (at === -1 || body.indexOf(CURSOR_MARKER, at + 1) !== -1) return undefined;
  const args: CompletionPromptArgs = {
    path: unescapeAttribute(path),
    languageId: unescapeAttribute(languageId),
    prefix: unescapeCursor(body.slice(0, at)),
    suffix: unescapeCursor(body.slice(at + CURSOR_MARKER.length)),
    multiline: mode === 'multi-line',
  };
  if (snippets.length > 0) args.snippets = snippets;
  return args;
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

// A snippet's text may hold `</snippet>`; like the cursor marker it gains a reversible backslash.
function escapeSnippet(text: string): string {
  return text.includes('</snippet') ? text.replace(/<\/snippet(\\*)>/g, '</snippet$1\\>') : text;
}

function unescapeSnippet(text: string): string {
  return text.includes('</snippet') ? text.replace(/<\/snippet(\\*)\\>/g, '</snippet$1>') : text;
}

function unescapeCursor(text: string): string {
  return text.includes('<cursor') ? text.replace(/<cursor(\\*)\\>/g, '<cursor$1>') : text;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/\n/g, '&#10;');
}

function unescapeAttribute(value: string): string {
  return value.replace(
    /&(amp|quot|lt|#10);/g,
    (_, name: string) => ({ amp: '&', quot: '"', lt: '<', '#10': '\n' })[name] ?? '',
  );
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
