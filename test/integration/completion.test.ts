/**
 * The built server over stdio, driven by a real LSP client, against the fake OpenAI server:
 * completion and inline completion end to end, cancellation reaching the model server, latest-wins,
 * cache and typed-ahead reuse.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../fake-openai/server.ts';
import { parseCompletionInput } from '../../server/src/context/prompt.ts';
import type { TextEdit } from 'vscode-languageserver-protocol';
import { CancellationTokenSource, FULL_CAPABILITIES, TestClient } from '../helpers/lsp-client.ts';

const URI = 'file:///work/demo/src/corner.ts';
let fake: FakeOpenAI;
let client: TestClient;

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    OPENAI_API_KEY: 'sk-test-key-0000',
    OPENAI_BASE_URL: fake.url,
    GHOSTLINE_COMPLETION__DEBOUNCE_MS: '30',
    ...extra,
  };
}

/** The one model call was not ended by serving its request: it streams on for the keys that follow. */
async function expectCallStreamsOn(): Promise<void> {
  const [request] = fake.requests;
  let ended = false;
  void request!.done.then(() => {
    ended = true;
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(ended).toBe(false);
  expect(fake.requests).toHaveLength(1);
}

async function startClient(extra: Record<string, string> = {}): Promise<TestClient> {
  client = TestClient.start({ env: env(extra) });
  await client.initialize();
  return client;
}

/**
 * A client that asks for completion items, not inline completion (Neovim, Helix), started and
 * asked once, so the server has seen it ask; the model answers `ok()` until the test says otherwise.
 */
async function startItemsClient(extra: Record<string, string> = {}): Promise<void> {
  fake.setResponder(() => ({ kind: 'text', text: 'ok()' }));
  await startClient(extra);
  await client.open(URI, 'done.\n');
  expect((await client.completion(URI, { line: 0, character: 5 })).items).toHaveLength(1);
}

/** The typist types `text` at `character` of the document's first line (its change to `version`). */
function typeAt(uri: string, version: number, character: number, text: string): Promise<void> {
  return client.change(uri, version, [{ range: { start: { line: 0, character }, end: { line: 0, character } }, text }]);
}

beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await fake.close();
});
afterEach(async () => {
  await client?.shutdown();
  fake.reset();
});

describe('initialize', () => {
  it('advertises completion with trigger characters, inline completion only when the client declares it, and commands', async () => {
    client = TestClient.start({ env: env() });
    const full = await client.initialize();
    expect(full.capabilities.completionProvider?.triggerCharacters).toContain('.');
    expect(full.capabilities.inlineCompletionProvider).toBeTruthy();
    expect(full.capabilities.executeCommandProvider?.commands).toContain('ghostline.accept');
    expect(full.capabilities.textDocumentSync).toMatchObject({ openClose: true, change: 2 });
    expect(full.capabilities.positionEncoding).toBe('utf-16');
    expect(full.serverInfo?.name).toBe('ghostline');
    await client.shutdown();

    client = TestClient.start({ env: env() });
    const bare = await client.initialize({ capabilities: { general: { positionEncodings: ['utf-8', 'utf-16'] } } });
    expect(bare.capabilities.inlineCompletionProvider).toBeUndefined();
    expect(bare.capabilities.positionEncoding).toBe('utf-8');
  });

  it('exits cleanly on shutdown and exit', async () => {
    await startClient();
    expect(await client.shutdown()).toBe(0);
  });
});

