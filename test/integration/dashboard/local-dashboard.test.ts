/**
 * The dashboard without a team Redis: one developer's real ghostline server, with the local audit
 * trail on, completes code against the fake model and writes its counters to the usage files beside
 * the audit file; `ghostline dashboard` then shows
 * the same views for that developer, equal to `ghostline stats --json` and to what the model served.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardReport } from '../../../server/src/usage/report.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../fake-openai/server.ts';
import { TestClient } from '../../helpers/lsp-client.ts';
import { ARTIFACTS, CHROMIUM_ARGS, runStats, startDashboardCli } from './cli.ts';

let fake: FakeOpenAI;
let home: string;
let profile: string;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  home = mkdtempSync(join(tmpdir(), 'ghostline-dev-'));
  profile = mkdtempSync(join(tmpdir(), 'ghostline-chromium-'));
  mkdirSync(ARTIFACTS, { recursive: true });
});
afterAll(async () => {
  await fake.close();
  rmSync(home, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
});

describe('the dashboard of one developer (no team Redis)', () => {
  it('shows the local counters, equal to `ghostline stats --json`', async () => {
    fake.setResponder(() => ({
      kind: 'text',
      text: 'result)',
      firstTokenDelayMs: 50,
      usage: { input: 800, cached: 400, output: 10 },
    }));
    const env = {
      HOME: home,
      XDG_STATE_HOME: join(home, 'state'),
      GHOSTLINE_SAFETY__AUDIT__ENABLED: 'true',
      OPENAI_API_KEY: 'sk-test-key-0000',
      OPENAI_BASE_URL: fake.url,
      GHOSTLINE_COMPLETION__DEBOUNCE_MS: '0',
      GHOSTLINE_BUDGET__USER: 'dana',
    };
    const client = TestClient.start({ env });
    await client.initialize();
    const uri = 'file:///work/app.go';
    const text = 'total := sum(';
    await client.open(uri, text, 'go');
    const first = await client.completion(uri, { line: 0, character: text.length });
    await client.request('workspace/executeCommand', {
      command: first.items[0]!.command!.command,
      arguments: first.items[0]!.command!.arguments,
    });
    // Closed and reopened: the same prompt is answered from memory.
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await client.open(uri, text, 'go');
    expect((await client.completion(uri, { line: 0, character: text.length })).items).toHaveLength(1);
    await client.shutdown();
    expect(fake.requests).toHaveLength(1);

    // Counts and sums only in the files: no document text.
    const dir = join(home, 'state', 'ghostline', 'usage');
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(readFileSync(join(dir, files[0]!), 'utf8')).not.toContain('total := sum');

    const stats = await runStats(env, ['--json', '--range', '7d']);
    expect(stats.code).toBe(0);
    const daily = (JSON.parse(stats.stdout) as { daily: DashboardReport }).daily;
    expect(daily.health).toMatchObject({ source: 'local', redisReachable: false });
    expect(daily.totals).toMatchObject({
      shown: 2,
      accepted: 1,
      tokensIn: 800,
      tokensCached: 400,
      tokensOut: 10,
      cachedShare: 0.5,
      modelCalls: 1,
      hitsMemory: 1,
      callsAvoided: 1,
      spendTokens: 810,
    });
    expect(daily.users.map((u) => u.name)).toEqual(['dana']);
    expect(daily.acceptance.language).toEqual([{ name: 'go', shown: 2, accepted: 1, rate: 0.5 }]);

    const dashboard = await startDashboardCli(env, ['--port', '0']);
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 1000 },
    });
    try {
      const page = browser.pages()[0] ?? (await browser.newPage());
      await page.goto(`${dashboard.url}&days=7`);
      await page.waitForSelector('body[data-ready="7"]', { timeout: 20_000 });
      await page.screenshot({ path: join(ARTIFACTS, 'local-7-days.png'), fullPage: true });
      const figures = await page.$$eval('[data-field]', (nodes) =>
        nodes.map((n) => [n.getAttribute('data-field')!, n.getAttribute('data-value')!] as const),
      );
      for (const [field, value] of figures) {
        const expected =
          field === 'users.length'
            ? daily.users.length
            : field.split('.').reduce<unknown>((o: unknown, key: string) => (o as Record<string, unknown>)[key], daily);
        expect(value === '' ? null : Number(value), field).toBe(expected);
      }
      expect(await page.textContent('#scope')).toContain('this developer');
    } finally {
      await browser.close();
      await dashboard.stop();
    }
  }, 120_000);
});
