/**
 * The whole post-processing pipeline on realistic model answers in several languages: each case
 * gives the document with its cursor, the raw answer, and the document as it reads afterwards.
 */
import { describe, expect, it } from 'vitest';
import { fitExplained, postprocess } from '../../../server/src/engine/postprocess.ts';
import { randomDocument, seededRandom } from '../context/fixture.ts';
import { contextAt, inserted, runAt, type Options } from './helpers.ts';

interface Case {
  name: string;
  fixture: string;
  raw: string;
  options?: Options;
  /** The document after inserting the processed suggestion. */
  expected: string;
}

const typescript: Case[] = [
  {
    name: 'drops the echoed current line',
    fixture: 'function add(a: number, b: number) {\n  return <|>\n}',
    raw: 'return a + b;',
    expected: 'function add(a: number, b: number) {\n  return a + b;\n}',
  },
  {
    name: 'drops a partial echo of the word being typed',
    fixture: 'const total = items.red<|>',
    raw: 'reduce((sum, x) => sum + x, 0);',
    expected: 'const total = items.reduce((sum, x) => sum + x, 0);',
  },
  {
    name: 'unwraps a markdown fence',
    fixture: 'const a = 1;\n<|>',
    raw: '```typescript\nconst b = a + 1;\n```',
    options: { multiline: true },
    expected: 'const a = 1;\nconst b = a + 1;',
  },
  {
    name: 'does not double an auto-closed parenthesis',
    fixture: 'console.log(<|>)',
    raw: '"hello (world)");',
    expected: 'console.log("hello (world)")',
  },
  {
    name: 'keeps a closing paren that closes its own call',
    fixture: 'console.log(<|>)',
    raw: 'format(x)',
    expected: 'console.log(format(x))',
  },
  {
    name: 'completes a block between auto-closed braces',
    fixture: 'function f() {<|>}',
    raw: '\n  return 1;\n}',
    options: { multiline: true },
    expected: 'function f() {\n  return 1;\n}',
  },
  {
    name: 'drops a closing brace the next line already has',
    fixture: 'function f() {<|>\n}',
    raw: '\n  return 1;\n}',
    options: { multiline: true },
    expected: 'function f() {\n  return 1;\n}',
  },
  {
    name: 'stops at the end of the enclosing block',
    fixture: 'function f() {\n  const a = 1;\n  <|>\n}',
    raw: 'return a;\n}\n\nfunction g() {}',
    options: { multiline: true },
    expected: 'function f() {\n  const a = 1;\n  return a;\n}',
  },
  {
    name: 'collapses a doubled space',
    fixture: 'const x = <|>',
    raw: ' 42;',
    expected: 'const x = 42;',
  },
  {
    name: 'keeps a space after an arrow',
    fixture: 'const double = (x: number) =><|>',
    raw: ' x * 2;',
    expected: 'const double = (x: number) => x * 2;',
  },
  {
    name: 'cuts at the first line break in single-line mode',
    fixture: 'const x = <|>',
    raw: '1;\nconst y = 2;',
    expected: 'const x = 1;',
  },
  {
    name: 'drops text the rest of the line already has',
    fixture: 'const <|> = 1;',
    raw: 'answer = 1;',
    expected: 'const answer = 1;',
  },
  {
    name: 'strips echoed prompt tags',
    fixture: 'let n = <|>;',
    raw: '<cursor>count + 1</file>',
    expected: 'let n = count + 1;',
  },
  {
    name: 'completes a callback body before `});`',
    fixture: 'useEffect(() => {<|>});',
    raw: '\n  subscribe();\n  return () => unsubscribe();\n});',
    options: { multiline: true },
    expected: 'useEffect(() => {\n  subscribe();\n  return () => unsubscribe();\n});',
  },
];

const python: Case[] = [
  {
    name: 'keeps the body and stops at the next definition',
    fixture: 'def greet(name):\n    <|>',
    raw: '    return f"Hello, {name}!"\n\ndef other():\n    pass',
    options: { languageId: 'python', multiline: true },
    expected: 'def greet(name):\n    return f"Hello, {name}!"',
  },
  {
    name: 'keeps else branches of the block the cursor opened',
    fixture: 'if x > 0:<|>',
    raw: '\n    print(x)\nelse:\n    print(-x)\nprint("done")',
    options: { languageId: 'python', multiline: true },
    expected: 'if x > 0:\n    print(x)\nelse:\n    print(-x)',
  },
  {
    name: 'drops the echoed start of the line',
    fixture: 'for i in ra<|>',
    raw: 'for i in range(10):',
    options: { languageId: 'python' },
    expected: 'for i in range(10):',
  },
  {
    name: 'drops an echoed signature line',
    fixture: 'class Greeter:\n    def greet(self, name):\n        <|>',
    raw: 'def greet(self, name):\n        return "hi " + name',
    options: { languageId: 'python', multiline: true },
    expected: 'class Greeter:\n    def greet(self, name):\n        return "hi " + name',
  },
];

const go: Case[] = [
  {
    name: 'closes a string argument with non-ASCII text once',
    fixture: 'func main() {\n\tfmt.Println(<|>)\n}',
    raw: '"héllo, 世界")',
    options: { languageId: 'go' },
    expected: 'func main() {\n\tfmt.Println("héllo, 世界")\n}',
  },
  {
    name: 'completes an if block with tabs and keeps its closer',
    fixture: 'func f() error {\n\tif err != nil {<|>\n\treturn nil\n}',
    raw: '\n\t\treturn err\n\t}\n\treturn nil\n}',
    options: { languageId: 'go', multiline: true },
    expected: 'func f() error {\n\tif err != nil {\n\t\treturn err\n\t}\n\treturn nil\n}',
  },
];

