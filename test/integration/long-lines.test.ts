/**
 * A document holding a 120,000-character line without spaces (a run of one letter, a base64 blob)
 * never holds up another document: over stdio, with the cursor on or next to the long line, the
 * server reaches the model for the long document while a request in a second document is asked
 * and answered; the long document's request is then answered (or cancelled and answered) too.
 * Token counting on such a line used to take about 10 s per keystroke.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseCompletionInput } from '../../server/src/context/prompt.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../fake-openai/server.ts';
import { CancellationTokenSource, TestClient } from '../helpers/lsp-client.ts';

const LONG = 'file:///work/demo/src/bundle.ts';
const OTHER = 'file:///work/demo/src/other.ts';
const RUN = 'A'.repeat(120_000);
const BLOB = randomBytes(90_000).toString('base64');
const LONG_TEXT = `export const x = 1;\nconst run = "${RUN}";\nconst blob = "${BLOB}";\nexport function f() {\n  return x;\n}\n`;
const OTHER_TEXT = 'export function add(a: number, b: number) {\n  return ';

let fake: FakeOpenAI;
let client: TestClient | undefined;
let release: () => void = () => undefined;

beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());
afterEach(async () => {
  release();
  await client?.shutdown();
  client = undefined;
  fake.reset();
});

/** Holds every model call for the long document until `release()`; answers the others at once. */
function holdLongDocument(): void {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  release = open;
  fake.setResponder(async (req) => {
    if (JSON.stringify(req.body).includes('bundle.ts')) {
      await gate;
      return { kind: 'text', text: '0;' };
    }
    return { kind: 'text', text: 'a + b;' };
  });
}

function track<T>(promise: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  return { promise, settled: () => done };
}

const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length - 1;

describe('a 120,000-character line without spaces', () => {
  const runLine = lineOf(LONG_TEXT, 'const run');
  const blobLine = lineOf(LONG_TEXT, 'const blob');
  const positions = [
    ['at the end of the run of one letter', { line: runLine, character: RUN.length + 14 }],
    ['in the middle of the run', { line: runLine, character: 60_000 }],
    ['in the middle of the base64 blob', { line: blobLine, character: 45_000 }],
    ['on the line after the blob', { line: blobLine + 1, character: 0 }],
  ] as const;

  it('never holds up completion in another document, and every request is answered', async () => {
    client = TestClient.start({
      env: { OPENAI_API_KEY: 'sk-test-key-0000', OPENAI_BASE_URL: fake.url, GHOSTLINE_COMPLETION__DEBOUNCE_MS: '0' },
    });
    await client.initialize();
    await client.open(LONG, LONG_TEXT);
    await client.open(OTHER, OTHER_TEXT);
    for (const [where, position] of positions) {
      holdLongDocument();
      const before = fake.requests.length;
      const long = track(client.completion(LONG, position));
      // The long document's prompt was cut and sent: its model call is now pending.
      const [longCall] = (await fake.waitForRequests(before + 1, 20_000)).slice(before);
      expect(JSON.stringify(longCall!.body), where).toContain('bundle.ts');
      // Meanwhile another document is answered.
      const other = await client.completion(OTHER, { line: 1, character: 9 });
      expect(
        other.items.map((item) => item.insertText ?? item.textEdit?.newText),
        where,
      ).toEqual([expect.stringContaining('a + b;')]);
      expect(long.settled(), where).toBe(false);
      release();
      const answer = await long.promise;
      expect(answer.items, where).toHaveLength(1);
      // The prompt kept a window of the long line, not the line.
      const { prefix, suffix } = parseCompletionInput(longCall!.body.input)!;
      expect(prefix.length + suffix.length, where).toBeLessThan(60_000);
    }
  });

  it('answers a cancelled request on the long line while another document is served', async () => {
    client = TestClient.start({
      env: { OPENAI_API_KEY: 'sk-test-key-0000', OPENAI_BASE_URL: fake.url, GHOSTLINE_COMPLETION__DEBOUNCE_MS: '0' },
    });
    await client.initialize();
    await client.open(LONG, LONG_TEXT);
    await client.open(OTHER, OTHER_TEXT);
    holdLongDocument();
    // Typing at the end of the run: each keystroke cuts the window again.
    let version = 1;
    let text = LONG_TEXT;
    const pending: ReturnType<typeof track<unknown>>[] = [];
    let token: CancellationTokenSource | undefined;
    for (const typed of ['A', 'A', 'B', '"']) {
      const at = { line: runLine, character: RUN.length + 14 + version - 1 };
      await client.change(LONG, ++version, [{ range: { start: at, end: at }, text: typed }]);
      text = text.replace(/"[A]+/, (run) => run + typed);
      token = new CancellationTokenSource();
      pending.push(track(client.completion(LONG, { line: at.line, character: at.character + 1 }, { token })));
    }
    await fake.waitForRequests(1, 20_000);
    const other = await client.completion(OTHER, { line: 1, character: 9 });
    expect(other.items).toHaveLength(1);
    token!.cancel();
    const outcomes = await Promise.allSettled(pending.map((p) => p.promise));
    // Superseded keystrokes get an empty list; the cancelled last one the cancelled error.
    expect(outcomes.slice(0, -1).every((o) => o.status === 'fulfilled')).toBe(true);
    expect(outcomes.at(-1)).toMatchObject({ status: 'rejected', reason: { code: -32800 } });
  });
});
