/**
 * The shape sweep: an offline, deterministic check of the answer normalizer and the fitting filters
 * on many real files nobody here wrote. At seeded cursors inside retyped lines (the bench's typing
 * model: the document is the text before, what was typed so far, a line break, the text after),
 * for the engine's request modes and every answer style of the fake model, it runs the server's
 * own pipeline on the styled answer — complete and streamed in 4-character chunks — and counts
 * artifacts (fences, tags, prose, echoes, suffix duplicates), agreement with the clean answer's
 * suggestion, and streaming violations (code that shrinks, or an early stop that would show
 * something else than the complete answer). No servers, no timing: a few seconds.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultConfig } from '../server/src/config/schema.ts';
import { firstLineComplete } from '../server/src/engine/engine.ts';
import {
  buildContext,
  decideMultiline,
  fitExplained,
  normalizeAnswer,
  type PostprocessContext,
} from '../server/src/engine/postprocess.ts';
import { normalizeStreamed } from '../server/src/engine/postprocess/normalize.ts';
import { completeLinesEnd, likelyRunOnEnd } from '../server/src/engine/postprocess/suffix.ts';
import { createOracle } from '../test/fake-openai/oracle.ts';
import { mulberry32 } from '../test/fake-openai/rng.ts';
import { ANSWER_STYLES, type AnswerStyle, artifactsOf, styleAnswer } from '../test/fake-openai/styles.ts';
import { ROOT } from './corpus.ts';

/** A real file of the sweep's corpus. */
export interface ShapeFile {
  languageId: string;
  /** Where it was read from (relative to the repository for node_modules files). */
  source: string;
  text: string;
}

/** Candidate files per language; missing ones are skipped. Relative paths are under the repository. */
export const SHAPE_CORPUS: { languageId: string; paths: string[] }[] = [
  {
    languageId: 'typescript',
    paths: [
      'node_modules/gpt-tokenizer/src/BytePairEncodingCore.ts',
      'node_modules/gpt-tokenizer/src/GptEncoding.ts',
      'node_modules/gpt-tokenizer/src/functionCalling.ts',
      'node_modules/zod/src/v4/classic/errors.ts',
      'node_modules/zod/src/v4/classic/coerce.ts',
      'node_modules/@jridgewell/sourcemap-codec/src/scopes.ts',
    ],
  },
  {
    languageId: 'javascript',
    paths: [
      'node_modules/vscode-jsonrpc/lib/common/linkedMap.js',
      'node_modules/vscode-jsonrpc/lib/common/connection.js',
      'node_modules/denque/index.js',
      'node_modules/pino/lib/tools.js',
      'node_modules/pino/lib/proto.js',
      'node_modules/ioredis/built/Pipeline.js',
    ],
  },
  {
    languageId: 'python',
    paths: [
      '/usr/lib/python3.11/textwrap.py',
      '/usr/lib/python3.11/argparse.py',
      '/usr/lib/python3.11/dataclasses.py',
      '/usr/lib/python3.11/shutil.py',
      '/usr/lib/python3.11/json/encoder.py',
      '/usr/lib/python3.11/heapq.py',
    ],
  },
  {
    languageId: 'c',
    paths: [
      '/usr/share/doc/zlib1g-dev/examples/zpipe.c',
      '/usr/share/doc/zlib1g-dev/examples/gun.c',
      '/usr/share/doc/zlib1g-dev/examples/zran.c',
      '/usr/share/doc/zlib1g-dev/examples/gzappend.c',
      '/usr/include/regex.h',
      '/usr/include/stdio.h',
    ],
  },
  {
    languageId: 'perl',
    paths: [
      '/usr/share/perl/5.36.0/Exporter.pm',
      '/usr/share/perl/5.36.0/Text/Wrap.pm',
      '/usr/share/perl/5.36.0/File/Basename.pm',
    ],
  },
  { languageId: 'shellscript', paths: ['/usr/bin/bzgrep', '/usr/bin/bzdiff', '/usr/bin/bzmore'] },
];

/**
 * The unit test's corpus: files `npm ci` installs at the versions package-lock.json pins, so the
 * test sees the same text on every machine.
 */
export const PINNED_CORPUS: { languageId: string; paths: string[] }[] = SHAPE_CORPUS.filter((spec) =>
  spec.paths.every((path) => path.startsWith('node_modules/')),
);

export function loadShapeFiles(specs: { languageId: string; paths: string[] }[]): ShapeFile[] {
  const files: ShapeFile[] = [];
  for (const spec of specs) {
    for (const path of spec.paths) {
      const full = path.startsWith('/') ? path : join(ROOT, path);
      if (!existsSync(full)) continue;
      files.push({
        languageId: spec.languageId,
        source: path,
        text: readFileSync(full, 'utf8').replace(/\r\n/g, '\n'),
      });
    }
  }
  return files;
}

