/**
 * "Explain" over stdio: streamed `ghostline/stream` notifications in order for clients that opt in
 * (setting or experimental capability), and for clients that do not, a Markdown document through
 * window/showDocument or else a window/showMessage.
 */
import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction } from 'vscode-languageserver-protocol';
import { startFakeOpenAI, type FakeOpenAI } from '../../fake-openai/server.ts';
import { EGLOT_LIKE_CAPABILITIES, Editor, find, RESOLVE_CAPABILITIES } from './editor.ts';

const URI = 'file:///work/demo/src/retry.ts';
const SOURCE =
  'export async function retry<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {\n  for (let i = 1; ; i++) {\n    try {\n      return await fn();\n    } catch (error) {\n      if (i >= attempts) throw error;\n    }\n  }\n}\n';
const EXPLANATION =
  'Calls `fn` until it succeeds, at most `attempts` times.\n\n- Rethrows the last error.\n- No delay between attempts.';
const SELECTION = { start: { line: 0, character: 0 }, end: { line: 8, character: 1 } };

let fake: FakeOpenAI;
let editor: Editor | undefined;
const env = () => ({ OPENAI_API_KEY: 'sk-test-key-0000', OPENAI_BASE_URL: fake.url });

beforeAll(async () => {
  fake = await startFakeOpenAI({ responder: () => ({ kind: 'text', text: EXPLANATION, chunkChars: 7 }) });
});
afterAll(async () => {
  await fake.close();
});
afterEach(async () => {
  await editor?.client.shutdown();
  editor = undefined;
  fake.reset();
});

async function explain(e: Editor): Promise<void> {
  await e.open(URI, SOURCE);
  const action = find(await e.codeActions(URI, SELECTION), /Explain/) as CodeAction;
  expect(await e.execute(action.command!)).toBeNull();
}

describe('explain', () => {
  it('streams the explanation in order to a client that opted in with the setting, with no edit', async () => {
    editor = await Editor.start(env(), RESOLVE_CAPABILITIES, { actions: { streaming: true } });
    await explain(editor);
    await editor.until(() => editor!.streams.some((s) => s.done), 'the last stream notification');
    const streams = editor.streams;
    expect(new Set(streams.map((s) => s.id)).size).toBe(1);
    expect(streams.every((s) => s.action === 'explain')).toBe(true);
    expect(streams.filter((s) => s.done)).toHaveLength(1);
    expect(streams.at(-1)).toMatchObject({ done: true, delta: '', final: EXPLANATION });
    const deltas = streams.filter((s) => !s.done).map((s) => s.delta);
    expect(deltas.length).toBe(Math.ceil(EXPLANATION.length / 7));
    expect(deltas.join('')).toBe(EXPLANATION);
    expect(editor.shownDocuments).toEqual([]);
    expect(editor.applyRequests).toEqual([]);
    expect(fake.requests[0]!.body.model).toBe('gpt-4.1-mini');
    expect(fake.requests[0]!.body.input).toContain('<region>\nexport async function retry');
  });

  it('streams to a client that declares the experimental ghostlineStream capability', async () => {
    editor = await Editor.start(env(), { ...EGLOT_LIKE_CAPABILITIES, experimental: { ghostlineStream: true } });
    await explain(editor);
    await editor.until(() => editor!.streams.some((s) => s.done), 'the last stream notification');
    expect(
      editor.streams
        .filter((s) => !s.done)
        .map((s) => s.delta)
        .join(''),
    ).toBe(EXPLANATION);
  });

  it('opens a Markdown document for a client without streaming that supports showDocument', async () => {
    editor = await Editor.start(env(), RESOLVE_CAPABILITIES);
    await explain(editor);
    expect(editor.streams).toEqual([]);
    expect(editor.shownDocuments).toHaveLength(1);
    const [shown] = editor.shownDocuments;
    expect(shown!.uri).toMatch(/^file:.*ghostline-\d+\/\d+-explain-\d+\.md$/);
    expect(shown!.text).toContain(EXPLANATION);
    expect(shown!.text).toMatch(/^# ghostline: Explain \(gpt-4.1-mini\)/);
  });

  it('keeps the explanation file private to the user and deletes it at shutdown (#13 item 5)', async () => {
    editor = await Editor.start(env(), RESOLVE_CAPABILITIES);
    await explain(editor);
    const path = fileURLToPath(editor.shownDocuments[0]!.uri);
    expect(dirname(path)).not.toBe(join(tmpdir(), 'ghostline'));
    expect(statSync(dirname(path)).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(path)).uid).toBe(process.getuid!());
    await editor.client.shutdown();
    editor = undefined;
    expect(existsSync(path)).toBe(false);
  });

  it('names the file per server process, so two editors never overwrite each other (#13 item 5)', async () => {
    editor = await Editor.start(env(), RESOLVE_CAPABILITIES);
    const second = await Editor.start(env(), RESOLVE_CAPABILITIES);
    try {
      await explain(editor);
      await explain(second);
      expect(editor.shownDocuments[0]!.uri).not.toBe(second.shownDocuments[0]!.uri);
    } finally {
      await second.client.shutdown();
    }
  });

  it('falls back to showMessage for a client with neither streaming nor showDocument (eglot)', async () => {
    editor = await Editor.start(env(), EGLOT_LIKE_CAPABILITIES);
    await explain(editor);
    const message = await editor.client.waitForMessage(/Calls `fn` until it succeeds/);
    expect(message.type).toBe(3);
    expect(message.message).toContain('No delay between attempts.');
    expect(editor.streams).toEqual([]);
    expect(editor.progress).toEqual([]);
  });

  it('explains the declaration around the cursor when nothing is selected', async () => {
    editor = await Editor.start(env(), EGLOT_LIKE_CAPABILITIES);
    await editor.open(URI, SOURCE);
    const action = find(
      await editor.codeActions(URI, { start: { line: 3, character: 8 }, end: { line: 3, character: 8 } }),
      /Explain/,
    ) as CodeAction;
    await editor.execute(action.command!);
    expect(fake.requests[0]!.body.input).toContain(`<region>\n${SOURCE.trimEnd()}\n</region>`);
  });
});
