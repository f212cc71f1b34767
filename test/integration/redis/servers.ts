/**
 * Several built ghostline servers (real processes over stdio) sharing one Redis and one fake model
 * server, as a team's editors would. Waits until each server's team cache is connected, so a test
 * starts from a known state instead of racing the first connection.
 */
import { TestClient } from '../../helpers/lsp-client.ts';
import { waitFor } from './setup.ts';

export interface TeamEnv {
  modelUrl: string;
  redisUrl: string;
  team: string;
  extra?: Record<string, string>;
}

export function teamEnv(options: TeamEnv): Record<string, string> {
  return {
    OPENAI_API_KEY: 'sk-test-key-0000',
    OPENAI_BASE_URL: options.modelUrl,
    REDIS_URL: options.redisUrl,
    GHOSTLINE_CACHE__TEAM: options.team,
    // Several node processes share two cores here: a generous deadline keeps the tests about behaviour.
    GHOSTLINE_CACHE__REDIS_TIMEOUT_MS: '3000',
    GHOSTLINE_COMPLETION__DEBOUNCE_MS: '0',
    ...options.extra,
  };
}

/** Starts `count` servers and waits until each has initialized and (unless told otherwise) reached Redis. */
export async function startTeam(
  count: number,
  env: Record<string, string>,
  options: { waitForRedis?: boolean } = {},
): Promise<TestClient[]> {
  const clients = Array.from({ length: count }, () => TestClient.start({ env }));
  await Promise.all(clients.map((client) => client.initialize()));
  if (options.waitForRedis !== false) {
    await Promise.all(
      clients.map((client) =>
        waitFor(
          () => client.stderr.includes('"team cache ready"'),
          `server ${client.child.pid} to reach Redis`,
          15_000,
        ),
      ),
    );
  }
  return clients;
}

/** The counters a server logs when it shuts down. */
export async function shutdownMetrics(client: TestClient): Promise<Record<string, number>> {
  await client.shutdown();
  const line = client.stderr.split('\n').find((l) => l.includes('"msg":"shutdown"'));
  return line ? (JSON.parse(line) as { metrics: Record<string, number> }).metrics : {};
}

export async function shutdownAll(clients: TestClient[]): Promise<void> {
  await Promise.all(clients.splice(0).map((client) => client.shutdown()));
}