describe('completion', () => {
  it('returns the model suggestion as a textEdit that replaces the word before the cursor', async () => {
    fake.setResponder(() => ({ kind: 'text', text: 'Width(): number {' }));
    await startClient();
    await client.open(URI, 'class Box {\n  get\n}\n');
    const list = await client.completion(URI, { line: 1, character: 5 });
    expect(list.items).toHaveLength(1);
    const item = list.items[0]!;
    expect(item.textEdit).toEqual({
      range: { start: { line: 1, character: 2 }, end: { line: 1, character: 5 } },
      newText: 'getWidth(): number {',
    });
    expect(item.command?.command).toBe('ghostline.accept');
    // Sorted beside the language server's best items (TypeScript's members are "11"), not after them.
    expect(item.sortText).toBe('0');
    const [request] = fake.requests;
    expect(request!.api).toBe('responses');
    expect(request!.body.model).toBe('gpt-4.1-mini');
    expect(request!.body.stream).toBe(true);
    expect(request!.body.prompt_cache_key).toMatch(/typescript/);
    const parsed = parseCompletionInput(request!.body.input);
    expect(parsed?.prefix.endsWith('  get')).toBe(true);
    expect(parsed?.suffix.startsWith('\n}')).toBe(true);
  });

  it('serves inline completion from the inline route (gpt-4o-mini)', async () => {
    fake.setResponder(() => ({ kind: 'text', text: ' a + b;' }));
    await startClient();
    await client.open(URI, 'function add(a: number, b: number) {\n  return\n}\n');
    const result = await client.inline(URI, { line: 1, character: 8 });
    expect(result?.items[0]?.insertText).toBe('return a + b;');
    expect(result?.items[0]?.range).toEqual({ start: { line: 1, character: 2 }, end: { line: 1, character: 8 } });
    expect(fake.requests[0]!.body.model).toBe('gpt-4o-mini');
  });

  it('answers a completion and an inline request for the same place both (VS Code asks for both at once)', async () => {
    fake.setResponder(() => ({ kind: 'text', text: 'length;', firstTokenDelayMs: 150 }));
    await startClient();
    await client.open(URI, 'const n = items.\n');
    const [items, inline] = await Promise.all([
      client.completion(URI, { line: 0, character: 16 }, { triggerKind: 2 }),
      client.inline(URI, { line: 0, character: 16 }, { triggerKind: 2 }),
    ]);
    expect(items.items[0]?.textEdit?.newText).toBe('length;');
    expect(inline?.items[0]?.insertText).toBe('length;');
  });

  it('answers the same prompt twice with one model call (cache)', async () => {
    fake.setResponder(() => ({ kind: 'text', text: 'length;' }));
    await startClient();
    await client.open(URI, 'const n = items.\n');
    const first = await client.completion(URI, { line: 0, character: 16 });
    const second = await client.completion(URI, { line: 0, character: 16 });
    expect(first.items[0]?.textEdit).toEqual(second.items[0]?.textEdit);
    expect(fake.requests).toHaveLength(1);
  });

  it.each([
    {
      name: 'the user types its first characters',
      answer: 'reduce((sum, x) => sum + x, 0);',
      text: 'const total = values.\n',
      at: { line: 0, character: 21 },
      typed: 'red',
      after: { line: 0, character: 24 },
      // The word typed into the suggestion is replaced with the whole of it.
      from: { line: 0, character: 21 },
    },
    {
      // The typist wants one more blank line before the code.
      name: 'the user types a line break before a suggestion made at the start of an empty line',
      answer: 'print(items)',
      text: 'items.sort()\n\n',
      at: { line: 1, character: 0 },
      typed: '\n',
      after: { line: 2, character: 0 },
      from: { line: 2, character: 0 },
    },
  ])(
    'serves the suggestion again without a model call when $name',
    async ({ answer, text, at, typed, after, from }) => {
      fake.setResponder(() => ({ kind: 'text', text: answer }));
      await startClient();
      await client.open(URI, text);
      const first = await client.completion(URI, at);
      expect(first.items[0]?.textEdit?.newText).toBe(answer);
      await client.change(URI, 2, [{ range: { start: at, end: at }, text: typed }]);
      const second = await client.completion(URI, after);
      expect(second.items[0]?.textEdit).toEqual({ range: { start: from, end: after }, newText: answer });
      expect(fake.requests).toHaveLength(1);
    },
  );

  it('reuses a still-streaming call after the editor cancels its request and asks again as the user types (VS Code)', async () => {
    fake.setResponder(() => ({
      kind: 'text',
      text: 'forEach((item) => print(item));',
      chunkChars: 4,
      chunkDelayMs: 40,
    }));
    await startClient();
    await client.open(URI, 'items.\n');
    const source = new CancellationTokenSource();
    const first = client.inline(URI, { line: 0, character: 6 }, { token: source });
    const [request] = await fake.waitForRequests(1);
    await new Promise((r) => setTimeout(r, 120));
    source.cancel();
    await expect(first).rejects.toMatchObject({ code: -32800 });
    await client.change(URI, 2, [
      { range: { start: { line: 0, character: 6 }, end: { line: 0, character: 6 } }, text: 'f' },
    ]);
    const second = await client.inline(URI, { line: 0, character: 7 }, { triggerKind: 2 });
    // The word before the cursor ('f') plus the rest of the streamed answer, with no new model call.
    expect(second?.items[0]?.insertText).toBe('forEach((item) => print(item));');
    expect(fake.requests).toHaveLength(1);
    await request!.done;
    expect(request!.clientClosed).toBe(false);
  });

  it('serves a typed-ahead request its line as soon as that line streamed, while the joined call streams on', async () => {
    // The call sends its line and the start of the next, then goes on streaming (silent, never ending).
    fake.setResponder(() => ({ kind: 'stall', text: 'forEach((item) => print(item));\n  next(', afterChunks: 100 }));
    await startClient();
    await client.open(URI, 'items.\n');
    const first = await client.inline(URI, { line: 0, character: 6 }, { triggerKind: 2 });
    expect(first?.items[0]?.insertText).toBe('forEach((item) => print(item));');
    const [request] = await fake.waitForRequests(1);
    let ended = false;
    void request!.done.then(() => {
      ended = true;
    });
    await client.change(URI, 2, [
      { range: { start: { line: 0, character: 6 }, end: { line: 0, character: 6 } }, text: 'f' },
    ]);
    const second = await client.inline(URI, { line: 0, character: 7 }, { triggerKind: 2 });
    // Its one line is final: it does not wait for the call to end, and no new call starts.
    expect(second?.items[0]?.insertText).toBe('forEach((item) => print(item));');
    expect(ended).toBe(false);
    expect(fake.requests).toHaveLength(1);
  });

  it('serves a multi-line request once its answer runs on into the line after the cursor, while the call streams on', async () => {
    // The answer writes its block, then the document's next line, then stalls without ending:
    // were the request kept waiting for the call (or for surer evidence), it would get nothing.
    fake.setResponder(() => ({
      kind: 'stall',
      text: 'for (const item of items) {\n    sum += item.price;\n  }\n  return sum;\n',
    }));
    await startClient();
    await client.open(URI, 'function total(items) {\n  let sum = 0;\n  \n  return sum;\n}\n');
    const list = await client.completion(URI, { line: 2, character: 2 });
    expect(list.items[0]?.textEdit?.newText).toBe('for (const item of items) {\n    sum += item.price;\n  }');
    await expectCallStreamsOn();
  });

  it('serves a multi-line request the lines complete so far once it has waited long, while the call streams on', async () => {
    // Two complete lines, then the third is begun and the model goes quiet: no end, no run-on.
    // One delta: past the wait the request takes the lines complete at that moment, which are
    // then the same however late the stream arrives on a loaded machine.
    fake.setResponder(() => ({
      kind: 'stall',
      text: 'for (const item of items) {\n    sum += item.price;\n    cou',
      chunkChars: 1000,
    }));
    await startClient();
    await client.open(URI, 'function total(items) {\n  let sum = 0;\n  \n}\n');
    const list = await client.completion(URI, { line: 2, character: 2 });
    // Were the request kept waiting for the end, the completion budget would leave it empty.
    expect(list.items[0]?.textEdit?.newText).toBe('for (const item of items) {\n    sum += item.price;');
    await expectCallStreamsOn();
  });

  it('stops a chatty answer at its epilogue: the suggestion is the code, and the cached answer gives the same', async () => {
    const code = 'for (const item of items) {\n  total += item.price;\n}';
    const epilogue = 'This loop adds the price of every item to the total. '.repeat(8);
    fake.setResponder(() => ({
      kind: 'text',
      text: `Here is the completion:\n${code}\n\n${epilogue}`,
      chunkChars: 4,
      chunkDelayMs: 10,
    }));
    // The whole block is awaited (no serving of the lines complete so far), to see where it ends.
    await startClient({ GHOSTLINE_COMPLETION__MULTILINE_WAIT_MS: '5000' });
    await client.open(URI, 'let total = 0;\n\n');
    const first = await client.completion(URI, { line: 1, character: 0 });
    expect(first.items[0]?.textEdit?.newText).toBe(code);
    const [request] = fake.requests;
    await request!.done;
    // The call was stopped once the epilogue was under way, long before its hundred-odd chunks.
    expect(request!.clientClosed).toBe(true);
    const again = await client.completion(URI, { line: 1, character: 0 });
    expect(again.items[0]?.textEdit?.newText).toBe(code);
    expect(fake.requests).toHaveLength(1);
  });

  it('starts the call at a pause at the end of a line for a client that asks there, and its request joins it (Helix manual)', async () => {
    fake.setResponder((req) => ({
      kind: 'text',
      text: parseCompletionInput(req.body.input)?.prefix.endsWith('f5(') ? ');' : 'done();',
    }));
    await startClient();
    await client.open(URI, 'let a = 1;\n');
    const pauseAt = async (k: number) => {
      // A line ends (`f0();`), and the typist pauses longer than LINE_END_PAUSE_MS before the key.
      const end = k === 0 ? 'let a = 1;'.length : `f${k - 1}();`.length;
      await client.change(URI, k + 2, [
        { range: { start: { line: k, character: end }, end: { line: k, character: end } }, text: `\nf${k}();` },
      ]);
      await new Promise((resolve) => setTimeout(resolve, 300));
    };
    // The client asks at the end of each line (the first pause comes before it asked at all).
    for (let k = 0; k < 5; k++) {
      await pauseAt(k);
      await client.completion(URI, { line: k + 1, character: 5 });
    }
    // The last line is asked for half-way (`f5(`), and the typist types what was suggested: that
    // answer covers the cursor at the line's end but has nothing more to give.
    await client.change(URI, 7, [
      { range: { start: { line: 5, character: 5 }, end: { line: 5, character: 5 } }, text: '\nf5(' },
    ]);
    expect((await client.completion(URI, { line: 6, character: 3 })).items[0]?.textEdit?.newText).toBe(');');
    const before = fake.requests.length;
    await client.change(URI, 8, [
      { range: { start: { line: 6, character: 3 }, end: { line: 6, character: 3 } }, text: ');' },
    ]);
    // The pause alone starts a model call for the cursor at the line's end, before the client asks.
    await fake.waitForRequests(before + 1);
    expect(fake.requests).toHaveLength(before + 1);
    expect(parseCompletionInput(fake.requests.at(-1)!.body.input)?.prefix).toMatch(/f5\(\);$/);
    const list = await client.completion(URI, { line: 6, character: 5 });
    expect(list.items[0]?.textEdit?.newText).toBe('done();');
    expect(fake.requests).toHaveLength(before + 1);
  });

  it('starts the call at the first key of a burst for an editor that asks only after its own delay, and its request joins it (Neovim)', async () => {
    await startItemsClient();
    fake.setResponder(() => ({
      kind: 'text',
      text: 'forEach((item) => print(item));',
      chunkChars: 4,
      chunkDelayMs: 20,
    }));
    const other = 'file:///work/demo/src/other.ts';
    await client.open(other, 'items\n');
    await typeAt(other, 2, 5, '.');
    // The key alone started a model call, for the cursor after it.
    const [, prefetched] = await fake.waitForRequests(2);
    expect(parseCompletionInput(prefetched!.body.input)?.prefix).toBe('items.');
    await typeAt(other, 3, 6, 'f');
    const list = await client.completion(other, { line: 0, character: 7 });
    expect(list.items[0]?.textEdit?.newText).toBe('forEach((item) => print(item));');
    expect(fake.requests).toHaveLength(2);
  });

  it('starts no call before the editor asks when it asks for inline completion on every key (VS Code)', async () => {
    fake.setResponder(() => ({ kind: 'text', text: 'forEach(print);' }));
    await startClient();
    await client.open(URI, 'done.\n');
    // VS Code asks for completion items too, and for ghost text on every key.
    expect((await client.completion(URI, { line: 0, character: 5 })).items).toHaveLength(1);
    expect((await client.inline(URI, { line: 0, character: 5 }))?.items).toHaveLength(1);
    const other = 'file:///work/demo/src/other.ts';
    await client.open(other, 'items\n');
    await client.change(other, 2, [
      { range: { start: { line: 0, character: 5 }, end: { line: 0, character: 5 } }, text: '.' },
    ]);
    await client.change(other, 3, [
      { range: { start: { line: 0, character: 6 }, end: { line: 0, character: 6 } }, text: 'x' },
    ]);
    await client.inline(other, { line: 0, character: 7 });
    // One call, for the cursor the editor asked at: none for the key that began the burst.
    expect(fake.requests.map((r) => parseCompletionInput(r.body.input)?.prefix)).toEqual(['done.', 'items.x']);
  });

  it('costs one call chain per cursor when the model fails: the request after a failed prefetch gets its failure, and no prefetch starts while calls fail', async () => {
    await startItemsClient({ GHOSTLINE_RETRY__MAX_ATTEMPTS: '1' });
    fake.setResponder(() => ({ kind: 'error', status: 503 }));
    const second = 'file:///work/demo/src/second.ts';
    await client.open(second, 'items\n');
    await typeAt(second, 2, 5, '.');
    // The prefetch's chain: the primary model and its fallback, both failing.
    await fake.waitForRequests(3);
    const list = await client.completion(second, { line: 0, character: 6 });
    expect(list.items).toHaveLength(0);
    expect(fake.requests).toHaveLength(3);
    expect(fake.requests.slice(1).map((r) => parseCompletionInput(r.body.input)?.prefix)).toEqual(['items.', 'items.']);

    // The first key in another document starts no call while calls fail; its request makes its own.
    const third = 'file:///work/demo/src/third.ts';
    await client.open(third, 'rows\n');
    await typeAt(third, 2, 4, '.');
    await typeAt(third, 3, 5, 'm');
    expect((await client.completion(third, { line: 0, character: 6 })).items).toHaveLength(0);
    expect(fake.requests.slice(3).map((r) => parseCompletionInput(r.body.input)?.prefix)).toEqual(['rows.m', 'rows.m']);
  });

  it('lets a prefetch stream to its end, past the grace of a cancelled call, for the request that comes at the next pause', async () => {
    await startItemsClient({ GHOSTLINE_COMPLETION__ABANDON_GRACE_MS: '100' });
    // An answer that takes several times the grace to stream.
    fake.setResponder(() => ({ kind: 'text', text: 'forEach(print);', chunkChars: 1, chunkDelayMs: 40 }));
    const other = 'file:///work/demo/src/other.ts';
    await client.open(other, 'items\n');
    await typeAt(other, 2, 5, '.');
    const [, prefetched] = await fake.waitForRequests(2);
    await prefetched!.done;
    expect(prefetched!.clientClosed).toBe(false);
    // The typist typed on and paused: the request is served from that call.
    await typeAt(other, 3, 6, 'fo');
    const list = await client.completion(other, { line: 0, character: 8 });
    expect(list.items[0]?.textEdit?.newText).toBe('forEach(print);');
    expect(fake.requests).toHaveLength(2);
  });

  it('keeps prefetching after a prefetch that nobody joined was stopped at the completion budget: that is no model failure', async () => {
    await startItemsClient({ GHOSTLINE_COMPLETION__BUDGET_MS: '300' });
    // A model slower than the budget: the prefetch is stopped before its answer is complete.
    fake.setResponder(() => ({ kind: 'text', text: 'forEach(print);', chunkChars: 1, chunkDelayMs: 100 }));
    const second = 'file:///work/demo/src/second.ts';
    await client.open(second, 'items\n');
    await typeAt(second, 2, 5, '.');
    const [, prefetched] = await fake.waitForRequests(2);
    await prefetched!.done;
    expect(prefetched!.clientClosed).toBe(true);

    // The request at that cursor makes its own call and gets its answer.
    fake.setResponder(() => ({ kind: 'text', text: 'forEach(print);' }));
    const list = await client.completion(second, { line: 0, character: 6 });
    expect(list.items[0]?.textEdit?.newText).toBe('forEach(print);');
    expect(fake.requests).toHaveLength(3);

    // And the first key in another document still starts a call before its request.
    const third = 'file:///work/demo/src/third.ts';
    await client.open(third, 'rows\n');
    await typeAt(third, 2, 4, '.');
    await typeAt(third, 3, 5, 'm');
    await client.completion(third, { line: 0, character: 6 });
    await fake.waitForRequests(5);
    expect(
      fake.requests
        .slice(3)
        .map((r) => parseCompletionInput(r.body.input)?.prefix)
        .sort(),
    ).toEqual(['rows.', 'rows.m']);
  });

  it('lets the latest request win: a superseded request is answered empty and only one model call starts', async () => {
    fake.setResponder(() => ({ kind: 'text', text: 'ok()' }));
    await startClient({ GHOSTLINE_COMPLETION__DEBOUNCE_MS: '300' });
    await client.open(URI, 'x.\n');
    const older = client.completion(URI, { line: 0, character: 2 }, { triggerKind: 2 });
    await client.change(URI, 2, [
      { range: { start: { line: 0, character: 2 }, end: { line: 0, character: 2 } }, text: 'y' },
    ]);
    const newer = client.completion(URI, { line: 0, character: 3 }, { triggerKind: 3 });
    const [a, b] = await Promise.all([older, newer]);
    expect(a.items).toEqual([]);
    expect(b.items[0]?.textEdit?.newText).toBe('yok()');
    expect(fake.requests).toHaveLength(1);
  });

  it('answers a cancelled request with RequestCancelled and closes the HTTP request to the model', async () => {
    fake.setResponder(() => ({ kind: 'stall', text: 'never finished', afterChunks: 1 }));
    await startClient();
    await client.open(URI, 'const a = \n');
    const source = new CancellationTokenSource();
    const pending = client.completion(URI, { line: 0, character: 10 }, { token: source });
    const [request] = await fake.waitForRequests(1);
    source.cancel();
    await expect(pending).rejects.toMatchObject({ code: -32800 });
    await request!.done;
    expect(request!.clientClosed).toBe(true);
  });

  it('drops an answer for a document version that moved on', async () => {
    fake.setResponder(() => ({ kind: 'text', text: 'late()', firstTokenDelayMs: 200 }));
    await startClient();
    await client.open(URI, 'go.\n');
    const pending = client.completion(URI, { line: 0, character: 3 });
    await fake.waitForRequests(1);
    await client.change(URI, 2, [
      { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '// edit elsewhere\n' },
    ]);
    expect((await pending).items).toEqual([]);
  });

  it('answers a request whose document moved on at once, not when its model call ends', async () => {
    // The model holds its answer until the test releases it: were the request kept waiting for the
    // call, `pending` would never settle and the test would time out.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    fake.setResponder(async () => {
      await held;
      return { kind: 'text', text: 'late()' };
    });
    await startClient();
    await client.open(URI, 'go.\n');
    // Never cancelled, as Helix sends it.
    const pending = client.completion(URI, { line: 0, character: 3 });
    await fake.waitForRequests(1);
    await client.change(URI, 2, [
      { range: { start: { line: 0, character: 3 }, end: { line: 0, character: 3 } }, text: 'l' },
    ]);
    expect((await pending).items).toEqual([]);
    release();
    // The call streams on for the keys that follow: the request at the new version joins it.
    const next = await client.completion(URI, { line: 0, character: 4 });
    expect(next.items[0]?.textEdit?.newText).toBe('late()');
    expect(fake.requests).toHaveLength(1);
  });

  it('sends a prompt within the token budget for a 10 MB file and still answers', async () => {
    fake.setResponder(() => ({ kind: 'text', text: 'done();' }));
    await startClient({ GHOSTLINE_COMPLETION__MAX_PROMPT_TOKENS: '512' });
    const line = 'const value = computeSomethingExpensive(input, options, 12345);\n';
    const big = line.repeat(Math.ceil((10 * 1024 * 1024) / line.length));
    await client.open(URI, `${big}call`);
    const lines = big.split('\n').length - 1;
    const list = await client.completion(URI, { line: lines, character: 4 });
    expect(list.items[0]?.textEdit?.newText).toBe('calldone();');
    const parsed = parseCompletionInput(fake.requests[0]!.body.input)!;
    const { countTokens } = await import('../../server/src/context/tokens.ts');
    expect(countTokens(parsed.prefix) + countTokens(parsed.suffix)).toBeLessThanOrEqual(512);
  });

  it('puts ranges in the right columns for emoji and CJK text in utf-16 and utf-8', async () => {
    fake.setResponder(() => ({ kind: 'text', text: 'Name();' }));
    const text = 'const s = "😀漢字"; obj.get\n';
    const utf16Cursor = text.indexOf('\n');
    client = TestClient.start({ env: env() });
    await client.initialize();
    await client.open(URI, text);
    const list16 = await client.completion(URI, { line: 0, character: utf16Cursor });
    expect(list16.items[0]?.textEdit).toMatchObject({
      range: { start: { character: utf16Cursor - 3 }, end: { character: utf16Cursor } },
    });
    await client.shutdown();

    client = TestClient.start({ env: env() });
    await client.initialize({
      capabilities: { ...FULL_CAPABILITIES, general: { positionEncodings: ['utf-8', 'utf-16'] } },
    });
    await client.open(URI, text);
    const utf8Cursor = Buffer.byteLength(text.slice(0, utf16Cursor));
    const list8 = await client.completion(URI, { line: 0, character: utf8Cursor });
    expect(list8.items[0]?.textEdit).toMatchObject({
      range: { start: { character: utf8Cursor - 3 }, end: { character: utf8Cursor } },
      newText: 'getName();',
    });
    // An incremental edit addressed in UTF-8 columns lands after the emoji, not inside it.
    await client.change(URI, 2, [
      { range: { start: { line: 0, character: 11 + 4 }, end: { line: 0, character: 11 + 4 } }, text: '!' },
    ]);
    const prompt = parseCompletionInput(fake.requests.at(-1)!.body.input);
    expect(prompt?.prefix).toContain('😀漢字');
    const again = await client.completion(URI, { line: 0, character: utf8Cursor + 1 });
    expect((again.items[0]?.textEdit as TextEdit | undefined)?.range.end.character).toBe(utf8Cursor + 1);
    const last = parseCompletionInput(fake.requests.at(-1)!.body.input);
    expect(last?.prefix).toContain('"😀!漢字"');
  });
});