/** The engine's request modes at a cursor (engine.ts isMultiline / looksAhead). */
export type ShapeMode = 'single-line' | 'look-ahead' | 'multi-line';

export type StreamingViolation =
  /** A partial answer's code is not a prefix of the complete answer's code. */
  | 'shrinks'
  /**
   * The code was declared over (`ended`: a closing fence, an epilogue, a replay of the lines after
   * the cursor) and what the engine keeps of the stream then gives another suggestion than the complete answer.
   */
  | 'ended'
  /** The engine's early serve of a one-line suggestion (firstLineComplete) would show another suggestion. */
  | 'first-line'
  /**
   * The engine's early serve of a multi-line suggestion that likely ran on into the lines after
   * the cursor (suffix.ts likelyRunOnEnd) would show something the complete answer's suggestion
   * does not start with. (Shorter is by design: the rest is there for typed-ahead.)
   */
  | 'run-on'
  /**
   * The engine's serve of a multi-line suggestion's complete lines to a request that waited long
   * (suffix.ts completeLinesEnd) would show something the complete answer's suggestion does not
   * start with, at some point of the stream.
   */
  | 'patience'
  /** The engine stopped the stream for having enough code, and what it kept gives another suggestion. */
  | 'stopped';

export interface ShapeExample {
  kind: string;
  style: AnswerStyle;
  mode: ShapeMode;
  where: string;
  /** The end of the text before the cursor. */
  before: string;
  /** The start of the text after the cursor in the document. */
  after: string;
  raw: string;
  suggestion: string;
  clean: string;
}

export interface ShapeCell {
  style: AnswerStyle;
  languageId: string;
  cases: number;
  /** Cases whose suggestion carried an artifact. */
  artifacts: number;
  /** Cases whose suggestion equals the clean answer's. */
  agree: number;
  /** Cases with at least one streaming violation. */
  streaming: number;
}

export interface ShapeResult {
  files: { languageId: string; source: string; lines: number }[];
  cursors: number;
  cases: number;
  cells: ShapeCell[];
  examples: ShapeExample[];
  /** Failures by kind (artifact names, 'disagree', streaming violations). */
  kinds: Record<string, number>;
}

export interface ShapeOptions {
  files: ShapeFile[];
  /** Cursors per file (default 60). */
  cursors?: number;
  seed?: number;
  styles?: readonly AnswerStyle[];
  /** Examples kept per failure kind (default 3). */
  examplesPerKind?: number;
}

const CONTEXT_CHARS = 4000;
const CHUNK_CHARS = 4;
const SEGMENT_CHARS = 160;

export interface Cursor {
  file: ShapeFile;
  /** The document as the typist sees it, and the cursor's offset in it. */
  document: string;
  offset: number;
  /** The cursor's offset in the real file (what really follows it). */
  fileOffset: number;
  line: number;
}

/**
 * Seeded cursors in a file, as the bench's typist makes them (corpus.ts pickSegment): a run of whole
 * lines starting on a code line is retyped; the cursors are every line end of the run and a few
 * positions inside its lines.
 */
export function cursorsOf(file: ShapeFile, count: number, seed: number): Cursor[] {
  const lines = file.text.split('\n');
  if (lines.length < 3) return [];
  const random = mulberry32(seed);
  const cursors: Cursor[] = [];
  for (let attempt = 0; cursors.length < count && attempt < count * 20; attempt++) {
    const start = 1 + Math.floor(random() * (lines.length - 2));
    if ((lines[start] ?? '').trim().length < 4) continue;
    let end = start + 1;
    let length = lines[start]!.length;
    while (length < SEGMENT_CHARS && end < lines.length - 1) {
      length += 1 + lines[end]!.length;
      end++;
    }
    const before = `${lines.slice(0, start).join('\n')}\n`;
    const typed = lines.slice(start, end).join('\n');
    const after = lines.slice(end).join('\n');
    const positions = new Set<number>();
    for (let i = 0; i <= typed.length; i++) if (i === typed.length || typed[i] === '\n') positions.add(i);
    for (let i = 0; i < 4; i++) positions.add(Math.floor(random() * typed.length));
    for (const at of [...positions].sort((a, b) => a - b)) {
      if (cursors.length >= count) break;
      const typedSoFar = typed.slice(0, at);
      cursors.push({
        file,
        document: `${before}${typedSoFar}\n${after}`,
        offset: before.length + at,
        fileOffset: before.length + at,
        line: start + typedSoFar.split('\n').length,
      });
    }
  }
  return cursors;
}

