/**
 * `ghostline doctor`: checks what a newcomer needs — Node version, configuration sources and their
 * validity, the API key, the model endpoint and the routed models, Redis when configured — and says
 * exactly what is missing. Exit code 0 when everything needed works.
 */
import { compose } from '../compose.ts';
import { probeRedis } from '../cache/redis-probe.ts';
import { TASKS } from '../providers/types.ts';
import { resolveRoute } from '../router/policy.ts';
import { silentLogger } from '../telemetry/logger.ts';
import { isExecutable } from '../assets.ts';
import { MIN_NODE_MAJOR } from '../version.ts';
import { print } from './print.ts';

const OPENAI_URL = 'https://api.openai.com/v1';

function line(ok: boolean | 'warn', text: string): void {
  print(`${ok === 'warn' ? '!' : ok ? '✓' : '✗'} ${text}`);
}

async function listModels(
  baseUrl: string,
  apiKey: string | undefined,
  timeoutMs: number,
): Promise<{ ok: true; models: string[] } | { ok: false; error: string }> {
  try {
    const response = await fetch(`${baseUrl.replace(/\/$/, '')}/models`, {
      headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) return { ok: false, error: `HTTP ${response.status}: ${(await response.text()).slice(0, 200)}` };
    const body = (await response.json()) as { data?: { id: string }[] };
    return { ok: true, models: (body.data ?? []).map((m) => m.id) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

export async function runDoctor(env: NodeJS.ProcessEnv): Promise<number> {
  let failures = 0;
  const fail = (text: string) => {
    failures++;
    line(false, text);
  };
  const major = Number(process.versions.node.split('.')[0]);
  if (isExecutable()) line(true, `Node.js ${process.versions.node} (built into this executable)`);
  else if (major >= MIN_NODE_MAJOR) line(true, `Node.js ${process.versions.node}`);
  else
    fail(
      `Node.js ${process.versions.node}: ghostline needs Node.js ${MIN_NODE_MAJOR} or newer (or the self-contained executable, see README.md)`,
    );

  const problems: string[] = [];
  const composition = compose({
    env,
    workspaceRoot: process.cwd(),
    logger: silentLogger(),
    report: (_s, m) => problems.push(m),
    connectRedis: false,
  });
  await composition.close();
  const app = composition.services;
  if (problems.length === 0)
    line(true, 'configuration valid (environment, user file, .ghostline.json in this directory)');
  else for (const problem of problems) fail(problem);
  const config = app.config;

  const settings = app.providerSettings('openai');
  const baseUrl = settings.baseUrl ?? OPENAI_URL;
  if (settings.apiKey) line(true, `API key set (${settings.apiKey.slice(0, 3)}…${settings.apiKey.slice(-4)})`);
  else if (settings.baseUrl)
    line('warn', `no API key; using ${settings.baseUrl} without one (fine for Ollama, llama.cpp, vLLM)`);
  else fail('no API key: export OPENAI_API_KEY=sk-… (or set OPENAI_BASE_URL to a local OpenAI-compatible server)');

  if (settings.apiKey || settings.baseUrl) {
    const models = await listModels(baseUrl, settings.apiKey, config.timeouts.firstTokenMs);
    if (!models.ok) fail(`model endpoint ${baseUrl} unreachable or refused: ${models.error}`);
    else {
      line(true, `model endpoint ${baseUrl} answers (${models.models.length} models, ${settings.api} API)`);
      for (const task of TASKS) {
        const route = resolveRoute(config, task);
        if (route.provider !== 'openai') continue;
        const known = models.models.length === 0 || models.models.includes(route.model);
        line(known ? true : 'warn', `${task}: ${route.model}${known ? '' : ' — not listed by the endpoint'}`);
      }
    }
  }

  if (config.cache.redisUrl) {
    const redis = await probeRedis(config.cache.redisUrl, 2000, config.cache.redisCaFile);
    if (redis.ok) line(true, `Redis reachable (version ${redis.version})`);
    else
      fail(
        `Redis at ${config.cache.redisUrl.replace(/\/\/[^@]*@/, '//…@')} unreachable: ${redis.error} (ghostline still works from its in-memory cache)`,
      );
  } else
    line(
      'warn',
      'no Redis configured: answers are cached in memory per editor (set REDIS_URL to share a cache across a team)',
    );

  print(failures === 0 ? '\nghostline is ready.' : `\n${failures} problem(s) found.`);
  return failures === 0 ? 0 : 1;
}
