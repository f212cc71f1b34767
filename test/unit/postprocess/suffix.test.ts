/**
 * dropSuffixLines and dropSuffixTail: a suggestion does not repeat the lines after the cursor, nor
 * the closers and text the rest of the current line already has.
 */
import { describe, expect, it } from 'vitest';
import {
  dropSuffixLines,
  dropSuffixTail,
  completeLinesEnd,
  likelyRunOnEnd,
  replaysSuffixLines,
} from '../../../server/src/engine/postprocess/suffix.ts';
import { contextAt, inserted } from './helpers.ts';

describe('dropSuffixLines', () => {
  it.each([
    ['a closing brace the next line has', 'function f() {<|>\n}', '\n  return 1;\n}', '\n  return 1;'],
    ['after blank lines', 'function f() {<|>\n\n}', '\n  return 1;\n}', '\n  return 1;'],
    ['several replayed lines', 'a();\n<|>\nc();\nd();', 'b();\nc();\nd();', 'b();'],
    [
      'two substantial lines even when more follow',
      '<|>\nconst y = 2;\nconst z = 3;\nrest();',
      'const x = 1;\nconst y = 2;\nconst z = 3;\nother();',
      'const x = 1;',
    ],
    ['a whole duplicated next line', '  <|>\n  return x;', 'return x;', ''],
    ['Python lines', 'def f():\n    <|>\n    return y', 'y = 1\n    return y', 'y = 1'],
    ['lines with CJK text', '<|>\nprint("世界")', 'print("こんにちは")\nprint("世界")', 'print("こんにちは")'],
    [
      'the next line written twice by a model that runs on',
      '  startIndex: number,\n): number {<|>\n  let searchIndex = startIndex\n\n  while (true) {',
      '\n  let searchIndex = startIndex\n  let searchIndex = startIndex',
      '',
    ],
  ])('drops %s', (_, fixture, raw, expected) => {
    expect(dropSuffixLines(raw, contextAt(fixture, { multiline: true }))).toBe(expected);
  });

  it.each([
    ['an inner closer at another indentation', '  <|>\n}', 'if (x) {\n    y();\n  }'],
    ['one matching line followed by others', '<|>\nfoo();', 'foo();\nbar();'],
    ['the first line when text precedes the cursor', 'x = <|>\nfoo();', 'foo();'],
    ['anything when there is no next line', 'function f() {<|>', '\n  return 1;\n}'],
    ['blank next lines only', 'f() {<|>\n\n', '\n  g();\n}'],
  ])('keeps %s', (_, fixture, raw) => {
    expect(dropSuffixLines(raw, contextAt(fixture, { multiline: true }))).toBe(raw);
  });
});

describe('dropSuffixTail', () => {
  it.each([
    // Closers the editor auto-inserted.
    ['a paren', 'print(<|>)', 'x)', 'print(x)'],
    ['a paren followed by more', 'if (<|>) {', 'x > 0) {', 'if (x > 0) {'],
    ['a paren with a semicolon after it', 'foo(<|>);', 'a, b);', 'foo(a, b);'],
    ['the inner of two parens', 'foo(bar(<|>))', 'x))', 'foo(bar(x))'],
    ['a bracket', 'const xs = [<|>]', '1, 2, 3]', 'const xs = [1, 2, 3]'],
    ['a brace in a multi-line block', 'function f() {<|>}', '\n  return 1;\n}', 'function f() {\n  return 1;\n}'],
    ['an indented closer', '  if (x) {<|>}', '\n    y();\n  }', '  if (x) {\n    y();\n  }'],
    ['a double quote', 'const s = "<|>"', 'hello"', 'const s = "hello"'],
    ['a single quote with CJK', "name = '<|>'", "世界'", "name = '世界'"],
    ['an emoji string', 'let s = "🦜<|>";', '🦜🦜";', 'let s = "🦜🦜🦜";'],
    ['a backquote', 'const t = `<|>`', 'a ${b}`', 'const t = `a ${b}`'],
    ['a string containing a paren', 'log(<|>)', '"(x")', 'log("(x")'],
    ['a paren before a comment with an apostrophe', 'f(<|>)', "a) // don't", 'f(a)'],
    // Other text that follows the cursor.
    ['a repeated assignment', 'const <|> = 1;', 'answer = 1;', 'const answer = 1;'],
    ['a semicolon', 'x = <|>;', 'foo();', 'x = foo();'],
    ['a word', 'let a = <|>b', 'foo + b', 'let a = foo + b'],
  ])('drops %s', (_, fixture, raw, expected) => {
    expect(inserted(fixture, dropSuffixTail(raw, contextAt(fixture)))).toBe(expected);
  });

  it.each([
    ['a closer of its own call', 'print(<|>)', 'format(x)'],
    ['an unfinished argument', 'print(<|>)', 'a, b'],
    ['a string that opens and closes inside', 'log(<|>)', '"a", "b"'],
    ['a bracket that does not match', 'foo(<|>)', 'a[0]]'],
    ['text when nothing follows the cursor', 'x = <|>', 'foo()'],
  ])('keeps %s', (_, fixture, raw) => {
    expect(dropSuffixTail(raw, contextAt(fixture))).toBe(raw);
  });
});

