/**
 * The measurements behind the defaults: a debounce sweep under the VS Code pattern (model calls
 * per typing pause against time to a suggestion), a context-window sweep (prompt tokens and
 * ghostline's overhead per call), and the memory one cache entry costs.
 */
import { BenchClient } from './client.ts';
import type { CorpusFile, Segment } from './corpus.ts';
import { makeDocument, measureCompletions, openDocuments } from './micro.ts';
import { BenchModel, INSTANT, LATENCY } from './model.ts';
import { profileResult, type ProfileResult } from './profile-metrics.ts';
import { replay, serverEnv } from './replay.ts';
import { round, slope, summarize, type Summary } from './stats.ts';

const MB = 1024 * 1024;

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
  entries: number[];
  rssMB: number[];
  /** Bytes of RSS per cache entry: the unbounded fill's RSS above the bounded one, per extra entry. */
  bytesPerEntry: number | null;
  /** The least-squares slope of RSS over entries in the unbounded fill (includes uncollected garbage). */
  slopeBytesPerEntry: number | null;
  /** RSS with the default LRU bound after the same fill, for comparison. */
  boundedRssMB: number | null;
  boundedEntries: number;
}

export async function debounceSweep(corpus: CorpusFile[], segments: Segment[], seed: number, values: number[]): Promise<ProfileResult[]> {
  const results: ProfileResult[] = [];
  for (const debounceMs of values) {
    const run = await replay({ editor: 'vscode', corpus, segments, seed, latency: LATENCY, env: { GHOSTLINE_COMPLETION__DEBOUNCE_MS: String(debounceMs) } });
    results.push(profileResult(run, debounceMs));
  }
  return results;
}

const GPT_41_MINI = { input: 0.4, cached: 0.1 };

export async function contextSweep(corpus: CorpusFile[], seed: number, points: [number, number, number][], requests: number): Promise<ContextPoint[]> {
  const model = await BenchModel.start({ latency: INSTANT, seed, fixed: 'value + 1;' });
  const results: ContextPoint[] = [];
  try {
    for (const [prefixLines, suffixLines, maxPromptTokens] of points) {
      const client = BenchClient.start(
        serverEnv(model.url, {
          GHOSTLINE_COMPLETION__PREFIX_LINES: String(prefixLines),
          GHOSTLINE_COMPLETION__SUFFIX_LINES: String(suffixLines),
          GHOSTLINE_COMPLETION__MAX_PROMPT_TOKENS: String(maxPromptTokens),
        }),
      );
      try {
        await client.initialize(false, 'bench-context');
        const { docs } = await openDocuments(client, corpus, 20, 2000);
        const { overhead, tokens } = await measureCompletions(client, model, docs, requests, seed);
        const promptTokens = summarize(tokens, 0);
        const cost = (price: number) => (promptTokens.mean === null ? null : round((promptTokens.mean * price * 1000) / 1_000_000, 4));
        results.push({ prefixLines, suffixLines, maxPromptTokens, promptTokens, overheadMs: summarize(overhead, 3), costPer1kCalls: cost(GPT_41_MINI.input), costPer1kCallsCached: cost(GPT_41_MINI.cached) });
      } finally {
        await client.shutdown();
      }
    }
  } finally {
    await model.close();
  }
  return results;
}

/** Fills the answer cache with distinct answers and reads RSS as it grows, unbounded and bounded. */
export async function cacheSizing(corpus: CorpusFile[], seed: number, fill: number, step: number, boundedEntries: number): Promise<CacheSizing> {
  const model = await BenchModel.start({ latency: INSTANT, seed, fixed: 'value + 1;' });
  const text = makeDocument(corpus[0]!, 0, fill + 10);
  const lines = text.split('\n');
  const measure = async (maxEntries: number) => {
    const client = BenchClient.start(serverEnv(model.url, { GHOSTLINE_CACHE__MAX_ENTRIES: String(maxEntries) }));
    const entries: number[] = [];
    const rss: number[] = [];
    try {
      await client.initialize(false, 'bench-cache');
      const uri = 'file:///bench/cache/fill.ts';
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text } });
      for (let i = 0; i <= fill; i++) {
        if (i % step === 0) {
          await client.stats();
          entries.push(i);
          rss.push(client.memory().rss / MB);
        }
        if (i === fill) break;
        await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: i + 1, character: (lines[i + 1] ?? '').length }, context: { triggerKind: 1 } });
      }
    } finally {
      await client.shutdown();
    }
    return { entries, rss };
  };
  try {
    const unbounded = await measure(fill * 2);
    const bounded = await measure(boundedEntries);
    const perEntryMB = slope(unbounded.entries.slice(1).map((x, i) => ({ x, y: unbounded.rss[i + 1]! })));
    const extra = (unbounded.rss.at(-1) ?? 0) - (bounded.rss.at(-1) ?? 0);
    return {
      entries: unbounded.entries,
      rssMB: unbounded.rss.map((v) => round(v, 1)!),
      bytesPerEntry: fill > boundedEntries ? Math.round((extra * MB) / (fill - boundedEntries)) : null,
      slopeBytesPerEntry: perEntryMB === null ? null : Math.round(perEntryMB * MB),
      boundedRssMB: round(bounded.rss.at(-1) ?? null, 1),
      boundedEntries,
    };
  } finally {
    await model.close();
  }
}
