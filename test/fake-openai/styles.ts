/**
 * Answer styles for the fake model: the shapes real chat models (gpt-4.1-mini, gpt-4o-mini) give
 * to "reply with only the code" — fenced, echoing the line or the lines before the cursor, running
 * on into the text after it, wrapped in prose, echoing the prompt's tags, CRLF — applied to the
 * right code, so a benchmark or test can see what a pipeline keeps of it. Also the detector of
 * those artifacts in a suggestion, so the benchmark can count suggestions that leaked one.
 */
import { mulberry32 } from './rng.ts';

export const ANSWER_STYLES = [
  'clean',
  'fenced',
  'fenced-bare',
  'closing-fence',
  'prose-fenced',
  'echo-line',
  'echo-lines',
  'run-on',
  'prose',
  'tags',
  'crlf',
  'mix',
] as const;
export type AnswerStyle = (typeof ANSWER_STYLES)[number];

/** What a style needs to know of the prompt: the text around the cursor and the file's language. */
export interface StyleContext {
  prefix: string;
  suffix: string;
  languageId: string;
  multiline: boolean;
}

/** The tag a model writes after the opening fence for a language id (what gpt-4.x writes). */
const FENCE_TAG: Record<string, string> = {
  typescript: 'typescript',
  javascript: 'javascript',
  python: 'python',
  c: 'c',
  cpp: 'cpp',
  rust: 'rust',
  go: 'go',
};

/** Sentences observed before and after the code (and the ones the detector looks for). */
export const PREAMBLES = [
  'Here is the completion:',
  "Here's the code to insert at the cursor:",
  'Sure! The completed code is:',
];
export const EPILOGUES = [
  'This completes the statement at the cursor.',
  'This code continues the current block.',
  'Note: the rest of the file is unchanged.',
];

/** Weights of the seeded mix, roughly what a day of gpt-4.1-mini answers looked like. */
const MIX: [AnswerStyle, number][] = [
  ['clean', 30],
  ['fenced', 20],
  ['fenced-bare', 6],
  ['closing-fence', 4],
  ['prose-fenced', 8],
  ['echo-line', 12],
  ['echo-lines', 4],
  ['run-on', 8],
  ['prose', 3],
  ['tags', 3],
  ['crlf', 2],
];

function lineParts(context: StyleContext): {
  linePrefix: string;
  lineSuffix: string;
  previousLines: string[];
  nextLines: string[];
} {
  const lineStart = context.prefix.lastIndexOf('\n') + 1;
  const lineEnd = context.suffix.indexOf('\n');
  return {
    linePrefix: context.prefix.slice(lineStart),
    lineSuffix: lineEnd === -1 ? context.suffix : context.suffix.slice(0, lineEnd),
    previousLines:
      lineStart === 0
        ? []
        : context.prefix
            .slice(0, lineStart - 1)
            .split('\n')
            .slice(-2),
    nextLines:
      lineEnd === -1
        ? []
        : context.suffix
            .slice(lineEnd + 1)
            .split('\n')
            .slice(0, 2),
  };
}

/**
 * A deterministic pick from a seed and the prompt, so the same prompt gets the same answer shape
 * (the cache and single-flight see one answer per prompt, as with a model at temperature 0).
 */
function pick<T>(items: readonly T[], seed: number, context: StyleContext): T {
  let hash = seed >>> 0;
  const tail = context.prefix.slice(-64);
  for (let i = 0; i < tail.length; i++) hash = Math.imul(hash ^ tail.charCodeAt(i), 0x01000193) >>> 0;
  return items[Math.floor(mulberry32(hash)() * items.length)]!;
}

function mixStyle(seed: number, context: StyleContext): AnswerStyle {
  const pool = MIX.flatMap(([style, weight]) => Array.from({ length: weight }, () => style));
  return pick(pool, seed, context);
}

/** `code` (the right continuation) shaped as a real chat model would return it in `style`. */
export function styleAnswer(style: AnswerStyle, code: string, context: StyleContext, seed = 1): string {
  if (code === '') return '';
  const { linePrefix, lineSuffix, previousLines, nextLines } = lineParts(context);
  const tag = FENCE_TAG[context.languageId] ?? context.languageId;
  switch (style) {
    case 'clean':
      return code;
    case 'fenced':
      return `\`\`\`${tag}\n${code}\n\`\`\``;
    case 'fenced-bare':
      return `\`\`\`\n${code}\n\`\`\`\n`;
    case 'closing-fence':
      return `${code}\n\`\`\``;
    case 'prose-fenced':
      return `${pick(PREAMBLES, seed, context)}\n\n\`\`\`${tag}\n${code}\n\`\`\`\n\n${pick(EPILOGUES, seed + 1, context)}`;
    case 'echo-line':
      // The whole current line, indentation included, then the completion.
      return linePrefix + code;
    case 'echo-lines':
      return [...previousLines, linePrefix + code].join('\n');
    case 'run-on': {
      // The completion, then what already follows the cursor: the rest of the line and the next lines.
      const after = [lineSuffix, ...nextLines].join('\n');
      return after.trim() === '' ? code : `${code}${after}`;
    }
    case 'prose':
      return `${pick(PREAMBLES, seed, context)}\n${code}\n\n${pick(EPILOGUES, seed + 1, context)}`;
    case 'tags':
      return context.multiline ? `<cursor>${code}\n</file>` : `<cursor>${code}`;
    case 'crlf':
      return `\`\`\`${tag}\r\n${code.replace(/\n/g, '\r\n')}\r\n\`\`\``;
    case 'mix':
      return styleAnswer(mixStyle(seed, context), code, context, seed);
  }
}

export type Artifact = 'fence' | 'tag' | 'prose' | 'echo' | 'suffix-duplicate';

/**
 * The artifacts a suggestion carries, judged against the text around the cursor and the text that
 * really follows (`realNext`, undefined when unknown): fences, prompt tags and the sentences above
 * are always artifacts here (none of the benchmark's files contain them); an echo or a suffix
 * duplicate only when the suggestion is not what really follows.
 */
export function artifactsOf(
  suggestion: string,
  context: Pick<StyleContext, 'prefix' | 'suffix'>,
  realNext: string | undefined,
): Artifact[] {
  const found: Artifact[] = [];
  if (/```|~~~/.test(suggestion)) found.push('fence');
  if (/<\/?(cursor|file|mode)\b/.test(suggestion)) found.push('tag');
  if ([...PREAMBLES, ...EPILOGUES].some((sentence) => suggestion.includes(sentence))) found.push('prose');
  if (realNext?.startsWith(suggestion)) return found;
  const { linePrefix, lineSuffix, nextLines } = lineParts({ ...context, languageId: '', multiline: false });
  const head = linePrefix.trim();
  if (head.length >= 3 && suggestion.trimStart().startsWith(head)) found.push('echo');
  const firstNext = nextLines.find((line) => line.trim() !== '')?.trim() ?? '';
  const tail = lineSuffix.trim();
  if (
    (tail.length >= 2 && suggestion.trimEnd().endsWith(tail)) ||
    (firstNext.replace(/\s/g, '').length >= 6 && suggestion.split('\n').some((line) => line.trim() === firstNext))
  ) {
    found.push('suffix-duplicate');
  }
  return found;
}