describe('bad input', () => {
  it('answers unknown documents and out-of-range positions with empty lists, and keeps running', async () => {
    await startClient();
    expect((await client.completion('file:///nope.ts', { line: 0, character: 0 })).items).toEqual([]);
    await client.open(URI, 'one line\n');
    expect((await client.completion(URI, { line: 99, character: 0 })).items).toEqual([]);
    expect((await client.inline(URI, { line: 5, character: 3 }))?.items).toEqual([]);
    await client.open('file:///bin.dat', 'abc\u0000def', 'plaintext');
    expect((await client.completion('file:///bin.dat', { line: 0, character: 3 })).items).toEqual([]);
    expect(fake.requests).toHaveLength(0);
    // Past the end of a line means the end of the line (LSP), not an error.
    fake.setResponder(() => ({ kind: 'text', text: ' more' }));
    expect(
      ((await client.completion(URI, { line: 0, character: 500 })).items[0]?.textEdit as TextEdit | undefined)?.range
        .end,
    ).toEqual({ line: 0, character: 8 });
  });

  it('survives malformed messages and answers the next request', async () => {
    fake.setResponder(() => ({ kind: 'text', text: 'fine' }));
    await startClient();
    const frame = (body: string) => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    client.child.stdin!.write(frame('{"jsonrpc":"2.0","id":77,"method":"textDocument/completion","params":'));
    client.child.stdin!.write(
      frame(
        '{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///x.ts","version":3},"contentChanges":[]}}',
      ),
    );
    await expect(client.request('textDocument/completion', { textDocument: {} })).rejects.toMatchObject({
      code: -32602,
      message: expect.stringMatching(/textDocument.uri/),
    });
    await expect(
      client.request('textDocument/inlineCompletion', { position: { line: -4, character: 'a' } }),
    ).rejects.toMatchObject({ code: -32602 });
    await client.open(URI, 'x = \n');
    const list = await client.completion(URI, { line: 0, character: 4 });
    expect(list.items).toHaveLength(1);
  });
});