describe('replaysSuffixLines (a streaming multi-line answer ran on into the lines after the cursor)', () => {
  const FIXTURE = 'function total(items) {\n  let sum = 0;\n  <|>\n  return sum;\n}';
  it.each([
    [
      'two complete lines after the first that are the next two lines',
      'for (const item of items) {\n    sum += item.price;\n  }\n  return sum;\n}\n',
      true,
    ],
    [
      'one complete line that is the next line (the answer may go on differently)',
      'for (const item of items) {\n    sum += item.price;\n  }\n  return sum;\n',
      false,
    ],
    [
      'the line after the next line still being written',
      'for (const item of items) {\n    sum += item.price;\n  }\n  return sum;\n}',
      false,
    ],
    [
      'the next line still being written',
      'for (const item of items) {\n    sum += item.price;\n  }\n  return s',
      false,
    ],
    ['the first line (it may be the completion itself)', 'return sum;\n}\n', false],
    ['no line of the suffix', 'for (const item of items) sum += item.price;\n', false],
  ])('%s: %s', (_, code, expected) => {
    expect(replaysSuffixLines(code, contextAt(FIXTURE, { multiline: true }))).toBe(expected);
  });

  it('a line that recurs around the cursor is evidence only with the line after it', () => {
    // Seen by the shape sweep (zpipe.c): the stream stopped at the first case's `break;`, and the
    // suggestion lost the next case the complete answer shows.
    const context = contextAt(
      'switch (ret) {\n    case Z_NEED_DICT:\n        break;\n    case Z_STREAM_ERROR:\n    <|>\n        break;\n    case Z_MEM_ERROR:',
      { multiline: true },
    );
    expect(replaysSuffixLines('fputs("invalid level", stderr);\n        break;\n    case Z_D', context)).toBe(false);
    expect(
      replaysSuffixLines('fputs("invalid level", stderr);\n        break;\n    case Z_DATA_ERROR:\n', context),
    ).toBe(false);
    expect(
      replaysSuffixLines('fputs("invalid level", stderr);\n        break;\n    case Z_MEM_ERROR:\n', context),
    ).toBe(true);
  });

  it('a line the document also has next, then one it does not have, is new code', () => {
    // Seen by the shape sweep (linkedMap.js, seeds 2 and 3): the stream stopped at `this._size = 0;`,
    // and the suggestion lost `this._state = 0;` and the brace the complete answer shows.
    const context = contextAt(
      'class LinkedMap {\n    constructor() {\n        this._map = new Map();\n        this._head = undefined;\n<|>\n        this._size = 0;\n        this._state++;\n    }',
      { multiline: true },
    );
    const code = '        this._tail = undefined;\n        this._size = 0;\n        this._state = 0;\n    }\n';
    expect(replaysSuffixLines(code, context)).toBe(false);
    expect(dropSuffixLines(code, context)).toBe(code);
    expect(
      replaysSuffixLines('        this._tail = undefined;\n        this._size = 0;\n        this._state++;\n', context),
    ).toBe(true);
  });

  it('a short next line (a closing brace) is no evidence', () => {
    const context = contextAt('if (ok) {\n  <|>\n}\nnext();', { multiline: true });
    expect(replaysSuffixLines('done();\n  log();\n}\n', context)).toBe(false);
  });
});

