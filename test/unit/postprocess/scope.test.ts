/**
 * limitScope: a multi-line suggestion stays inside the block the cursor is in or opened, keeping
 * that block's closing line once.
 */
import { describe, expect, it } from 'vitest';
import { isClosingLine, limitScope } from '../../../server/src/engine/postprocess/scope.ts';
import { contextAt } from './helpers.ts';

describe('limitScope: the cursor line opens a block', () => {
  it.each([
    ['TypeScript function', 'function f() {<|>', '\n  return 1;\n}\n\nfunction g() {}', '\n  return 1;\n}'],
    [
      'nested blocks inside',
      'for (const x of xs) {<|>',
      '\n  if (x) {\n    log(x);\n  }\n}\nafter();',
      '\n  if (x) {\n    log(x);\n  }\n}',
    ],
    [
      'an else branch continues the statement',
      'if (a) {<|>',
      '\n  b();\n} else {\n  c();\n}\nd();',
      '\n  b();\n} else {\n  c();\n}',
    ],
    [
      'a call spread over lines',
      '  const x = foo(<|>',
      '\n    a,\n    b,\n  );\n  return x;',
      '\n    a,\n    b,\n  );',
    ],
    [
      'the body written on the first line',
      '  items.forEach(<|>',
      '(item) => {\n    log(item);\n  });\n  done();',
      '(item) => {\n    log(item);\n  });',
    ],
    [
      'Python body and the next def',
      'def f(x):<|>',
      '\n    if x:\n        return 1\n    return 0\n\ndef g():\n    pass',
      '\n    if x:\n        return 1\n    return 0\n',
    ],
    [
      'Python elif/else',
      'if x:<|>',
      '\n    a()\nelif y:\n    b()\nelse:\n    c()\nd()',
      '\n    a()\nelif y:\n    b()\nelse:\n    c()',
    ],
    ['Go with tabs', '\tif err != nil {<|>', '\n\t\treturn err\n\t}\n\treturn nil', '\n\t\treturn err\n\t}'],
    [
      'Rust match',
      'match c {<|>',
      "\n    'a' => 1,\n    '🦜' => 2,\n    _ => 0,\n}\nfn g() {}",
      "\n    'a' => 1,\n    '🦜' => 2,\n    _ => 0,\n}",
    ],
    ['Lua then … end', 'if ok then<|>', '\n  run()\nend\nprint("日本")', '\n  run()\nend'],
    ['a body with the wrong indentation is dropped', 'def f():<|>', '\nreturn 1', ''],
  ])('%s', (_, fixture, raw, expected) => {
    expect(limitScope(raw, contextAt(fixture, { multiline: true }))).toBe(expected);
  });
});

describe('limitScope: the cursor is inside a block', () => {
  it.each([
    [
      'stops after the enclosing closer',
      'function f() {\n  const a = 1;\n  <|>',
      'return a;\n}\n\nfunction g() {}',
      'return a;\n}',
    ],
    [
      'keeps statements at the same level',
      'function f() {\n  <|>',
      'const a = 1;\n  const b = 2;\n  return a + b;',
      'const a = 1;\n  const b = 2;\n  return a + b;',
    ],
    [
      'stops before a dedented statement',
      'def f():\n    x = 1\n    <|>',
      'y = 2\n    return x + y\nprint(f())',
      'y = 2\n    return x + y',
    ],
    ['stops before a branch of the outer statement', 'if (a) {\n  <|>', 'b();\n} else {\n  c();\n}', 'b();'],
    [
      'takes its level from the first written line',
      'class A {\n<|>',
      '  m() {}\n  n() {}\n}\nconst a = new A();',
      '  m() {}\n  n() {}\n}',
    ],
    ['top level has no limit', '<|>', 'import os\n\nprint(os.name)', 'import os\n\nprint(os.name)'],
    ['a single line is left alone', '  <|>', 'x', 'x'],
  ])('%s', (_, fixture, raw, expected) => {
    expect(limitScope(raw, contextAt(fixture, { multiline: true }))).toBe(expected);
  });
});

describe('isClosingLine', () => {
  it.each([
    ['}', true],
    ['  });', true],
    ['],', true],
    [')', true],
    ['end', true],
    ['fi', true],
    ['} else {', false],
    ['return x', false],
    ['endless()', false],
  ])('%j → %s', (line, expected) => {
    expect(isClosingLine(line)).toBe(expected);
  });
});
