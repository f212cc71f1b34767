/**
 * Cursor windows: line limits around the cursor, the 75/25 token split with unused share flowing
 * to the other side, and the hard budget on random and very large documents.
 */
import { describe, expect, it } from 'vitest';
import { countTokens } from '../../../server/src/context/tokens.ts';
import { buildWindows } from '../../../server/src/context/window.ts';
import { atCursor, randomDocument, seededRandom } from './fixture.ts';

const roomy = { prefixLines: 100, suffixLines: 50, maxTokens: 2048 };

describe('buildWindows line limits', () => {
  it.each([
    {
      name: 'middle of a file',
      fixture: 'l0\nl1\nl2\nl3\nl4\nl5 ab<|>cd\nl6\nl7\nl8\n',
      lines: { prefixLines: 2, suffixLines: 1 },
      prefix: 'l3\nl4\nl5 ab',
      suffix: 'cd\nl6',
    },
    {
      name: 'no lines around, only the current line',
      fixture: 'a\nfn main() {<|>}\nb',
      lines: { prefixLines: 0, suffixLines: 0 },
      prefix: 'fn main() {',
      suffix: '}',
    },
    {
      name: 'start of the document',
      fixture: '<|>x = 1\ny = 2',
      lines: { prefixLines: 5, suffixLines: 0 },
      prefix: '',
      suffix: 'x = 1',
    },
    {
      name: 'end of the document',
      fixture: 'x = 1\ny = 2<|>',
      lines: { prefixLines: 5, suffixLines: 5 },
      prefix: 'x = 1\ny = 2',
      suffix: '',
    },
    { name: 'empty document', fixture: '<|>', lines: { prefixLines: 5, suffixLines: 5 }, prefix: '', suffix: '' },
    {
      name: 'cursor at column 0 after blank lines',
      fixture: '\n\n\n<|>\n\n',
      lines: { prefixLines: 2, suffixLines: 1 },
      prefix: '\n\n',
      suffix: '\n',
    },
    {
      name: 'CRLF line endings keep their carriage returns inside the window only',
      fixture: 'a\r\nb\r\nc<|>c\r\nd\r\ne',
      lines: { prefixLines: 1, suffixLines: 1 },
      prefix: 'b\r\nc',
      suffix: 'c\r\nd',
    },
    {
      name: 'emoji and CJK around the cursor',
      fixture: 'let 名前 = "🦜";\nprintln!("{}", 名前<|>);\n// 終わり 😀',
      lines: { prefixLines: 1, suffixLines: 1 },
      prefix: 'let 名前 = "🦜";\nprintln!("{}", 名前',
      suffix: ');\n// 終わり 😀',
    },
  ])('$name', ({ fixture, lines, prefix, suffix }) => {
    const { text, offset } = atCursor(fixture);
    const windows = buildWindows(text, offset, { ...lines, maxTokens: 2048 });
    expect(windows.prefix).toBe(prefix);
    expect(windows.suffix).toBe(suffix);
    expect(windows.truncated).toBe(false);
    expect(windows.prefixTokens).toBe(countTokens(prefix));
    expect(windows.suffixTokens).toBe(countTokens(suffix));
  });

  it('clamps an offset outside the document', () => {
    expect(buildWindows('abc', 99, roomy).prefix).toBe('abc');
    expect(buildWindows('abc', -5, roomy).suffix).toBe('abc');
  });
});

/** Lines of about 5 tokens each, so budgets are easy to reason about. */
function lines(tag: string, count: number): string {
  return Array.from({ length: count }, (_, i) => `${tag} line number ${i}`).join('\n');
}

