/**
 * Long whitespace-free lines (a base64 blob, a minified bundle, a long `AAAA…`) cost the tokenizer
 * time quadratic in the length of one pre-token piece. These tests watch every string handed to
 * the o200k counter: none holds a piece longer than MAX_PIECE_CHARS, counting is linear in the text,
 * and cutting windows around the cursor does the same work on a 120,000- and a 1,200,000-character
 * line.
 */
import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const seen = vi.hoisted(() => ({ calls: [] as string[] }));

vi.mock('../../../server/src/context/o200k.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../server/src/context/o200k.ts')>();
  return {
    ...real,
    countO200k: (text: string, limit?: number) => {
      seen.calls.push(text);
      return real.countO200k(text, limit);
    },
  };
});

const { countTokens, countTokensUpTo, firstTokens, lastTokens, MAX_PIECE_CHARS, MAX_SEGMENT_CHARS } = await import(
  '../../../server/src/context/tokens.ts'
);
const { buildWindows } = await import('../../../server/src/context/window.ts');
const { O200K_TOKEN_SPLIT_REGEX } = await import('gpt-tokenizer/encodingParams/constants');

function longestPiece(text: string): number {
  const split = new RegExp(O200K_TOKEN_SPLIT_REGEX.source, O200K_TOKEN_SPLIT_REGEX.flags);
  let longest = 0;
  for (const match of text.matchAll(split)) longest = Math.max(longest, match[0].length);
  return longest;
}

const handed = () => seen.calls.reduce((sum, text) => sum + text.length, 0);

const SHAPES: Record<string, (n: number) => string> = {
  'a run of one letter': (n) => 'A'.repeat(n),
  'lower-case letters': (n) => 'abcdefghij'.repeat(Math.ceil(n / 10)).slice(0, n),
  base64: (n) => randomBytes(n).toString('base64').slice(0, n),
  'minified code': (n) =>
    Array.from({ length: Math.ceil(n / 12) }, (_, i) => `a${i}.b(c,${i})`)
      .join(';')
      .slice(0, n),
  'a run of spaces': (n) => ' '.repeat(n - 1) + 'x',
  'emoji without spaces': (n) => '😀'.repeat(Math.floor(n / 2)),
};

beforeEach(() => {
  seen.calls.length = 0;
});

describe('counting a huge line', () => {
  it.each(Object.keys(SHAPES))('%s: short pieces, linear work, the whole line counted', (shape) => {
    const line = SHAPES[shape]!(120_000);
    const count = countTokens(line);
    expect(count).toBeGreaterThan(0);
    for (const text of seen.calls) {
      expect(text.length).toBeLessThanOrEqual(MAX_SEGMENT_CHARS + MAX_PIECE_CHARS);
      expect(longestPiece(text)).toBeLessThanOrEqual(MAX_PIECE_CHARS);
    }
    // Every character is handed over once.
    expect(handed()).toBe(line.length);
  });

  it('stops at the limit after a bounded amount of text', () => {
    const line = SHAPES.base64!(120_000);
    expect(countTokensUpTo(line, 500)).toBeUndefined();
    expect(handed()).toBeLessThanOrEqual(500 * 8 + MAX_SEGMENT_CHARS);
  });

  it('over-counts a long run by at most about one token per chunk, and counts ordinary code exactly', () => {
    const run = 'A'.repeat(3000);
    const exact = 375; // o200k: eight A's per token
    expect(countTokens(run)).toBeGreaterThanOrEqual(exact);
    expect(countTokens(run)).toBeLessThanOrEqual(exact + Math.ceil(run.length / MAX_PIECE_CHARS));
    const code = 'export function add(a: number, b: number): number {\n  return a + b;\n}\n'.repeat(200);
    expect(countTokens(code)).toBe(
      200 * countTokens('export function add(a: number, b: number): number {\n  return a + b;\n}\n'),
    );
  });

  it('cuts a window out of a huge line within budget, never splitting a surrogate pair', () => {
    const line = SHAPES['emoji without spaces']!(50_000);
    const first = firstTokens(line, 100);
    const last = lastTokens(line, 100);
    expect(first.tokens).toBeLessThanOrEqual(100);
    expect(last.tokens).toBeLessThanOrEqual(100);
    expect(first.text.length).toBeGreaterThan(0);
    expect(first.text).toMatch(/^(?:😀)+$/u);
    expect(last.text).toMatch(/^(?:😀)+$/u);
  });
});

describe('cutting windows around a cursor on or next to a huge line', () => {
  const options = { prefixLines: 100, suffixLines: 50, maxTokens: 2048 };
  const work = (line: string, where: 'middle' | 'end' | 'next line') => {
    const doc = `const x = 1;\nconst blob = "${line}";\nfunction f() {\n  return 1;\n}\n`;
    const lineStart = 13;
    const offset =
      where === 'middle'
        ? lineStart + 14 + Math.floor(line.length / 2)
        : where === 'end'
          ? lineStart + line.length + 16
          : lineStart + line.length + 17;
    seen.calls.length = 0;
    const windows = buildWindows(doc, offset, options);
    expect(windows.prefixTokens + windows.suffixTokens).toBeLessThanOrEqual(options.maxTokens);
    return { chars: handed(), longest: Math.max(0, ...seen.calls.map(longestPiece)) };
  };

  for (const shape of Object.keys(SHAPES)) {
    for (const where of ['middle', 'end', 'next line'] as const) {
      it(`${shape}, cursor ${where === 'next line' ? 'on the next line' : `at the ${where}`}: the same work for 120k and 1.2M characters`, () => {
        const small = work(SHAPES[shape]!(120_000), where);
        const large = work(SHAPES[shape]!(1_200_000), where);
        expect(small.longest).toBeLessThanOrEqual(MAX_PIECE_CHARS);
        expect(large.longest).toBeLessThanOrEqual(MAX_PIECE_CHARS);
        // Bounded by the budget, not by the line.
        expect(large.chars).toBeLessThanOrEqual(small.chars * 1.25);
        expect(large.chars).toBeLessThanOrEqual(128 * options.maxTokens);
      });
    }
  }
});
