/**
 * Refactoring over stdio against the fake OpenAI server: the menu costs no model call, resolve
 * returns a minimal versioned annotated edit with progress, clients without resolve get a command
 * and workspace/applyEdit, a buffer edited meanwhile keeps the user's edit, answers that do not
 * parse are retried then refused, and cancelling closes the model's HTTP request.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { startFakeOpenAI, type FakeOpenAI } from '../../fake-openai/server.ts';
import { CancellationTokenSource } from '../../helpers/lsp-client.ts';
import { EGLOT_LIKE_CAPABILITIES, Editor, find, RESOLVE_CAPABILITIES } from './editor.ts';
import { TOTAL_REWRITTEN as REWRITTEN, TOTAL_SOURCE as SOURCE } from '../../helpers/total-fixture.ts';

const URI = 'file:///work/demo/src/total.ts';
const WHOLE_FUNCTION = { start: { line: 1, character: 0 }, end: { line: 7, character: 1 } };

let fake: FakeOpenAI;
let editor: Editor | undefined;

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { OPENAI_API_KEY: 'sk-test-key-0000', OPENAI_BASE_URL: fake.url, ...extra };
}

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

describe('the code-action menu', () => {
  it('lists every action without calling a model, with resolve data, kinds and the LLM-generated tag', async () => {
    editor = await Editor.start(env(), RESOLVE_CAPABILITIES);
    await editor.open(URI, SOURCE);
    const diagnostic = {
      range: { start: { line: 4, character: 10 }, end: { line: 4, character: 13 } },
      message: "Object is possibly 'undefined'.",
      source: 'ts',
      code: 2532,
    };
    const actions = (await editor.codeActions(URI, WHOLE_FUNCTION, { diagnostics: [diagnostic] })) as CodeAction[];
    for (let i = 0; i < 20; i++)
      await editor.codeActions(URI, { start: { line: i % 8, character: 0 }, end: { line: i % 8, character: 0 } });
    expect(fake.requests).toHaveLength(0);
    const byTitle = Object.fromEntries(actions.map((a) => [a.title, a]));
    expect(Object.keys(byTitle)).toEqual([
      `ghostline: Fix "Object is possibly 'undefined'."`,
      'ghostline: Refactor',
      'ghostline: Refactor with instruction…',
      'ghostline: Refactor (3 variants)',
      'ghostline: Explain',
      'ghostline: Add or update doc comment',
      'ghostline: Generate unit tests',
    ]);
    const fix = byTitle[`ghostline: Fix "Object is possibly 'undefined'."`]!;
    expect(fix).toMatchObject({
      kind: 'quickfix',
      diagnostics: [diagnostic],
      tags: [1],
      data: {
        ghostline: 'fix',
        args: { uri: URI, version: 1, diagnostic: { message: diagnostic.message, code: 2532, source: 'ts' } },
      },
    });
    expect(byTitle['ghostline: Refactor']).toMatchObject({
      kind: 'refactor.rewrite',
      data: { ghostline: 'refactor', args: { range: WHOLE_FUNCTION } },
    });
    expect(byTitle['ghostline: Refactor']!.command).toBeUndefined();
    // Explain, instruction and variants need a dialogue or have no edit: always commands.
    expect(byTitle['ghostline: Explain']).toMatchObject({
      kind: 'refactor.explain',
      command: { command: 'ghostline.explain' },
    });
    expect(byTitle['ghostline: Refactor (3 variants)']!.command?.command).toBe('ghostline.refactorVariants');
    expect(byTitle['ghostline: Generate unit tests']!.kind).toBe('source.generate.tests');

    const onlyFixes = await editor.codeActions(URI, WHOLE_FUNCTION, { diagnostics: [diagnostic], only: ['quickfix'] });
    expect(onlyFixes.map((a) => a.title)).toEqual([fix.title]);
    const rewrites = await editor.codeActions(URI, WHOLE_FUNCTION, { only: ['refactor.rewrite'] });
    expect(rewrites).toHaveLength(4);
    expect(fake.requests).toHaveLength(0);
  });

  it('gives clients without resolve support commands with the action arguments, and plain commands to clients without literals', async () => {
    editor = await Editor.start(env(), EGLOT_LIKE_CAPABILITIES);
    await editor.open(URI, SOURCE);
    const actions = (await editor.codeActions(URI, WHOLE_FUNCTION)) as CodeAction[];
    const refactor = find(actions, /^ghostline: Refactor$/);
    expect(refactor.data).toBeUndefined();
    expect(refactor.tags).toBeUndefined();
    expect(refactor.command).toEqual({
      title: 'ghostline: Refactor',
      command: 'ghostline.refactor',
      arguments: [{ uri: URI, version: 1, range: WHOLE_FUNCTION }],
    });
    await editor.client.shutdown();

    editor = await Editor.start(env(), { workspace: { applyEdit: true } });
    await editor.open(URI, SOURCE);
    const commands = await editor.codeActions(URI, WHOLE_FUNCTION);
    expect(commands.every((c) => typeof c.command === 'string')).toBe(true);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('refactor', () => {
  it('resolves to a minimal, versioned, annotated edit with progress, using gpt-4.1', async () => {
    fake.setResponder(() => ({ kind: 'text', text: REWRITTEN }));
    editor = await Editor.start(env(), RESOLVE_CAPABILITIES);
    await editor.open(URI, SOURCE);
    const action = find(await editor.codeActions(URI, WHOLE_FUNCTION), /^ghostline: Refactor$/);
    const resolved = await editor.resolve(action);
    const [change] = resolved.edit!.documentChanges! as TextDocumentEdit[];
    expect(change!.textDocument).toEqual({ uri: URI, version: 1 });
    // Only what changed on the two changed lines is touched, not the whole function.
    expect(change!.edits).toEqual([
      {
        range: { start: { line: 3, character: 7 }, end: { line: 3, character: 39 } },
        newText: 'const item of items',
        annotationId: 'ghostline',
      },
      {
        range: { start: { line: 4, character: 8 }, end: { line: 4, character: 24 } },
        newText: '+= item',
        annotationId: 'ghostline',
      },
    ]);
    expect(resolved.edit!.changeAnnotations).toEqual({
      ghostline: {
        label: 'ghostline: refactor',
        needsConfirmation: false,
        description: 'Generated by gpt-4.1; review it, Undo reverts it.',
      },
    });
    expect(editor.apply(resolved.edit!)).toEqual({ applied: true });
    expect(editor.text(URI)).toBe(`// Sums prices.\n${REWRITTEN}\n`);

    const [request] = fake.requests;
    expect(request!.body.model).toBe('gpt-4.1');
    expect(request!.body.input).toContain('<region>\nexport function total');
    expect(request!.body.instructions).toMatch(/refactoring/);
    expect(request!.body.prediction).toBeUndefined();
    const kinds = editor.progress.map((p) => p.value.kind);
    expect(kinds[0]).toBe('begin');
    expect(kinds.at(-1)).toBe('end');
    expect(editor.progress[0]!.value).toMatchObject({ title: 'ghostline: Refactor', cancellable: true });
  });

  it('uses the enclosing function when only a cursor is given', async () => {
    fake.setResponder(() => ({ kind: 'text', text: REWRITTEN }));
    editor = await Editor.start(env(), RESOLVE_CAPABILITIES);
    await editor.open(URI, SOURCE);
    const cursor = { start: { line: 4, character: 6 }, end: { line: 4, character: 6 } };
    const resolved = await editor.resolve(find(await editor.codeActions(URI, cursor), /^ghostline: Refactor$/));
    expect(fake.requests[0]!.body.input).toContain(`<region>\n${SOURCE.split('\n').slice(1, 8).join('\n')}\n</region>`);
    editor.apply(resolved.edit!);
    expect(editor.text(URI)).toBe(`// Sums prices.\n${REWRITTEN}\n`);
  });

  it('runs as a command with workspace/applyEdit for a client without resolve, progress or annotations', async () => {
    fake.setResponder(() => ({ kind: 'text', text: `\`\`\`ts\n${REWRITTEN}\n\`\`\`` }));
    editor = await Editor.start(env(), EGLOT_LIKE_CAPABILITIES);
    await editor.open(URI, SOURCE);
    const action = find(await editor.codeActions(URI, WHOLE_FUNCTION), /^ghostline: Refactor$/);
    expect(await editor.execute(action.command!)).toEqual({ applied: true });
    expect(editor.applyRequests).toHaveLength(1);
    const [change] = editor.applyRequests[0]!.edit.documentChanges! as TextDocumentEdit[];
    expect(change!.textDocument.version).toBe(1);
    expect(change!.edits.every((e) => !('annotationId' in e))).toBe(true);
    expect(editor.applyRequests[0]!.edit.changeAnnotations).toBeUndefined();
    expect(editor.text(URI)).toBe(`// Sums prices.\n${REWRITTEN}\n`);
    expect(editor.progress).toEqual([]);
    expect(editor.streams).toEqual([]);
  });

  it('sends the original region as a Predicted Output to a Chat Completions provider', async () => {
    fake.setResponder(() => ({ kind: 'text', text: REWRITTEN }));
    editor = await Editor.start(env({ GHOSTLINE_API: 'chat' }), RESOLVE_CAPABILITIES);
    await editor.open(URI, SOURCE);
    await editor.resolve(find(await editor.codeActions(URI, WHOLE_FUNCTION), /^ghostline: Refactor$/));
    const body = fake.requests[0]!.body;
    expect(fake.requests[0]!.api).toBe('chat');
    expect(body.prediction).toEqual({ type: 'content', content: SOURCE.split('\n').slice(1, 8).join('\n') });
  });
});

describe('a buffer edited while the model runs', () => {
  it("rebases the edit past a change elsewhere and keeps the user's edit", async () => {
    fake.setResponder(() => ({ kind: 'text', text: REWRITTEN, firstTokenDelayMs: 300 }));
    editor = await Editor.start(env(), RESOLVE_CAPABILITIES);
    await editor.open(URI, SOURCE);
    const pending = editor.resolve(find(await editor.codeActions(URI, WHOLE_FUNCTION), /^ghostline: Refactor$/));
    await fake.waitForRequests(1);
    await editor.type(
      URI,
      { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      'import { log } from "./log";\n\n',
    );
    const resolved = await pending;
    const [change] = resolved.edit!.documentChanges! as TextDocumentEdit[];
    expect(change!.textDocument.version).toBe(2);
    expect(editor.apply(resolved.edit!)).toEqual({ applied: true });
    expect(editor.text(URI)).toBe(`import { log } from "./log";\n\n// Sums prices.\n${REWRITTEN}\n`);
  });

  it('declines with a message when the user edited the same lines, and leaves the buffer as the user made it', async () => {
    fake.setResponder(() => ({ kind: 'text', text: REWRITTEN, firstTokenDelayMs: 300 }));
    editor = await Editor.start(env(), EGLOT_LIKE_CAPABILITIES);
    await editor.open(URI, SOURCE);
    const action = find(await editor.codeActions(URI, WHOLE_FUNCTION), /^ghostline: Refactor$/);
    const pending = editor.execute(action.command!);
    await fake.waitForRequests(1);
    await editor.type(URI, { start: { line: 4, character: 4 }, end: { line: 4, character: 7 } }, 'total');
    expect(await pending).toBeNull();
    expect(editor.applyRequests).toHaveLength(0);
    expect(editor.text(URI)).toContain('    total = sum + items[i].price;');
    await editor.client.waitForMessage(/edited the same lines/);
  });

  it('lets the editor reject an edit whose version went stale after it was sent', async () => {
    fake.setResponder(() => ({ kind: 'text', text: REWRITTEN }));
    editor = await Editor.start(env(), EGLOT_LIKE_CAPABILITIES);
    await editor.open(URI, SOURCE);
    // The user types between the server sending workspace/applyEdit and the editor applying it.
    editor.beforeApply = () =>
      editor!.type(URI, { start: { line: 8, character: 0 }, end: { line: 8, character: 0 } }, '// more\n');
    const action = find(await editor.codeActions(URI, WHOLE_FUNCTION), /^ghostline: Refactor$/);
    expect(await editor.execute(action.command!)).toEqual({ applied: false });
    expect(editor.text(URI)).toBe(`${SOURCE}// more\n`);
    await editor.client.waitForMessage(/did not apply the edit/);
  });
});

describe('answers that do not parse', () => {
  it('retries once with the parse errors, then refuses clearly without an edit', async () => {
    fake.setResponder(() => ({
      kind: 'text',
      text: 'export function total(items) {\n  return items.reduce((s, i) => s + i.price, 0;\n}',
    }));
    editor = await Editor.start(env(), EGLOT_LIKE_CAPABILITIES);
    await editor.open(URI, SOURCE);
    const action = find(await editor.codeActions(URI, WHOLE_FUNCTION), /^ghostline: Refactor$/);
    expect(await editor.execute(action.command!)).toBeNull();
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]!.body.input).toMatch(/Your previous answer does not parse[\s\S]*line 2/);
    const message = await editor.client.waitForMessage(/does not parse/);
    expect(message.type).toBe(1);
    expect(editor.applyRequests).toHaveLength(0);
    expect(editor.text(URI)).toBe(SOURCE);
  });

  it('applies the retry when the second answer parses', async () => {
    let calls = 0;
    fake.setResponder(() => ({ kind: 'text', text: ++calls === 1 ? 'export function total(items {\n}' : REWRITTEN }));
    editor = await Editor.start(env(), RESOLVE_CAPABILITIES);
    await editor.open(URI, SOURCE);
    const resolved = await editor.resolve(find(await editor.codeActions(URI, WHOLE_FUNCTION), /^ghostline: Refactor$/));
    expect(fake.requests).toHaveLength(2);
    editor.apply(resolved.edit!);
    expect(editor.text(URI)).toBe(`// Sums prices.\n${REWRITTEN}\n`);
  });
});

describe('budgets', () => {
  it('refuses an action past the hard cap with a message that says "ghostline:" once (#13 item 14)', async () => {
    fake.setResponder(() => ({ kind: 'text', text: REWRITTEN, usage: { input: 500, output: 50 } }));
    editor = await Editor.start(env({ GHOSTLINE_BUDGET__PER_USER__HARD_TOKENS: '100' }), EGLOT_LIKE_CAPABILITIES);
    await editor.open(URI, SOURCE);
    const refactor = async () => find(await editor!.codeActions(URI, WHOLE_FUNCTION), /^ghostline: Refactor$/);
    expect(await editor.execute((await refactor()).command!)).toEqual({ applied: true });
    expect(await editor.execute((await refactor()).command!)).toBeNull();
    expect(fake.requests).toHaveLength(1);
    const refusal = await editor.client.waitForMessage(/the refactor failed/);
    expect(refusal.message).toMatch(/^ghostline: the refactor failed \(quota\): the user .* hard daily cap/);
    expect(editor.client.messages.filter((m) => /ghostline: ghostline:/.test(m.message))).toEqual([]);
  });
});

describe('cancellation', () => {
  it('cancelling the command mid-stream answers RequestCancelled, ends progress and closes the model request', async () => {
    fake.setResponder(() => ({ kind: 'stall', text: REWRITTEN, afterChunks: 3 }));
    editor = await Editor.start(
      env(),
      { ...EGLOT_LIKE_CAPABILITIES, window: { workDoneProgress: true } },
      { actions: { streaming: true } },
    );
    await editor.open(URI, SOURCE);
    const action = find(await editor.codeActions(URI, WHOLE_FUNCTION), /^ghostline: Refactor$/);
    const source = new CancellationTokenSource();
    const pending = editor.execute(action.command!, source.token, 'tok-1');
    const [request] = await fake.waitForRequests(1);
    await editor.until(() => editor!.streams.length >= 3, 'three streamed deltas');
    source.cancel();
    await expect(pending).rejects.toMatchObject({ code: -32800 });
    await request!.done;
    expect(request!.clientClosed).toBe(true);
    await editor.until(() => editor!.streams.some((s) => s.done), 'the last stream notification');
    expect(editor.streams.at(-1)).toMatchObject({ done: true, error: 'cancelled', action: 'refactor' });
    expect(editor.progress.map((p) => p.token)).toEqual(editor.progress.map(() => 'tok-1'));
    expect(editor.progress.at(-1)!.value.kind).toBe('end');
    expect(editor.applyRequests).toHaveLength(0);
    expect(editor.text(URI)).toBe(SOURCE);
  });

  it('the progress cancel button (window/workDoneProgress/cancel) aborts the model request and answers RequestCancelled', async () => {
    fake.setResponder(() => ({ kind: 'stall', text: REWRITTEN, afterChunks: 1 }));
    editor = await Editor.start(env(), RESOLVE_CAPABILITIES);
    await editor.open(URI, SOURCE);
    const pending = editor.resolve(find(await editor.codeActions(URI, WHOLE_FUNCTION), /^ghostline: Refactor$/));
    const [request] = await fake.waitForRequests(1);
    await editor.until(() => editor!.progress.some((p) => p.value.kind === 'begin'), 'progress begin');
    await editor.client.connection.sendNotification('window/workDoneProgress/cancel', {
      token: editor.progress[0]!.token,
    });
    // Cancelled from its progress bar, the resolve is answered with the cancelled code, not an action without an edit.
    await expect(pending).rejects.toMatchObject({ code: -32800 });
    await request!.done;
    expect(request!.clientClosed).toBe(true);
  });
});
