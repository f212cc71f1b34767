/**
 * stopAtRepetition: a looping suggestion stops where it starts repeating a line three times in a
 * row, or replays the block just before it.
 */
import { describe, expect, it } from 'vitest';
import { stopAtRepetition } from '../../../server/src/engine/postprocess/repetition.ts';
import { contextAt } from './helpers.ts';

describe('stopAtRepetition', () => {
  it.each([
    ['a line three times in a row', '<|>', 'x++;\nx++;\nx++;\nx++;', 'x++;\nx++;'],
    ['a line continuing a run in the prefix', 'log(1);\nlog(1);\n<|>', 'log(1);\nlog(2);', ''],
    [
      'a two-line block replayed',
      'function f() {\n  <|>',
      'a.push(1);\n  b.push(2);\n  a.push(1);\n  b.push(2);',
      'a.push(1);\n  b.push(2);',
    ],
    ['the last prefix lines replayed', 'let a = 1;\nlet b = 2;\n<|>', 'let a = 1;\nlet b = 2;\nlet c = 3;', ''],
    [
      'a replay after new lines',
      'fn f() {\n    <|>',
      'let x = 1;\n    let y = "世界";\n    let x = 1;\n    let y = "世界";',
      'let x = 1;\n    let y = "世界";',
    ],
  ])('stops at %s', (_, fixture, raw, expected) => {
    expect(stopAtRepetition(raw, contextAt(fixture, { multiline: true }))).toBe(expected);
  });

  it.each([
    ['a line twice', '<|>', 'x++;\nx++;\ny++;'],
    ['closing lines at different depths', 'if (a) {\n  if (b) {<|>', '\n    c();\n  }\n}'],
    ['nested callbacks closing', '<|>', 'a(() => {\n  b(() => {\n    c(() => {\n    });\n  });\n});'],
    ['the same closer twice', 'switch (k) {\n  case 1: {<|>', '\n    f();\n  }\n  }'],
    ['blank lines', '<|>', 'a\n\n\n\nb'],
    ['the cursor line when it has text before the cursor', 'foo();\nfoo<|>', '();\nbar();'],
    ['different lines', 'const 名 = 1;\n<|>', 'const 前 = 2;\nconst 後 = 3;'],
  ])('keeps %s', (_, fixture, raw) => {
    expect(stopAtRepetition(raw, contextAt(fixture, { multiline: true }))).toBe(raw);
  });
});
