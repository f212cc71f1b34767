/**
 * Token counting and trimming: exact o200k counts, whole lines kept where possible, budgets never
 * exceeded, and characters outside the Basic Multilingual Plane never split.
 */
import { describe, expect, it } from 'vitest';
import {
  countTokens,
  countTokensUpTo,
  firstTokens,
  lastTokens,
  takeFirstTokens,
  takeLastTokens,
} from '../../../server/src/context/tokens.ts';
import { randomDocument, seededRandom } from './fixture.ts';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('countTokens', () => {
  it.each([
    ['', 0],
    ['hello world', 2],
    ['const x = 1;\n', 6],
    ['😀世界', 2],
    // Special-token text in a document is plain text: counted, never rejected.
    ['<|endoftext|>', 7],
  ])('%j has %i tokens', (text, expected) => {
    expect(countTokens(text)).toBe(expected);
  });

  it('countTokensUpTo stops at the limit', () => {
    expect(countTokensUpTo('hello world', 2)).toBe(2);
    expect(countTokensUpTo('hello world', 1)).toBeUndefined();
    expect(countTokensUpTo('x'.repeat(10_000_000), 100)).toBeUndefined();
  });
});

const THREE_LINES = 'line one\nline two\nline three\n';

describe('takeFirstTokens', () => {
  it.each([
    [0, ''],
    [1, 'line'],
    [2, 'line one'],
    [3, 'line one\n'],
    [5, 'line one\n'],
    [6, 'line one\nline two\n'],
    [9, THREE_LINES],
    [100, THREE_LINES],
  ])('keeps whole lines where possible (budget %i)', (budget, expected) => {
    expect(takeFirstTokens(THREE_LINES, budget)).toBe(expected);
  });

  it('cuts inside a single huge token run', () => {
    const result = firstTokens(`${'x'.repeat(1000)} tail`, 10);
    expect(result.tokens).toBe(10);
    expect(result.text).toMatch(/^x+$/);
  });

  it('never splits an emoji', () => {
    expect(takeFirstTokens('😀😀😀😀', 1)).toBe('😀');
    expect(takeFirstTokens('🦜🦜🦜', 1)).not.toMatch(LONE_SURROGATE);
  });
});

describe('takeLastTokens', () => {
  it.each([
    [0, ''],
    [2, ' three\n'],
    [3, 'line three\n'],
    [6, 'line two\nline three\n'],
    [9, THREE_LINES],
  ])('keeps whole lines where possible (budget %i)', (budget, expected) => {
    expect(takeLastTokens(THREE_LINES, budget)).toBe(expected);
  });

  it('keeps the end of a huge single line (minified code)', () => {
    const minified = `${'var a=1;'.repeat(1_250_000)}console.log(a);`;
    const result = lastTokens(minified, 20);
    expect(result.tokens).toBeLessThanOrEqual(20);
    expect(result.text.endsWith('console.log(a);')).toBe(true);
    expect(minified.endsWith(result.text)).toBe(true);
  });

  it('keeps CJK and emoji whole', () => {
    const text = '// 日本語のコメント 😀🦜\nconst 世界 = "🦜🦜🦜";';
    for (let budget = 1; budget < 20; budget++) {
      expect(takeLastTokens(text, budget)).not.toMatch(LONE_SURROGATE);
      expect(takeFirstTokens(text, budget)).not.toMatch(LONE_SURROGATE);
    }
  });
});

describe('trimming random documents', () => {
  it('stays within budget, keeps an exact start or end, and prefers line boundaries', () => {
    const random = seededRandom(7);
    for (let round = 0; round < 150; round++) {
      const text = randomDocument(random, 1 + Math.floor(random() * 40));
      const budget = Math.floor(random() * 200);
      const first = firstTokens(text, budget);
      const last = lastTokens(text, budget);

      expect(countTokens(first.text)).toBe(first.tokens);
      expect(countTokens(last.text)).toBe(last.tokens);
      expect(first.tokens).toBeLessThanOrEqual(budget);
      expect(last.tokens).toBeLessThanOrEqual(budget);
      expect(text.startsWith(first.text)).toBe(true);
      expect(text.endsWith(last.text)).toBe(true);
      expect(first.text).not.toMatch(LONE_SURROGATE);
      expect(last.text).not.toMatch(LONE_SURROGATE);

      const firstLine = text.slice(0, text.indexOf('\n') + 1 || text.length);
      if (countTokens(firstLine) <= budget && first.text !== text) expect(first.text.endsWith('\n')).toBe(true);
      const lastLine = text.slice(text.lastIndexOf('\n') + 1);
      if (countTokens(lastLine) <= budget && last.text !== text) {
        expect(text[text.length - last.text.length - 1]).toBe('\n');
      }
      if (countTokens(text) <= budget) {
        expect(first.text).toBe(text);
        expect(last.text).toBe(text);
      }
    }
  });
});
