/**
 * dropEchoedPrefix and collapseDoubleSpace: text the model repeated from before the cursor is
 * removed; legitimate repeats (short ones, mid-word ones) are kept.
 */
import { describe, expect, it } from 'vitest';
import { collapseDoubleSpace, dropEchoedPrefix } from '../../../server/src/engine/postprocess/echo.ts';
import { buildContext } from '../../../server/src/engine/postprocess/context.ts';
import { contextAt } from './helpers.ts';

describe('dropEchoedPrefix', () => {
  it.each([
    // The whole current line, from its first non-blank character.
    ['whole line', '  return <|>', 'return a + b;', 'a + b;'],
    ['whole line with indentation', '    return <|>', '    return x', 'x'],
    ['whole line with other indentation', '    ret<|>', '  return x', 'urn x'],
    ['python line', 'for i in ra<|>', 'for i in range(10):', 'nge(10):'],
    ['go line', '\tif err != nil <|>', 'if err != nil {', '{'],
    ['a line with emoji', '// 🦜 parrot <|>', '// 🦜 parrot says hi', 'says hi'],
    ['CJK identifiers', 'const 名前 = 名<|>', 'const 名前 = 名前 + "さん";', '前 + "さん";'],
    // The tail of the line at a word boundary, three or more characters.
    ['the word being typed', 'const total = items.red<|>', 'reduce((a, b) => a + b)', 'uce((a, b) => a + b)'],
    ['the argument being typed', 'foo(bar, <|>', 'bar, baz)', 'baz)'],
    ['after an opening paren', 'print(nam<|>', 'name)', 'e)'],
    // The whole word being typed, however short.
    ['a short word being typed', 'foo.ba<|>', 'bar()', 'r()'],
    ['a one-letter word', 'a = b<|>', 'b + c', ' + c'],
    ['a loop bound', 'for i in range(n<|>', 'n):', '):'],
    ['a CJK word', 'let x = 世<|>', '世界;', '界;'],
    // Indentation echoed on a blank line.
    ['indentation only', '    <|>', '    return 1', 'return 1'],
    ['deeper indentation', '  <|>', '    return 1', '  return 1'],
    // Last lines of the prefix.
    [
      'the previous line and the indentation',
      'def add(a, b):\n    <|>',
      'def add(a, b):\n    return a + b',
      'return a + b',
    ],
    [
      'two previous lines',
      'fn main() {\n    let x = 1;\n    <|>',
      'fn main() {\n    let x = 1;\n    println!("{}", x);',
      'println!("{}", x);',
    ],
  ])('drops %s', (_, fixture, raw, expected) => {
    expect(dropEchoedPrefix(raw, contextAt(fixture))).toBe(expected);
  });

  it.each([
    ['no overlap', 'const x = <|>', '42;'],
    ['a one-letter overlap inside a word', 'const ab<|>', 'b = 1'],
    ['a two-letter overlap mid-word', 'const value = fo<|>', 'oo()'],
    ['a short repeated statement on a new line', '}\n<|>', '}\n'],
    ['a short repeated line', 'a();\n<|>', 'a();\nb();'],
    ['spaces after text', 'foo(a, <|>', ' b)'],
    ['an empty suggestion', 'x<|>', ''],
    // Seen by the shape sweep (linkedMap.js): ten of twenty columns typed, the answer the other ten.
    [
      'the rest of the indentation, which puts the line under the statement before it',
      'switch (touch) {\n  case Touch.Last:\n    this.addItemLast(item);\n  <|>\n}',
      '  break;\n  default:',
    ],
    // zpipe.c: four of eight columns typed after a case label; the next line is at eight.
    [
      'the rest of the indentation, which puts the line beside the next one',
      'switch (ret) {\n    case Z_STREAM_ERROR:\n    <|>\n        break;\n}',
      '    fputs("invalid compression level\\n", stderr);',
    ],
  ])('keeps %s', (_, fixture, raw) => {
    expect(dropEchoedPrefix(raw, contextAt(fixture))).toBe(raw);
  });

  it('drops repeated indentation that would put the line deeper than its neighbours', () => {
    const context = contextAt('switch (touch) {\n  case Touch.Last:\n    <|>\n}');
    expect(dropEchoedPrefix('    this.addItemLast(item);', context)).toBe('this.addItemLast(item);');
  });
});

describe('collapseDoubleSpace', () => {
  it.each([
    ['const x = <|>', ' 42', '42'],
    ['return\t<|>', '\tx', 'x'],
    ['const x =<|>', ' 42', ' 42'],
    ['    <|>', '  x', '  x'],
    ['x = <|>', '\n  y', '\n  y'],
  ])('%j + %j → %j', (fixture, raw, expected) => {
    expect(collapseDoubleSpace(raw, contextAt(fixture))).toBe(expected);
  });
});

describe('dropEchoedPrefix on a long periodic answer', () => {
  // Every length is an overlap of a run of blank lines; each used to be checked in linear time
  // (4,000 characters: about a second per streamed delta).
  it.each([
    ['blank lines', '\n'.repeat(100_000), '\n'.repeat(100_000)],
    ['spaces and line breaks', ' \n'.repeat(50_000), ' \n'.repeat(50_000) + 'x'],
    ['closers', '})'.repeat(50_000), '})'.repeat(50_000) + ';'],
  ])('%s: judged without re-scanning each overlap', (_name, prefix, raw) => {
    const context = buildContext({ raw, prefix, suffix: '', languageId: 'typescript', multiline: true, maxLines: 12 });
    const out = dropEchoedPrefix(raw, context);
    expect(raw.endsWith(out)).toBe(true);
  });
});