describe('buildWindows token budget', () => {
  it('gives the prefix about 75% when both sides are long', () => {
    const text = `${lines('before', 200)}\n${lines('after', 200)}`;
    const offset = text.indexOf('after line number 0');
    const windows = buildWindows(text, offset, { ...roomy, maxTokens: 400 });
    expect(windows.truncated).toBe(true);
    expect(windows.prefixTokens + windows.suffixTokens).toBeLessThanOrEqual(400);
    expect(windows.prefixTokens).toBeGreaterThan(290);
    expect(windows.prefixTokens).toBeLessThanOrEqual(300);
    expect(windows.suffixTokens).toBeGreaterThan(90);
    // Cut at line boundaries: the prefix starts a line, the suffix ends one.
    expect(windows.prefix.startsWith('before line number')).toBe(true);
    expect(windows.suffix).toMatch(/after line number \d+\n$/);
  });

  it('lets the prefix use what a short suffix leaves', () => {
    const text = `${lines('before', 200)}\nend`;
    const windows = buildWindows(text, text.length - 3, { ...roomy, maxTokens: 400 });
    expect(windows.suffix).toBe('end');
    expect(windows.prefixTokens).toBeGreaterThan(390);
    expect(windows.prefixTokens + windows.suffixTokens).toBeLessThanOrEqual(400);
  });

  it('lets the suffix use what a short prefix leaves', () => {
    const text = `start\n${lines('after', 200)}`;
    const windows = buildWindows(text, 6, { ...roomy, suffixLines: 500, maxTokens: 400 });
    expect(windows.prefix).toBe('start\n');
    expect(windows.suffixTokens).toBeGreaterThan(390);
    expect(windows.prefixTokens + windows.suffixTokens).toBeLessThanOrEqual(400);
  });

  it('keeps the text nearest the cursor when the current line alone is over budget', () => {
    const line = `const data = [${'1, '.repeat(5000)}];`;
    const offset = line.indexOf('1, ') + 3000;
    const windows = buildWindows(line, offset, { ...roomy, maxTokens: 100 });
    expect(windows.prefixTokens + windows.suffixTokens).toBeLessThanOrEqual(100);
    expect(line.slice(0, offset).endsWith(windows.prefix)).toBe(true);
    expect(line.slice(offset).startsWith(windows.suffix)).toBe(true);
    expect(windows.prefixTokens).toBeGreaterThan(60);
  });

  it('never exceeds the budget on random documents', () => {
    const random = seededRandom(42);
    for (let round = 0; round < 120; round++) {
      const text = randomDocument(random, 1 + Math.floor(random() * 120));
      const offset = Math.floor(random() * (text.length + 1));
      const opts = {
        prefixLines: Math.floor(random() * 60),
        suffixLines: Math.floor(random() * 30),
        maxTokens: Math.floor(random() * 600),
      };
      const windows = buildWindows(text, offset, opts);
      expect(countTokens(windows.prefix)).toBe(windows.prefixTokens);
      expect(countTokens(windows.suffix)).toBe(windows.suffixTokens);
      expect(windows.prefixTokens + windows.suffixTokens).toBeLessThanOrEqual(opts.maxTokens);
      expect(text.slice(0, offset).endsWith(windows.prefix)).toBe(true);
      expect(text.slice(offset).startsWith(windows.suffix)).toBe(true);
      const prefixNewlines = windows.prefix.split('\n').length - 1;
      const suffixNewlines = windows.suffix.split('\n').length - 1;
      expect(prefixNewlines).toBeLessThanOrEqual(opts.prefixLines);
      expect(suffixNewlines).toBeLessThanOrEqual(opts.suffixLines);
    }
  });

  it('handles a 10 MB document and a 10 MB single line', () => {
    const many = lines('row', 400_000);
    expect(many.length).toBeGreaterThan(8_000_000);
    const middle = many.indexOf('row line number 200000');
    const windows = buildWindows(many, middle, roomy);
    expect(windows.prefix.split('\n')).toHaveLength(101);
    expect(windows.suffix.split('\n')).toHaveLength(51);
    expect(windows.prefixTokens + windows.suffixTokens).toBeLessThanOrEqual(2048);

    const single = 'a=1;'.repeat(2_500_000);
    const inline = buildWindows(single, 5_000_000, roomy);
    expect(inline.truncated).toBe(true);
    expect(inline.prefixTokens + inline.suffixTokens).toBeLessThanOrEqual(2048);
    expect(inline.prefixTokens).toBeGreaterThan(1400);
  });
});
