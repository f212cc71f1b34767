/**
 * `npm run bench -- --dashboard`: how fast a team lead's page opens with a full history. Fills a
 * real redis-server with 90 days of counters for 50 users (4 editors, 8 languages, 3 models, 2
 * tasks), starts the built `ghostline dashboard`, and times in headless Chromium from navigation to
 * every chart drawn for the 90-day range, plus the JSON endpoint alone. Target: under one second.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { createRedisClient } from '../server/src/cache/redis-client.ts';
import { RedisKeys, utcDay } from '../server/src/cache/redis-keys.ts';
import { parseRedisUrl } from '../server/src/cache/redis-url.ts';
import { dimensionField, LATENCY_BUCKETS_MS, NANO, userFields } from '../server/src/usage/fields.ts';
import { mulberry32 } from '../test/fake-openai/rng.ts';
import { startRedis } from '../test/helpers/redis.ts';
import { ROOT } from './corpus.ts';
import { CHROMIUM_ARGS } from '../test/helpers/chromium.ts';

/** The page as the bench saw it, for a person to look at (git-ignored). */
const ARTIFACTS = join(ROOT, 'test', 'artifacts', 'dashboard');

export interface DashboardBench {
  days: number;
  users: number;
  runs: number;
  /** Navigation to every chart drawn (ms), per run. */
  pageMs: number[];
  pageMedianMs: number;
  pageMaxMs: number;
  /** Inside the page: fetching `/api/charts` and drawing every chart (ms), per run. */
  fetchMs: number[];
  renderMs: number[];
  /** `/api/charts?days=90` alone (ms), per run, read fresh each time. */
  jsonMs: number[];
  jsonBytes: number;
  targetMs: number;
  met: boolean;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function fill(url: string, team: string, days: number, users: number, seed: number): Promise<void> {
  const parsed = parseRedisUrl(url);
  if (!parsed.ok) throw new Error(parsed.error);
  const client = createRedisClient(parsed.target, { role: 'commands', commandTimeoutMs: 30_000 });
  await new Promise<void>((resolve) => client.once('ready', () => resolve()));
  const keys = new RedisKeys(team);
  const random = mulberry32(seed);
  const int = (max: number) => Math.floor(random() * max);
  const names = Array.from({ length: users }, (_, i) => `dev${String(i + 1).padStart(2, '0')}`);
  const editors = ['Visual Studio Code', 'Neovim', 'helix', 'Emacs'];
  const languages = ['typescript', 'python', 'go', 'rust', 'java', 'ruby', 'cpp', 'lua'];
  const models = ['gpt-4.1-mini', 'gpt-4o-mini', 'gpt-4.1'];
  const now = Date.now();
  for (let d = 0; d < days; d++) {
    const day = utcDay(now - d * 86_400_000);
    const pipeline = client.pipeline();
    const usage: Record<string, number> = {};
    let teamTokens = 0;
    let teamNano = 0;
    for (const name of names) {
      const tokens = 20_000 + int(200_000);
      const nano = Math.round(tokens * 0.5e-6 * NANO);
      teamTokens += tokens;
      teamNano += nano;
      pipeline.hset(keys.userSpend(day, name), 'tokens', tokens, 'cost_nano', nano);
      const fields = userFields(name);
      usage[fields.tokens] = tokens;
      usage[fields.costNano] = nano;
      const shown = 50 + int(300);
      const accepted = Math.round(shown * (0.2 + random() * 0.3));
      for (const [event, count] of [
        ['shown', shown],
        ['accepted', accepted],
      ] as const) {
        usage[event] = (usage[event] ?? 0) + count;
        for (const [dimension, value] of [
          ['editor', editors[int(editors.length)]!],
          ['language', languages[int(languages.length)]!],
          ['model', models[int(models.length)]!],
          ['task', random() < 0.7 ? 'completion' : 'inline'],
        ] as const) {
          const field = dimensionField(event, dimension, value);
          usage[field] = (usage[field] ?? 0) + count;
        }
      }
      for (let i = 0; i < shown; i++) {
        const bucket = LATENCY_BUCKETS_MS[Math.min(LATENCY_BUCKETS_MS.length - 1, int(8) + int(4))]!;
        usage[`latency|le|${bucket}`] = (usage[`latency|le|${bucket}`] ?? 0) + 1;
      }
    }
    Object.assign(usage, {
      tokens_in: Math.round(teamTokens * 0.95),
      tokens_out: Math.round(teamTokens * 0.05),
      tokens_cached: Math.round(teamTokens * 0.4),
      spend_tokens: teamTokens,
      cost_nano: teamNano,
      hits_typed_ahead: 500 + int(2000),
      hits_joined: int(300),
      model_errors: int(20),
      fallbacks: int(30),
      budget_downgrades: int(10),
      budget_refusals: int(3),
      rate_limit_waits: int(50),
      rate_limited: int(5),
    });
    pipeline.hset(keys.usage(day), usage);
    pipeline.hset(keys.teamSpend(day), 'tokens', teamTokens, 'cost_nano', teamNano);
    pipeline.hset(
      keys.stats(day),
      'hits_memory',
      1000 + int(3000),
      'hits_shared',
      500 + int(2000),
      'hits_peer',
      int(500),
      'model_calls',
      3000 + int(5000),
      'tokens_saved',
      1_000_000 + int(5_000_000),
      'cost_saved_nano',
      int(5 * NANO),
    );
    await pipeline.exec();
  }
  client.disconnect();
}

export async function dashboardBench(
  options: { runs?: number; seed?: number; log?: (message: string) => void } = {},
): Promise<DashboardBench> {
  const runs = options.runs ?? 5;
  const days = 90;
  const users = 50;
  const log = options.log ?? (() => undefined);
  const redis = await startRedis();
  const team = 'bench';
  const profile = mkdtempSync(join(tmpdir(), 'ghostline-bench-chromium-'));
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'ghostline.js'), 'dashboard', '--port', '0'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: profile,
      REDIS_URL: redis.url,
      GHOSTLINE_CACHE__TEAM: team,
      GHOSTLINE_BUDGET__TEAM__SOFT_COST_USD: '300',
      GHOSTLINE_BUDGET__TEAM__HARD_COST_USD: '500',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    log(`filling Redis with ${days} days for ${users} users`);
    await fill(redis.url, team, days, users, options.seed ?? 1);
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /open (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      child.on('exit', (code) => reject(new Error(`dashboard exited with ${code}`)));
    });
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 1000 },
    });
    const pageMs: number[] = [];
    const jsonMs: number[] = [];
    const fetchMs: number[] = [];
    const renderMs: number[] = [];
    let jsonBytes = 0;
    try {
      const page = browser.pages()[0] ?? (await browser.newPage());
      // A first load warms Chromium's caches of the scripts, as a second visit would be.
      await page.goto(`${url}&days=90`);
      await page.waitForSelector('body[data-ready="90"]', { timeout: 60_000 });
      for (let run = 0; run < runs; run++) {
        // Past the dashboard's 2-second reuse of a report, so every run reads Redis again.
        await new Promise((r) => setTimeout(r, 2100));
        const started = performance.now();
        await page.goto(`${url}&days=90&run=${run}`);
        await page.waitForSelector('body[data-ready="90"]', { timeout: 60_000 });
        pageMs.push(Math.round(performance.now() - started));
        const timing = (await page.evaluate('window.__ghostline.timing')) as { fetchMs: number; renderMs: number };
        fetchMs.push(timing.fetchMs);
        renderMs.push(timing.renderMs);
        if (run === 0) {
          mkdirSync(ARTIFACTS, { recursive: true });
          await page.screenshot({ path: join(ARTIFACTS, 'bench-90-days-50-users.png'), fullPage: true });
        }
        await new Promise((r) => setTimeout(r, 2100));
        const jsonStarted = performance.now();
        const body = await (await fetch(url.replace('/?token=', '/api/charts?days=90&token='))).text();
        jsonMs.push(Math.round(performance.now() - jsonStarted));
        jsonBytes = Buffer.byteLength(body);
      }
    } finally {
      await browser.close();
    }
    const targetMs = 1000;
    return {
      days,
      users,
      runs,
      pageMs,
      fetchMs,
      renderMs,
      pageMedianMs: median(pageMs),
      pageMaxMs: Math.max(...pageMs),
      jsonMs,
      jsonBytes,
      targetMs,
      met: median(pageMs) < targetMs,
    };
  } finally {
    child.kill('SIGTERM');
    await redis.stop();
    rmSync(profile, { recursive: true, force: true });
  }
}
