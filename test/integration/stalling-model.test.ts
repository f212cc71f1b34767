/**
 * A model that stalls: completion answers within its budget (`completion.budgetMs`), a hedged call
 * to the next model of the chain starts while the user is still waiting (`completion.hedgeMs`), a
 * new request at the same place never joins a call that went silent, stalled HTTP requests are
 * closed, and the user is told once that the model is not answering and once that it answers
 * again — over stdio, against the fake model server's stalls.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../fake-openai/server.ts';
import { TestClient } from '../helpers/lsp-client.ts';

const URI = 'file:///work/demo/stall.ts';
const TEXT = 'const total = \n';
let fake: FakeOpenAI;
let client: TestClient | undefined;

beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());
afterEach(async () => {
  await client?.shutdown();
  client = undefined;
  fake.reset();
});

async function start(extra: Record<string, string>): Promise<TestClient> {
  client = TestClient.start({
    env: {
      OPENAI_API_KEY: 'sk-test-stall-0000',
      OPENAI_BASE_URL: fake.url,
      GHOSTLINE_COMPLETION__DEBOUNCE_MS: '0',
      ...extra,
    },
  });
  await client.initialize();
  await client.open(URI, TEXT);
  return client;
}

const suggestion = async (c: TestClient, character = 14) =>
  (await c.completion(URI, { line: 0, character })).items[0]?.textEdit?.newText;
const notAnswering = (c: TestClient) => c.messages.filter((m) => /model is not answering/.test(m.message));
const answersAgain = (c: TestClient) => c.messages.filter((m) => /model answers again/.test(m.message));

/** Every request the fake received was closed by the server (the stalled ones included). */
async function allClosed(): Promise<void> {
  for (const request of fake.requests) await request.done;
}

describe('a stalling model', () => {
  it('hedges to the next model of the chain while the first is silent, and the first answer wins', async () => {
    fake.setResponder((req) =>
      req.body.model === 'gpt-4.1-mini' ? { kind: 'stall', afterChunks: 0 } : { kind: 'text', text: 'a + b;' },
    );
    const c = await start({ GHOSTLINE_COMPLETION__HEDGE_MS: '300', GHOSTLINE_COMPLETION__BUDGET_MS: '20000' });
    expect(await suggestion(c)).toBe('a + b;');
    expect(fake.requests.map((r) => r.body.model)).toEqual(['gpt-4.1-mini', 'gpt-4o-mini']);
    // The silent call lost the race and was closed, not left to time out.
    await allClosed();
    expect(fake.requests[0]!.clientClosed).toBe(true);
    expect(notAnswering(c)).toEqual([]);
  });

  it('starts no hedged call for a prefetch nobody waits for, and closes it at the budget', async () => {
    let stalling = false;
    fake.setResponder(() => (stalling ? { kind: 'stall', afterChunks: 0 } : { kind: 'text', text: 'a + b;' }));
    const c = await start({ GHOSTLINE_COMPLETION__HEDGE_MS: '100', GHOSTLINE_COMPLETION__BUDGET_MS: '600' });
    // A client that asks for completion items, not inline completion: its first key of a burst
    // starts the call before it asks (engine `prefetch`).
    expect(await suggestion(c)).toBe('a + b;');
    stalling = true;
    const other = 'file:///work/demo/other.ts';
    await c.open(other, 'items\n');
    await c.change(other, 2, [
      { range: { start: { line: 0, character: 5 }, end: { line: 0, character: 5 } }, text: '.' },
    ]);
    const [, prefetched] = await fake.waitForRequests(2);
    await prefetched!.done;
    expect(prefetched!.clientClosed).toBe(true);
    // Silent for six times the hedge delay, and no second call: only a waiting user's call hedges.
    expect(fake.requests).toHaveLength(2);
    expect(notAnswering(c)).toEqual([]);
  });

  it('answers empty within its budget when every model stalls, says so once, and once when the model answers again', async () => {
    let stalling = true;
    fake.setResponder(() => (stalling ? { kind: 'stall', afterChunks: 0 } : { kind: 'text', text: 'a + b;' }));
    const c = await start({ GHOSTLINE_COMPLETION__HEDGE_MS: '200', GHOSTLINE_COMPLETION__BUDGET_MS: '800' });
    expect(await suggestion(c)).toBeUndefined();
    await c.waitForMessage(/model is not answering/);
    // Asking again while it still stalls: answered, not told twice.
    await c.change(URI, 2, [
      { range: { start: { line: 0, character: 14 }, end: { line: 0, character: 14 } }, text: 'x' },
    ]);
    expect(await suggestion(c, 15)).toBeUndefined();
    expect(notAnswering(c)).toHaveLength(1);
    expect(notAnswering(c)[0]!.type).toBe(2);
    // Every stalled HTTP request was closed once nobody waited for it (no 33-second calls).
    await allClosed();
    expect(fake.requests.every((r) => r.clientClosed)).toBe(true);
    // The model recovers: the next completion is served, and the user hears it once.
    stalling = false;
    await c.change(URI, 3, [
      { range: { start: { line: 0, character: 15 }, end: { line: 0, character: 15 } }, text: ' ' },
    ]);
    expect(await suggestion(c, 16)).toBe('a + b;');
    await c.waitForMessage(/model answers again/);
    await c.change(URI, 4, [
      { range: { start: { line: 0, character: 16 }, end: { line: 0, character: 16 } }, text: ' ' },
    ]);
    expect(await suggestion(c, 17)).toBe('a + b;');
    expect(answersAgain(c)).toHaveLength(1);
    expect(notAnswering(c)).toHaveLength(1);
  });

  it('never joins a call that went silent: asking again at the same place starts afresh', async () => {
    let calls = 0;
    fake.setResponder(() => (calls++ === 0 ? { kind: 'stall', afterChunks: 0 } : { kind: 'text', text: 'a + b;' }));
    // No hedging, and the abandoned call is kept joinable for 5 s: only the silence rule keeps the
    // second request from waiting on it.
    const c = await start({
      GHOSTLINE_COMPLETION__HEDGE_MS: '0',
      GHOSTLINE_COMPLETION__BUDGET_MS: '1000',
      GHOSTLINE_COMPLETION__ABANDON_GRACE_MS: '5000',
    });
    expect(await suggestion(c)).toBeUndefined();
    expect(await suggestion(c)).toBe('a + b;');
    expect(fake.requests).toHaveLength(2);
    await allClosed();
    expect(fake.requests[0]!.clientClosed).toBe(true);
  });
});
