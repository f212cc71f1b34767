/**
 * Team budgets and the shared rate limit across server processes on one Redis: spend crosses the
 * soft cap (the next call goes to the cheaper model), then the hard cap (calls are refused with one
 * clear message, cached answers still served); the team's requests per minute hold across editors.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisKeys, utcDay } from '../../../server/src/cache/redis-keys.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../fake-openai/server.ts';
import type { TestClient } from '../../helpers/lsp-client.ts';
import { startRedis, type RedisServer } from '../../helpers/redis.ts';
import { shutdownAll, startTeam, teamEnv } from './servers.ts';
import { uniqueTeam, waitFor } from './setup.ts';

let fake: FakeOpenAI;
let redis: RedisServer;
const clients: TestClient[] = [];

beforeAll(async () => {
  fake = await startFakeOpenAI();
  redis = await startRedis();
});
afterAll(async () => {
  await fake.close();
  await redis.stop();
});
afterEach(async () => {
  await shutdownAll(clients);
  fake.reset();
});

function answerByPrompt(): void {
  fake.setResponder((req) => {
    const word = /word\d+/.exec(JSON.stringify(req.body))?.[0] ?? 'unknown';
    return { kind: 'text', text: `${word}Done();`, usage: { input: 1000, output: 100 } };
  });
}

async function complete(client: TestClient, word: string): Promise<string | undefined> {
  const uri = `file:///team/budget/${word}.ts`;
  const text = `let ${word} = run.\n`;
  await client.open(uri, text);
  const list = await client.completion(uri, { line: 0, character: text.length - 1 });
  return list.items[0]?.textEdit?.newText;
}

async function teamTokens(team: string): Promise<number> {
  return Number((await redis.cli('hget', new RedisKeys(team).teamSpend(utcDay(Date.now())), 'tokens')) || 0);
}

describe('team budgets across editors', () => {
  it('moves to the cheaper model past the soft cap and refuses past the hard cap, once told', async () => {
    answerByPrompt();
    const team = uniqueTeam();
    const caps = { GHOSTLINE_BUDGET__TEAM__SOFT_TOKENS: '1000', GHOSTLINE_BUDGET__TEAM__HARD_TOKENS: '2000' };
    clients.push(...(await startTeam(2, teamEnv({ modelUrl: fake.url, redisUrl: redis.url, team, extra: caps }))));
    const [alice, bob] = clients as [TestClient, TestClient];

    expect(await complete(alice, 'word1')).toBe('word1Done();');
    expect(fake.requests.at(-1)!.body.model).toBe('gpt-4.1-mini');
    await waitFor(async () => (await teamTokens(team)) === 1100, 'the first charge');

    // Alice's call pushed the team past the soft cap: Bob's next call goes to the cheaper model.
    expect(await complete(bob, 'word2')).toBe('word2Done();');
    expect(fake.requests.at(-1)!.body.model).toBe('gpt-4.1-nano');
    await bob.waitForMessage(/passed its soft daily cap of 1,000 tokens; completions use the cheaper gpt-4.1-nano/);
    await waitFor(async () => (await teamTokens(team)) === 2200, 'the second charge');

    // Past the hard cap: no model call, an empty answer, one clear message however often it happens.
    const calls = fake.requests.length;
    expect(await complete(alice, 'word3')).toBeUndefined();
    expect(await complete(alice, 'word4')).toBeUndefined();
    expect(fake.requests.length).toBe(calls);
    const hard = alice.messages.filter((m) =>
      /reached its hard daily cap of 2,000 tokens; model calls are refused until 00:00 UTC/.test(m.message),
    );
    expect(hard).toHaveLength(1);
    expect(hard[0]!.type).toBe(1);
    // Answers already in the team cache cost nothing and are still served.
    expect(await complete(alice, 'word2')).toBe('word2Done();');
    expect(fake.requests.length).toBe(calls);
  });

  it('caches and accounts an answer cut short after a soft-cap downgrade under the model that served it (#13 item 11)', async () => {
    fake.setResponder((req) => {
      const word = /word\d+/.exec(JSON.stringify(req.body))?.[0] ?? 'unknown';
      // word1 answers on one line; word2 runs on, so the engine stops its stream once the first line is in.
      if (word === 'word1') return { kind: 'text', text: `${word}Done();`, usage: { input: 1000, output: 100 } };
      return {
        kind: 'text',
        text: `${word}Done();\nsecond();\nthird();\nfourth();\n`,
        chunkChars: 4,
        chunkDelayMs: 40,
      };
    });
    const team = uniqueTeam();
    const caps = { GHOSTLINE_BUDGET__TEAM__SOFT_TOKENS: '1000' };
    clients.push(...(await startTeam(2, teamEnv({ modelUrl: fake.url, redisUrl: redis.url, team, extra: caps }))));
    const [alice, bob] = clients as [TestClient, TestClient];
    expect(await complete(alice, 'word1')).toBe('word1Done();');
    await waitFor(async () => (await teamTokens(team)) === 1100, 'the first charge');

    expect(await complete(bob, 'word2')).toBe('word2Done();');
    expect(fake.requests.at(-1)!.body.model).toBe('gpt-4.1-nano');
    // Bob's one model call is logged and costed as gpt-4.1-nano, at its prices. The suggestion is
    // served once its line has streamed; the call is logged when the engine stops it a line later.
    await waitFor(async () => bob.stderr.includes('"event":"model-call"'), 'the model-call log line');
    const calls = bob.stderr
      .split('\n')
      .filter((line) => line.includes('"event":"model-call"'))
      .map(
        (line) =>
          JSON.parse(line) as {
            model: string;
            estimated: boolean;
            inputTokens: number;
            outputTokens: number;
            cachedTokens: number;
            costUsd: number;
          },
      );
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ model: 'gpt-4.1-nano', estimated: true });
    expect(calls[0]!.costUsd).toBeCloseTo((calls[0]!.inputTokens * 0.1 + calls[0]!.outputTokens * 0.4) / 1e6, 12);
    const stats = await bob.request<{ costUsd: number }>('workspace/executeCommand', {
      command: 'ghostline.stats',
      arguments: [],
    });
    expect(stats.costUsd).toBeCloseTo(calls[0]!.costUsd, 12);
    // The team cache holds it under gpt-4.1-nano too, so "saved" is priced at what the model served.
    const keys = (await redis.cli('keys', new RedisKeys(team).answer('*'))).split('\n').filter(Boolean);
    const stored = await Promise.all(
      keys.map(async (key) => JSON.parse(await redis.cli('get', key)) as { text: string; model: string }),
    );
    expect(stored.find((answer) => answer.text.startsWith('word2'))).toMatchObject({ model: 'gpt-4.1-nano' });
  });

  it('keeps the whole team under its requests per minute', async () => {
    answerByPrompt();
    const limit = { GHOSTLINE_BUDGET__REQUESTS_PER_MINUTE: '3', GHOSTLINE_BUDGET__RATE_LIMIT_WAIT_MS: '0' };
    clients.push(
      ...(await startTeam(2, teamEnv({ modelUrl: fake.url, redisUrl: redis.url, team: uniqueTeam(), extra: limit }))),
    );
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await complete(clients[i % 2]!, `word${i}`));
    expect(fake.requests).toHaveLength(3);
    expect(results.filter((r) => r !== undefined)).toHaveLength(3);
    // Both editors were refused at least once, and each heard about it once.
    for (const client of clients)
      expect(client.messages.filter((m) => /shared limit of 3 requests per minute/.test(m.message))).toHaveLength(1);
  });
});
