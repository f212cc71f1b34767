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
import type { SoakSummary } from './report.ts';

const MB = 1024 * 1024;

export interface SoakResult extends SoakSummary {
  /** Minutes since the start and RSS in MB. */
  samples: { minute: number; rssMB: number }[];
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

export async function soak(options: { corpus: CorpusFile[]; minutes: number; seed: number; chars: number; debounceMs: number }): Promise<SoakResult> {
  const started = performance.now();
  const samples: { minute: number; rssMB: number }[] = [];
  let pid: number | undefined;
  const sample = () => {
    if (pid === undefined) return;
    try {
      samples.push({ minute: (performance.now() - started) / 60_000, rssMB: readMemory(pid).rss / MB });
    } catch {
      // The process has exited; the last sample stands.
    }
  };
  const timer = setInterval(sample, 5000);
  try {
    const run = await replay({
      editor: 'vscode',
      corpus: options.corpus,
      segments: rotation(options.corpus, options.chars, options.seed),
      deadline: started + options.minutes * 60_000,
      seed: options.seed,
      latency: LATENCY,
      onStart: (client) => {
        pid = client.pid;
        sample();
      },
    });
    sample();
    const profile = profileResult(run, options.debounceMs);
    // The first fifth (at most five minutes) is warm-up: the tokenizer, the JIT and the cache fill.
    const warmupMinutes = Math.min(5, options.minutes / 5);
    const after = samples.filter((s) => s.minute >= warmupMinutes);
    const span = (after.at(-1)?.minute ?? 0) - warmupMinutes;
    const early = median(after.filter((s) => s.minute < warmupMinutes + span / 5).map((s) => s.rssMB));
    const late = median(after.filter((s) => s.minute >= warmupMinutes + (span * 4) / 5).map((s) => s.rssMB));
    const growth = early === null || late === null ? null : late - early;
    const perMinute = slope(after.map((s) => ({ x: s.minute, y: s.rssMB })));
    return {
      minutes: options.minutes,
      samples: samples.map((s) => ({ minute: round(s.minute, 2)!, rssMB: round(s.rssMB, 1)! })),
      warmupMinutes: round(warmupMinutes, 2)!,
      earlyMB: round(early, 1),
      lateMB: round(late, 1),
      growthMB: round(growth, 1),
      slopeMBPer10Min: round(perMinute === null ? null : perMinute * 10, 2),
      pass: growth === null ? null : growth <= 5,
      profile,
    };
  } finally {
    clearInterval(timer);
  }
}
