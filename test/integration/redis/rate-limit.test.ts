/**
 * The team's requests per minute across two real server processes while their Redis hangs
 * (SIGSTOP on the test's own redis-server): each process takes only its share of the limit without
 * Redis's confirmation, and once Redis answers again the calls taken alone count in the shared
 * window. Asserted on what the fake model actually served, never on time.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../../fake-openai/server.ts';
import type { TestClient } from '../../helpers/lsp-client.ts';
import { startRedis, type RedisServer } from '../../helpers/redis.ts';
import { shutdownAll, startTeam, teamEnv } from './servers.ts';
import { sleep, uniqueTeam, waitFor } from './setup.ts';

let fake: FakeOpenAI;
let redis: RedisServer | undefined;
const clients: TestClient[] = [];
const LIMIT = 4;

beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await fake.close();
});
afterEach(async () => {
  redis?.thaw();
  await shutdownAll(clients);
  await redis?.stop();
  redis = undefined;
  fake.reset();
});

function answerByPrompt(): void {
  fake.setResponder((req) => {
    const word = /word\d+/.exec(JSON.stringify(req.body))?.[0] ?? 'unknown';
    return { kind: 'text', text: `${word}Done();` };
  });
}

let words = 0;
/** A completion at a fresh prompt (no cache, no shared flight); undefined when it was refused. */
async function complete(client: TestClient): Promise<string | undefined> {
  const word = `word${words++}`;
  const uri = `file:///team/rate/${word}.ts`;
  const text = `let ${word} = run.\n`;
  await client.open(uri, text);
  const list = await client.completion(uri, { line: 0, character: text.length - 1 });
  return list.items[0]?.textEdit?.newText;
}

/** Every process sends `each` completions at once. */
async function burst(each: number): Promise<(string | undefined)[]> {
  return Promise.all(clients.flatMap((client) => Array.from({ length: each }, () => complete(client))));
}

/**
 * The limit is a sliding minute: calls of the previous minute weigh less as it slides out. Starting
 * early in a minute keeps every burst of a test inside one window, so the total served is bounded
 * by the limit itself (this waits for a state of the clock; it asserts nothing about time).
 */
async function earlyInAMinute(): Promise<void> {
  while (new Date().getSeconds() > 30) await sleep(500);
}

async function startTwo(): Promise<void> {
  answerByPrompt();
  redis = await startRedis({ own: true });
  const extra = {
    GHOSTLINE_BUDGET__REQUESTS_PER_MINUTE: String(LIMIT),
    GHOSTLINE_BUDGET__RATE_LIMIT_WAIT_MS: '0',
    GHOSTLINE_BUDGET__RATE_LIMIT_PROCESSES: '2',
    GHOSTLINE_CACHE__REDIS_TIMEOUT_MS: '300',
  };
  clients.push(
    ...(await startTeam(2, teamEnv({ modelUrl: fake.url, redisUrl: redis.url, team: uniqueTeam(), extra }))),
  );
}

const back = (client: TestClient) => client.messages.some((m) => /team cache .* is reachable again/.test(m.message));

describe('the shared rate limit while Redis hangs', () => {
  it('serves no more than the limit when a cold burst finds Redis frozen', async () => {
    await earlyInAMinute();
    await startTwo();
    redis!.freeze();
    const answers = await burst(6);
    // Every request was answered (with a suggestion or an empty list); the model served at most the limit.
    expect(answers).toHaveLength(12);
    expect(fake.requests.length).toBeLessThanOrEqual(LIMIT);
    expect(answers.filter((a) => a !== undefined)).toHaveLength(fake.requests.length);
    // Each process took its share alone: the team was not left without suggestions either.
    expect(fake.requests.length).toBe(LIMIT);
  }, 90_000);

  it('keeps the total under the limit when Redis hangs mid-burst and after it comes back', async () => {
    await earlyInAMinute();
    await startTwo();
    await burst(1);
    expect(fake.requests.length).toBe(2);
    redis!.freeze();
    await burst(4);
    expect(fake.requests.length).toBeLessThanOrEqual(LIMIT);
    redis!.thaw();
    // Until both processes hear Redis again their requests keep being limited; then Redis counts
    // the calls they took alone (and the requests that reached it late), so it admits no more.
    await waitFor(
      async () => {
        await burst(1);
        return clients.every(back);
      },
      'both servers to reach Redis again',
      20_000,
    );
    await burst(3);
    expect(fake.requests.length).toBeLessThanOrEqual(LIMIT);
  }, 90_000);
});
