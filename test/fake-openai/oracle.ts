/**
 * An oracle responder for the fake OpenAI server: it answers a completion prompt with the text
 * that really follows the cursor in a registered corpus file, so a benchmark can count which
 * suggestions would have been right. Deterministic: the same prompt always gets the same answer.
 */
import { CURSOR_MARKER, parseCompletionInput, type CompletionPromptArgs } from '../../server/src/context/prompt.ts';
import { styleAnswer, type AnswerStyle } from './styles.ts';
import type { FakeRequest, Script } from './types.ts';

/** Characters at the end of the prompt's prefix searched for in the corpus. */
const TAIL_CHARS = 512;

export interface OracleOptions {
  /** Lines a multi-line answer may span at most (default 4); it also stops before a blank line. */
  multilineLines?: number;
  /** Characters per streamed delta (default 4, about one token). */
  chunkChars?: number;
  /** How the answer is shaped (styles.ts): clean by default, or as real chat models wrap it. */
  style?: AnswerStyle;
  /** Seed of the style's choices (the mix, the sentences). */
  seed?: number;
}

export interface Oracle {
  /** Registers (or replaces) a corpus file under the path the prompt names. */
  register(path: string, text: string): void;
  forget(path: string): void;
  /** The real continuation for a parsed prompt; undefined when the prefix is not in the corpus. */
  continuation(args: Pick<CompletionPromptArgs, 'path' | 'prefix' | 'multiline'>): string | undefined;
  /** A Responder for startFakeOpenAI: the continuation as a text script, '' when unknown. */
  responder: (req: Pick<FakeRequest, 'body'>) => Script;
}

/** The user-visible prompt text of a request body in either wire format. */
export function promptInputOf(body: any): string | undefined {
  if (typeof body?.input === 'string') return body.input;
  if (Array.isArray(body?.messages)) {
    const user = [...body.messages].reverse().find((message: any) => message?.role === 'user');
    if (typeof user?.content === 'string') return user.content;
  }
  return undefined;
}

/** The instructions of a request body in either wire format ('' when absent). */
export function promptInstructionsOf(body: any): string {
  if (typeof body?.instructions === 'string') return body.instructions;
  if (Array.isArray(body?.messages)) {
    const system = body.messages.find((message: any) => message?.role === 'system' || message?.role === 'developer');
    if (typeof system?.content === 'string') return system.content;
  }
  return '';
}

const WINDOW_OPEN = /<file path="([^"]*)" language="([^"]*)">\n/g;

/**
 * The cursor window of a completion prompt: what parseCompletionInput reads, or — when the prompt
 * carries more than it knows (repository context sections before the cursor's file) — the last
 * `<file …>` block holding the single `<cursor>` marker, with the mode from the `<mode>` tag.
 */
export function cursorWindowOf(input: string): CompletionPromptArgs | undefined {
  const parsed = parseCompletionInput(input);
  if (parsed) return parsed;
  const at = input.indexOf(CURSOR_MARKER);
  if (at === -1 || input.indexOf(CURSOR_MARKER, at + 1) !== -1) return undefined;
  let open: RegExpExecArray | undefined;
  WINDOW_OPEN.lastIndex = 0;
  for (let match = WINDOW_OPEN.exec(input); match && match.index < at; match = WINDOW_OPEN.exec(input)) open = match;
  if (!open) return undefined;
  const close = input.indexOf('\n</file>', at);
  if (close === -1) return undefined;
  const mode = /<mode>(single-line|multi-line)<\/mode>/.exec(input)?.[1];
  const unescapeXml = (value: string) =>
    value.replace(
      /&(amp|quot|lt|#10);/g,
      (_, name: string) => ({ amp: '&', quot: '"', lt: '<', '#10': '\n' })[name] ?? '',
    );
  const unescapeCursor = (text: string) =>
    text.includes('<cursor') ? text.replace(/<cursor(\\*)\\>/g, '<cursor$1>') : text;
  return {
    path: unescapeXml(open[1]!),
    languageId: unescapeXml(open[2]!),
    prefix: unescapeCursor(input.slice(open.index + open[0].length, at)),
    suffix: unescapeCursor(input.slice(at + CURSOR_MARKER.length, close)),
    multiline: mode === 'multi-line',
  };
}

export function createOracle(options: OracleOptions = {}): Oracle {
  const files = new Map<string, string>();
  const multilineLines = Math.max(1, options.multilineLines ?? 4);

  /** Offset right after `prefix` in `text`, or -1; the first place where the whole prefix matches. */
  function locate(text: string, prefix: string): number {
    const tail = prefix.slice(-TAIL_CHARS);
    if (tail === '') return 0;
    for (let at = text.indexOf(tail); at !== -1; at = text.indexOf(tail, at + 1)) {
      const end = at + tail.length;
      if (end >= prefix.length && text.startsWith(prefix, end - prefix.length)) return end;
    }
    return -1;
  }

  function take(text: string, from: number, multiline: boolean): string {
    const lineEnd = (at: number) => {
      const newline = text.indexOf('\n', at);
      return newline === -1 ? text.length : newline;
    };
    if (!multiline) return text.slice(from, lineEnd(from));
    // The rest of the current line (when there is any), then whole lines; a blank line ends a block.
    let end = lineEnd(from);
    let lines = text.slice(from, end).trim() === '' ? 0 : 1;
    while (lines < multilineLines && end < text.length) {
      const next = lineEnd(end + 1);
      if (text.slice(end + 1, next).trim() === '') break;
      end = next;
      lines++;
    }
    return text.slice(from, end);
  }

  function continuation(args: Pick<CompletionPromptArgs, 'path' | 'prefix' | 'multiline'>): string | undefined {
    const own = files.get(args.path);
    const candidates = own !== undefined ? [own] : [...files.values()];
    for (const text of candidates) {
      const at = locate(text, args.prefix);
      if (at !== -1) return take(text, at, args.multiline);
    }
    return undefined;
  }

  const responder = (req: Pick<FakeRequest, 'body'>): Script => {
    const input = promptInputOf(req.body);
    const args = input === undefined ? undefined : cursorWindowOf(input);
    const code = args ? (continuation(args) ?? '') : '';
    const text =
      args && options.style && options.style !== 'clean'
        ? styleAnswer(options.style, code, args, options.seed ?? 1)
        : code;
    return { kind: 'text', text, chunkChars: options.chunkChars ?? 4 };
  };

  return {
    register: (path, text) => void files.set(path, text.replace(/\r\n/g, '\n')),
    forget: (path) => void files.delete(path),
    continuation,
    responder,
  };
}
