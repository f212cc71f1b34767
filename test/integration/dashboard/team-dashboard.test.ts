/**
 * The team dashboard as a team lead opens it: three real ghostline servers (alice, bob, carol)
 * share one real Redis and complete code against the fake model — shared prompts, a fallback after
 * a failing model, a model error, accepted suggestions — then `ghostline dashboard` is started and
 * loaded in headless Chromium. Every figure and chart series on the page must equal
 * `ghostline stats --json` for the same range, and both must match what the fake model served.
 * The token is required, and nothing listens beyond 127.0.0.1. Screenshots go to test/artifacts/.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardReport } from '../../../server/src/usage/report.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../fake-openai/server.ts';
import { ROOT, TestClient } from '../../helpers/lsp-client.ts';
import { startRedis, type RedisServer } from '../../helpers/redis.ts';
import { teamEnv } from '../redis/servers.ts';
import { uniqueTeam, waitFor } from '../redis/setup.ts';
import { ARTIFACTS, CHROMIUM_ARGS, runStats, startDashboardCli, type DashboardProcess } from './cli.ts';

let fake: FakeOpenAI;
let redis: RedisServer;
let dashboard: DashboardProcess | undefined;
let browser: BrowserContext | undefined;
let profile: string;
const team = uniqueTeam();
const budget = {
  GHOSTLINE_BUDGET__TEAM__SOFT_COST_USD: '1',
  GHOSTLINE_BUDGET__TEAM__HARD_COST_USD: '2',
  GHOSTLINE_BUDGET__PER_USER__SOFT_COST_USD: '0.5',
  GHOSTLINE_RETRY__MAX_ATTEMPTS: '1',
};
/** Successful model answers, as the fake model served them (each 1000 tokens in, 20 out). */
let served = 0;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  redis = await startRedis();
  profile = mkdtempSync(join(tmpdir(), 'ghostline-chromium-'));
  mkdirSync(ARTIFACTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await dashboard?.stop();
  await fake.close();
  await redis.stop();
  rmSync(profile, { recursive: true, force: true });
});

const doc = (word: string) => ({
  uri: `file:///team/src/${word}.py`,
  text: `${word}_value = compute_${word}(`,
  character: `${word}_value = compute_${word}(`.length,
});

/** Completes one document; accepts the suggestion (runs its command) when asked. */
async function complete(client: TestClient, word: string, accept = false): Promise<string | undefined> {
  const { uri, text, character } = doc(word);
  await client.open(uri, text, 'python');
  const list = await client.completion(uri, { line: 0, character });
  const item = list.items[0];
  if (item && accept && item.command)
    await client.request('workspace/executeCommand', {
      command: item.command.command,
      arguments: item.command.arguments,
    });
  return item?.textEdit?.newText;
}

async function fill(): Promise<void> {
  fake.setResponder((req) => {
    const body = JSON.stringify(req.body);
    const word = /compute_(\w+)/.exec(body)?.[1] ?? 'other';
    // The primary model fails on "broken" (one attempt per model): the router falls back to gpt-4o-mini.
    if (word === 'broken' && req.body.model === 'gpt-4.1-mini')
      return { kind: 'error', status: 500, message: 'upstream failed' };
    // Every model refuses "fail": the user sees a model error (an empty list).
    if (word === 'fail') return { kind: 'error', status: 400, type: 'invalid_request_error', message: 'bad request' };
    served++;
    return { kind: 'text', text: `${word}_result)`, firstTokenDelayMs: 300, usage: { input: 1000, output: 20 } };
  });
  const users = ['alice', 'bob', 'carol'];
  const clients = users.map((user) =>
    TestClient.start({
      env: teamEnv({
        modelUrl: fake.url,
        redisUrl: redis.url,
        team,
        extra: { ...budget, GHOSTLINE_BUDGET__USER: user },
      }),
    }),
  );
  try {
    await Promise.all(clients.map((client) => client.initialize()));
    await Promise.all(
      clients.map((client) => waitFor(() => client.stderr.includes('"team cache ready"'), 'the team cache', 15_000)),
    );
    const [alice, bob, carol] = clients as [TestClient, TestClient, TestClient];
    // One prompt asked by all three at once: one model call, the others from the peer or Redis.
    expect(
      await Promise.all([complete(alice, 'alpha', true), complete(bob, 'alpha', true), complete(carol, 'alpha')]),
    ).toEqual(['alpha_result)', 'alpha_result)', 'alpha_result)']);
    // Distinct prompts, one call each; bob accepts his.
    expect(await complete(alice, 'beta')).toBe('beta_result)');
    expect(await complete(bob, 'gamma', true)).toBe('gamma_result)');
    expect(await complete(carol, 'delta')).toBe('delta_result)');
    // Asked again later by another editor: served from Redis.
    expect(await complete(carol, 'beta', true)).toBe('beta_result)');
    expect(await complete(alice, 'broken', true)).toBe('broken_result)');
    expect(await complete(bob, 'fail')).toBeUndefined();
  } finally {
    // Shutting down writes the counters still in memory.
    await Promise.all(clients.map((client) => client.shutdown()));
  }
}

