/**
 * The completion prompt: byte-stable instructions, the exact input format the fake model server
 * reads, and parseCompletionInput as its inverse.
 */
import { describe, expect, it } from 'vitest';
import {
  completionPrompt,
  parseCompletionInput,
  promptCacheKey,
  PROMPT_TEMPLATE_VERSION,
  type CompletionPromptArgs,
} from '../../../server/src/context/prompt.ts';
import { atCursor, randomDocument, seededRandom } from './fixture.ts';

function args(fixture: string, extra: Partial<CompletionPromptArgs> = {}): CompletionPromptArgs {
  const { prefix, suffix } = atCursor(fixture);
  return { path: 'src/app.ts', languageId: 'typescript', prefix, suffix, multiline: false, ...extra };
}

describe('completionPrompt', () => {
  it('writes the file with its cursor, then the mode last', () => {
    const { input } = completionPrompt(args('function add(a, b) {\n  return <|>\n}', { multiline: true }));
    expect(input).toBe(
      '<file path="src/app.ts" language="typescript">\n' +
        'function add(a, b) {\n  return <cursor>\n}\n' +
        '</file>\n' +
        '<mode>multi-line</mode>',
    );
  });

  it('writes single-line mode', () => {
    expect(completionPrompt(args('x = <|>')).input.endsWith('\n<mode>single-line</mode>')).toBe(true);
  });

  it('writes snippets before the file, so a mode switch keeps the shared prefix', () => {
    const snippets = [
      { path: 'src/math.ts', kind: 'definition', text: 'export function add(a: number, b = 1): number { ... }' },
      { path: 'src/other.ts', kind: 'similar', text: 'const y = add(1);' },
    ];
    const single = completionPrompt(args('x = <|>', { snippets })).input;
    const multi = completionPrompt(args('x = <|>', { snippets, multiline: true })).input;
    expect(
      single.startsWith(
        '<snippet path="src/math.ts" kind="definition">\nexport function add(a: number, b = 1): number { ... }\n</snippet>\n<snippet path="src/other.ts"',
      ),
    ).toBe(true);
    const shared = single.slice(
      0,
      [...single].findIndex((ch, i) => ch !== multi[i]),
    );
    expect(shared).toContain('x = <cursor>\n</file>\n<mode>');
  });

  it('marks where each snippet ends, so the guard can redact them as separate blocks', () => {
    const snippets = [
      { path: 'src/math.ts', kind: 'definition', text: 'export function add(a: number, b = 1): number { ... }' },
      { path: 'src/other.ts', kind: 'similar', text: 'const y = add(1);' },
    ];
    const { input, blocks } = completionPrompt(args('x = <|>', { snippets }));
    expect(blocks).toHaveLength(2);
    expect(input.slice(0, blocks[0]).endsWith('{ ... }\n</snippet>\n')).toBe(true);
    expect(input.slice(blocks[0], blocks[1])).toBe(
      '<snippet path="src/other.ts" kind="similar">\nconst y = add(1);\n</snippet>\n',
    );
    expect(input.slice(blocks[1]).startsWith('<file path=')).toBe(true);
    expect(completionPrompt(args('x = <|>')).blocks).toEqual([]);
  });

  it('keeps the instructions byte-identical across files, languages and modes', () => {
    const a = completionPrompt(args('fn main() {<|>}', { path: 'src/main.rs', languageId: 'rust', multiline: true }));
    const b = completionPrompt(args('def f(<|>', { path: 'a.py', languageId: 'python' }));
    expect(a.instructions).toBe(b.instructions);
    expect(a.instructions).not.toMatch(/rust|python|main\.rs/);
    for (const rule of [
      'only the text to insert at <cursor>',
      'no markdown code fences',
      'no explanation',
      'never repeat text',
    ]) {
      expect(a.instructions).toContain(rule);
    }
  });

  it('escapes quotes and ampersands in attributes and a literal <cursor> in the code', () => {
    const { input } = completionPrompt(args('const tag = "<cursor>";<|>', { path: 'we"ird & odd.ts' }));
    expect(input).toContain('path="we&quot;ird &amp; odd.ts"');
    expect(input.match(/<cursor>/g)).toHaveLength(1);
  });
});

