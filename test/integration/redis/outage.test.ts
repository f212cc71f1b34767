/**
 * Server processes while their Redis misbehaves: killed and restarted mid-run, absent at start,
 * hung. Every completion request is still answered; each editor hears once that the team cache is
 * unavailable and once that it is back; sharing resumes after recovery.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../../fake-openai/server.ts';
import type { TestClient } from '../../helpers/lsp-client.ts';
import { freePort, startRedis, type RedisServer } from '../../helpers/redis.ts';
import { shutdownAll, startTeam, teamEnv } from './servers.ts';
import { uniqueTeam, waitFor } from './setup.ts';

let fake: FakeOpenAI;
let redis: RedisServer | undefined;
const clients: TestClient[] = [];

beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await fake.close();
});
afterEach(async () => {
  await shutdownAll(clients);
  redis?.thaw();
  await redis?.stop();
  redis = undefined;
  fake.reset();
});

/** Each prompt's answer names it, so a mixed-up answer would show. */
function answerByPrompt(): void {
  fake.setResponder((req) => {
    const word = /word\d+/.exec(JSON.stringify(req.body))?.[0] ?? 'unknown';
    return { kind: 'text', text: `${word}Done();`, firstTokenDelayMs: 20 };
  });
}

async function complete(client: TestClient, word: string): Promise<string | undefined> {
  const uri = `file:///team/outage/${word}.ts`;
  const text = `let ${word} = run.\n`;
  await client.open(uri, text);
  const list = await client.completion(uri, { line: 0, character: text.length - 1 });
  return list.items[0]?.textEdit?.newText;
}

const unavailable = (client: TestClient) =>
  client.messages.map((m) => m.message).filter((m) => /team cache .* is unavailable/.test(m));
const back = (client: TestClient) =>
  client.messages.map((m) => m.message).filter((m) => /team cache .* is reachable again/.test(m));

describe('Redis outages under running servers', () => {
  it('answers every request while Redis is killed and restarted mid-run, then shares again', async () => {
    answerByPrompt();
    redis = await startRedis({ own: true });
    clients.push(...(await startTeam(2, teamEnv({ modelUrl: fake.url, redisUrl: redis.url, team: uniqueTeam() }))));
    const answers: (string | undefined)[] = [];
    for (let round = 0; round < 12; round++) {
      if (round === 4) await redis.kill();
      if (round === 8) {
        await redis.restart();
        await Promise.all(
          clients.map((client) => waitFor(() => back(client).length === 1, 'the servers to reconnect')),
        );
      }
      const word = `word${round}`;
      const pair = await Promise.all(clients.map((client) => complete(client, word)));
      expect(pair, `round ${round}`).toEqual([`${word}Done();`, `${word}Done();`]);
      answers.push(...pair);
    }
    expect(answers).toHaveLength(24);
    for (const client of clients) {
      const heard = JSON.stringify(client.messages);
      expect(unavailable(client), heard).toHaveLength(1);
      expect(back(client), heard).toHaveLength(1);
    }
    // After the restart the editors share again: the second asker costs no model call.
    const before = fake.requests.length;
    expect(await complete(clients[0]!, 'word99')).toBe('word99Done();');
    expect(await complete(clients[1]!, 'word99')).toBe('word99Done();');
    expect(fake.requests.length - before).toBe(1);
  });

  it('says the team cache is back after every recovery, not only the first (#13 item 9)', async () => {
    answerByPrompt();
    redis = await startRedis({ own: true });
    clients.push(...(await startTeam(1, teamEnv({ modelUrl: fake.url, redisUrl: redis.url, team: uniqueTeam() }))));
    const [client] = clients as [TestClient];
    for (let outage = 1; outage <= 2; outage++) {
      await redis.kill();
      for (let i = 0; unavailable(client).length < outage; i++) {
        expect(await complete(client, `word${outage}${i}`)).toBe(`word${outage}${i}Done();`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await redis.restart();
      await waitFor(() => back(client).length === outage, `recovery ${outage} to be told`);
    }
    // The last thing the user heard is that the cache is back.
    expect(client.messages.filter((m) => /team cache/.test(m.message)).at(-1)!.message).toMatch(/reachable again/);
  });

  it('works from memory when Redis is absent at start, and joins the team when it appears', async () => {
    answerByPrompt();
    const port = await freePort();
    const env = teamEnv({ modelUrl: fake.url, redisUrl: `redis://127.0.0.1:${port}`, team: uniqueTeam() });
    clients.push(...(await startTeam(2, env, { waitForRedis: false })));
    expect(await complete(clients[0]!, 'word1')).toBe('word1Done();');
    expect(await complete(clients[1]!, 'word2')).toBe('word2Done();');
    for (const client of clients) await waitFor(() => unavailable(client).length === 1, 'the unavailable message');

    redis = await startRedis({ own: true, port });
    await Promise.all(clients.map((client) => waitFor(() => back(client).length === 1, 'the servers to connect')));
    const before = fake.requests.length;
    expect(await complete(clients[0]!, 'word3')).toBe('word3Done();');
    expect(await complete(clients[1]!, 'word3')).toBe('word3Done();');
    expect(fake.requests.length - before).toBe(1);
    for (const client of clients) expect(unavailable(client)).toHaveLength(1);
  });

  it('answers from the model while Redis hangs, without waiting for it', async () => {
    answerByPrompt();
    redis = await startRedis({ own: true });
    clients.push(
      ...(await startTeam(
        1,
        teamEnv({
          modelUrl: fake.url,
          redisUrl: redis.url,
          team: uniqueTeam(),
          extra: { GHOSTLINE_CACHE__REDIS_TIMEOUT_MS: '200' },
        }),
      )),
    );
    redis.freeze();
    // Redis stays frozen until every request is answered: none of them can have waited for it.
    for (let i = 0; i < 5; i++) expect(await complete(clients[0]!, `word${i}`)).toBe(`word${i}Done();`);
    await waitFor(() => unavailable(clients[0]!).length === 1, 'the unavailable message');
    redis.thaw();
  });
});
