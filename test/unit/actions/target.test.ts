/**
 * Which region an action works on, and the tree-sitter parse check: cursors widen to the enclosing
 * declaration (exports, decorators and doc comments included), selections to whole lines, and
 * syntax errors are found only where the new code went. Cursors are marked with `|` in fixtures.
 */
import { describe, expect, it } from 'vitest';
import { checkParses } from '../../../server/src/actions/check.ts';
import { syntaxErrors } from '../../../server/src/actions/syntax.ts';
import { targetSpan, wholeLines } from '../../../server/src/actions/target.ts';
import type { ActionName } from '../../../server/src/lsp/protocol.ts';

/** Runs targetSpan at the `|` in the fixture and returns the text of the span. */
async function target(action: ActionName, languageId: string, fixture: string): Promise<string> {
  const cursor = fixture.indexOf('|');
  const text = fixture.replace('|', '');
  const span = await targetSpan(action, text, languageId, { start: cursor, end: cursor });
  return text.slice(span.start, span.end);
}

describe('targetSpan', () => {
  it('takes the exported function around the cursor (TypeScript)', async () => {
    const fixture =
      'import x from "x";\n\n/** Doc. */\nexport function f(a: number) {\n  return a |+ 1;\n}\n\nconst y = 2;\n';
    expect(await target('refactor', 'typescript', fixture)).toBe('export function f(a: number) {\n  return a + 1;\n}');
    expect(await target('document', 'typescript', fixture)).toBe(
      '/** Doc. */\nexport function f(a: number) {\n  return a + 1;\n}',
    );
  });

  it('takes a const arrow function whole', async () => {
    expect(
      await target('generateTests', 'typescript', 'const add = (a: number, b: number) => {\n  return a |+ b;\n};\n'),
    ).toBe('const add = (a: number, b: number) => {\n  return a + b;\n};');
  });

  it('takes the method, not the class, inside a class', async () => {
    expect(await target('explain', 'typescript', 'class A {\n  run() {\n    go(|);\n  }\n}\n')).toBe(
      '  run() {\n    go();\n  }',
    );
  });

  it('includes decorators in Python and Rust doc lines', async () => {
    expect(await target('refactor', 'python', '@cache\ndef f(x):\n    return |x\n')).toBe(
      '@cache\ndef f(x):\n    return x',
    );
    expect(await target('document', 'rust', '/// Adds.\n/// Twice.\nfn add(a: i32) -> i32 {\n    a |+ a\n}\n')).toBe(
      '/// Adds.\n/// Twice.\nfn add(a: i32) -> i32 {\n    a + a\n}',
    );
  });

  it('keeps only the head of a long declaration for doc comments (Python docstring included)', async () => {
    const body = Array.from({ length: 50 }, (_, i) => `    x${i} = ${i}`).join('\n');
    expect(
      await target('document', 'python', `def big():\n    """Old doc."""\n${body.replace('x3 =', 'x3| =')}\n`),
    ).toBe('def big():\n    """Old doc."""');
  });

  it('takes the statement around a cursor outside any declaration, never the whole file', async () => {
    const python = 'import os\nimport ma|th\n\nRATE = 2\n\ndef f(x):\n    return x * RATE\n\nprint(f(2))\n';
    for (const action of ['refactor', 'document', 'explain', 'generateTests'] as const)
      expect(await target(action, 'python', python)).toBe('import math');
    // Fix widens to a few lines around the cursor, not the module.
    expect(await target('fix', 'python', python)).toBe('import os\nimport math\n\nRATE = 2\n');
    expect(await target('refactor', 'python', 'x = 1\n|\nif x:\n    print(x)\n')).toBe('if x:\n    print(x)');
    expect(await target('refactor', 'python', 'x = 1\nif x:\n    print(|x)\n')).toBe('if x:\n    print(x)');
    const typescript =
      'import { a } from "a";\nimport { b } f|rom "b";\nconst c = a + b;\nexport function d() {\n  return c;\n}\n';
    expect(await target('refactor', 'typescript', typescript)).toBe('import { b } from "b";');
    expect(await target('refactor', 'javascript', 'const a = 1;\n// note|\nconst b = 2;\n')).toBe('const b = 2;');
    expect(
      await target('document', 'go', 'package main\n\nimport "f|mt"\n\nfunc main() {\n\tfmt.Println(1)\n}\n'),
    ).toBe('import "fmt"');
    expect(await target('refactor', 'rust', 'use std::i|o;\n\nfn main() {\n    io::stdin();\n}\n')).toBe(
      'use std::io;',
    );
    // Ruby's `module` is a declaration, not the file.
    expect(await target('refactor', 'ruby', 'require "x"\nmodule Util\n  X = |1\nend\n')).toBe(
      'module Util\n  X = 1\nend',
    );
  });

  it('takes the outermost statement that is not too long inside a long top-level call', async () => {
    const cases = Array.from(
      { length: 40 },
      (_, i) => `  it('case ${i}', () => {\n    expect(${i}).toBe(${i});\n  });`,
    ).join('\n');
    const fixture = `describe('all', () => {\n${cases.replace('expect(7)', 'expect(|7)')}\n});\n`;
    expect(await target('refactor', 'typescript', fixture)).toBe(
      "  it('case 7', () => {\n    expect(7).toBe(7);\n  });",
    );
  });

  it('falls back to the paragraph around the cursor without a grammar', async () => {
    expect(await target('refactor', 'haskell', 'a = 1\n\nf x =\n  x |+ 1\n\ng = 2\n')).toBe('f x =\n  x + 1');
  });

  it('widens a selection to whole lines, stopping before a line it ends at column 0', () => {
    const text = 'one\ntwo\nthree\n';
    expect(wholeLines(text, { start: 5, end: 8 })).toEqual({ start: 4, end: 7 });
    expect(wholeLines(text, { start: 5, end: 9 })).toEqual({ start: 4, end: 13 });
  });
});

describe('the parse check', () => {
  it('finds syntax errors with their lines', async () => {
    const errors = await syntaxErrors('typescript', 'const a = 1;\nconst b = (2;\n');
    expect(errors?.length).toBeGreaterThan(0);
    expect(errors?.[0]?.line).toBe(2);
    expect(await syntaxErrors('cobol', 'anything')).toBeUndefined();
  });

  it('fails a replacement that adds errors, and reports lines relative to the region', async () => {
    const text = 'function a() {}\nfunction b() {\n  return 1;\n}\n';
    const start = text.indexOf('function b');
    const end = text.length - 1;
    expect(
      await checkParses({ languageId: 'typescript', text, start, end, replacement: 'function b() {\n  return 2;\n}' }),
    ).toBeUndefined();
    const problems = await checkParses({
      languageId: 'typescript',
      text,
      start,
      end,
      replacement: 'function b() {\n  return (2;\n}',
    });
    expect(problems?.[0]?.line).toBe(2);
  });

  it('lets a rewrite keep errors the code already had elsewhere, but a fix must remove them', async () => {
    const text = 'function b() {\n  return (1;\n}\n';
    const end = text.length - 1;
    expect(
      await checkParses({
        languageId: 'typescript',
        text,
        start: 0,
        end,
        replacement: 'function b() {\n  return (2;\n}',
      }),
    ).toBeUndefined();
    expect(
      await checkParses({
        languageId: 'typescript',
        text,
        start: 0,
        end,
        replacement: 'function b() {\n  return (2;\n}',
        mustImprove: true,
      }),
    ).toBeDefined();
  });
});
