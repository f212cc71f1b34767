/**
 * keepFirstLine, limitLines and trimTrailingWhitespace: the suggestion's shape.
 */
import { describe, expect, it } from 'vitest';
import { keepFirstLine, limitLines, trimTrailingWhitespace } from '../../../server/src/engine/postprocess/lines.ts';
import { contextAt } from './helpers.ts';

describe('keepFirstLine', () => {
  it.each([
    [false, 'a\nb', 'a'],
    [false, '\nb', ''],
    [false, 'only', 'only'],
    [true, 'a\nb', 'a\nb'],
  ])('multiline %s: %j → %j', (multiline, raw, expected) => {
    expect(keepFirstLine(raw, contextAt('<|>', { multiline }))).toBe(expected);
  });
});

describe('keepFirstLine with a look-ahead call at the end of a line', () => {
  it.each([
    ['    total += x;<|>', '\n    return total;\n}', '\n    return total;'],
    ['    total += x;<|>', '\n    return total;', '\n    return total;'],
    ['    total += x;<|>', ' // sum\n    return total;', ' // sum'],
    // Mid-line, or on a line with nothing typed yet, a line break still ends the suggestion.
    ['    total(<|>);', '\n    return total;', ''],
    ['    <|>', '\n    return total;', ''],
  ])('%j + %j → %j', (fixture, raw, expected) => {
    expect(keepFirstLine(raw, contextAt(fixture, { multiline: false, lookahead: true }))).toBe(expected);
  });

  it('keeps the first line only without a look-ahead call', () => {
    expect(keepFirstLine('\n    return total;', contextAt('    total += x;<|>', { multiline: false }))).toBe('');
  });
});

describe('limitLines', () => {
  it.each([
    [1, 'a\nb\nc', 'a'],
    [2, 'a\nb\nc', 'a\nb'],
    [3, 'a\nb\nc', 'a\nb\nc'],
    [12, '\n  x', '\n  x'],
  ])('maxLines %i: %j → %j', (maxLines, raw, expected) => {
    expect(limitLines(raw, contextAt('<|>', { multiline: true, maxLines }))).toBe(expected);
  });
});

describe('trimTrailingWhitespace', () => {
  it.each([
    ['<|>', 'a  \nb\t\n\n  \n', 'a\nb'],
    ['<|>', '   \n\t\n', ''],
    ['<|>', '\n  x', '\n  x'],
    ['x = <|>', '42 ', '42'],
    ['const<|>= 1', ' x ', ' x '],
    ['const<|> = 1', ' x ', ' x'],
    ['<|>', '  😀 世界  ', '  😀 世界'],
  ])('%j + %j → %j', (fixture, raw, expected) => {
    expect(trimTrailingWhitespace(raw, contextAt(fixture, { multiline: true }))).toBe(expected);
  });
});