export function contextAt(cursor: Cursor, multiline: boolean, lookahead: boolean): PostprocessContext {
  const { document, offset } = cursor;
  return buildContext({
    raw: '',
    prefix: document.slice(Math.max(0, offset - CONTEXT_CHARS), offset),
    suffix: document.slice(offset, offset + CONTEXT_CHARS),
    languageId: cursor.file.languageId,
    multiline,
    lookahead,
    maxLines: defaultConfig().completion.maxLines,
  });
}

/** The engine's stream-stop rule for enough code (answers.ts callModel `enough`). */
function enough(code: string, context: PostprocessContext): boolean {
  const trimmed = code.replace(/^\s*\n/, '');
  const newlines = trimmed.split('\n').length - 1;
  return context.multiline
    ? newlines > context.maxLines
    : newlines > (context.lookahead ? 1 : 0) && trimmed.trim() !== '';
}

const suggestionOf = (code: string, context: PostprocessContext) => fitExplained(code, context).text;

/** The streaming violations of one raw answer fed in 4-character chunks. */
function streamingViolations(raw: string, context: PostprocessContext, finalCode: string): StreamingViolation[] {
  const found = new Set<StreamingViolation>();
  const finalText = suggestionOf(finalCode, context);
  let stopped = false;
  let firstLineSeen = false;
  let runOnSeen = false;
  for (let end = Math.min(CHUNK_CHARS, raw.length); ; end = Math.min(end + CHUNK_CHARS, raw.length)) {
    const partialRaw = raw.slice(0, end);
    const { code, ended } = normalizeStreamed(partialRaw, context, false);
    // A partial code may end in the line break of a line still under way; what it shows only grows.
    if (!finalCode.startsWith(code.trimEnd())) found.add('shrinks');
    if (!context.multiline && !firstLineSeen && firstLineComplete(code, context.lookahead)) {
      firstLineSeen = true;
      if (suggestionOf(code, context) !== finalText) found.add('first-line');
    }
    if (context.multiline && !stopped) {
      const complete = completeLinesEnd(code, context.lookahead);
      if (complete !== -1 && !finalText.startsWith(suggestionOf(code.slice(0, complete), context)))
        found.add('patience');
    }
    if (context.multiline && !runOnSeen && !stopped) {
      const end = likelyRunOnEnd(code, context);
      if (end !== -1) {
        runOnSeen = true;
        if (!finalText.startsWith(suggestionOf(code.slice(0, end), context))) found.add('run-on');
      }
    }
    if (!stopped && (ended || enough(code, context))) {
      // The engine stops the stream here, keeps the raw text (up to its last line break when the
      // code is over) and serves that, normalized as a complete answer, from then on.
      stopped = true;
      const kept = ended ? partialRaw.slice(0, partialRaw.lastIndexOf('\n') + 1) : partialRaw;
      if (suggestionOf(normalizeAnswer(kept, context, true), context) !== finalText)
        found.add(ended ? 'ended' : 'stopped');
    }
    if (end >= raw.length) break;
  }
  return [...found];
}

function tail(text: string, chars: number): string {
  return text.length <= chars ? text : `…${text.slice(-chars)}`;
}

