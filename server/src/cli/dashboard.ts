/**
 * `ghostline dashboard [--port N]`: serves the team dashboard on 127.0.0.1 with a random access
 * token in the printed URL, reading the team's Redis (or, without one, this developer's local usage
 * counters) until interrupted.
 */
import { loadRedisDriver } from '../cache/redis-client.ts';
import { compose } from '../compose.ts';
import { startDashboard } from '../dashboard/server.ts';
import { silentLogger } from '../telemetry/logger.ts';
import { UsageSource } from '../dashboard/source.ts';
import { print, printError } from './print.ts';

export interface DashboardCliOptions {
  port: number;
  /** Resolves when the dashboard should stop (default: SIGINT or SIGTERM). */
  until?: Promise<void>;
}

export async function runDashboard(env: NodeJS.ProcessEnv, options: DashboardCliOptions): Promise<number> {
  const problems: string[] = [];
  const composition = compose({
    env,
    workspaceRoot: process.cwd(),
    logger: silentLogger(),
    report: (_s, m) => problems.push(m),
    connectRedis: false,
  });
  const config = composition.services.config;
  await composition.close();
  for (const problem of problems) printError(problem);
  // The team's counters come from Redis: its driver loads only when a URL is set.
  if (config.cache.redisUrl) await loadRedisDriver();
  const source = new UsageSource({ config, env, workspaceRoot: process.cwd() });
  let dashboard: Awaited<ReturnType<typeof startDashboard>>;
  try {
    dashboard = await startDashboard({ load: (days) => source.report(days), port: options.port });
  } catch (error) {
    source.close();
    printError(`ghostline dashboard: cannot listen on 127.0.0.1:${options.port}: ${(error as Error).message}`);
    return 1;
  }
  print(
    `ghostline dashboard — ${source.kind === 'team' ? `team "${config.cache.team}" on ${source.where}` : `this developer's usage (no team Redis configured), from ${source.where}`}`,
  );
  print(`  open ${dashboard.url}`);
  print(`  Prometheus: ${dashboard.url.replace('/?token=', '/metrics?token=')} (or Authorization: Bearer <token>)`);
  print('  listening on 127.0.0.1 only; Ctrl-C stops it');
  const stop =
    options.until ??
    new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
  await stop;
  await dashboard.close();
  source.close();
  return 0;
}
