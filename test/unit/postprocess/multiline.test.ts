/**
 * decideMultiline: multi-line suggestions only at a block start or on a blank line, with only
 * auto-inserted closers after the cursor; 'always' and 'never' override.
 */
import { describe, expect, it } from 'vitest';
import { decideMultiline } from '../../../server/src/engine/postprocess.ts';
import { endsWithBlockOpener } from '../../../server/src/engine/postprocess/multiline.ts';
import { contextAt } from './helpers.ts';

describe('decideMultiline auto', () => {
  it.each([
    // Blank line or only indentation before the cursor.
    ['<|>', true],
    ['    <|>', true],
    ['\t\t<|>', true],
    // Block openers.
    ['function f() {<|>', true],
    ['function f() {<|>}', true],
    ['useEffect(() => {<|>});', true],
    ['const xs = [<|>]', true],
    ['call(<|>)', true],
    ['def f(x):<|>', true],
    ['    for i in range(3):  <|>', true],
    ['const f = () =><|>', true],
    ['if x then<|>', true],
    ['items.each do<|>', true],
    ['fn main() {  <|>', true],
    ['match cmd {<|>}', true],
    ['let s = "日本語 {<|>', true],
    // Mid-line or text after the cursor.
    ['const x = <|>', false],
    ['return a +<|>', false],
    ['foo(<|>bar)', false],
    ['function f() {<|> return 1; }', false],
    ['    <|>x = 1', false],
    ['std::<|>', false],
    ['todo<|>', false],
    ['const emoji = "😀<|>"', false],
  ])('%j → %s', (fixture, expected) => {
    const { linePrefix, lineSuffix } = contextAt(fixture);
    expect(decideMultiline(linePrefix, lineSuffix, 'auto')).toBe(expected);
  });
});

describe('decideMultiline overrides', () => {
  it.each([
    ['always', 'const x = <|>', true],
    ['always', 'foo(<|>bar)', true],
    ['never', 'function f() {<|>', false],
    ['never', '<|>', false],
  ] as const)('%s: %j → %s', (mode, fixture, expected) => {
    const { linePrefix, lineSuffix } = contextAt(fixture);
    expect(decideMultiline(linePrefix, lineSuffix, mode)).toBe(expected);
  });
});

describe('endsWithBlockOpener', () => {
  it.each([
    ['if (a) {', true],
    ['class A:', true],
    ['x = [', true],
    ['f = (x) =>', true],
    ['case 1:', true],
    ['a::', false],
    ['return x;', false],
    ['}', false],
    ['redo', false],
  ])('%j → %s', (line, expected) => {
    expect(endsWithBlockOpener(line)).toBe(expected);
  });
});

describe('decideMultiline on a very long line', () => {
  // `[\s)\]}]*[;,]?\s*$` used to backtrack quadratically over whitespace: 40,000 spaces took 13 s.
  it.each([
    ['spaces then text', ' '.repeat(200_000) + 'x', false],
    ['tabs and spaces then text', ' \t'.repeat(100_000) + 'x', false],
    ['closers and spaces', ') '.repeat(100_000) + ';', true],
    ['only spaces', ' '.repeat(200_000), true],
  ])('%s after the cursor answers without backtracking (%#)', (_name, lineSuffix, expected) => {
    expect(decideMultiline('  ', lineSuffix, 'auto')).toBe(expected);
    expect(decideMultiline('{' + ' '.repeat(200_000), lineSuffix, 'auto')).toBe(expected);
  });
});
