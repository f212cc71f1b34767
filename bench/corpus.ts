/**
 * The source files the benchmark types: real code nobody here wrote, taken from installed
 * packages (npm dependencies, the system Python, zlib's examples, C headers), one fixed file per
 * language with fallbacks, and a seeded choice of the lines to retype so runs repeat.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../test/fake-openai/rng.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface CorpusSpec {
  languageId: string;
  /** Tried in order; the first that exists is used. Relative paths are under the repository. */
  candidates: string[];
}

export const CORPUS: CorpusSpec[] = [
  {
    languageId: 'typescript',
    candidates: [
      'node_modules/gpt-tokenizer/src/BytePairEncodingCore.ts',
      'node_modules/@jridgewell/sourcemap-codec/src/scopes.ts',
      'node_modules/zod/src/v4/classic/errors.ts',
    ],
  },
  {
    languageId: 'javascript',
    candidates: [
      'node_modules/vscode-jsonrpc/lib/common/linkedMap.js',
      'node_modules/denque/index.js',
      'node_modules/pino/lib/tools.js',
    ],
  },
  {
    languageId: 'python',
    candidates: [
      '/usr/lib/python3.11/textwrap.py',
      '/usr/lib/python3.12/textwrap.py',
      '/usr/lib/python3.13/textwrap.py',
      '/usr/lib/python3/dist-packages/six.py',
    ],
  },
  {
    languageId: 'c',
    candidates: ['/usr/share/doc/zlib1g-dev/examples/zpipe.c', '/usr/include/regex.h', '/usr/include/stdio.h'],
  },
];

export interface CorpusFile {
  languageId: string;
  /** Where the text was read from. */
  source: string;
  /** The path the benchmark's documents claim (file:// URI below /bench). */
  path: string;
  uri: string;
  text: string;
  sha256: string;
  lines: number;
}

export function loadCorpus(): CorpusFile[] {
  const files: CorpusFile[] = [];
  for (const spec of CORPUS) {
    const source = spec.candidates.map((c) => (c.startsWith('/') ? c : join(ROOT, c))).find((c) => existsSync(c));
    if (!source) continue;
    const text = readFileSync(source, 'utf8').replace(/\r\n/g, '\n');
    const path = `/bench/${spec.languageId}/${source.split('/').pop()}`;
    files.push({
      languageId: spec.languageId,
      source,
      path,
      uri: `file://${path}`,
      text,
      sha256: createHash('sha256').update(text).digest('hex').slice(0, 16),
      lines: text.split('\n').length,
    });
  }
  if (files.length === 0) throw new Error('bench: none of the corpus files exist on this machine');
  return files;
}

/** A run of whole lines to retype: the document starts as `before + '\n' + after`, cursor after `before`. */
export interface Segment {
  file: CorpusFile;
  /** First retyped line (0-based). */
  line: number;
  before: string;
  typed: string;
  after: string;
}

const COMMENT_ONLY = /^\s*(\/\/|#|\*|\/\*|"""|''')/;

/**
 * Picks the lines to retype: starts on a code line (not blank, not a comment) in the middle 20–80%
 * of the file, chosen with the seed, and runs whole lines until at least `chars` characters.
 */
export function pickSegment(file: CorpusFile, chars: number, seed: number): Segment {
  const lines = file.text.split('\n');
  const random = mulberry32(seed);
  const low = Math.floor(lines.length * 0.2);
  const high = Math.max(low + 1, Math.floor(lines.length * 0.8));
  let start = low;
  for (let attempt = 0; attempt < 200; attempt++) {
    const candidate = low + Math.floor(random() * (high - low));
    const text = lines[candidate] ?? '';
    if (text.trim().length >= 8 && !COMMENT_ONLY.test(text)) {
      start = candidate;
      break;
    }
  }
  let end = start + 1;
  let length = (lines[start] ?? '').length;
  // Stop one line short of the end: the newline after the typed lines must already exist.
  while (length < chars && end < lines.length - 1) {
    length += 1 + (lines[end] ?? '').length;
    end++;
  }
  const before = lines.slice(0, start).join('\n') + (start > 0 ? '\n' : '');
  const typed = lines.slice(start, end).join('\n');
  const after = lines.slice(end).join('\n');
  return { file, line: start, before, typed, after };
}