describe('parseCompletionInput', () => {
  it.each([
    ['typescript', 'src/app.ts', 'const total = items.<|>reduce();', false],
    ['python', 'pkg/mod.py', 'def f(x):\n    <|>\n', true],
    ['go', 'main.go', 'func main() {\n\tfmt.Println(<|>)\n}', false],
    ['rust', 'src/lib.rs', 'let v: Vec<_> = xs.iter().map(|x| x <|>).collect();', false],
    ['markdown', 'README 日本語.md', '# 見出し 😀\n\nText <|> more 🦜', true],
    ['typescript', 'a "quoted" & <odd>\npath.ts', 'const s = "<cursor>"; // <cursor\\>\n<|></file>\n</file>', true],
    ['plaintext', 'empty.txt', '<|>', false],
  ])('round-trips %s (%s)', (languageId, path, fixture, multiline) => {
    const original = args(fixture, { languageId, path, multiline });
    expect(parseCompletionInput(completionPrompt(original).input)).toEqual(original);
  });

  it('round-trips snippets, including ones that hold the tags themselves', () => {
    const original = args('a<|>b', {
      snippets: [
        {
          path: 'x "y".ts',
          kind: 'definition',
          text: 'const s = "</snippet>"; // <cursor> </snippet\\>\n</snippet>\n',
        },
        { path: 'b.py', kind: 'edit', text: '' },
        {
          path: 'c.go',
          kind: 'similar',
          text: '<file path="z" language="go">\n<cursor>\n</file>\n<mode>single-line</mode>',
        },
      ],
    });
    const input = completionPrompt(original).input;
    expect(input.match(/<cursor>/g)).toHaveLength(1);
    expect(parseCompletionInput(input)).toEqual(original);
  });

  it('round-trips random documents', () => {
    const random = seededRandom(3);
    for (let i = 0; i < 100; i++) {
      const text = randomDocument(random, 1 + Math.floor(random() * 20));
      const cut = Math.floor(random() * (text.length + 1));
      const original = {
        path: `dir/f${i}.ts`,
        languageId: 'typescript',
        prefix: text.slice(0, cut),
        suffix: text.slice(cut),
        multiline: random() < 0.5,
      };
      expect(parseCompletionInput(completionPrompt(original).input)).toEqual(original);
    }
  });

  it.each([
    ['not a prompt', 'hello'],
    ['no cursor', '<file path="a" language="b">\nabc\n</file>\n<mode>single-line</mode>'],
    ['two cursors', '<file path="a" language="b">\na<cursor>b<cursor>c\n</file>\n<mode>single-line</mode>'],
    ['unknown mode', '<file path="a" language="b">\n<cursor>\n</file>\n<mode>fast</mode>'],
    ['the old layout (mode first)', '<mode>single-line</mode>\n<file path="a" language="b">\n<cursor>\n</file>'],
  ])('rejects %s', (_, input) => {
    expect(parseCompletionInput(input)).toBeUndefined();
  });
});

describe('promptCacheKey', () => {
  it('is short, stable and versioned', () => {
    const key = promptCacheKey('src/app.ts', 'typescript');
    expect(key).toBe(promptCacheKey('src/app.ts', 'typescript'));
    expect(key.startsWith(`ghostline:${PROMPT_TEMPLATE_VERSION}:typescript:`)).toBe(true);
    expect(key.length).toBeLessThanOrEqual(64);
    expect(
      promptCacheKey(`${'/home/someone/very/long/path/'.repeat(20)}x.ts`, 'typescript').length,
    ).toBeLessThanOrEqual(64);
  });

  it('separates files and languages', () => {
    expect(promptCacheKey('a.ts', 'typescript')).not.toBe(promptCacheKey('b.ts', 'typescript'));
    expect(promptCacheKey('a.ts', 'typescript')).not.toBe(promptCacheKey('a.ts', 'javascript'));
  });
});
