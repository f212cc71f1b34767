/**
 * Server processes on a 3-node Redis Cluster started by the test: identical prompts cost one model
 * call, answers are shared, budgets are charged through the cluster, and `ghostline stats` reads it.
 */
import { execFile } from 'node:child_process';
import type { TeamReport } from '../../../server/src/cache/redis-report.ts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../../fake-openai/server.ts';
import { BIN, ROOT, SERVER_NODE, type TestClient } from '../../helpers/lsp-client.ts';
import { startRedisCluster, type RedisCluster } from '../../helpers/redis.ts';
import { shutdownAll, startTeam, teamEnv } from './servers.ts';
import { uniqueTeam, waitFor } from './setup.ts';

let fake: FakeOpenAI;
let cluster: RedisCluster;
const clients: TestClient[] = [];

beforeAll(async () => {
  fake = await startFakeOpenAI();
  cluster = await startRedisCluster();
});
afterAll(async () => {
  await fake.close();
  await cluster.stop();
});
afterEach(async () => {
  await shutdownAll(clients);
  fake.reset();
});

async function complete(client: TestClient, word: string): Promise<string | undefined> {
  const uri = `file:///team/cluster/${word}.ts`;
  const text = `let ${word} = run.\n`;
  await client.open(uri, text);
  const list = await client.completion(uri, { line: 0, character: text.length - 1 });
  return list.items[0]?.textEdit?.newText;
}

describe('a team on Redis Cluster', () => {
  it('makes one model call per distinct prompt across editors and reports the team statistics', async () => {
    fake.setResponder((req) => {
      const word = /word\d+/.exec(JSON.stringify(req.body))?.[0] ?? 'unknown';
      return { kind: 'text', text: `${word}Done();`, firstTokenDelayMs: 300, usage: { input: 500, output: 10 } };
    });
    const team = uniqueTeam();
    clients.push(...(await startTeam(2, teamEnv({ modelUrl: fake.url, redisUrl: cluster.url, team }))));
    const words = ['word1', 'word2', 'word3', 'word4'];
    const answers = await Promise.all(clients.flatMap((client) => words.map((word) => complete(client, word))));
    expect(answers).toEqual([...words, ...words].map((w) => `${w}Done();`));
    expect(fake.requests).toHaveLength(4);

    const env = { PATH: process.env.PATH, HOME: ROOT, REDIS_URL: cluster.url, GHOSTLINE_CACHE__TEAM: team };
    const read = () =>
      new Promise<TeamReport | undefined>((resolve) =>
        execFile(SERVER_NODE, [BIN, 'stats', '--json'], { cwd: ROOT, env, timeout: 15_000 }, (error, stdout) =>
          resolve(error ? undefined : JSON.parse(stdout)),
        ),
      );
    let report: Awaited<ReturnType<typeof read>>;
    await waitFor(async () => {
      report = await read();
      return (
        report !== undefined &&
        report.teamSpend.tokens === 4 * 510 &&
        report.cache.modelCalls + report.cache.hitsPeer + report.cache.hitsShared === 8
      );
    }, 'the statistics of eight answers');
    expect(report!.cache.modelCalls).toBe(4);
  });
});
