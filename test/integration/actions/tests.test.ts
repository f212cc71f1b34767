/**
 * "Generate unit tests" over stdio, in real temporary repositories: the framework comes from the
 * repository (vitest from package.json, pytest, go test), the tests land in the conventional file
 * (CreateFile when it is missing, appended when it exists), and the answer is a strict JSON shape.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction, CreateFile, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { startFakeOpenAI, type FakeOpenAI } from '../../fake-openai/server.ts';
import { EGLOT_LIKE_CAPABILITIES, Editor, find, RESOLVE_CAPABILITIES } from './editor.ts';

let fake: FakeOpenAI;
let editor: Editor | undefined;
const env = () => ({ OPENAI_API_KEY: 'sk-test-key-0000', OPENAI_BASE_URL: fake.url });
const answer = (header: string, body: string) => () => ({
  kind: 'text' as const,
  text: JSON.stringify({ header, body }),
});

const roots: string[] = [];

function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'ghostline-repo-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await fake.close();
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});
afterEach(async () => {
  await editor?.client.shutdown();
  editor = undefined;
  fake.reset();
});

const CLAMP =
  'export function clamp(x: number, low: number, high: number): number {\n  return Math.min(high, Math.max(low, x));\n}\n';
const CURSOR = { start: { line: 1, character: 4 }, end: { line: 1, character: 4 } };

describe('generate unit tests', () => {
  it('creates the vitest test file next to the source with CreateFile and a versionless edit', async () => {
    const root = repo({
      'package.json': JSON.stringify({ devDependencies: { vitest: '^4.0.0' } }),
      'src/clamp.ts': CLAMP,
    });
    const uri = pathToFileURL(join(root, 'src/clamp.ts')).href;
    fake.setResponder(
      answer(
        "import { describe, expect, it } from 'vitest';\nimport { clamp } from './clamp.ts';",
        "describe('clamp', () => {\n  it('keeps values inside', () => expect(clamp(5, 0, 10)).toBe(5));\n});",
      ),
    );
    editor = await Editor.start(env(), RESOLVE_CAPABILITIES);
    await editor.open(uri, CLAMP);
    const resolved = await editor.resolve(
      find(await editor.codeActions(uri, CURSOR), /Generate unit tests/) as CodeAction,
    );
    const testUri = pathToFileURL(join(root, 'src/clamp.test.ts')).href;
    const [create, edit] = resolved.edit!.documentChanges! as [CreateFile, TextDocumentEdit];
    expect(create).toMatchObject({
      kind: 'create',
      uri: testUri,
      options: { overwrite: false, ignoreIfExists: true },
      annotationId: 'ghostline',
    });
    expect(edit.textDocument).toEqual({ uri: testUri, version: null });
    expect(resolved.edit!.changeAnnotations?.ghostline).toMatchObject({
      label: 'ghostline: generateTests',
      needsConfirmation: false,
    });
    expect(editor.apply(resolved.edit!)).toEqual({ applied: true });
    expect(editor.text(testUri)).toBe(
      "import { describe, expect, it } from 'vitest';\nimport { clamp } from './clamp.ts';\n\ndescribe('clamp', () => {\n  it('keeps values inside', () => expect(clamp(5, 0, 10)).toBe(5));\n});\n",
    );

    const body = fake.requests[0]!.body;
    expect(body.model).toBe('gpt-4.1');
    expect(body.text.format).toMatchObject({ type: 'json_schema', name: 'unit_tests', strict: true });
    expect(body.input).toContain('Test framework: vitest');
    expect(body.input).toContain(`Test file: ${join(root, 'src/clamp.test.ts')} (new file)`);
    expect(body.input).toContain('Code under test is reached as: ./clamp.ts');
  });

  it('appends to an existing test file, adding only the imports it lacks', async () => {
    const existing =
      "import { describe, expect, it } from 'vitest';\nimport { lerp } from './clamp.ts';\n\ndescribe('lerp', () => {\n  it('starts at a', () => expect(lerp(1, 2, 0)).toBe(1));\n});\n";
    const root = repo({
      'package.json': JSON.stringify({ devDependencies: { vitest: '^4.0.0' } }),
      'src/clamp.ts': CLAMP,
      'src/clamp.test.ts': existing,
    });
    const uri = pathToFileURL(join(root, 'src/clamp.ts')).href;
    fake.setResponder(
      answer(
        "import { describe, expect, it } from 'vitest';\nimport { clamp } from './clamp.ts';",
        "describe('clamp', () => {\n  it('clamps high', () => expect(clamp(50, 0, 10)).toBe(10));\n});",
      ),
    );
    editor = await Editor.start(env(), EGLOT_LIKE_CAPABILITIES);
    await editor.open(uri, CLAMP);
    const action = find(await editor.codeActions(uri, CURSOR), /Generate unit tests/) as CodeAction;
    expect(await editor.execute(action.command!)).toEqual({ applied: true });
    const testUri = pathToFileURL(join(root, 'src/clamp.test.ts')).href;
    expect(editor.text(testUri)).toBe(
      "import { describe, expect, it } from 'vitest';\nimport { lerp } from './clamp.ts';\nimport { clamp } from './clamp.ts';\n\ndescribe('lerp', () => {\n  it('starts at a', () => expect(lerp(1, 2, 0)).toBe(1));\n});\n\ndescribe('clamp', () => {\n  it('clamps high', () => expect(clamp(50, 0, 10)).toBe(10));\n});\n",
    );
    expect(fake.requests[0]!.body.input).toContain('(exists)');
  });

  it('puts pytest tests under tests/ and names the module to import', async () => {
    const root = repo({
      'pyproject.toml': '[project]\nname = "shop"\n',
      'tests/__init__.py': '',
      'src/shop/cart.py': 'def total(prices):\n    return sum(prices)\n',
    });
    const uri = pathToFileURL(join(root, 'src/shop/cart.py')).href;
    fake.setResponder(answer('from shop.cart import total', 'def test_total():\n    assert total([1, 2]) == 3'));
    editor = await Editor.start(env(), RESOLVE_CAPABILITIES);
    await editor.open(uri, 'def total(prices):\n    return sum(prices)\n', 'python');
    const resolved = await editor.resolve(
      find(
        await editor.codeActions(uri, { start: { line: 1, character: 4 }, end: { line: 1, character: 4 } }),
        /Generate unit tests/,
      ) as CodeAction,
    );
    const testUri = pathToFileURL(join(root, 'tests/test_cart.py')).href;
    editor.apply(resolved.edit!);
    expect(editor.text(testUri)).toBe(
      'from shop.cart import total\n\ndef test_total():\n    assert total([1, 2]) == 3\n',
    );
    expect(fake.requests[0]!.body.input).toContain('Test framework: pytest');
    expect(fake.requests[0]!.body.input).toContain('Code under test is reached as: shop.cart');
  });

  it('writes a _test.go file in the same package for go test', async () => {
    const source = 'package mathx\n\nfunc Abs(x int) int {\n\tif x < 0 {\n\t\treturn -x\n\t}\n\treturn x\n}\n';
    const root = repo({ 'go.mod': 'module example.com/m\n\ngo 1.22\n', 'mathx/abs.go': source });
    const uri = pathToFileURL(join(root, 'mathx/abs.go')).href;
    fake.setResponder(
      answer(
        'package mathx\n\nimport "testing"',
        'func TestAbs(t *testing.T) {\n\tif Abs(-2) != 2 {\n\t\tt.Fatal("abs")\n\t}\n}',
      ),
    );
    editor = await Editor.start(env(), RESOLVE_CAPABILITIES);
    await editor.open(uri, source, 'go');
    const resolved = await editor.resolve(
      find(
        await editor.codeActions(uri, { start: { line: 4, character: 2 }, end: { line: 4, character: 2 } }),
        /Generate unit tests/,
      ) as CodeAction,
    );
    editor.apply(resolved.edit!);
    const test = editor.text(pathToFileURL(join(root, 'mathx/abs_test.go')).href);
    expect(test.startsWith('package mathx\n\nimport "testing"\n\nfunc TestAbs')).toBe(true);
    expect(fake.requests[0]!.body.input).toContain('Test framework: go test');
    expect(fake.requests[0]!.body.input).toContain('package mathx (same package)');
  });

  it('makes the empty file itself for a client without CreateFile support, then fills it by edit', async () => {
    const root = repo({
      'package.json': JSON.stringify({ devDependencies: { jest: '^29.0.0' } }),
      'lib/clamp.js': CLAMP.replace(/: number/g, ''),
    });
    const uri = pathToFileURL(join(root, 'lib/clamp.js')).href;
    fake.setResponder(
      answer(
        "const { clamp } = require('./clamp.js');",
        "test('clamp', () => {\n  expect(clamp(-1, 0, 1)).toBe(0);\n});",
      ),
    );
    editor = await Editor.start(env(), EGLOT_LIKE_CAPABILITIES);
    await editor.open(uri, CLAMP.replace(/: number/g, ''), 'javascript');
    const action = find(await editor.codeActions(uri, CURSOR), /Generate unit tests/) as CodeAction;
    expect(await editor.execute(action.command!)).toEqual({ applied: true });
    const testPath = join(root, 'lib/clamp.test.js');
    expect(readFileSync(testPath, 'utf8')).toBe('');
    const edit = editor.applyRequests[0]!.edit;
    expect((edit.documentChanges as TextDocumentEdit[]).map((c) => c.textDocument)).toEqual([
      { uri: pathToFileURL(testPath).href, version: null },
    ]);
    expect(editor.text(pathToFileURL(testPath).href)).toContain("test('clamp'");
    expect(fake.requests[0]!.body.input).toContain('Test framework: jest');
  });

  it('refuses with a message when the generated test file does not parse, after one retry', async () => {
    const root = repo({ 'package.json': '{}', 'src/clamp.ts': CLAMP });
    const uri = pathToFileURL(join(root, 'src/clamp.ts')).href;
    fake.setResponder(
      answer("import { test } from 'node:test';", "test('clamp', () => {\n  assert.equal(clamp(1, 0, 2), 1;\n});"),
    );
    editor = await Editor.start(env(), EGLOT_LIKE_CAPABILITIES);
    await editor.open(uri, CLAMP);
    const action = find(await editor.codeActions(uri, CURSOR), /Generate unit tests/) as CodeAction;
    expect(await editor.execute(action.command!)).toBeNull();
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[0]!.body.input).toContain('Test framework: node:test');
    await editor.client.waitForMessage(/tests from gpt-4.1 are unusable \(the test file would not parse/);
    expect(editor.applyRequests).toHaveLength(0);
  });
});
