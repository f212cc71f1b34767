/**
 * The other editing actions over stdio: fixing a diagnostic from another server (quickfix), doc
 * comments in the language's convention (no confirmation asked), refactor variants picked through
 * showMessageRequest or later from the menu, and refactor with an instruction.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { startFakeOpenAI, type FakeOpenAI } from '../../fake-openai/server.ts';
import { EGLOT_LIKE_CAPABILITIES, Editor, find, RESOLVE_CAPABILITIES } from './editor.ts';

const URI = 'file:///work/demo/src/user.ts';
const SOURCE =
  'export function greet(user: { name?: string }): string {\n  return "Hello, " + user.name.toUpperCase();\n}\n';
const FUNCTION = { start: { line: 0, character: 0 }, end: { line: 2, character: 1 } };

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

describe('fix this diagnostic', () => {
  it('fixes a diagnostic another server reported, with gpt-4.1 and the diagnostic in the prompt', async () => {
    const fixed =
      'export function greet(user: { name?: string }): string {\n  return "Hello, " + (user.name ?? "stranger").toUpperCase();\n}';
    fake.setResponder(() => ({ kind: 'text', text: fixed }));
    editor = await Editor.start(env(), RESOLVE_CAPABILITIES);
    await editor.open(URI, SOURCE);
    const diagnostic = {
      range: { start: { line: 1, character: 20 }, end: { line: 1, character: 29 } },
      message: "'user.name' is possibly 'undefined'.",
      source: 'ts',
      code: 18048,
      severity: 1,
    };
    const actions = await editor.codeActions(URI, diagnostic.range, { diagnostics: [diagnostic], only: ['quickfix'] });
    expect(actions).toHaveLength(1);
    const resolved = await editor.resolve(actions[0] as CodeAction);
    expect(resolved.diagnostics).toEqual([diagnostic]);
    const [change] = resolved.edit!.documentChanges! as TextDocumentEdit[];
    expect(change!.edits).toHaveLength(1);
    expect(change!.edits[0]).toMatchObject({ newText: '(user.name ?? "stranger")', annotationId: 'ghostline' });
    editor.apply(resolved.edit!);
    expect(editor.text(URI)).toBe(`${fixed}\n`);
    const body = fake.requests[0]!.body;
    expect(body.model).toBe('gpt-4.1');
    expect(body.instructions).toMatch(/diagnostic goes away/);
    expect(body.input).toContain(
      "Diagnostic to fix (ts 18048), on line 2 of the region: 'user.name' is possibly 'undefined'.",
    );
  });

  it('titles the progress of a fix without a diagnostic message "Fix", never \'Fix ""\' (#13 item 14)', async () => {
    fake.setResponder(() => ({
      kind: 'text',
      text: SOURCE.trimEnd().replace('user.name.toUpperCase()', '(user.name ?? "").toUpperCase()'),
    }));
    editor = await Editor.start(env(), RESOLVE_CAPABILITIES);
    await editor.open(URI, SOURCE);
    const diagnostic = {
      range: { start: { line: 1, character: 20 }, end: { line: 1, character: 29 } },
      message: '',
      severity: 1,
    };
    const [action] = await editor.codeActions(URI, diagnostic.range, { diagnostics: [diagnostic], only: ['quickfix'] });
    expect((action as CodeAction).title).toBe('ghostline: Fix');
    await editor.resolve(action as CodeAction);
    expect(editor.progress.find((p) => p.value.kind === 'begin')!.value.title).toBe('ghostline: Fix');
  });
});

describe('doc comments', () => {
  it('adds a JSDoc comment without asking for confirmation (SSOT review policy), with gpt-4.1-mini', async () => {
    const documented = `/**\n * Greets a user by name.\n * @param user - who to greet\n * @returns the greeting\n */\n${SOURCE.trimEnd()}`;
    fake.setResponder(() => ({ kind: 'text', text: documented }));
    editor = await Editor.start(env(), RESOLVE_CAPABILITIES);
    await editor.open(URI, SOURCE);
    const resolved = await editor.resolve(
      find(
        await editor.codeActions(URI, { start: { line: 1, character: 3 }, end: { line: 1, character: 3 } }),
        /doc comment/,
      ) as CodeAction,
    );
    const [change] = resolved.edit!.documentChanges! as TextDocumentEdit[];
    expect(change!.edits).toEqual([
      {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        newText: '/**\n * Greets a user by name.\n * @param user - who to greet\n * @returns the greeting\n */\n',
      },
    ]);
    expect(resolved.edit!.changeAnnotations).toBeUndefined();
    const body = fake.requests[0]!.body;
    expect(body.model).toBe('gpt-4.1-mini');
    expect(body.input).toContain('Doc comment convention: JSDoc');
  });

  it('names the docstring convention for Python', async () => {
    const source = 'def area(w, h):\n    return w * h\n';
    fake.setResponder(() => ({
      kind: 'text',
      text: 'def area(w, h):\n    """Return the area of a w by h rectangle."""\n    return w * h',
    }));
    editor = await Editor.start(env(), EGLOT_LIKE_CAPABILITIES);
    await editor.open('file:///work/demo/geo.py', source, 'python');
    const action = find(
      await editor.codeActions('file:///work/demo/geo.py', {
        start: { line: 1, character: 4 },
        end: { line: 1, character: 4 },
      }),
      /doc comment/,
    ) as CodeAction;
    expect(await editor.execute(action.command!)).toEqual({ applied: true });
    expect(editor.text('file:///work/demo/geo.py')).toBe(
      'def area(w, h):\n    """Return the area of a w by h rectangle."""\n    return w * h\n',
    );
    expect(fake.requests[0]!.body.input).toContain('PEP 257 docstring');
  });
});

describe('refactor variants', () => {
  const VARIANTS = {
    variants: [
      {
        title: 'Optional chaining',
        code: 'export function greet(user: { name?: string }): string {\n  return "Hello, " + (user.name?.toUpperCase() ?? "");\n}',
      },
      {
        title: 'Early return',
        code: 'export function greet(user: { name?: string }): string {\n  if (!user.name) return "Hello";\n  return "Hello, " + user.name.toUpperCase();\n}',
      },
      {
        title: 'Template literal',
        code: 'export function greet(user: { name?: string }): string {\n  return `Hello, ${user.name?.toUpperCase()}`;\n}',
      },
    ],
  };

  it('asks which variant to apply and applies the one picked', async () => {
    fake.setResponder(() => ({ kind: 'text', text: JSON.stringify(VARIANTS) }));
    editor = await Editor.start(env(), RESOLVE_CAPABILITIES);
    editor.answerMessageRequest = (request) => request.actions[1]!;
    await editor.open(URI, SOURCE);
    const action = find(await editor.codeActions(URI, FUNCTION), /3 variants/) as CodeAction;
    expect(await editor.execute(action.command!)).toEqual({ applied: true });
    expect(editor.messageRequests[0]!.actions.map((a) => a.title)).toEqual([
      '1: Optional chaining',
      '2: Early return',
      '3: Template literal',
    ]);
    expect(editor.text(URI)).toBe(`${VARIANTS.variants[1]!.code}\n`);
    expect(editor.shownDocuments[0]!.text).toContain('## 3. Template literal');
    const body = fake.requests[0]!.body;
    expect(body.text.format).toMatchObject({ type: 'json_schema', name: 'refactor_variants', strict: true });
    expect(fake.requests).toHaveLength(1);
  });

  it('shows a streaming client the code of every variant before it asks which to apply (#13 item 14)', async () => {
    fake.setResponder(() => ({ kind: 'text', text: JSON.stringify(VARIANTS) }));
    editor = await Editor.start(env(), RESOLVE_CAPABILITIES, { actions: { streaming: true } });
    let streamedBeforeAsking = '';
    editor.answerMessageRequest = (request) => {
      streamedBeforeAsking = editor!.streams.map((s) => s.final ?? s.delta).join('');
      return request.actions[0]!;
    };
    await editor.open(URI, SOURCE);
    const action = find(await editor.codeActions(URI, FUNCTION), /3 variants/) as CodeAction;
    expect(await editor.execute(action.command!)).toEqual({ applied: true });
    for (const variant of VARIANTS.variants) {
      expect(streamedBeforeAsking).toContain(variant.title);
      expect(streamedBeforeAsking).toContain(variant.code);
    }
    expect(editor.shownDocuments).toEqual([]);
  });

  it('offers the variants in the menu, without a model call, when the user dismissed the question', async () => {
    fake.setResponder(() => ({ kind: 'text', text: JSON.stringify(VARIANTS) }));
    editor = await Editor.start(env(), RESOLVE_CAPABILITIES);
    await editor.open(URI, SOURCE);
    const action = find(await editor.codeActions(URI, FUNCTION), /3 variants/) as CodeAction;
    expect(await editor.execute(action.command!)).toBeNull();
    await editor.client.waitForMessage(/variants are in the code-action menu/);
    const menu = await editor.codeActions(URI, FUNCTION);
    const third = find(menu, /Use variant 3: Template literal/) as CodeAction;
    expect(fake.requests).toHaveLength(1);
    editor.apply(third.edit!);
    expect(editor.text(URI)).toBe(`${VARIANTS.variants[2]!.code}\n`);
    // The document moved on: the stale variants leave the menu.
    await editor.type(URI, { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, '\n');
    expect((await editor.codeActions(URI, FUNCTION)).some((a) => /Use variant/.test(a.title))).toBe(false);
  });

  it('drops a variant that does not parse and keeps the others', async () => {
    const broken = { variants: [{ title: 'Broken', code: 'export function greet(user {\n}' }, VARIANTS.variants[0]!] };
    fake.setResponder(() => ({ kind: 'text', text: JSON.stringify(broken) }));
    editor = await Editor.start(env(), RESOLVE_CAPABILITIES);
    editor.answerMessageRequest = (request) => request.actions[0]!;
    await editor.open(URI, SOURCE);
    await editor.execute((find(await editor.codeActions(URI, FUNCTION), /3 variants/) as CodeAction).command!);
    expect(editor.messageRequests[0]!.actions.map((a) => a.title)).toEqual(['1: Optional chaining']);
    expect(editor.text(URI)).toBe(`${VARIANTS.variants[0]!.code}\n`);
  });
});

describe('refactor with instruction', () => {
  it('passes the instruction a client config fills in', async () => {
    fake.setResponder(() => ({ kind: 'text', text: SOURCE.trimEnd().replace('"Hello, "', '"Hi, "') }));
    editor = await Editor.start(env(), EGLOT_LIKE_CAPABILITIES);
    await editor.open(URI, SOURCE);
    const result = await editor.execute({
      title: 'x',
      command: 'ghostline.refactorWithInstruction',
      arguments: [{ uri: URI, version: 1, range: FUNCTION, instruction: 'Say Hi instead of Hello' }],
    });
    expect(result).toEqual({ applied: true });
    expect(fake.requests[0]!.body.input).toContain('User instruction: Say Hi instead of Hello');
    expect(editor.text(URI)).toContain('"Hi, "');
    expect(editor.messageRequests).toEqual([]);
  });

  it('offers preset instructions through showMessageRequest when none was given', async () => {
    fake.setResponder(() => ({
      kind: 'text',
      text: SOURCE.trimEnd().replace('user.name.toUpperCase()', 'user.name!.toUpperCase()'),
    }));
    editor = await Editor.start(env(), EGLOT_LIKE_CAPABILITIES);
    editor.answerMessageRequest = (request) => request.actions.find((a) => a.title === 'Simplify')!;
    await editor.open(URI, SOURCE);
    const action = find(await editor.codeActions(URI, FUNCTION), /with instruction/) as CodeAction;
    expect(await editor.execute(action.command!)).toEqual({ applied: true });
    expect(fake.requests[0]!.body.input).toContain('User instruction: Simplify');
  });

  it('refuses with a clear message and no model call when no instruction can be had', async () => {
    editor = await Editor.start(env(), EGLOT_LIKE_CAPABILITIES);
    await editor.open(URI, SOURCE);
    const action = find(await editor.codeActions(URI, FUNCTION), /with instruction/) as CodeAction;
    expect(await editor.execute(action.command!)).toBeNull();
    await editor.client.waitForMessage(/needs an instruction.*`instruction` argument/);
    expect(fake.requests).toHaveLength(0);
  });
});
