/**
 * The soak: one server kept busy for many minutes by the VS Code pattern retyping the corpus in an
 * endless, seeded rotation, its RSS sampled every few seconds, to show whether memory grows.
 */
import type { CorpusFile, Segment } from './corpus.ts';
import { pickSegment } from './corpus.ts';
import { LATENCY } from './model.ts';
import { profileResult, type ProfileResult } from './profile-metrics.ts';
import { replay } from './replay.ts';
import { readMemory } from './client.ts';
import { median, round, slope } from './stats.ts';
import { HeapProbe, inspectorUrl } from './inspector.ts';
import type { SoakSummary } from './report.ts';

const MB = 1024 * 1024;

export interface SoakResult extends SoakSummary {
  /** Minutes since the start and RSS in MB. */
  samples: { minute: number; rssMB: number }[];
  /** Minutes since the start and the live V8 heap after a forced full collection, in MB. */
  heapSamples: { minute: number; heapMB: number }[];
  /** Heap after GC: median in the first and the last fifth after warm-up, and the difference. */
  heapEarlyMB: number | null;
  heapLateMB: number | null;
  heapGrowthMB: number | null;
  rssGrowthMB: number | null;
  warmupMinutes: number;
  /** Median RSS in the window after warm-up and in the last fifth of the run. */
  earlyMB: number | null;
  lateMB: number | null;
  profile: ProfileResult;
}

function* rotation(corpus: CorpusFile[], chars: number, seed: number): Generator<Segment> {
  for (let round = 0; ; round++) {
    for (const [i, file] of corpus.entries()) yield pickSegment(file, chars, seed * 7919 + round * 101 + i);
  }
}

/** Medians of the first and the last fifth of the samples taken after warm-up, and their difference. */
function growth<T extends { minute: number }>(samples: T[], value: (s: T) => number, warmupMinutes: number) {
  const after = samples.filter((s) => s.minute >= warmupMinutes);
  const span = (after.at(-1)?.minute ?? 0) - warmupMinutes;
  const early = median(after.filter((s) => s.minute <= warmupMinutes + span / 5).map(value));
  const late = median(after.filter((s) => s.minute >= warmupMinutes + (span * 4) / 5).map(value));
  return { early, late, growth: early === null || late === null ? null : late - early, after };
}

export async function soak(options: {
  corpus: CorpusFile[];
  minutes: number;
  seed: number;
  chars: number;
  debounceMs: number;
}): Promise<SoakResult> {
  const started = performance.now();
  const deadline = started + options.minutes * 60_000;
  const samples: { minute: number; rssMB: number }[] = [];
  const heapSamples: { minute: number; heapMB: number }[] = [];
  let pid: number | undefined;
  let probe: HeapProbe | undefined;
  let ticks = 0;
  const minute = () => (performance.now() - started) / 60_000;
  const sample = () => {
    // Only while documents are being typed: the last one may run past the deadline.
    if (pid === undefined || performance.now() > deadline) return;
    try {
      samples.push({ minute: minute(), rssMB: readMemory(pid).rss / MB });
    } catch {
      // The process has exited; the last sample stands.
    }
    if (probe && ticks++ % 6 === 0) {
      const at = minute();
      probe.heapAfterGc().then(
        (bytes) => heapSamples.push({ minute: at, heapMB: bytes / MB }),
        () => undefined,
      );
    }
  };
  const timer = setInterval(sample, 5000);
  try {
    const run = await replay({
      editor: 'vscode',
      corpus: options.corpus,
      segments: rotation(options.corpus, options.chars, options.seed),
      deadline,
      seed: options.seed,
      latency: LATENCY,
      // The inspector lets the soak force a full collection and read the live heap.
      env: { NODE_OPTIONS: '--inspect=127.0.0.1:0' },
      onStart: (client) => {
        pid = client.pid;
        const url = inspectorUrl(client.stderrTail);
        if (url) {
          HeapProbe.connect(url).then(
            (connected) => {
              probe = connected;
            },
            () => undefined,
          );
        }
        sample();
      },
    });
    const profile = profileResult(run, options.debounceMs);
    // The first fifth (at most five minutes) is warm-up: the tokenizer, the JIT and the cache fill.
    const warmupMinutes = Math.min(5, options.minutes / 5);
    const rss = growth(samples, (s) => s.rssMB, warmupMinutes);
    const heap = growth(heapSamples, (s) => s.heapMB, warmupMinutes);
    const perMinute = slope(rss.after.map((s) => ({ x: s.minute, y: s.rssMB })));
    // The live heap decides when it was measured (RSS also follows the collector's heap sizing).
    const decisive = heap.growth ?? rss.growth;
    const limit = heap.growth !== null ? 2 : 5;
    return {
      minutes: options.minutes,
      samples: samples.map((s) => ({ minute: round(s.minute, 2)!, rssMB: round(s.rssMB, 1)! })),
      heapSamples: heapSamples.map((s) => ({ minute: round(s.minute, 2)!, heapMB: round(s.heapMB, 2)! })),
      warmupMinutes: round(warmupMinutes, 2)!,
      earlyMB: round(rss.early, 1),
      lateMB: round(rss.late, 1),
      rssGrowthMB: round(rss.growth, 1),
      heapEarlyMB: round(heap.early, 2),
      heapLateMB: round(heap.late, 2),
      heapGrowthMB: round(heap.growth, 2),
      growthMB: round(decisive, 2),
      slopeMBPer10Min: round(perMinute === null ? null : perMinute * 10, 2),
      pass: decisive === null ? null : decisive <= limit,
      profile,
    };
  } finally {
    clearInterval(timer);
    probe?.close();
  }
}
