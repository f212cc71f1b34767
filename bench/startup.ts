/**
 * Start-up and memory at rest against a reference: ghostline and bench/reference-server.ts are
 * started alternately with the same Node, environment and client; each start is timed from spawn
 * to the initialize answer, and RSS is read once the server has settled after `initialized`.
 */
import { join } from 'node:path';
import { BenchClient } from './client.ts';
import { ROOT } from './corpus.ts';
import { serverEnv } from './replay.ts';
import { round, summarize, type Summary } from './stats.ts';

const MB = 1024 * 1024;
export const REFERENCE_SERVER = join(ROOT, 'bench', 'reference-server.ts');
/** Time left to a server after `initialized` before its memory is read (settings pull, timers). */
const SETTLE_MS = 300;

export interface StartupSide {
  initializeMs: Summary;
  rssAfterInitializeMB: Summary;
}

export interface StartupResult {
  starts: number;
  ghostline: StartupSide;
  reference: StartupSide;
  /** ghostline's median spawn → initialize over the reference's (target ≤ 1.2). */
  ratio: number | null;
}

async function startOnce(
  env: Record<string, string>,
  args: readonly string[] | undefined,
): Promise<{ ms: number; rss: number }> {
  const started = performance.now();
  const client = BenchClient.start(env, args);
  try {
    await client.initialize(false, 'bench-startup');
    const ms = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    return { ms, rss: client.memory().rss };
  } finally {
    await client.shutdown();
  }
}

export async function startup(
  count: number,
  modelUrl: string,
  env: Record<string, string> = {},
): Promise<StartupResult> {
  const environment = serverEnv(modelUrl, env);
  const sides = {
    ghostline: { ms: [] as number[], rss: [] as number[] },
    reference: { ms: [] as number[], rss: [] as number[] },
  };
  // One unmeasured start each first: the compile cache and the page cache fill for both alike.
  await startOnce(environment, undefined);
  await startOnce(environment, [REFERENCE_SERVER, '--stdio']);
  for (let i = 0; i < count; i++) {
    for (const [side, args] of [
      ['ghostline', undefined],
      ['reference', [REFERENCE_SERVER, '--stdio']],
    ] as const) {
      const { ms, rss } = await startOnce(environment, args);
      sides[side].ms.push(ms);
      sides[side].rss.push(rss / MB);
    }
  }
  const side = (s: { ms: number[]; rss: number[] }): StartupSide => ({
    initializeMs: summarize(s.ms, 1),
    rssAfterInitializeMB: summarize(s.rss, 1),
  });
  const ghostline = side(sides.ghostline);
  const reference = side(sides.reference);
  const ratio =
    ghostline.initializeMs.p50 !== null && reference.initializeMs.p50
      ? round(ghostline.initializeMs.p50 / reference.initializeMs.p50, 2)
      : null;
  return { starts: count, ghostline, reference, ratio };
}