describe('likelyRunOnEnd (where a multi-line request is served before its stream stops)', () => {
  const FIXTURE = 'function total(items) {\n  let sum = 0;\n  <|>\n  return sum;\n}';
  const context = contextAt(FIXTURE, { multiline: true });
  it.each([
    [
      'one complete line after the first that is the next line',
      'for (const item of items) {\n    sum += item.price;\n  }\n  return sum;\n',
      'for (const item of items) {\n    sum += item.price;\n  }\n  return sum;',
    ],
    [
      'and what streams after it',
      'for (const item of items) {\n    sum += item.price;\n  }\n  return sum;\n}\nexp',
      'for (const item of items) {\n    sum += item.price;\n  }\n  return sum;',
    ],
    [
      'the next line still being written',
      'for (const item of items) {\n    sum += item.price;\n  }\n  return sum;',
      undefined,
    ],
    ['the first line (it may be the completion itself)', 'return sum;\n}\n', undefined],
    ['no line of the suffix', 'for (const item of items) sum += item.price;\n', undefined],
  ])('%s', (_, code, servedCode) => {
    const end = likelyRunOnEnd(code, context);
    expect(end === -1 ? undefined : code.slice(0, end)).toBe(servedCode);
  });

  it('serves what the complete answer starts with: the code before the replay', () => {
    const code = 'for (const item of items) {\n    sum += item.price;\n  }\n  return sum;\n';
    const served = code.slice(0, likelyRunOnEnd(code, context));
    expect(dropSuffixLines(served, context)).toBe('for (const item of items) {\n    sum += item.price;\n  }');
  });

  it('a line the document also has next, then one it does not have: the served code is the start of the complete one', () => {
    // linkedMap.js (the shape sweep, seeds 2 and 3): `this._size = 0;` is new code here, and the
    // stream goes on to stop only at surer evidence; the request was served the line before it.
    const linked = contextAt(
      'class LinkedMap {\n    constructor() {\n        this._map = new Map();\n        this._head = undefined;\n<|>\n        this._size = 0;\n        this._state++;\n    }',
      { multiline: true },
    );
    const complete = '        this._tail = undefined;\n        this._size = 0;\n        this._state = 0;\n    }\n';
    const served = complete.slice(0, likelyRunOnEnd(complete, linked));
    expect(served).toBe('        this._tail = undefined;\n        this._size = 0;');
    expect(dropSuffixLines(served, linked)).toBe('        this._tail = undefined;');
    expect(dropSuffixLines(complete, linked).startsWith(dropSuffixLines(served, linked))).toBe(true);
    expect(replaysSuffixLines(complete, linked)).toBe(false);
  });

  it('a line that recurs around the cursor counts only with the line after it', () => {
    const zpipe = contextAt(
      'switch (ret) {\n    case Z_NEED_DICT:\n        break;\n    case Z_STREAM_ERROR:\n    <|>\n        break;\n    case Z_MEM_ERROR:',
      { multiline: true },
    );
    expect(likelyRunOnEnd('fputs("invalid level", stderr);\n        break;\n    case Z_DATA_ERROR:\n', zpipe)).toBe(-1);
    const code = 'fputs("invalid level", stderr);\n        break;\n    case Z_MEM_ERROR:\n';
    expect(code.slice(0, likelyRunOnEnd(code, zpipe))).toBe('fputs("invalid level", stderr);\n        break;');
  });

  it('a short next line (a closing brace) is no evidence', () => {
    expect(
      likelyRunOnEnd('done();\n  log();\n}\n', contextAt('if (ok) {\n  <|>\n}\nnext();', { multiline: true })),
    ).toBe(-1);
  });
});

describe('completeLinesEnd (what a multi-line request that waited long is served of a stream)', () => {
  it.each([
    ['nothing complete yet', 'for (const item of items) {', false, undefined],
    [
      'the complete lines, not the one being written',
      'for (const item of items) {\n    sum += item.price;\n  }',
      false,
      'for (const item of items) {\n    sum += item.price;',
    ],
    ['one complete line', 'for (const item of items) {\n    sum', false, 'for (const item of items) {'],
    ['only blank lines', '\n\n  ', false, undefined],
    ['a look-ahead answer: only its leading line break', '\n  return sum', true, undefined],
    ['a look-ahead answer: the line after its leading line break', '\n  return sum;\n}', true, '\n  return sum;'],
  ])('%s', (_, code, lookahead, served) => {
    const end = completeLinesEnd(code, lookahead);
    expect(end === -1 ? undefined : code.slice(0, end)).toBe(served);
  });
});