const env = () => ({ HOME: ROOT, REDIS_URL: redis.url, GHOSTLINE_CACHE__TEAM: team, ...budget });

function field(report: DashboardReport, path: string): unknown {
  return path.split('.').reduce<unknown>((o, key) => (o as Record<string, unknown>)[key], report);
}

describe('the team dashboard', () => {
  it('shows in Chromium exactly what `ghostline stats --json` reports, which matches what the model served', async () => {
    await fill();
    let stats: { daily: DashboardReport } | undefined;
    // Cache statistics are written fire-and-forget; wait until the six hits and five calls are in.
    await waitFor(
      async () => {
        const result = await runStats(env(), ['--json', '--range', '7d']);
        stats = result.code === 0 ? JSON.parse(result.stdout) : undefined;
        const t = stats?.daily.totals;
        return t !== undefined && t.modelCalls === 5 && t.hitsPeer + t.hitsRedis === 3;
      },
      'the team counters',
      20_000,
    );
    const daily = stats!.daily;
    const t = daily.totals;

    // What the fake model served: five answers of 1000 tokens in and 20 out, one failed attempt before a fallback.
    expect(served).toBe(5);
    expect(t).toMatchObject({
      tokensIn: 5 * 1000,
      tokensOut: 5 * 20,
      spendTokens: 5 * 1020,
      modelCalls: 5,
      shown: 8,
      accepted: 5,
      fallbacks: 1,
      modelErrors: 1,
    });
    expect(t.acceptanceRate).toBeCloseTo(5 / 8, 6);
    // gpt-4.1-mini at $0.40/M in and $1.60/M out, four calls; gpt-4o-mini ($0.15 / $0.60) for the fallback.
    expect(t.spendUsd).toBeCloseTo(4 * 0.000432 + 0.000162, 9);
    expect(t.latencyP50Ms).not.toBeNull();
    expect(daily.acceptance.editor).toEqual([
      { name: 'ghostline-tests', shown: 8, accepted: 5, rate: t.acceptanceRate },
    ]);
    expect(daily.acceptance.language).toEqual([{ name: 'python', shown: 8, accepted: 5, rate: t.acceptanceRate }]);
    expect(daily.users.map((u) => u.name).sort()).toEqual(['alice', 'bob', 'carol']);
    expect(daily.health).toMatchObject({
      source: 'team',
      redisReachable: true,
      team,
      lastError: { model: 'gpt-4.1-mini' },
    });

    dashboard = await startDashboardCli(env(), ['--port', '0']);
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 1000 },
    });
    const page = browser.pages()[0] ?? (await browser.newPage());
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    await page.goto(`${dashboard.url}&days=7`);
    await page.waitForSelector('body[data-ready="7"]', { timeout: 20_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'team-7-days.png'), fullPage: true });
    expect(problems).toEqual([]);

    // Every figure beside a chart equals the report field it names.
    const figures = await page.$$eval('[data-field]', (nodes) =>
      nodes.map((n) => ({
        field: n.getAttribute('data-field')!,
        value: n.getAttribute('data-value')!,
        text: n.textContent,
      })),
    );
    expect(figures.length).toBeGreaterThan(15);
    for (const figure of figures) {
      if (figure.field === 'users.length') expect(Number(figure.value)).toBe(daily.users.length);
      else expect(figure.value === '' ? null : Number(figure.value), figure.field).toBe(field(daily, figure.field));
    }
    // Every chart draws the report's series, day by day.
    const plotted = await page.evaluate(() => {
      const state = (
        globalThis as unknown as {
          __ghostline: {
            data: { charts: { name: string; series: { label: string }[] }[] };
            plots: Record<string, { data: (number | null)[][] }>;
          };
        }
      ).__ghostline;
      return state.data.charts.map((chart) => ({
        name: chart.name,
        labels: chart.series.map((s) => s.label),
        data: state.plots[chart.name]!.data.slice(1),
      }));
    });
    const series = (name: string) => plotted.find((p) => p.name === name)!;
    expect(series('spend').data[0]).toEqual(daily.series.spendUsd);
    expect(series('spend').labels).toEqual(['spend', 'soft cap', 'hard cap']);
    expect(series('tokens').data).toEqual([daily.series.tokensIn, daily.series.tokensOut, daily.series.tokensCached]);
    expect(series('cache').data).toEqual([
      daily.series.hitsMemory,
      daily.series.hitsRedis,
      daily.series.hitsPeer,
      daily.series.hitsTypedAhead,
      daily.series.hitsJoined,
    ]);
    expect(series('suggestions').data).toEqual([daily.series.shown, daily.series.accepted]);
    expect(series('latency').data).toEqual([daily.series.latencyP50Ms, daily.series.latencyP90Ms]);
    expect(series('problems').data[1]).toEqual(daily.series.fallbacks);
    expect(series('users').labels.slice(0, 3).sort()).toEqual(['alice', 'bob', 'carol']);
    // Acceptance by editor and the health line.
    expect(await page.textContent('table[data-dimension="editor"] tr[data-name="ghostline-tests"]')).toContain('62.5%');
    expect(await page.textContent('[data-health="redis"]')).toBe('reachable');
    expect(await page.textContent('[data-health="policy"]')).toBe(daily.health.policyVersion);

    // The 30-day range from the buttons, as a person would switch.
    await page.click('button[data-days="30"]');
    await page.waitForSelector('body[data-ready="30"]', { timeout: 20_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'team-30-days.png'), fullPage: true });
    const stats30 = JSON.parse((await runStats(env(), ['--json', '--days', '30'])).stdout) as {
      daily: DashboardReport;
    };
    const spend30 = await page.getAttribute('[data-field="totals.spendUsd"]', 'data-value');
    expect(Number(spend30)).toBe(stats30.daily.totals.spendUsd);
    expect(stats30.daily.days).toHaveLength(30);
  }, 180_000);

  it('refuses requests without the right token and answers the JSON and Prometheus endpoints with it', async () => {
    dashboard ??= await startDashboardCli(env(), ['--port', '0']);
    const { origin, token } = dashboard;
    expect((await fetch(`${origin}/`)).status).toBe(401);
    expect((await fetch(`${origin}/api/report?days=7`)).status).toBe(401);
    expect((await fetch(`${origin}/metrics`)).status).toBe(401);
    expect((await fetch(`${origin}/?token=${token.slice(0, -1)}x`)).status).toBe(403);
    expect((await fetch(`${origin}/api/report`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(403);
    const chart = await fetch(`${origin}/api/chart/spend?days=7`, { headers: { authorization: `Bearer ${token}` } });
    expect(chart.status).toBe(200);
    const body = (await chart.json()) as { name: string; days: string[]; figures: { field: string; value: number }[] };
    expect(body.name).toBe('spend');
    expect(body.days).toHaveLength(7);
    const metrics = await fetch(`${origin}/metrics?token=${token}`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await metrics.text();
    expect(text).toContain(`ghostline_suggestions_total{team="${team}",event="accepted"} 5`);
    expect(text).toContain(`ghostline_redis_up{team="${team}"} 1`);
    // Read-only, and no other Host (a DNS-rebinding page) gets an answer.
    expect((await fetch(`${origin}/?token=${token}`, { method: 'POST' })).status).toBe(405);
    const rebound = await new Promise<string>((resolve) => {
      const socket = connect(dashboard!.port, '127.0.0.1', () =>
        socket.write(
          `GET /?token=${token} HTTP/1.1\r\nHost: evil.example:${dashboard!.port}\r\nConnection: close\r\n\r\n`,
        ),
      );
      let reply = '';
      socket.on('data', (chunk) => (reply += chunk.toString()));
      socket.on('end', () => resolve(reply));
    });
    expect(rebound).toMatch(/^HTTP\/1\.1 421/);
  }, 60_000);

  it('listens on 127.0.0.1 only', async () => {
    dashboard ??= await startDashboardCli(env(), ['--port', '0']);
    const port = dashboard.port;
    // The kernel's table of listening TCP sockets: this port is bound to 127.0.0.1 (0100007F) and nothing else.
    const listening = ['/proc/net/tcp', '/proc/net/tcp6']
      .flatMap((file) => readFileSync(file, 'utf8').split('\n').slice(1))
      .map((line) => line.trim().split(/\s+/))
      .filter((cols) => cols[3] === '0A' && parseInt(cols[1]!.split(':')[1]!, 16) === port)
      .map((cols) => cols[1]!.split(':')[0]);
    expect(listening).toEqual(['0100007F']);
    // And a connection to this machine's other addresses is refused.
    const others = Object.values(networkInterfaces())
      .flatMap((list) => list ?? [])
      .filter((a) => !a.internal && a.family === 'IPv4');
    for (const address of others) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = connect(port, address.address, () => {
          socket.destroy();
          resolve('connected');
        });
        socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
      expect(outcome, address.address).toBe('ECONNREFUSED');
    }
  });
});
