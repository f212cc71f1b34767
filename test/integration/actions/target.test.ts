/**
 * Action probes over stdio: with only a cursor outside any function (an import, a constant), the
 * region sent to the model is the statement around the cursor, never the whole module — in Python
 * (whose root node is `module`) and TypeScript (`program`) alike.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction } from 'vscode-languageserver-protocol';
import { startFakeOpenAI, type FakeOpenAI } from '../../fake-openai/server.ts';
import { Editor, find, RESOLVE_CAPABILITIES } from './editor.ts';

let fake: FakeOpenAI;
let editor: Editor | undefined;
const env = () => ({ OPENAI_API_KEY: 'sk-test-key-0000', OPENAI_BASE_URL: fake.url });

beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await fake.close();
});
afterEach(async () => {
  await editor?.client.shutdown();
  editor = undefined;
  fake.reset();
});

/** The region of the last prompt the model received. */
function regionSent(): string {
  const input = String(fake.requests.at(-1)!.body.input);
  return /<region>\n([\s\S]*?)\n?<\/region>/.exec(input)![1]!;
}

/** The model answers with the region it was given, unchanged. */
function echoRegion(): void {
  fake.setResponder((req) => ({
    kind: 'text',
    text: /<region>\n([\s\S]*?)\n?<\/region>/.exec(String(req.body.input))?.[1] ?? '',
  }));
}

const cursorAt = (line: number, character: number) => ({ start: { line, character }, end: { line, character } });

/** A module of about 130 lines: imports, a constant, functions, a main block. */
const PYTHON = [
  'import math',
  'import sys',
  '',
  'SCALE = 2',
  '',
  ...Array.from({ length: 20 }, (_, i) =>
    [`def f${i}(x):`, `    """Scales x by ${i}."""`, `    y = math.sqrt(x) * ${i}`, '    return y * SCALE', ''].join(
      '\n',
    ),
  ),
  'if __name__ == "__main__":',
  '    print(f1(float(sys.argv[1])))',
  '',
].join('\n');

/** A TypeScript file with no blank line at all, so the old paragraph fallback was the whole file. */
const TYPESCRIPT = [
  "import { readFileSync } from 'node:fs';",
  "import { join } from 'node:path';",
  'const ROOT = process.cwd();',
  ...Array.from(
    { length: 30 },
    (_, i) =>
      `export function read${i}(name: string): string {\n  return readFileSync(join(ROOT, name + '${i}'), 'utf8');\n}`,
  ),
  '',
].join('\n');

describe('a cursor outside any function', () => {
  it('sends only the Python statement under the cursor to Refactor and Document, and a few lines to Fix', async () => {
    echoRegion();
    editor = await Editor.start(env(), RESOLVE_CAPABILITIES);
    const uri = 'file:///work/demo/scale.py';
    await editor.open(uri, PYTHON, 'python');
    for (const title of [/^ghostline: Refactor$/, /doc comment/]) {
      await editor.resolve(find(await editor.codeActions(uri, cursorAt(0, 3)), title));
      expect(regionSent()).toBe('import math');
    }
    await editor.resolve(find(await editor.codeActions(uri, cursorAt(3, 2)), /^ghostline: Refactor$/));
    expect(regionSent()).toBe('SCALE = 2');
    // On the blank line before a function, the function that follows.
    await editor.resolve(find(await editor.codeActions(uri, cursorAt(4, 0)), /^ghostline: Refactor$/));
    expect(regionSent()).toBe(PYTHON.split('\n').slice(5, 9).join('\n'));

    const diagnostic = {
      range: { start: { line: 1, character: 7 }, end: { line: 1, character: 10 } },
      message: "'sys' imported but unused",
      source: 'pyflakes',
      severity: 2,
    };
    const fixes = await editor.codeActions(uri, diagnostic.range, { diagnostics: [diagnostic], only: ['quickfix'] });
    await editor.resolve(fixes[0] as CodeAction);
    expect(regionSent().split('\n').length).toBeLessThanOrEqual(8);
    expect(regionSent()).toContain('import sys');
    expect(fake.requests.every((r) => String(r.body.input).split('\n').length < PYTHON.split('\n').length)).toBe(true);
  });

  it('sends only the TypeScript import under the cursor, not the file around it', async () => {
    echoRegion();
    editor = await Editor.start(env(), RESOLVE_CAPABILITIES);
    const uri = 'file:///work/demo/src/read.ts';
    await editor.open(uri, TYPESCRIPT);
    await editor.resolve(find(await editor.codeActions(uri, cursorAt(1, 5)), /^ghostline: Refactor$/));
    expect(regionSent()).toBe("import { join } from 'node:path';");
    await editor.resolve(find(await editor.codeActions(uri, cursorAt(2, 8)), /doc comment/));
    expect(regionSent()).toBe('const ROOT = process.cwd();');
  });
});