const rust: Case[] = [
  {
    name: 'closes a closure call once',
    fixture: 'let v: Vec<i32> = xs.iter().map(|x| <|>).collect();',
    raw: 'x * 2).collect();',
    options: { languageId: 'rust' },
    expected: 'let v: Vec<i32> = xs.iter().map(|x| x * 2).collect();',
  },
  {
    name: 'completes match arms and stops after the closing brace',
    fixture: 'match cmd {<|>',
    raw: '\n    Cmd::Run => run(),\n    Cmd::Stop => stop(),\n}\n\nfn next() {}',
    options: { languageId: 'rust', multiline: true },
    expected: 'match cmd {\n    Cmd::Run => run(),\n    Cmd::Stop => stop(),\n}',
  },
];

const text: Case[] = [
  {
    name: 'closes a Japanese string once',
    fixture: 'const greeting = "こんにちは<|>";',
    raw: '、世界 🌏";',
    expected: 'const greeting = "こんにちは、世界 🌏";',
  },
  {
    name: 'drops an echoed comment with emoji',
    fixture: '// TODO 🦜 fix<|>',
    raw: '// TODO 🦜 fix the parser',
    expected: '// TODO 🦜 fix the parser',
  },
  {
    name: 'keeps a fenced block in markdown',
    fixture: '# Usage\n\n<|>',
    raw: '```sh\nnpm install\n```',
    options: { languageId: 'markdown', multiline: true },
    expected: '# Usage\n\n```sh\nnpm install\n```',
  },
];

describe.each([
  ['typescript', typescript],
  ['python', python],
  ['go', go],
  ['rust', rust],
  ['text and markup', text],
])('postprocess: %s', (_, cases) => {
  it.each(cases)('$name', ({ fixture, raw, options, expected }) => {
    expect(inserted(fixture, runAt(fixture, raw, options))).toBe(expected);
  });
});

describe('postprocess: shape', () => {
  it('limits a suggestion to maxLines lines', () => {
    const raw = 'a();\nb();\nc();\nd();\ne();';
    expect(runAt('<|>', raw, { multiline: true, maxLines: 2 })).toBe('a();\nb();');
  });

  it('returns an empty string for whitespace only', () => {
    expect(runAt('x = <|>', '   \n\n  ', { multiline: true })).toBe('');
    expect(runAt('x = <|>', '')).toBe('');
  });

  it('returns an empty string when the answer only repeats the suffix', () => {
    expect(runAt('foo(<|>)', ')')).toBe('');
    expect(runAt('  <|>\n  return x;', 'return x;', { multiline: true })).toBe('');
  });

  it('keeps the model indentation at column 0 of an empty line', () => {
    expect(runAt('class A {\n<|>\n}', '  method() {}', { multiline: true })).toBe('  method() {}');
  });

  it('writes CRLF when the document uses CRLF', () => {
    const result = postprocess({
      raw: '\n  return 1;\n}',
      prefix: 'int f() {\r\n  int a;\r\nvoid g() {',
      suffix: '\r\n',
      languageId: 'c',
      multiline: true,
      maxLines: 12,
    });
    expect(result).toBe('\r\n  return 1;\r\n}');
  });

  it('stops a looping answer', () => {
    const raw = 'log(1);\n  log(1);\n  log(1);\n  log(1);\n  log(1);';
    expect(runAt('function f() {\n  <|>\n}', raw, { multiline: true })).toBe('log(1);\n  log(1);');
  });
});

describe('postprocess: invariants on random answers', () => {
  it('holds the shape rules whatever the model sends', () => {
    const random = seededRandom(11);
    const noise = [
      '```ts',
      '```',
      '<cursor>',
      '</file>',
      '<mode>multi-line</mode>',
      '\r\n',
      '\n',
      '    ',
      '\t',
      '}',
      ')',
      '"',
      '😀',
      '世界',
    ];
    for (let round = 0; round < 300; round++) {
      const text = randomDocument(random, 1 + Math.floor(random() * 30));
      const offset = Math.floor(random() * (text.length + 1));
      const start = Math.floor(random() * text.length);
      let raw = text.slice(start, start + Math.floor(random() * 200));
      for (let i = Math.floor(random() * 4); i > 0; i--) raw += noise[Math.floor(random() * noise.length)]!;
      const multiline = random() < 0.5;
      const maxLines = 1 + Math.floor(random() * 6);
      const result = postprocess({
        raw,
        prefix: text.slice(0, offset),
        suffix: text.slice(offset),
        languageId: 'typescript',
        multiline,
        maxLines,
      });

      expect(result === '' || result.trim() !== '').toBe(true);
      expect(result.split('\n').length).toBeLessThanOrEqual(multiline ? maxLines : 1);
      if (!text.includes('\r')) expect(result).not.toContain('\r');
    }
  });
});

describe('fitExplained', () => {
  it.each([
    ['    total += x;<|>\n}', '\n    return total;', false, 'keepFirstLine'],
    ['const x = <|>', '', false, 'no code'],
    ['const x = <|>', '   ', false, 'collapseDoubleSpace'],
    ['  return total;<|>\n}', '\n}', true, 'dropSuffixLines'],
  ])('%j + %j: the step that left nothing (multiline %s) is %s', (fixture, code, multiline, step) => {
    const fitted = fitExplained(code, contextAt(fixture, { multiline }));
    expect(fitted).toEqual({ text: '', emptiedBy: step });
  });

  it('gives the text and no step when something is left', () => {
    expect(fitExplained('42;', contextAt('const x = <|>'))).toEqual({ text: '42;' });
  });
});
