/**
 * Several ghostline server processes on one Redis, driven concurrently like a team's editors:
 * identical prompts cost one model call (single-flight across processes, then the shared cache),
 * distinct prompts one call each, and `ghostline stats` reports what happened.
 */
import { execFile } from 'node:child_process';
import type { TeamReport } from '../../../server/src/cache/redis-report.ts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../../fake-openai/server.ts';
import { BIN, ROOT, SERVER_NODE, type TestClient } from '../../helpers/lsp-client.ts';
import { startRedis, type RedisServer } from '../../helpers/redis.ts';
import { shutdownAll, shutdownMetrics, startTeam, teamEnv } from './servers.ts';
import { uniqueTeam, waitFor } from './setup.ts';

let fake: FakeOpenAI;
let redis: RedisServer;
const clients: TestClient[] = [];

/** Answers name the prompt they were asked for, after a delay long enough for callers to overlap. */
function answerByPrompt(): void {
  fake.setResponder((req) => {
    const body = JSON.stringify(req.body);
    const word = /alpha|beta|gamma/.exec(body)?.[0] ?? 'other';
    return { kind: 'text', text: `${word}Result();`, firstTokenDelayMs: 400, usage: { input: 1000, output: 20 } };
  });
}

const doc = (word: string) => ({
  uri: `file:///team/src/${word}.ts`,
  text: `const ${word} = compute.\n`,
  position: { line: 0, character: `const ${word} = compute.`.length },
});

async function complete(client: TestClient, word: string): Promise<string | undefined> {
  const { uri, text, position } = doc(word);
  await client.open(uri, text);
  const list = await client.completion(uri, position);
  return list.items[0]?.textEdit?.newText;
}

function stats(
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      SERVER_NODE,
      [BIN, 'stats', ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH, HOME: ROOT, ...env }, timeout: 15_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

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

describe('a team on one Redis', () => {
  it('makes one model call for an identical prompt asked by three editors at once, and one per distinct prompt', async () => {
    answerByPrompt();
    const env = teamEnv({ modelUrl: fake.url, redisUrl: redis.url, team: uniqueTeam() });
    clients.push(...(await startTeam(3, env)));
    const same = await Promise.all(clients.map((client) => complete(client, 'alpha')));
    expect(same).toEqual(['alphaResult();', 'alphaResult();', 'alphaResult();']);
    expect(fake.requests).toHaveLength(1);

    // Two new prompts, each asked by every editor at once: one call each.
    const mixed = await Promise.all(clients.flatMap((client) => [complete(client, 'beta'), complete(client, 'gamma')]));
    expect(mixed.filter((t) => t === 'betaResult();')).toHaveLength(3);
    expect(mixed.filter((t) => t === 'gammaResult();')).toHaveLength(3);
    expect(fake.requests).toHaveLength(3);

    const metrics = await Promise.all(clients.splice(0).map((client) => shutdownMetrics(client)));
    const sum = (name: string) => metrics.reduce((total, m) => total + (m[name] ?? 0), 0);
    expect(sum('modelCalls')).toBe(3);
    // Everyone else got the holder's answer while it was computed, or the stored one just after.
    expect(sum('peerAnswers') + sum('sharedCacheHits')).toBe(6);
  });

  it('serves a prompt another editor asked earlier from the shared cache, with no model call', async () => {
    answerByPrompt();
    const env = teamEnv({ modelUrl: fake.url, redisUrl: redis.url, team: uniqueTeam() });
    clients.push(...(await startTeam(1, env)));
    expect(await complete(clients[0]!, 'alpha')).toBe('alphaResult();');
    await shutdownAll(clients);

    clients.push(...(await startTeam(1, env)));
    expect(await complete(clients[0]!, 'alpha')).toBe('alphaResult();');
    expect(fake.requests).toHaveLength(1);
    expect((await shutdownMetrics(clients.pop()!)).sharedCacheHits).toBe(1);
  });

  it('keeps teams apart: the same prompt in another team is its own model call', async () => {
    answerByPrompt();
    clients.push(...(await startTeam(1, teamEnv({ modelUrl: fake.url, redisUrl: redis.url, team: uniqueTeam() }))));
    clients.push(...(await startTeam(1, teamEnv({ modelUrl: fake.url, redisUrl: redis.url, team: uniqueTeam() }))));
    expect(await complete(clients[0]!, 'alpha')).toBe('alphaResult();');
    expect(await complete(clients[1]!, 'alpha')).toBe('alphaResult();');
    expect(fake.requests).toHaveLength(2);
  });

  it('prints the team hit rate, tokens and cost saved, and spend against budget (ghostline stats)', async () => {
    answerByPrompt();
    const team = uniqueTeam();
    const budget = {
      GHOSTLINE_BUDGET__TEAM__SOFT_COST_USD: '1',
      GHOSTLINE_BUDGET__TEAM__HARD_COST_USD: '2',
      GHOSTLINE_BUDGET__USER: 'alice',
    };
    const env = teamEnv({ modelUrl: fake.url, redisUrl: redis.url, team, extra: budget });
    clients.push(...(await startTeam(2, env)));
    await Promise.all(clients.map((client) => complete(client, 'alpha')));
    // Closed and reopened, the document no longer has a typed-ahead record: the memory tier answers.
    await clients[0]!.connection.sendNotification('textDocument/didClose', { textDocument: { uri: doc('alpha').uri } });
    expect(await complete(clients[0]!, 'alpha')).toBe('alphaResult();');
    expect(fake.requests).toHaveLength(1);

    const cliEnv = { REDIS_URL: redis.url, GHOSTLINE_CACHE__TEAM: team, ...budget };
    // Statistics are written fire-and-forget; wait until all three answers are counted.
    let report: (TeamReport & { hitRate: number }) | undefined;
    await waitFor(
      async () => {
        const result = await stats(cliEnv, ['--json']);
        report = result.code === 0 ? JSON.parse(result.stdout) : undefined;
        return (
          report !== undefined &&
          report.cache.modelCalls + report.cache.hitsPeer + report.cache.hitsShared + report.cache.hitsMemory === 3
        );
      },
      `statistics of three answers (last: ${JSON.stringify(report?.cache)})`,
    );
    expect(report!.cache).toMatchObject({ modelCalls: 1, hitsMemory: 1 });
    expect(report!.cache.hitsPeer + report!.cache.hitsShared).toBe(1);
    expect(report!.hitRate).toBeCloseTo(2 / 3);
    // gpt-4.1-mini at list price: 1000 input tokens at $0.40/M and 20 output at $1.60/M per saved call.
    expect(report!.cache.tokensSaved).toBe(2 * 1020);
    expect(report!.cache.costSavedUsd).toBeCloseTo(2 * 0.000432, 9);
    expect(report!.teamSpend).toEqual({ tokens: 1020, costUsd: 0.000432 });
    expect(report!.userSpend.tokens).toBe(1020);

    const text = await stats(cliEnv);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`ghostline team "${team}"`);
    expect(text.stdout).toMatch(/hit rate\s+66\.7% of 3 look-ups/);
    expect(text.stdout).toMatch(/saved\s+2,040 tokens, \$0\.0009/);
    expect(text.stdout).toMatch(
      /team spend\s+1,020 tokens, \$0\.0004 — today against soft cap \$1\.00 \(0\.0%\), hard cap \$2\.00 \(0\.0%\)/,
    );
    expect(text.stdout).toMatch(/alice spend\s+1,020 tokens/);
  });

  it('says clearly when no team cache is configured', async () => {
    const result = await stats({});
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no team cache configured/);
  });
});
