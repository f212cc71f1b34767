/**
 * The measurements behind the defaults: a debounce sweep under the VS Code pattern (model calls
 * per typing pause against time to a suggestion), a context-window sweep (prompt tokens and
 * ghostline's overhead per call), and the heap one cached answer costs.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { BenchClient } from './client.ts';
import { ROOT, type CorpusFile, type Segment } from './corpus.ts';
import { measureCompletions, openDocuments } from './micro.ts';
import { BenchModel, INSTANT, LATENCY } from './model.ts';
import { profileResult, type ProfileResult } from './profile-metrics.ts';
import { replay, serverEnv, type ReplayRun } from './replay.ts';
import { round, summarize, type Summary } from './stats.ts';

export interface ContextPoint {
  prefixLines: number;
  suffixLines: number;
  maxPromptTokens: number;
  promptTokens: Summary;
  overheadMs: Summary;
  /** USD per 1,000 calls at gpt-4.1-mini list prices, uncached and with the whole prompt cached. */
  costPer1kCalls: number | null;
  costPer1kCallsCached: number | null;
}

export interface CacheSizing {
  /** V8 heap bytes per cached answer of a given length (after full collections). */
  points: { answerChars: number; bytesPerEntry: number }[];
}

/**
 * VS Code replays per debounce value on the same documents and key schedules, for several seeds.
 * The values of one seed run side by side (each with its own server and model server): the replay
 * is idle most of the time, and what this sweep compares (model calls, hundreds of milliseconds
 * of waiting) dwarfs the contention. Seeds run one after another and their runs are merged.
 */
export async function debounceSweep(
  corpus: CorpusFile[],
  segmentsFor: (seed: number) => Segment[],
  seeds: number[],
  values: number[],
): Promise<ProfileResult[]> {
  const runs = new Map<number, ReplayRun[]>(values.map((v) => [v, []]));
  for (const seed of seeds) {
    const segments = segmentsFor(seed);
    const batch = await Promise.all(
      values.map((debounceMs) =>
        replay({
          editor: 'vscode',
          corpus,
          segments,
          seed,
          latency: LATENCY,
          env: { GHOSTLINE_COMPLETION__DEBOUNCE_MS: String(debounceMs) },
        }),
      ),
    );
    batch.forEach((run, i) => {
      runs.get(values[i]!)!.push(run);
    });
  }
  return values.map((debounceMs) => profileResult(mergeRuns(runs.get(debounceMs)!), debounceMs));
}

/** Runs that did not overlap in time, as one: documents and calls joined, counters summed. */
export function mergeRuns(runs: ReplayRun[]): ReplayRun {
  const stats: Record<string, number> = {};
  for (const run of runs)
    for (const [name, value] of Object.entries(run.stats))
      if (typeof value === 'number') stats[name] = (stats[name] ?? 0) + value;
  return {
    editor: runs[0]!.editor,
    style: runs[0]!.style,
    description: runs[0]!.description,
    segments: runs.flatMap((r) => r.segments),
    calls: runs.flatMap((r) => r.calls),
    stats,
    peakRss: Math.max(...runs.map((r) => r.peakRss)),
    finalRss: runs.at(-1)!.finalRss,
    durationMs: runs.reduce((sum, r) => sum + r.durationMs, 0),
  };
}

const GPT_41_MINI = { input: 0.4, cached: 0.1 };

export async function contextSweep(
  corpus: CorpusFile[],
  seed: number,
  points: [number, number, number][],
  requests: number,
): Promise<ContextPoint[]> {
  const model = await BenchModel.start({ latency: INSTANT, seed, fixed: 'value + 1;' });
  const results: ContextPoint[] = [];
  try {
    for (const [prefixLines, suffixLines, maxPromptTokens] of points) {
      const env = {
        GHOSTLINE_COMPLETION__PREFIX_LINES: String(prefixLines),
        GHOSTLINE_COMPLETION__SUFFIX_LINES: String(suffixLines),
        GHOSTLINE_COMPLETION__MAX_PROMPT_TOKENS: String(maxPromptTokens),
      };
      const { client } = await BenchClient.started(serverEnv(model.url, env), false, 'bench-context');
      try {
        const { docs } = await openDocuments(client, corpus, 20, 2000);
        const { overhead, tokens } = await measureCompletions(client, model, docs, requests, seed);
        const promptTokens = summarize(tokens, 0);
        const cost = (price: number) =>
          promptTokens.mean === null ? null : round((promptTokens.mean * price * 1000) / 1_000_000, 4);
        results.push({
          prefixLines,
          suffixLines,
          maxPromptTokens,
          promptTokens,
          overheadMs: summarize(overhead, 3),
          costPer1kCalls: cost(GPT_41_MINI.input),
          costPer1kCallsCached: cost(GPT_41_MINI.cached),
        });
      } finally {
        await client.shutdown();
      }
    }
  } finally {
    await model.close();
  }
  return results;
}

/** Heap bytes per cache entry, measured in a child process on the server's own MemoryCache. */
export function cacheSizing(answerChars: number[]): CacheSizing {
  const script = join(ROOT, 'bench', 'cache-entry.ts');
  const points = answerChars.map((chars) => {
    const output = execFileSync(process.execPath, ['--expose-gc', script, '5000', String(chars)], { encoding: 'utf8' });
    return JSON.parse(output) as { answerChars: number; bytesPerEntry: number };
  });
  return { points };
}