export function shapeSweep(options: ShapeOptions): ShapeResult {
  const styles = options.styles ?? ANSWER_STYLES;
  const seed = options.seed ?? 1;
  const perKind = options.examplesPerKind ?? 3;
  const cells = new Map<string, ShapeCell>();
  const examples: ShapeExample[] = [];
  const kinds: Record<string, number> = {};
  const oracle = createOracle();
  let cursors = 0;
  let cases = 0;
  const note = (kind: string, example: Omit<ShapeExample, 'kind'>) => {
    kinds[kind] = (kinds[kind] ?? 0) + 1;
    if (examples.filter((e) => e.kind === kind).length < perKind) examples.push({ kind, ...example });
  };
  options.files.forEach((file, index) => {
    const path = `/shapes/${index}/${file.source.split('/').pop()}`;
    oracle.register(path, file.text);
    for (const cursor of cursorsOf(file, options.cursors ?? 60, seed * 7919 + index)) {
      cursors++;
      const linePrefix = cursor.document.slice(cursor.document.lastIndexOf('\n', cursor.offset - 1) + 1, cursor.offset);
      const lineEnd = cursor.document.indexOf('\n', cursor.offset);
      const lineSuffix = cursor.document.slice(cursor.offset, lineEnd === -1 ? undefined : lineEnd);
      // The engine's modes: auto (a block, or one line with the next looked ahead at a line end), and never.
      const multiline = decideMultiline(linePrefix, lineSuffix, 'auto');
      const modes: [ShapeMode, boolean, boolean][] = [
        [
          multiline ? 'multi-line' : lineSuffix.trim() === '' ? 'look-ahead' : 'single-line',
          multiline,
          !multiline && lineSuffix.trim() === '',
        ],
        ['single-line', false, false],
      ];
      const realNext = file.text.slice(cursor.fileOffset);
      for (const [mode, isMultiline, lookahead] of modes) {
        const context = contextAt(cursor, isMultiline, lookahead);
        const promptMultiline = isMultiline || lookahead;
        const code = oracle.continuation({
          path,
          prefix: cursor.document.slice(0, cursor.offset),
          multiline: promptMultiline,
        });
        if (code === undefined || code === '') continue;
        const styleContext = {
          prefix: context.prefix,
          suffix: context.suffix,
          languageId: file.languageId,
          multiline: promptMultiline,
        };
        const clean = suggestionOf(normalizeAnswer(code, context, true), context);
        for (const style of styles) {
          const raw = styleAnswer(style, code, styleContext, seed);
          const finalCode = normalizeAnswer(raw, context, true);
          const suggestion = suggestionOf(finalCode, context);
          const key = `${style}\u0000${file.languageId}`;
          let cell = cells.get(key);
          if (!cell) {
            cell = { style, languageId: file.languageId, cases: 0, artifacts: 0, agree: 0, streaming: 0 };
            cells.set(key, cell);
          }
          cell.cases++;
          cases++;
          const example = {
            style,
            mode,
            where: `${file.source}:${cursor.line}`,
            before: tail(context.prefix, 120),
            after: context.suffix.slice(0, 60),
            raw,
            suggestion,
            clean,
          };
          const artifacts = artifactsOf(suggestion, context, realNext);
          if (artifacts.length > 0) {
            cell.artifacts++;
            for (const artifact of artifacts) note(artifact, example);
          }
          if (suggestion === clean) cell.agree++;
          else note('disagree', example);
          const violations = streamingViolations(raw, context, finalCode);
          if (violations.length > 0) {
            cell.streaming++;
            for (const violation of violations) note(violation, example);
          }
        }
      }
    }
  });
  return {
    files: options.files.map((f) => ({ languageId: f.languageId, source: f.source, lines: f.text.split('\n').length })),
    cursors,
    cases,
    cells: [...cells.values()],
    examples,
    kinds,
  };
}

const pct = (n: number, of: number) => (of === 0 ? '–' : `${((100 * n) / of).toFixed(1)} %`);

/** Rows: answer styles; columns: languages; a cell reads `artifacts · streaming violations · agreement`. */
export function shapesTable(result: ShapeResult): string {
  const languages = [...new Set(result.cells.map((c) => c.languageId))];
  const styles = [...new Set(result.cells.map((c) => c.style))];
  const cell = (style: string | undefined, languageId?: string) => {
    const chosen = result.cells.filter(
      (c) => (style === undefined || c.style === style) && (languageId === undefined || c.languageId === languageId),
    );
    const sum = (f: (c: ShapeCell) => number) => chosen.reduce((n, c) => n + f(c), 0);
    const cases = sum((c) => c.cases);
    return `${sum((c) => c.artifacts)} · ${sum((c) => c.streaming)} · ${pct(
      sum((c) => c.agree),
      cases,
    )}`;
  };
  const casesOf = (languageId: string) =>
    result.cells.filter((c) => c.languageId === languageId && c.style === styles[0]).reduce((n, c) => n + c.cases, 0);
  return [
    `${result.cursors} cursors in ${result.files.length} files, ${result.cases} cases (cursor × mode × style). A cell: suggestions with an artifact · with a streaming violation · agreement with the clean answer's suggestion.`,
    '',
    `| style | ${languages.map((l) => `${l} (${casesOf(l)})`).join(' | ')} | all |`,
    `| --- | ${languages.map(() => '---').join(' | ')} | --- |`,
    ...styles.map((style) => `| ${style} | ${languages.map((l) => cell(style, l)).join(' | ')} | ${cell(style)} |`),
    `| all styles | ${languages.map((l) => cell(undefined, l)).join(' | ')} | ${cell(undefined)} |`,
  ].join('\n');
}

/** The first failing examples of each kind, for the report. */
export function shapesExamples(result: ShapeResult): string {
  if (result.examples.length === 0) return 'No failures.';
  const counts = Object.entries(result.kinds)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
  const lines = [`Failures by kind: ${counts}.`, ''];
  for (const kind of Object.keys(result.kinds)) {
    lines.push(`### ${kind}`, '');
    for (const e of result.examples.filter((x) => x.kind === kind)) {
      lines.push(
        `- ${e.style}, ${e.mode}, ${e.where}`,
        `  - before: \`${JSON.stringify(e.before)}\``,
        `  - after: \`${JSON.stringify(e.after)}\``,
        `  - raw: \`${JSON.stringify(e.raw)}\``,
        `  - suggestion: \`${JSON.stringify(e.suggestion)}\` (clean: \`${JSON.stringify(e.clean)}\`)`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}
